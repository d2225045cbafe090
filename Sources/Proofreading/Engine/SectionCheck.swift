import Foundation
import TextModel

/// One section's text, its context (with the layout, computed when a rule first reads it, once for
/// all) and the facts neighbour rules derived from it. Layout analysis never crosses a section break.
public final class SectionText {
    public let start: Int
    public let document: TextDocument
    private var ownContext: RuleContext?
    /// By rule, a few: lists (the first dictionary keyed by `ObjectIdentifier` searches every
    /// conformance record of the program for its `Hashable`).
    private var factsByRule: [(rule: ObjectIdentifier, facts: Any)]
    private var kept: [(rule: ObjectIdentifier, facts: Any)]

    /// The facts of the rules that keep them (`NeighbourRule.factsKept`), given or derived, and the
    /// shapes of the layout's lines (`RuleContext.lineShape`) when it was made or given.
    var keptFacts: [ObjectIdentifier: Any] {
        var facts = Dictionary(uniqueKeysWithValues: kept)
        if let shapes = ownContext?.shapesToKeep ?? givenShapes { facts[Self.shapesKey] = shapes }
        return facts
    }
    /// Kept facts hold the line shapes under this key (no rule's type).
    static let shapesKey = ObjectIdentifier(LineShapes.self)
    private var givenShapes: LineShapes? { kept.first { $0.rule == Self.shapesKey }?.facts as? LineShapes }

    /// `facts`: kept facts of this section's text, derived before (they are not derived again).
    public init(of document: TextDocument, _ range: Range<Int>, facts: [ObjectIdentifier: Any] = [:]) {
        factsByRule = facts.map { ($0.key, $0.value) }
        kept = factsByRule
        start = range.lowerBound
        let whole = range.lowerBound == 0 && range.upperBound == document.count
        self.document = whole ? document : document.section(range)
    }

    /// A section whose text is kept on its own (the language server's open documents).
    public init(document: TextDocument, start: Int, facts: [ObjectIdentifier: Any] = [:]) {
        factsByRule = facts.map { ($0.key, $0.value) }
        kept = factsByRule
        self.start = start
        self.document = document
    }

    /// The section's own context, shared by every rule that reads it (and its quote pairing with them).
    func context(_ configuration: Configuration) -> RuleContext {
        if let c = ownContext { return c }
        // No layout yet: a neighbour whose facts and line shapes are kept is read without one.
        let c = RuleContext(document: document, configuration: configuration, startsFile: start == 0, lineShapes: givenShapes)
        ownContext = c
        return c
    }

    /// What `rule` derives from this section, computed on first use.
    func facts<R: NeighbourRule>(of rule: R, in context: RuleContext) -> R.Facts {
        let key = ObjectIdentifier(R.self)
        if let f = factsByRule.first(where: { $0.rule == key })?.facts as? R.Facts { return f }
        let f = rule.facts(of: context)
        factsByRule.append((key, f))
        if R.factsKept { kept.append((key, f)) }
        return f
    }
}

/// Sections a run of sections is done with, handed to the run after it, which reads or checks
/// them (their layout and facts are not derived again): each is taken once, whole (the run that
/// handed it no longer touches it), or, when the taker comes first, dropped (it derived its own).
final class SectionHandover: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [SectionText?]
    /// Taken, or asked for before it was handed: a text handed later is dropped.
    private var closed: [Bool]

    init(count: Int) {
        texts = [SectionText?](repeating: nil, count: count)
        closed = [Bool](repeating: false, count: count)
    }

    func hand(_ text: SectionText, at j: Int) {
        lock.lock()
        if !closed[j] { texts[j] = text }
        lock.unlock()
    }

    func take(_ j: Int) -> SectionText? {
        lock.lock()
        defer { lock.unlock() }
        closed[j] = true
        return texts[j].take()
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
    /// `shift`. `part` gives the text of a section by index. `parallel`: the rules run on all cores
    /// when the section is long (the server re-checking one section; a batch check runs sections in
    /// parallel instead). `byRule`: the findings by rule (in scope order), not joined by scope.
    func findings(_ scopes: [Int], section i: Int, count: Int, shift: Int = 0, parallel: Bool = false, byRule: Bool = false,
                  part: (Int) -> SectionText) -> [[Diagnostic]] {
        let own = part(i)
        let context = own.context(configuration)
        // Only findings that start in the section itself (the last section keeps what starts at its end).
        let length = own.document.count, last = i == count - 1
        func run(_ r: EnabledRule, reading read: ClosedRange<Int>) -> [Diagnostic] {
            // A rule reading neighbours is a `NeighbourRule` (checked in `Linter.init`).
            var found = read.count == 1 ? r.rule.check(context)
                : r.neighbour!.check(section: i, reading: read, configuration: configuration, part: part)
            func outside(_ d: Diagnostic) -> Bool { !(d.range.lowerBound >= 0 && (d.range.lowerBound < length || last)) }
            // Looked for first: `removeAll` rebuilds the array's tail even when it removes nothing.
            if found.contains(where: outside) { found.removeAll(where: outside) }
            // In place: the rule's array is the only owner of its findings' parts, so nothing is copied.
            found.withUnsafeMutableBufferPointer { found in
                for j in found.indices {
                    r.configure(&found[j])
                    found[j].shift(by: shift)
                }
            }
            return found
        }
        func reading(_ k: Int) -> ClosedRange<Int> { RuleScope.sectionScopes[k].sections(around: i, count: count) }
        var byScope = [[Diagnostic]](repeating: [], count: RuleScope.sectionScopes.count)
        let jobCount = scopes.reduce(0) { $0 + rulesByScope[$1].count }
        if parallel && length >= parallelSectionSize && jobCount > 1 {
            var jobs: [(scope: Int, rule: EnabledRule)] = []
            jobs.reserveCapacity(jobCount)
            for k in scopes { for r in rulesByScope[k] { jobs.append((k, r)) } }
            // The context's shared analyses are made first: the jobs then only read it. Rules that
            // read neighbours derive and cache facts in other sections' texts: they run one after
            // another in one job, beside the others.
            _ = context.layout
            _ = context.quotes
            _ = context.containsCarriageReturn
            func runJob(_ job: Int) -> [Diagnostic] { run(jobs[job].rule, reading: reading(jobs[job].scope)) }
            let alone = jobs.indices.filter { reading(jobs[$0].scope).count == 1 }
            let neighbours = jobs.indices.filter { reading(jobs[$0].scope).count > 1 }
            var done = Parallel.map(alone.count + 1) { n in n < alone.count ? [runJob(alone[n])] : neighbours.map(runJob) }
            var results = [[Diagnostic]](repeating: [], count: jobs.count)
            for (n, job) in alone.enumerated() { swap(&results[job], &done[n][0]) }
            for (n, job) in neighbours.enumerated() { swap(&results[job], &done[alone.count][n]) }
            if byRule { return results }
            var first = 0
            for k in scopes {
                var ofScope = [[Diagnostic]](repeating: [], count: rulesByScope[k].count)
                for m in ofScope.indices { swap(&ofScope[m], &results[first + m]) }
                first += ofScope.count
                byScope[k] = [Diagnostic](concatenating: &ofScope)
            }
        } else {
            if byRule { return scopes.flatMap { k in rulesByScope[k].map { run($0, reading: reading(k)) } } }
            for k in scopes {
                let read = reading(k)
                var results = rulesByScope[k].map { run($0, reading: read) }
                byScope[k] = [Diagnostic](concatenating: &results)
            }
        }
        return byScope
    }
}
