/// The four shapes the real transcriptions in `seeds/` come in.
public enum LayoutStyle: String, CaseIterable, Codable, Sendable {
    /// Wrapped lines single-spaced, a blank line between paragraphs (seed 000), and now and then a
    /// blank line inside a paragraph.
    case blankBetweenParagraphs = "blank-between-paragraphs"
    /// Every line followed by a blank line (seeds 001, 004), in narrow (4–6) or wide (12–20) columns.
    case blankAfterEveryLine = "blank-after-every-line"
    /// No blank lines at all: a paragraph ends with a short last line and sentence-final punctuation.
    case noBlankLines = "no-blank-lines"
    /// One paragraph per line, unwrapped (seeds 002, 003), a few split in two across a blank line.
    case paragraphPerLine = "paragraph-per-line"

    public var letter: String {
        switch self {
        case .blankBetweenParagraphs: "A"
        case .blankAfterEveryLine: "B"
        case .noBlankLines: "C"
        case .paragraphPerLine: "D"
        }
    }
}

/// What a unit of a generated document is.
public enum UnitKind: String, Codable, Sendable {
    case paragraph, headline, byline, caption
    case jumpLine = "jump-line"
    case listItem = "list-item"
    /// Injected furniture (the second defect set): a `■` pull quote, a page footer, outlet boilerplate.
    case pullQuote = "pull-quote"
    case pageFooter = "page-footer"
    case boilerplate
}

/// One piece of ground truth: a paragraph, headline or piece of newspaper furniture, its original
/// text and the document lines that hold it.
public struct GeneratedUnit: Codable, Sendable {
    public var kind: UnitKind
    /// The text as it must read once the wrap breaks are joined (for a paragraph with an injected
    /// defect, the defective text).
    public var text: String
    /// A headline may be set as two lines; `parts` are those lines (one part otherwise).
    public var parts: [String]
    /// 0-based content lines of the document, in order.
    public var lines: [Int]
    /// Index of the corpus article it came from (within the document).
    public var article: Int
}

/// A line break identified by its two content lines (0-based); blank lines may lie between them.
public struct LineBreak: Hashable, Comparable, Codable, Sendable {
    public var upper: Int
    public var lower: Int
    public init(upper: Int, lower: Int) { self.upper = upper; self.lower = lower }
    public static func < (a: LineBreak, b: LineBreak) -> Bool { (a.upper, a.lower) < (b.upper, b.lower) }
}

/// A defect the generator put into the text on purpose.
public struct InjectedDefect: Codable, Sendable {
    /// What was done, e.g. `full-width-digits`, `missing-closing-quote`.
    public var kind: String
    /// The rule that should report it.
    public var rule: String
    /// UTF-8 range in the document: the injected characters, or for a deleted mark the span of the
    /// now-unpaired quotation or bracket (from the remaining mark to where the deleted one was).
    public var start: Int
    public var end: Int
    /// The text of that range with its line breaks left out.
    public var text: String
    /// The characters the injection replaced or deleted.
    public var original: String
    public var range: Range<Int> { start..<end }
}

/// A generated document and its ground truth.
public struct GeneratedDocument: Codable, Sendable {
    public var id: String
    public var layout: LayoutStyle
    /// Column width (characters) of each article.
    public var columnWidths: [Int]
    public var byDisplayWidth: Bool
    public var text: String
    public var units: [GeneratedUnit]
    /// Line breaks inside a paragraph: each must be joined.
    public var wrapBreaks: [LineBreak]
    /// The break inside a headline set as two lines: joining it or not are both accepted, so it is
    /// left out of the precision and recall of `broken-wrap`.
    public var headlineBreaks: [LineBreak]
    public var defects: [InjectedDefect]
}
