/// Replace the bytes in `range` with `newText`. Ranges are UTF-8 offsets into the text the edit was
/// made for.
public struct TextEdit: Hashable, Sendable, CustomStringConvertible {
    public var range: Range<Int>
    public var newText: String

    public init(range: Range<Int>, newText: String) {
        self.range = range
        self.newText = newText
    }

    public static func insert(_ text: String, at offset: Int) -> TextEdit { TextEdit(range: offset..<offset, newText: text) }
    public static func delete(_ range: Range<Int>) -> TextEdit { TextEdit(range: range, newText: "") }

    public var description: String { "[\(range.lowerBound),\(range.upperBound))→\(newText.debugDescription)" }

    /// Two edits conflict when their ranges overlap, or when both insert at the same point (their order
    /// would be ambiguous). Touching ranges do not conflict.
    public func conflicts(with other: TextEdit) -> Bool {
        if range.isEmpty && other.range.isEmpty { return range.lowerBound == other.range.lowerBound }
        if range.isEmpty { return other.range.lowerBound < range.lowerBound && range.lowerBound < other.range.upperBound }
        if other.range.isEmpty { return range.lowerBound < other.range.lowerBound && other.range.lowerBound < range.upperBound }
        return range.lowerBound < other.range.upperBound && other.range.lowerBound < range.upperBound
    }

    /// The edits in text order with every edit that conflicts with an earlier-kept one left out.
    /// The input order decides who wins a conflict: the first edit given is kept.
    public static func nonConflicting(_ edits: [TextEdit]) -> (kept: [TextEdit], skipped: [TextEdit]) {
        var kept: [TextEdit] = []
        var skipped: [TextEdit] = []
        for e in edits {
            if kept.contains(where: { $0.conflicts(with: e) }) { skipped.append(e) } else { kept.append(e) }
        }
        kept.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        return (kept, skipped)
    }

    /// Apply edits to UTF-8 bytes. Ranges are clamped into the text; edits that conflict with an
    /// earlier one are skipped, so the result is always well defined.
    public static func apply<Bytes: RandomAccessCollection>(_ edits: [TextEdit], to bytes: Bytes) -> [UInt8]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        if edits.isEmpty { return Array(bytes) }
        let n = bytes.count
        // Clamp into the text and onto scalar boundaries, so no edit can split a character.
        func boundary(_ o: Int) -> Int {
            var o = min(max(o, 0), n)
            while o > 0, o < n, UTF8Scalar.isContinuation(bytes[o]) { o -= 1 }
            return o
        }
        let clamped = edits.map { e -> TextEdit in
            let lo = boundary(e.range.lowerBound)
            let hi = max(lo, boundary(e.range.upperBound))
            return TextEdit(range: lo..<hi, newText: e.newText)
        }
        let sorted = sortedNonConflicting(clamped)
        var out: [UInt8] = []
        out.reserveCapacity(n + sorted.reduce(0) { $0 + $1.newText.utf8.count })
        var cursor = 0
        for e in sorted {
            out.append(contentsOf: bytes[cursor..<e.range.lowerBound])
            out.append(contentsOf: e.newText.utf8)
            cursor = e.range.upperBound
        }
        out.append(contentsOf: bytes[cursor..<n])
        return out
    }

    /// Sort by position and drop conflicts in one pass (O(n log n)); first given wins on equal spots.
    static func sortedNonConflicting(_ edits: [TextEdit]) -> [TextEdit] {
        let order = edits.indices.sorted {
            let a = edits[$0].range, b = edits[$1].range
            return (a.lowerBound, a.upperBound, $0) < (b.lowerBound, b.upperBound, $1)
        }
        var result: [TextEdit] = []
        for i in order {
            let e = edits[i]
            if let last = result.last, last.conflicts(with: e) || last.range.upperBound > e.range.lowerBound { continue }
            result.append(e)
        }
        return result
    }
}
