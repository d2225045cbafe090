import TextModel

/// Families group rules in `galley rules` and in the README.
public enum RuleFamily: String, CaseIterable, Sendable {
    case layout, numerals, quotes, punctuation, spacing, duplicates, encoding
}

/// A correction example: `input` fixed by the rule alone becomes `output`.
public struct Correction: Sendable {
    public var input: String
    public var output: String
    /// True when the fix is `unsafe` (the example is run with unsafe fixes allowed).
    public var unsafe: Bool
    public init(_ input: String, _ output: String, unsafe: Bool = false) {
        self.input = input
        self.output = output
        self.unsafe = unsafe
    }
}

/// What a rule is, as the user sees it (`galley explain ID`) and as the tests run it.
/// Examples follow SwiftLint: texts that must not trigger, texts that must trigger with every
/// expected finding's start marked by `↓`, and corrections.
public struct RuleDescription: Sendable {
    public static let marker: Character = "↓"

    public var id: String
    public var family: RuleFamily
    public var defaultSeverity: Severity
    /// One line: what it finds.
    public var summary: String
    /// One paragraph: what it finds, why it matters in a transcription, what its fix does and
    /// whether the fix is safe.
    public var explanation: String
    public var nonTriggering: [String]
    public var triggering: [String]
    public var corrections: [Correction]

    public init(id: String, family: RuleFamily, defaultSeverity: Severity, summary: String, explanation: String,
                nonTriggering: [String], triggering: [String], corrections: [Correction]) {
        self.id = id
        self.family = family
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.explanation = explanation
        self.nonTriggering = nonTriggering
        self.triggering = triggering
        self.corrections = corrections
    }
}

/// A rule reads the document (and the shared analyses in the context) and returns findings with
/// the rule's default severity; the engine applies the configuration. Rules never import each other
/// and do no IO. Adding a rule = one file + one line in `RuleRegistry`.
public protocol Rule {
    static var description: RuleDescription { get }
    /// What the rule reads: one section (the default) or the whole document (see `Sections`).
    static var scope: RuleScope { get }
    init()
    func check(_ context: RuleContext) -> [Diagnostic]
    /// The rule as a `NeighbourRule`, when it is one: a requirement, as `as? any NeighbourRule`
    /// searches every conformance record of the program.
    var asNeighbourRule: (any NeighbourRule)? { get }
}

/// The text a rule's findings depend on.
public enum RuleScope: Sendable {
    /// A section: the engine checks each section on its own (and only the edited ones again).
    case section
    /// A section read together with the section before it (a repeat of earlier text): findings are
    /// reported in the later section only, so an edit re-checks the section after it too.
    case sectionAndPrevious
    /// A section read together with the sections on both sides (a vote among the dates around):
    /// findings are reported in the middle section only.
    case sectionAndNeighbours
    /// The whole document (a count over every line): run once per check, over all of it. Such a
    /// rule is about line endings and finds nothing in a text without a CR: the language server
    /// runs it after an edit only when its text has one (joining the text for it).
    case document
}

extension Rule {
    public static var scope: RuleScope { .section }

    public var asNeighbourRule: (any NeighbourRule)? { nil }

    public var id: String { Self.description.id }

    /// A finding of this rule at its default severity.
    // Inlined into each rule, where `Self.description` is the rule's own constant: through the
    // protocol it is a copy of the whole description per finding.
    @inline(__always)
    public func diagnostic(_ range: Range<Int>, _ message: String, related: [RelatedLocation] = [],
                           fix: Fix? = nil, severity: Severity? = nil) -> Diagnostic {
        Diagnostic(ruleID: Self.description.id, severity: severity ?? Self.description.defaultSeverity,
                   range: range, message: message, related: related, fix: fix)
    }
}

extension NeighbourRule {
    public var asNeighbourRule: (any NeighbourRule)? { self }
}
