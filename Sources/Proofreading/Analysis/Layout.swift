import TextModel

/// What a line of a transcription is, as far as re-joining goes.
public enum LineKind: String, Sendable {
    case blank
    /// Running text (possibly a wrapped piece of a sentence).
    case prose
    /// A headline or sub-headline: short, no sentence-final punctuation.
    case headline
    /// `■本报记者 唐玮婕`, `本报记者 宋宁华`.
    case byline
    /// Photo captions and credits: `本报记者 赵立荣摄`, `制图：冯晓瑜`, `▲…`.
    case caption
    /// `▼ 下转第六版`, `（下转第2、3版）`, `详见第2-4版`.
    case jumpLine
    /// `1. 湖滨街道,…`.
    case listItem
}

/// One line with the measurements the layout analysis uses.
public struct LineInfo: Sendable {
    public var index: Int
    /// The line's content without leading and trailing white space (empty range for a blank line).
    public var content: Range<Int>
    /// The line starts with white space (a paragraph indent, R22).
    public var indented: Bool
    /// Display width of `content` (CJK 2, Latin and digits 1).
    public var width: Int
    public var kind: LineKind
}

/// A line break (with any blank lines around it) that falls inside a sentence: the two lines should
/// be one. `range` runs from the end of the upper line's content to the start of the lower line's.
public struct WrapJoin: Sendable {
    public var upperLine: Int
    public var lowerLine: Int
    public var range: Range<Int>
    /// What replaces `range`: nothing, or a space between two Latin words (STYLE-RULES R14).
    public var separator: String
    public var blankLines: Int
    /// `safe` where the evidence is unambiguous, `unsafe` where a person should look.
    public var confidence: Applicability
    /// Why the analysis joined, for the diagnostic message.
    public var reason: String
}

/// A paragraph as the text means it: the lines that wrap joins connect. Quote and bracket pairing
/// runs over these, so a quotation cut by a column wrap is still one quotation.
public struct LogicalParagraph: Sendable {
    public var lines: [Int]
    /// Content range of each line, in order; the text between segments is a line break to skip.
    public var segments: [Range<Int>]
    public var range: Range<Int> { segments.first!.lowerBound..<segments.last!.upperBound }
}

/// Layout analysis of a whole document: classifies lines, finds wrap joins and builds logical
/// paragraphs. Shared by `broken-wrap` (which reports the joins) and the pairing rules.
public final class Layout {
    public let document: TextDocument
    public private(set) var lines: [LineInfo] = []
    public private(set) var joins: [WrapJoin] = []
    public private(set) var paragraphs: [LogicalParagraph] = []

    public init(_ document: TextDocument) {
        self.document = document
        measureLines()
        findJoins()
        buildParagraphs()
    }

    private func measureLines() {
        let doc = document
        lines.reserveCapacity(doc.lines.count)
        for l in 0..<doc.lines.count {
            let r = doc.lines.contentRange(of: l)
            var lo = r.lowerBound, hi = r.upperBound
            while lo < hi, case let (s, n) = doc.scalar(at: lo), Scalars.isInlineSpace(s) { lo += n }
            while hi > lo {
                let start = doc.clampToScalar(hi - 1)
                if Scalars.isInlineSpace(doc.scalar(at: start).scalar) { hi = start } else { break }
            }
            var width = 0
            var o = lo
            while o < hi { let (s, n) = doc.scalar(at: o); width += Scalars.displayWidth(s); o += n }
            lines.append(LineInfo(index: l, content: lo..<hi, indented: lo > r.lowerBound && hi > lo,
                                  width: width, kind: hi > lo ? .prose : .blank))
        }
    }

    private func findJoins() {
        var previous: Int? = nil
        for line in lines where line.kind != .blank {
            if let p = previous, line.index - p <= 2 {
                let last = document.scalar(at: document.clampToScalar(lines[p].content.upperBound - 1)).scalar
                if !"。！？!?…”".unicodeScalars.contains(last) {
                    joins.append(WrapJoin(upperLine: p, lowerLine: line.index,
                                          range: lines[p].content.upperBound..<line.content.lowerBound,
                                          separator: "", blankLines: line.index - p - 1, confidence: .unsafe,
                                          reason: "the line does not end a sentence"))
                }
            }
            previous = line.index
        }
    }

    private func buildParagraphs() {
        var joinedToNext = Set<Int>()
        for j in joins { joinedToNext.insert(j.upperLine) }
        var current: LogicalParagraph? = nil
        for line in lines where line.kind != .blank {
            if current == nil { current = LogicalParagraph(lines: [], segments: []) }
            current!.lines.append(line.index)
            current!.segments.append(line.content)
            if !joinedToNext.contains(line.index) { paragraphs.append(current!); current = nil }
        }
        if let c = current { paragraphs.append(c) }
    }
}
