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

    public init(document: TextDocument, configuration: Configuration = Configuration(), startsFile: Bool = true, layout: Layout? = nil,
                containsCarriageReturn: Bool? = nil) {
        self.document = document
        self.configuration = configuration
        self.startsFile = startsFile
        if let layout { self.layout = layout }
        if let containsCarriageReturn { self.containsCarriageReturn = containsCarriageReturn }
    }

    /// Whether the text holds a CR anywhere (a caller that keeps count, as the server does, says so;
    /// a big text's line index found out; otherwise one `memchr`, 2 ms on one core for 20 MB).
    public private(set) lazy var containsCarriageReturn: Bool = document.lines.holdsCarriageReturn ?? document.bytes.withUnsafeBytes {
        $0.count > 0 && memchr($0.baseAddress!, 0x0D, $0.count) != nil
    }

    /// Line classes, wrap joins and logical paragraphs (see `Layout`).
    public private(set) lazy var layout: Layout = Layout(document)

    /// Quotation marks paired over the logical paragraphs, and the paragraphs its walk found a
    /// bracket or a mark to convert in; four rules read it (unmatched-quote, quote-nesting,
    /// punctuation-width, unmatched-bracket), so it is computed once.
    public private(set) lazy var quotes: QuotePairing = QuotePairing(self)

    /// The options object a configuration gives a rule (empty when none).
    public func options(for ruleID: String) -> [String: RuleOptionValue] {
        configuration.rules[ruleID]?.options ?? [:]
    }
}
