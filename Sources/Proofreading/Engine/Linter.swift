import Dispatch
import Foundation
import TextModel

/// The result of `Linter.fix`.
public struct FixResult: Sendable {
    /// The fixed text.
    public var document: TextDocument
    /// How many fixes were applied over all passes.
    public var appliedFixes: Int
    /// How many check-and-fix passes ran (the last one found nothing more to apply when `converged`).
    public var passes: Int
    /// False when fixes still changed the text after the last allowed pass.
    public var converged: Bool
}

/// The engine: runs the enabled rules over a document and applies their fixes.
/// Lint and fix are one code path: `fix` applies the fixes that `check` attaches to its diagnostics.
public struct Linter {
    public let configuration: Configuration
    let rules: [EnabledRule]
    /// The enabled rules of each of `RuleScope.sectionScopes`, chosen once, not per section.
    let rulesByScope: [[EnabledRule]]
    /// Below this many bytes a text is checked on one thread (starting threads costs more).
    public var parallelThreshold = 256 * 1024
    /// A section at least this long has its rules run on all cores when it is re-checked alone.
    public var parallelSectionSize = 16 * 1024

    public init(configuration: Configuration = Configuration(), rules: [any Rule.Type] = RuleRegistry.all) {
        self.configuration = configuration
        self.rules = rules.compactMap { type in
            guard let severity = configuration.severity(for: type.description) else { return nil }
            return EnabledRule(type.init(), severity: severity)
        }
        rulesByScope = Self.byScope(self.rules)
    }

    /// Only the named rule, at its default severity (used by the examples tests and `explain`).
    public init(only type: any Rule.Type) {
        self.configuration = Configuration()
        self.rules = [EnabledRule(type.init(), severity: type.description.defaultSeverity)]
        rulesByScope = Self.byScope(self.rules)
    }

    private static func byScope(_ rules: [EnabledRule]) -> [[EnabledRule]] {
        for r in rules {
            precondition(r.scope == .section || r.scope == .document || r.neighbour != nil,
                         "\(r.rule.id) reads neighbouring sections: it must be a NeighbourRule")
        }
        return RuleScope.sectionScopes.map { scope in rules.filter { $0.scope == scope } }
    }

    public var enabledRuleIDs: [String] { rules.map { $0.rule.id } }

    /// Every finding, in text order (then by rule id). Severities are the configured ones.
    /// Runs section by section (see `Sections`), runs of sections in parallel on large texts; the
    /// result is the same however the sections are scheduled.
    public func check(_ document: TextDocument) -> [Diagnostic] {
        let starts = Sections.starts(in: document)
        // Each section's findings start in it: kept by rule (each rule's in text order) on the
        // worker threads, they are merged straight into their place in one array.
        var parts = sectionFindings(document, starts: starts, shifted: true, byRule: true) { _, rules, _ -> [[Diagnostic]] in
            Self.inTextOrderByRule(&rules)
        }
        var found = Self.joined(&parts)
        let whole = checkDocumentRules(document)
        if !whole.isEmpty {
            found += whole
            Self.sortInTextOrder(&found)
        }
        return found
    }

    /// The findings of `check(document)`, the same and in the same order, a section at a time:
    /// each section's are given to `prepare` on the thread that found them, as soon as they are
    /// found (in any order, several calls at once), and what it makes of them to `deliver` on the
    /// checking threads, one call at a time, in text order. A big file's findings are written out
    /// as they come, never all held at once (a 20 MB file has some 270,000, 30 MB of memory
    /// touched for the first time, and moved once more into one array); formatted and freed by
    /// `prepare`, they stay in the cache and the malloc arena of the core that made them.
    public func check<Prepared>(_ document: TextDocument, prepare: (inout [Diagnostic]) -> Prepared,
                                deliver: (inout Prepared) -> Void) {
        let starts = Sections.starts(in: document)
        // The document rules' findings go with the section each starts in.
        var sorted = checkDocumentRules(document)
        Self.sortInTextOrder(&sorted)
        let whole = sorted
        withoutActuallyEscaping(deliver) { deliver in
            _ = sectionFindings(document, starts: starts, shifted: true, byRule: true, keep: { i, rules, _ -> Prepared in
                var kept = Self.inTextOrderByRule(&rules)
                let count = kept.reduce(0) { $0 + $1.count }
                var found = [Diagnostic](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 { Self.merge(&kept, into: buffer.baseAddress!) }
                    initialized = count
                }
                if !whole.isEmpty {
                    // The first section's also takes any that start before it.
                    // (Found by binary search: a scan of the whole list per section would be quadratic.)
                    let from = i == 0 ? 0 : Self.firstStarting(at: starts[i], in: whole)
                    let to = i + 1 < starts.count ? Self.firstStarting(at: starts[i + 1], in: whole) : whole.count
                    if from < to {
                        found += whole[from..<to]
                        Self.sortInTextOrder(&found)
                    }
                }
                return prepare(&found)
            }, deliver: { _, prepared in deliver(&prepared) })
        }
    }

    /// The rules' findings that are not empty, moved out of `rules`, each rule's sorted in text
    /// order (most come in it already).
    static func inTextOrderByRule(_ rules: inout [[Diagnostic]]) -> [[Diagnostic]] {
        var kept: [[Diagnostic]] = []
        swap(&kept, &rules)
        kept.removeAll { $0.isEmpty }
        for k in kept.indices where !isInTextOrder(kept[k]) { sortInTextOrder(&kept[k]) }
        return kept
    }

    /// The sections' findings (by rule, see `inTextOrderByRule`) merged in one array, moved out of
    /// the sections' arrays, each moved once (a copy would retain and release the strings and arrays
    /// of each; a big file has hundreds of thousands, and merging each section's into an array of
    /// its own before moving them here moved each twice). Many are merged in runs on all cores.
    static func joined(_ parts: inout [[[Diagnostic]]?]) -> [Diagnostic] {
        var offsets = [0]
        offsets.reserveCapacity(parts.count + 1)
        for part in parts { offsets.append(offsets.last! + (part?.reduce(0) { $0 + $1.count } ?? 0)) }
        let total = offsets.last!
        let runs = total >= 20_000 ? Parallel.pieces : 1
        return [Diagnostic](unsafeUninitializedCapacity: total) { buffer, initialized in
            let out = buffer.baseAddress
            parts.withUnsafeMutableBufferPointer { sections in
                let sections = sections
                func move(_ run: Int) {
                    for i in (run * sections.count / runs)..<((run + 1) * sections.count / runs) {
                        var rules: [[Diagnostic]]? = nil
                        swap(&rules, &sections[i])
                        if rules != nil { merge(&rules!, into: out!.advanced(by: offsets[i])) }
                    }
                }
                if runs == 1 { move(0) } else { DispatchQueue.concurrentPerform(iterations: runs, execute: move) }
            }
            initialized = total
        }
    }

    /// Merges the findings of several rules, each in text order and not empty, into text order at
    /// `out`, moving each once (they are left empty): concatenating and sorting moved each several times.
    static func merge(_ rules: inout [[Diagnostic]], into out: UnsafeMutablePointer<Diagnostic>) {
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: rules.count) { tops in
            // The range of each rule's last finding, read once per finding taken, not per comparison.
            func top(_ k: Int) -> (Int, Int) {
                let r = rules[k][rules[k].count - 1].range
                return (r.lowerBound, r.upperBound)
            }
            for k in rules.indices where !rules[k].isEmpty { tops[k] = top(k) }
            // Whether rule k's last finding comes before rule j's.
            @inline(__always) func before(_ k: Int, _ j: Int) -> Bool {
                if tops[k] != tops[j] { return tops[k] < tops[j] }
                return rules[k][rules[k].count - 1].ruleID < rules[j][rules[j].count - 1].ruleID
            }
            // From the end: the last finding of the rule whose last comes latest (of equals, the
            // later rule's, as a stable sort of the rules' findings one after another orders them).
            // That rule's findings are taken while they still come after the runner-up's last: the
            // rules are compared once per run, not once per finding.
            var at = rules.reduce(0) { $0 + $1.count }
            while at > 0 {
                var best = -1, second = -1
                for k in rules.indices where !rules[k].isEmpty {
                    if best < 0 || !before(k, best) {
                        second = best
                        best = k
                    } else if second < 0 || !before(k, second) {
                        second = k
                    }
                }
                // One rule left: the rest of its findings as they are.
                if second < 0 { break }
                repeat {
                    at -= 1
                    (out + at).initialize(to: rules[best].removeLast())
                    if rules[best].isEmpty { break }
                    tops[best] = top(best)
                } while !before(best, second) && (best > second || before(second, best))
            }
        }
        if let k = rules.firstIndex(where: { !$0.isEmpty }) { out.initialize(takingAllOf: &rules[k]) }
    }

    /// The index of the first of `sorted` (in text order) that starts at `offset` or later.
    static func firstStarting(at offset: Int, in sorted: [Diagnostic]) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The findings of every section (by scope, or by rule when `byRule`; offsets relative to the section's start, or to the
    /// document's when `shifted`), each turned into what the caller keeps by `keep` (given the
    /// section's index and text, lent: it may go on to another run) as soon as it is found. Runs
    /// of sections go in parallel on large texts; each run keeps the texts of the sections around
    /// the one it checks, so a layout is computed once per section (the sections at the ends of
    /// runs are handed from one run to the next, see `SectionHandover`).
    /// With `deliver`, each section's result is handed to it in section order as soon as it and
    /// every section before it are done (see `InOrder`), and not returned.
    func sectionFindings<T>(_ document: TextDocument, starts: [Int], shifted: Bool = false, byRule: Bool = false,
                            keep: (Int, inout [[Diagnostic]], SectionText) -> T,
                            deliver: ((Int, inout T) -> Void)? = nil) -> [T?] {
        sectionFindings(starts: starts, length: document.count, shifted: shifted, byRule: byRule, keep: keep, deliver: deliver) { j in
            SectionText(of: document, starts[j]..<(j + 1 < starts.count ? starts[j + 1] : document.count))
        }
    }

    /// The same over a text kept as its sections' texts (the language server's open documents).
    func sectionFindings<T>(sections texts: [TextDocument], starts: [Int],
                            keep: (Int, inout [[Diagnostic]], SectionText) -> T) -> [T?] {
        sectionFindings(starts: starts, length: (starts.last ?? 0) + (texts.last?.count ?? 0), shifted: false, byRule: false,
                        keep: keep, deliver: nil) { j in
            SectionText(document: texts[j], start: starts[j])
        }
    }

    private func sectionFindings<T>(starts: [Int], length: Int, shifted: Bool, byRule: Bool,
                                    keep: (Int, inout [[Diagnostic]], SectionText) -> T,
                                    deliver: ((Int, inout T) -> Void)?,
                                    text: (Int) -> SectionText) -> [T?] {
        let n = starts.count
        var parts = [T?](repeating: nil, count: deliver == nil ? n : 0)
        let inOrder = deliver.map { InOrder<T>(count: n, handOver: $0) }
        let all = Array(0..<RuleScope.sectionScopes.count)
        // Runs of sections on all cores, cores that finish early taking the next. On a big text runs
        // shrink towards the end (from 64 sections down to 8), so the last one leaves a core idle
        // for a few sections, not 64.
        let bounds = n > 1 && length >= parallelThreshold ? Self.runBounds(n, cores: Parallel.cores) : [0, n]
        // Sections a run is done with that the run after it reads: see `done`.
        let sharing = bounds.count > 2 && !(rulesByScope[1].isEmpty && rulesByScope[2].isEmpty)
        let handed = SectionHandover(count: sharing ? n : 0)
        func checkRun(_ run: Range<Int>, into out: UnsafeMutableBufferPointer<T?>) {
            // The sections around the one checked, a few: a list (the first dictionary keyed by
            // `Int` searches every conformance record of the program for `Int: Hashable`).
            var texts: [(index: Int, text: SectionText)] = []
            func part(_ j: Int) -> SectionText {
                if let t = texts.first(where: { $0.index == j }) { return t.text }
                let t = (sharing && (j == run.lowerBound - 1 || j == run.lowerBound) ? handed.take(j) : nil) ?? text(j)
                texts.append((j, t))
                return t
            }
            // Backwards: a run reads the section after it first and its own last section early on,
            // and hands both, done with, to the run after it, which reads them last (its first
            // section and the one before). That run, taken later, is still at work on others then.
            func done(_ j: Int) {
                guard let k = texts.firstIndex(where: { $0.index == j }) else { return }
                let t = texts.remove(at: k).text
                if sharing && run.upperBound < n && j >= run.upperBound - 1 { handed.hand(t, at: j) }
            }
            for i in run.reversed() {
                var found = findings(all, section: i, count: n, shift: shifted ? starts[i] : 0, byRule: byRule, part: part)
                let kept = keep(i, &found, part(i))
                if let inOrder { inOrder.store(consume kept, at: i) } else { out[i] = kept }
                done(i + 1)
            }
            done(run.lowerBound)
        }
        parts.withUnsafeMutableBufferPointer { out in
            let buffer = out
            if bounds.count == 2 {
                checkRun(0..<n, into: buffer)
            } else {
                DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { r in checkRun(bounds[r]..<bounds[r + 1], into: buffer) }
            }
        }
        assert(inOrder?.isDone ?? true)
        return parts
    }

    /// Where runs of `n` sections start (and `n` last). Up to 64 sections per piece of work
    /// (`4 × cores` pieces), equal runs; more, runs of 64 and then, at the end, a quarter per core of
    /// what is left (at least 8).
    static func runBounds(_ n: Int, cores: Int) -> [Int] {
        let pieces = 4 * cores
        if n <= 64 * pieces {
            let runs = min(n, pieces)
            return (0...runs).map { $0 * n / runs }
        }
        var bounds = [0]
        while bounds.last! < n {
            let left = n - bounds.last!
            bounds.append(bounds.last! + min(left, max(8, min(64, left / (4 * cores)))))
        }
        return bounds
    }

    static func sortInTextOrder(_ all: inout [Diagnostic]) {
        all.sort(by: inTextOrder)
    }

    static func inTextOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.range.lowerBound, a.range.upperBound, a.ruleID) < (b.range.lowerBound, b.range.upperBound, b.ruleID)
    }

    static func isInTextOrder(_ list: [Diagnostic]) -> Bool {
        list.withUnsafeBufferPointer { b in b.indices.dropFirst().allSatisfy { !inTextOrder(b[$0], b[$0 - 1]) } }
    }

    /// The findings of the document-scope rules (unsorted).
    public func checkDocumentRules(_ document: TextDocument, containsCarriageReturn: Bool? = nil) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var context: RuleContext? = nil
        for r in rules where r.scope == .document {
            if context == nil {
                context = RuleContext(document: document, configuration: configuration, containsCarriageReturn: containsCarriageReturn)
            }
            var more = r.rule.check(context!)
            for j in more.indices { r.configure(&more[j]) }
            found += more
        }
        return found
    }

    public func check(_ text: String) -> [Diagnostic] { check(TextDocument(text)) }

    /// The fixes of one pass that can be applied together: in text order, each fix whole or not at
    /// all, skipping any fix whose edits conflict with an earlier one. Diagnostics come sorted by
    /// position, so chosen edits are kept sorted and each new edit is checked against its neighbours
    /// only (O(n log n), not a scan of everything chosen so far).
    public static func compatibleFixes(_ diagnostics: [Diagnostic], unsafe: Bool) -> [Fix] {
        var chosen: [Fix] = []
        var taken: [TextEdit] = []   // sorted by (lowerBound, upperBound)
        func insertionIndex(_ e: TextEdit) -> Int {
            var lo = 0, hi = taken.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let m = taken[mid].range
                if (m.lowerBound, m.upperBound) < (e.range.lowerBound, e.range.upperBound) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        func conflicts(_ e: TextEdit) -> Bool {
            let i = insertionIndex(e)
            // Neighbours on both sides; equal starts can sit on either side of the insertion point.
            var j = i - 1
            while j >= 0 {
                if taken[j].conflicts(with: e) { return true }
                if taken[j].range.upperBound < e.range.lowerBound { break }
                j -= 1
            }
            j = i
            while j < taken.count, taken[j].range.lowerBound <= e.range.upperBound {
                if taken[j].conflicts(with: e) { return true }
                j += 1
            }
            return false
        }
        for d in diagnostics {
            guard let fix = d.fix, fix.editCount > 0, unsafe || fix.applicability == .safe else { continue }
            let edits = fix.edits
            if !TextEdit.nonConflicting(edits).skipped.isEmpty { continue }
            if edits.contains(where: conflicts) { continue }
            chosen.append(fix)
            for e in edits { taken.insert(e, at: insertionIndex(e)) }
        }
        return chosen
    }

    /// Apply fixes until nothing changes (or `maxPasses` is reached). Safe fixes only unless `unsafe`.
    public func fix(_ document: TextDocument, unsafe: Bool = false, maxPasses: Int = 12) -> FixResult {
        var current = document
        var applied = 0
        for pass in 1...maxPasses {
            let fixes = Self.compatibleFixes(check(current), unsafe: unsafe)
            if fixes.isEmpty { return FixResult(document: current, appliedFixes: applied, passes: pass, converged: true) }
            let next = current.applying(fixes.flatMap(\.edits))
            if next.bytes == current.bytes {
                return FixResult(document: current, appliedFixes: applied, passes: pass, converged: true)
            }
            applied += fixes.count
            current = next
        }
        return FixResult(document: current, appliedFixes: applied, passes: maxPasses, converged: false)
    }

    public func fix(_ text: String, unsafe: Bool = false) -> String { fix(TextDocument(text), unsafe: unsafe).document.text }
}

/// An enabled rule with what running it needs, read once: its description is a copy of all its
/// examples. A class: a section's jobs copy one reference, not the rule's existential box.
final class EnabledRule {
    let rule: any Rule
    /// `rule` as a `NeighbourRule`, when it is one.
    let neighbour: (any NeighbourRule)?
    let scope: RuleScope
    /// The configured severity.
    let severity: Severity
    let defaultSeverity: Severity

    init(_ rule: any Rule, severity: Severity) {
        self.rule = rule
        scope = type(of: rule).scope
        neighbour = scope == .section || scope == .document ? nil : rule.asNeighbourRule
        self.severity = severity
        defaultSeverity = type(of: rule).description.defaultSeverity
    }

    /// A rule may lower its own severity where it is unsure; the configuration sets the ceiling.
    func configure(_ d: inout Diagnostic) {
        if d.severity != defaultSeverity {
            d.severity = Severity(clampedRank: severity.rank - (defaultSeverity.rank - d.severity.rank))
        } else {
            d.severity = severity
        }
    }
}

extension Array {
    /// The arrays' elements, in order, moved out of them (they are left empty): a copy would retain
    /// and release everything each element holds.
    init(concatenating parts: inout [[Element]]) {
        var total = 0, nonEmpty = 0, only = 0
        for k in parts.indices where !parts[k].isEmpty {
            total += parts[k].count
            nonEmpty += 1
            only = k
        }
        self = []
        if nonEmpty <= 1 {
            if nonEmpty == 1 { swap(&self, &parts[only]) }
            return
        }
        self.init(unsafeUninitializedCapacity: total) { buffer, initialized in
            var at = 0
            for k in parts.indices {
                let count = parts[k].count
                buffer.baseAddress!.advanced(by: at).initialize(takingAllOf: &parts[k])
                at += count
            }
            initialized = total
        }
    }
}

extension UnsafeMutablePointer {
    /// Initializes the memory from here on with `array`'s elements, in order, taken out of it (it is
    /// left empty): moved, not copied.
    func initialize(takingAllOf array: inout [Pointee]) {
        var at = array.count
        while let last = array.popLast() {
            at -= 1
            (self + at).initialize(to: last)
        }
    }
}
