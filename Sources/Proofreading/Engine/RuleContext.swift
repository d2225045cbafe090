import Foundation
import TextModel

/// What a rule sees: the document, the options the configuration gives it, and analyses shared by
/// several rules, each computed at most once per check.
public final class RuleContext {
    /// The text being checked: a whole document, or one section of it (see `Sections`).
    public let document: TextDocument
    /// True when `document` starts where the file starts (a byte-order mark can only be there).
    public let startsFile: Bool
    let configuration: Configuration

    /// `lineShapes`: those of this text's layout, kept from an earlier check of the same text (see
    /// `lineShape`).
    public init(document: TextDocument, configuration: Configuration = Configuration(), startsFile: Bool = true, layout: Layout? = nil,
                containsCarriageReturn: Bool? = nil, lineShapes: LineShapes? = nil) {
        self.document = document
        self.configuration = configuration
        self.startsFile = startsFile
        madeLayout = layout
        keptShapes = lineShapes
        if let containsCarriageReturn { self.containsCarriageReturn = containsCarriageReturn }
    }

    /// Whether the text holds a CR anywhere (a caller that keeps count, as the server does, says so;
    /// a big text's line index found out; otherwise one `memchr`, 2 ms on one core for 20 MB).
    public private(set) lazy var containsCarriageReturn: Bool = document.lines.holdsCarriageReturn ?? document.bytes.withUnsafeBytes {
        $0.count > 0 && memchr($0.baseAddress!, 0x0D, $0.count) != nil
    }

    /// Line classes, wrap joins and logical paragraphs (see `Layout`), made on first use.
    public var layout: Layout {
        if let madeLayout { return madeLayout }
        let made = Layout(document)
        madeLayout = made
        return made
    }
    private var madeLayout: Layout?
    private let keptShapes: LineShapes?

    /// Line `l`'s kind and where its content starts: read off the layout once it is made, else off
    /// the shapes given at `init`, else the layout is made. A neighbour rule reading the section
    /// beside an edited one asks this, and the server keeps the shapes: that section's layout is
    /// not made again for it.
    func lineShape(_ l: Int) -> (kind: LineKind, contentStart: Int) {
        if madeLayout == nil, let keptShapes { return (keptShapes.kinds[l], Int(keptShapes.contentStarts[l])) }
        let info = layout.lines[l]
        return (info.kind, info.content.lowerBound)
    }

    /// How many lines `lineShape` reads (the layout's, as many as the text has).
    var lineShapeCount: Int {
        if madeLayout == nil, let keptShapes { return keptShapes.count }
        return layout.lines.count
    }

    /// The shapes to keep with this text: its layout's when it was made, else those it was given.
    var shapesToKeep: LineShapes? { madeLayout.flatMap(LineShapes.init) ?? keptShapes }

    /// Quotation marks paired over the logical paragraphs, and the paragraphs its walk found a
    /// bracket or a mark to convert in; four rules read it (unmatched-quote, quote-nesting,
    /// punctuation-width, unmatched-bracket), so it is computed once.
    public private(set) lazy var quotes: QuotePairing = QuotePairing(self)

    /// The options object a configuration gives a rule (empty when none).
    public func options(for ruleID: String) -> [String: RuleOptionValue] {
        configuration.rules[ruleID]?.options ?? [:]
    }
}
