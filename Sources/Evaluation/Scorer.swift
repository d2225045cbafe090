import Foundation
import TextModel
import Proofreading

/// How much to generate. The defaults aim at ≥ 2,000 ground-truth wrap breaks per wrapped layout
/// and ≥ 100 injected defects per rule while staying well under a minute in release mode.
public struct EvaluationOptions: Sendable {
    public var seed: UInt64 = 1
    /// Documents of each wrapped layout (A, B, C): about 80 ground-truth breaks each. Layout D gets
    /// `paragraphPerLineFactor` times as many, since only about 5% of its paragraphs are split
    /// (about 0.5 breaks per document).
    public var documents: Int = 150
    public var paragraphPerLineFactor: Int = 32
    /// Documents of each injected set (`InjectionSet`; half layout D, half layout A): about three
    /// defects each in the first set, four or five in the second.
    public var injectedDocuments: Int = 1000
    public init() {}

    public func documentCount(for layout: LayoutStyle) -> Int {
        layout == .paragraphPerLine ? documents * paragraphPerLineFactor : documents
    }
}

// MARK: Report

public struct LayoutScore: Codable, Sendable {
    public var layout: String
    public var documents: Int
    /// Ground-truth line breaks inside paragraphs (each must be joined).
    public var breaks: Int
    /// Distinct line breaks `broken-wrap` reported (headline-internal breaks left out).
    public var detections: Int
    public var truePositives: Int
    public var precision: Double?
    public var recall: Double?
    public var paragraphs: Int
    public var restoredUnsafe: Int
    public var restoredSafe: Int
    /// Headlines, bylines, captions, jump lines and list items.
    public var furniture: Int
    public var furnitureKeptUnsafe: Int
    public var furnitureKeptSafe: Int
    /// Two-line headlines whose break `broken-wrap` joined (accepted either way; shown for information).
    public var headlineBreaks: Int
    public var headlineBreaksJoined: Int
}

public struct KindScore: Codable, Sendable {
    public var kind: String
    public var injected: Int
    public var found: Int
}

public struct InjectedRuleScore: Codable, Sendable {
    public var rule: String
    public var registered: Bool
    public var injected: Int
    public var found: Int
    public var recall: Double?
    /// Findings of this rule on the injected documents, and how many overlap a defect of this rule.
    public var findings: Int
    public var correctFindings: Int
    public var precision: Double?
    public var kinds: [KindScore]
}

public struct RuleCount: Codable, Sendable {
    public var rule: String
    public var findings: Int
    public var warningOrError: Int
    public var perTenThousand: Double
}

public struct MessageCount: Codable, Sendable {
    public var rule: String
    public var severity: String
    public var message: String
    public var count: Int
    /// One place it fires: `file:line` (1-based).
    public var example: String
}

public struct CleanCorpusScore: Codable, Sendable {
    public var files: Int
    public var characters: Int
    public var findings: Int
    /// Findings per 10,000 characters (Unicode scalars) by severity name.
    public var perTenThousandBySeverity: [String: Double]
    public var warningOrErrorPerTenThousand: Double
    public var byRule: [RuleCount]
    public var topMessages: [MessageCount]
}

public struct PreservationScore: Codable, Sendable {
    public var documents: Int
    public var appliedEdits: Int
    /// Edits that deleted or reordered Han characters they do not target, or engine results that
    /// differ from applying the same edits independently. Must be 0.
    public var violations: Int
    public var examples: [String]
    /// Han characters removed by rules whose job is to remove or rewrite them (see
    /// `Scorer.hanRewriters`), for transparency.
    public var deliberateHanRemovals: Int
    public var notConverged: Int
    /// Problems `GroundTruthCheck` found in the generated documents (must be 0).
    public var groundTruthProblems: Int
    public var groundTruthExamples: [String]
}

public struct Report: Codable, Sendable {
    public var seed: UInt64
    public var corpusFiles: Int
    public var corpusArticles: Int
    public var registeredRules: [String]
    public var layouts: [LayoutScore]
    public var injectedDocuments: Int
    public var injected: [InjectedRuleScore]
    public var cleanCorpus: CleanCorpusScore
    public var preservation: PreservationScore
}

// MARK: Scoring

public enum Scorer {
    /// The rules the injected set measures, in table order.
    public static let injectedRules = ["numeral-width", "numeral-spacing", "numeral-style", "unmatched-quote",
                                       "quote-nesting", "unmatched-bracket",
                                       "letter-spacing", "punctuation-width", "duplicate-fragment", "layout-leftover",
                                       "stray-whitespace", "invisible-character", "mixed-line-endings"]

    /// Rules that may remove Han characters on purpose, and which ones: `numeral-style` rewrites
    /// Chinese numerals as digits; `duplicate-fragment` deletes a repeated fragment; `layout-leftover`
    /// deletes jump lines. Any other fix that removes or reorders a Han character is a violation.
    public static let hanRewriters: [String: Set<Unicode.Scalar>?] = [
        "numeral-style": Set("〇零一二三四五六七八九十百千万亿两".unicodeScalars),
        "duplicate-fragment": nil,
        "layout-leftover": nil,
    ]

    /// A `broken-wrap` finding as a line break: (line of its start, line of its end). A finding that
    /// stays on one line but starts at the end of that line's content (trailing spaces aside) means
    /// the break after it: its lower line is the next non-blank one. Any other one-line finding
    /// maps to (line, line), which is never a true break, so it counts against precision.
    public static func detectedBreaks(_ diagnostics: [Diagnostic], in doc: TextDocument) -> Set<LineBreak> {
        var out = Set<LineBreak>()
        for d in diagnostics where d.ruleID == "broken-wrap" {
            let a = doc.position(of: d.range.lowerBound, in: .utf8).line
            var b = doc.position(of: d.range.upperBound, in: .utf8).line
            if a == b {
                let r = doc.lines.contentRange(of: a)
                var end = r.upperBound
                while end > r.lowerBound, Scalars.isInlineSpace(doc.scalar(at: doc.clampToScalar(end - 1)).scalar) {
                    end = doc.clampToScalar(end - 1)
                }
                if d.range.lowerBound >= end {
                    var next = a + 1
                    while next < doc.lines.count, doc.isBlank(line: next) { next += 1 }
                    if next < doc.lines.count { b = next }
                }
            }
            out.insert(LineBreak(upper: a, lower: b))
        }
        return out
    }

    /// The lines of a text, trimmed of surrounding white space, blank ones left out.
    public static func trimmedLines(_ text: String) -> Set<String> {
        var out = Set<String>()
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let s = Array(raw.unicodeScalars)
            var lo = 0, hi = s.count
            while lo < hi, Scalars.isInlineSpace(s[lo]) { lo += 1 }
            while hi > lo, Scalars.isInlineSpace(s[hi - 1]) { hi -= 1 }
            if hi > lo { out.insert(String(String.UnicodeScalarView(s[lo..<hi]))) }
        }
        return out
    }

    /// Whether the fixed text still holds a unit as a line of its own (a paragraph restored whole).
    public static func intact(_ unit: GeneratedUnit, in lines: Set<String>) -> Bool {
        if lines.contains(unit.text) { return true }
        return unit.kind == .headline && unit.parts.count > 1 && unit.parts.allSatisfy { lines.contains($0) }
    }

    struct Tally {
        var appliedEdits = 0
        var violations: [String] = []
        var deliberate = 0
        var notConverged = 0
        var truthProblems: [String] = []
    }

    /// Applies all fixes (unsafe included) one pass at a time, like `Linter.fix`, checking every
    /// pass: the engine's result must equal splicing the same edits independently, and no edit may
    /// remove or reorder Han characters unless its rule's job is to (`hanRewriters`).
    static func verifiedFix(_ linter: Linter, _ document: TextDocument, first: [Diagnostic], id: String,
                            tally: inout Tally) -> TextDocument {
        var current = document
        var diagnostics = first
        for pass in 1...12 {
            let fixes = Linter.compatibleFixes(diagnostics, unsafe: true)
            if fixes.isEmpty { return current }
            var ruleOf: [Fix: String] = [:]
            for d in diagnostics { if let f = d.fix, ruleOf[f] == nil { ruleOf[f] = d.ruleID } }
            let edits = fixes.flatMap(\.edits)
            let next = current.applying(edits)
            // Independent splice.
            var bytes: [UInt8] = []
            var at = 0
            for e in edits.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }) {
                if e.range.lowerBound < at { break }
                bytes += current.bytes[at..<e.range.lowerBound]
                bytes += Array(e.newText.utf8)
                at = e.range.upperBound
            }
            bytes += current.bytes[min(at, current.bytes.count)...]
            if bytes != next.bytes.array {
                tally.violations.append("\(id) pass \(pass): the engine's text differs from splicing its own edits")
            }
            for f in fixes {
                let rule = ruleOf[f] ?? "?"
                for e in f.edits {
                    tally.appliedEdits += 1
                    let removed = Array(current.slice(e.range).unicodeScalars).filter(Scalars.isHan)
                    let inserted = Array(e.newText.unicodeScalars).filter(Scalars.isHan)
                    if removed == inserted { continue }
                    if let allowed = hanRewriters[rule] {
                        if let set = allowed {
                            if removed.filter({ !set.contains($0) }) == inserted.filter({ !set.contains($0) }) {
                                tally.deliberate += removed.count; continue
                            }
                        } else {
                            tally.deliberate += removed.count; continue
                        }
                    }
                    let line = current.position(of: e.range.lowerBound, in: .utf8).line + 1
                    tally.violations.append("\(id) line \(line) [\(rule)]: \(current.slice(e.range).debugDescription) → \(e.newText.debugDescription)")
                }
            }
            if next.bytes == current.bytes { return current }
            current = next
            diagnostics = linter.check(current)
        }
        if !Linter.compatibleFixes(diagnostics, unsafe: true).isEmpty { tally.notConverged += 1 }
        return current
    }

    struct LayoutResult {
        var breaks = 0, detections = 0, tp = 0
        var paragraphs = 0, restoredU = 0, restoredS = 0
        var furniture = 0, keptU = 0, keptS = 0
        var heads = 0, headsJoined = 0
        var tally = Tally()
    }

    static func scoreLayoutDocument(_ g: GeneratedDocument, linter: Linter) -> LayoutResult {
        var r = LayoutResult()
        r.tally.truthProblems = GroundTruthCheck.problems(g)
        let doc = TextDocument(g.text)
        let diagnostics = linter.check(doc)
        let truth = Set(g.wrapBreaks)
        let heads = Set(g.headlineBreaks)
        let detected = detectedBreaks(diagnostics, in: doc).subtracting(heads)
        r.breaks = truth.count
        r.detections = detected.count
        r.tp = detected.intersection(truth).count
        r.heads = heads.count
        r.headsJoined = detectedBreaks(diagnostics, in: doc).intersection(heads).count
        let fixedU = verifiedFix(linter, doc, first: diagnostics, id: g.id, tally: &r.tally)
        let engineU = linter.fix(doc, unsafe: true).document
        if engineU.bytes != fixedU.bytes {
            r.tally.violations.append("\(g.id): Linter.fix(unsafe) differs from the pass-by-pass fix")
        }
        let fixedS = linter.fix(doc, unsafe: false).document
        let linesU = trimmedLines(engineU.text), linesS = trimmedLines(fixedS.text)
        for u in g.units {
            if u.kind == .paragraph {
                r.paragraphs += 1
                if intact(u, in: linesU) { r.restoredU += 1 }
                if intact(u, in: linesS) { r.restoredS += 1 }
            } else {
                r.furniture += 1
                // A jump line that layout-leftover's unsafe fix deleted whole is furniture dealt with, not lost.
                let deletedOnPurpose = u.kind == .jumpLine && !engineU.text.contains(u.text)
                if intact(u, in: linesU) || deletedOnPurpose { r.keptU += 1 }
                if intact(u, in: linesS) { r.keptS += 1 }
            }
        }
        return r
    }

    struct InjectedResult {
        var injected: [String: Int] = [:]      // kind → count
        var found: [String: Int] = [:]
        var findings: [String: Int] = [:]      // rule → count
        var correct: [String: Int] = [:]
        var tally = Tally()
    }

    static func overlaps(_ d: Range<Int>, _ r: Range<Int>) -> Bool {
        if d.isEmpty { return r.lowerBound <= d.lowerBound && d.lowerBound <= r.upperBound }
        if r.isEmpty { return d.lowerBound <= r.lowerBound && r.lowerBound <= d.upperBound }
        return d.lowerBound < r.upperBound && r.lowerBound < d.upperBound
    }

    /// Precision counts a rule's findings only on the documents of the set that measures it: the
    /// other set's defects (straight quotes, say) are not that rule's business there.
    static func scoreInjectedDocument(_ g: GeneratedDocument, set: InjectionSet = .first, linter: Linter) -> InjectedResult {
        let measured = Set(Injector.kinds(of: set).map(\.rule))
        var r = InjectedResult()
        r.tally.truthProblems = GroundTruthCheck.problems(g)
        let doc = TextDocument(g.text)
        let diagnostics = linter.check(doc)
        for d in g.defects {
            r.injected[d.kind, default: 0] += 1
            if diagnostics.contains(where: { $0.ruleID == d.rule && overlaps($0.range, d.range) }) {
                r.found[d.kind, default: 0] += 1
            }
        }
        for d in diagnostics where measured.contains(d.ruleID) {
            r.findings[d.ruleID, default: 0] += 1
            if g.defects.contains(where: { $0.rule == d.ruleID && overlaps(d.range, $0.range) }) {
                r.correct[d.ruleID, default: 0] += 1
            }
        }
        _ = verifiedFix(linter, doc, first: diagnostics, id: g.id, tally: &r.tally)
        return r
    }

    /// Runs `body` for 0..<n on all cores; results come back in index order, so the report does not
    /// depend on scheduling.
    static func parallelMap<T>(_ n: Int, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: n)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let v = body(i)
            lock.lock(); results[i] = v; lock.unlock()
        }
        return results.map { $0! }
    }

    static func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }

    public static func evaluate(corpus: Corpus, options: EvaluationOptions) -> Report {
        let generator = Generator(articles: corpus.articles, seed: options.seed)
        let registered = RuleRegistry.ids
        var tally = Tally()
        var documents = 0

        // 1. Layouts: broken-wrap precision/recall and restoration.
        var layouts: [LayoutScore] = []
        for layout in LayoutStyle.allCases {
            let n = options.documentCount(for: layout)
            let results = parallelMap(n) { i in
                scoreLayoutDocument(generator.document(layout: layout, index: i), linter: Linter())
            }
            var s = LayoutScore(layout: layout.rawValue, documents: n, breaks: 0, detections: 0, truePositives: 0,
                                precision: nil, recall: nil, paragraphs: 0, restoredUnsafe: 0, restoredSafe: 0,
                                furniture: 0, furnitureKeptUnsafe: 0, furnitureKeptSafe: 0, headlineBreaks: 0,
                                headlineBreaksJoined: 0)
            for r in results {
                s.breaks += r.breaks; s.detections += r.detections; s.truePositives += r.tp
                s.paragraphs += r.paragraphs; s.restoredUnsafe += r.restoredU; s.restoredSafe += r.restoredS
                s.furniture += r.furniture; s.furnitureKeptUnsafe += r.keptU; s.furnitureKeptSafe += r.keptS
                s.headlineBreaks += r.heads; s.headlineBreaksJoined += r.headsJoined
                merge(&tally, r.tally)
            }
            documents += n
            if registered.contains("broken-wrap") {
                s.precision = ratio(s.truePositives, s.detections)
                s.recall = ratio(s.truePositives, s.breaks)
            }
            layouts.append(s)
        }

        // 2. Injected defects: `injectedDocuments` documents for each defect set.
        let perSet = options.injectedDocuments
        let injectedResults = parallelMap(perSet * InjectionSet.allCases.count) { k in
            let i = k % perSet, set = InjectionSet.allCases[k / perSet]
            let layout: LayoutStyle = i % 2 == 0 ? .paragraphPerLine : .blankBetweenParagraphs
            return scoreInjectedDocument(generator.document(layout: layout, index: i, inject: true, set: set), set: set, linter: Linter())
        }
        documents += injectedResults.count
        var injected: [InjectedRuleScore] = []
        for rule in injectedRules {
            var s = InjectedRuleScore(rule: rule, registered: registered.contains(rule), injected: 0, found: 0,
                                      recall: nil, findings: 0, correctFindings: 0, precision: nil, kinds: [])
            for (kind, kr) in Injector.kinds where kr == rule {
                var k = KindScore(kind: kind, injected: 0, found: 0)
                for r in injectedResults { k.injected += r.injected[kind] ?? 0; k.found += r.found[kind] ?? 0 }
                s.injected += k.injected; s.found += k.found
                s.kinds.append(k)
            }
            for r in injectedResults { s.findings += r.findings[rule] ?? 0; s.correctFindings += r.correct[rule] ?? 0 }
            if s.registered {
                s.recall = ratio(s.found, s.injected)
                s.precision = ratio(s.correctFindings, s.findings)
            }
            injected.append(s)
        }
        for r in injectedResults { merge(&tally, r.tally) }

        return Report(seed: options.seed, corpusFiles: corpus.files.count, corpusArticles: corpus.articles.count,
                      registeredRules: registered, layouts: layouts, injectedDocuments: injectedResults.count,
                      injected: injected, cleanCorpus: cleanCorpus(corpus),
                      preservation: PreservationScore(documents: documents, appliedEdits: tally.appliedEdits,
                                                      violations: tally.violations.count,
                                                      examples: Array(tally.violations.prefix(10)),
                                                      deliberateHanRemovals: tally.deliberate,
                                                      notConverged: tally.notConverged,
                                                      groundTruthProblems: tally.truthProblems.count,
                                                      groundTruthExamples: Array(tally.truthProblems.prefix(10))))
    }

    static func merge(_ a: inout Tally, _ b: Tally) {
        a.appliedEdits += b.appliedEdits
        a.violations += b.violations
        a.deliberate += b.deliberate
        a.notConverged += b.notConverged
        a.truthProblems += b.truthProblems
    }

    /// 3. All rules over the clean corpus exactly as it is.
    public static func cleanCorpus(_ corpus: Corpus) -> CleanCorpusScore {
        let perFile = parallelMap(corpus.files.count) { i -> (Int, [Diagnostic], TextDocument) in
            let doc = TextDocument(corpus.files[i].text)
            return (corpus.files[i].text.unicodeScalars.count, Linter().check(doc), doc)
        }
        var chars = 0, findings = 0
        var bySeverity: [String: Int] = [:]
        var byRule: [String: (Int, Int)] = [:]
        var messages: [String: (rule: String, severity: String, message: String, count: Int, example: String)] = [:]
        for (i, (n, diags, doc)) in perFile.enumerated() {
            chars += n
            findings += diags.count
            for d in diags {
                bySeverity[d.severity.rawValue, default: 0] += 1
                var rc = byRule[d.ruleID] ?? (0, 0)
                rc.0 += 1
                if d.severity >= .warning { rc.1 += 1 }
                byRule[d.ruleID] = rc
                let key = d.ruleID + "\u{0}" + d.severity.rawValue + "\u{0}" + d.message
                if messages[key] == nil {
                    let line = doc.position(of: d.range.lowerBound, in: .utf8).line + 1
                    messages[key] = (d.ruleID, d.severity.rawValue, d.message, 0, "\(corpus.files[i].path):\(line)")
                }
                messages[key]!.count += 1
            }
        }
        let per = { (k: Int) -> Double in chars == 0 ? 0 : Double(k) * 10_000 / Double(chars) }
        var severities: [String: Double] = [:]
        for s in Severity.allCases { severities[s.rawValue] = per(bySeverity[s.rawValue] ?? 0) }
        let warnOrError = (bySeverity["warning"] ?? 0) + (bySeverity["error"] ?? 0)
        let rules = byRule.keys.sorted().map { RuleCount(rule: $0, findings: byRule[$0]!.0, warningOrError: byRule[$0]!.1, perTenThousand: per(byRule[$0]!.0)) }
        let top = messages.values.sorted { ($1.count, $0.rule, $0.message) < ($0.count, $1.rule, $1.message) }.prefix(10)
            .map { MessageCount(rule: $0.rule, severity: $0.severity, message: $0.message, count: $0.count, example: $0.example) }
        return CleanCorpusScore(files: corpus.files.count, characters: chars, findings: findings,
                                perTenThousandBySeverity: severities, warningOrErrorPerTenThousand: per(warnOrError),
                                byRule: rules, topMessages: Array(top))
    }
}
