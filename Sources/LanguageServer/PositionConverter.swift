import TextModel

/// Every LSP position in and out of the server goes through here: UTF-8 offsets (galley's) to LSP
/// `{line, character}` in the negotiated encoding and back. The arithmetic itself lives in
/// TextModel (`TextDocument.position/offset/positions`, and `CheckedDocument`'s over an open text's
/// sections); this only speaks LSP's JSON shape.
public struct PositionConverter {
    public let document: any TextPositions
    public let encoding: PositionEncoding

    public init(document: any TextPositions, encoding: PositionEncoding) {
        self.document = document
        self.encoding = encoding
    }

    public func position(_ offset: Int) -> JSON {
        Self.json(document.positions(of: [offset], in: encoding)[0])
    }

    public func range(_ r: Range<Int>) -> JSON {
        let p = document.positions(of: [r.lowerBound, r.upperBound], in: encoding)
        return ["start": Self.json(p[0]), "end": Self.json(p[1])]
    }

    /// Many ranges with one pass over the text (a diagnostics list).
    public func ranges(_ rs: [Range<Int>]) -> [JSON] {
        let p = document.positions(of: rs.flatMap { [$0.lowerBound, $0.upperBound] }, in: encoding)
        return rs.indices.map { ["start": Self.json(p[2 * $0]), "end": Self.json(p[2 * $0 + 1])] }
    }

    /// The UTF-8 offset of an LSP position; nil when it is not `{line, character}` with integers.
    public func offset(_ json: JSON?) -> Int? {
        Self.lineColumn(json).map { document.offset(of: $0, in: encoding) }
    }

    /// An LSP position as it is; nil when it is not `{line, character}` with integers.
    public static func lineColumn(_ json: JSON?) -> LineColumn? {
        guard let line = json?["line"]?.int, let character = json?["character"]?.int else { return nil }
        return LineColumn(line: line, column: character)
    }

    public func offsets(_ json: JSON?) -> Range<Int>? {
        guard let lo = offset(json?["start"]), let hi = offset(json?["end"]) else { return nil }
        return min(lo, hi)..<max(lo, hi)
    }

    static func json(_ p: LineColumn) -> JSON { ["line": JSON(p.line), "character": JSON(p.column)] }
}
