import TextModel

/// One section's text, its context (with the layout, computed when a rule first reads it, once for
/// all) and the facts neighbour rules derived from it. Layout analysis never crosses a section break.
public final class SectionText {
    public let start: Int
    public let document: TextDocument
    private var ownContext: RuleContext?
    private var factsByRule: [ObjectIdentifier: Any] = [:]
    /// The facts of the rules that keep them (`NeighbourRule.factsKept`), given or derived.
    private(set) var keptFacts: [ObjectIdentifier: Any] = [:]

    /// `facts`: kept facts of this section's text, derived before (they are not derived again).
    public init(of document: TextDocument, _ range: Range<Int>, facts: [ObjectIdentifier: Any] = [:]) {
        factsByRule = facts
        keptFacts = facts
        start = range.lowerBound
        let whole = range.lowerBound == 0 && range.upperBound == document.count
        self.document = whole ? document : TextDocument(bytes: Array(document.bytes[range]))
    }

    /// The section's own context, shared by every rule that reads it (and its quote pairing with them).
    func context(_ configuration: Configuration) -> RuleContext {
        if let c = ownContext { return c }
        // No layout yet: a neighbour whose facts are kept is read without one.
        let c = RuleContext(document: document, configuration: configuration, startsFile: start == 0)
        ownContext = c
        return c
    }

    /// What `rule` derives from this section, computed on first use.
    func facts<R: NeighbourRule>(of rule: R, in context: RuleContext) -> R.Facts {
        let key = ObjectIdentifier(R.self)
        if let f = factsByRule[key] as? R.Facts { return f }
        let f = rule.facts(of: context)
        factsByRule[key] = f
        if R.factsKept { keptFacts[key] = f }
        return f
    }
}

extension RuleScope {
    /// The section scopes, in the order `Linter.findings` returns their findings.
    static let sectionScopes: [RuleScope] = [.section, .sectionAndPrevious, .sectionAndNeighbours]

    /// The sections a rule of this scope reads for section `i` of `count`.
    func sections(around i: Int, count: Int) -> ClosedRange<Int> {
        switch self {
        case .section, .document: return i...i
        case .sectionAndPrevious: return max(0, i - 1)...i
        case .sectionAndNeighbours: return max(0, i - 1)...min(count - 1, i + 1)
        }
    }
}

extension Linter {
    /// Findings in section `i` (of `count`) of the rules of the given section scopes (indexes into
    /// `RuleScope.sectionScopes`), by scope, in offsets relative to the section's start plus
    /// `shift`. `part` gives the text of a section by index.
    func findings(_ scopes: [Int], section i: Int, count: Int, shift: Int = 0, part: (Int) -> SectionText) -> [[Diagnostic]] {
        var result = [[Diagnostic]](repeating: [], count: RuleScope.sectionScopes.count)
        for k in scopes {
            let scope = RuleScope.sectionScopes[k]
            let chosen = rulesByScope[k]
            guard !chosen.isEmpty else { continue }
            let read = scope.sections(around: i, count: count)
            let own = part(i)
            let context = own.context(configuration)
            // Only findings that start in the section itself (the last section keeps what starts at its end).
            let length = own.document.count, last = read.upperBound == i
            for (rule, severity) in chosen {
                let defaultSeverity = type(of: rule).description.defaultSeverity
                // A rule reading neighbours is a `NeighbourRule` (checked in `Linter.init`).
                var found = read.count == 1 ? rule.check(context)
                    : (rule as! any NeighbourRule).check(section: i, reading: read, configuration: configuration, part: part)
                found.removeAll { !($0.range.lowerBound >= 0 && ($0.range.lowerBound < length || last)) }
                // In place: the rule's array is the only owner of its findings' parts, so nothing is copied.
                for j in found.indices {
                    configure(&found[j], defaultSeverity: defaultSeverity, severity: severity)
                    found[j].shift(by: shift)
                }
                if result[k].isEmpty { result[k] = found } else { result[k] += found }
            }
        }
        return result
    }
}
