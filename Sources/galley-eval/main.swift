// galley-eval: builds the evaluation set from the clean corpus (seeded, so every run with the same
// corpus and seed prints the same figures) and scores the registered rules on it. The figures it
// prints are the project's published quality numbers; see README "Measured quality".
import Foundation
import TextModel
import Proofreading
import Evaluation

let usage = """
usage: galley-eval [--corpus DIR] [--seed N] [--documents N] [--injected N] [--json] [--dump DIR] [--dump-count N]
  --corpus DIR     clean corpus (default ../shared/corpus)
  --seed N         generator seed (default 1)
  --documents N    documents per wrapped layout A, B, C (default 150; layout D gets 32x as many)
  --injected N     documents with injected defects, for each defect set (default 1000)
  --json           print the report as JSON instead of tables
  --dump DIR       also write a few generated documents, their ground truth, findings and fixed text
  --dump-count N   how many documents of each layout --dump writes (default 2)
"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var corpusPath = "../shared/corpus"
var options = EvaluationOptions()
var json = false
var dumpDir: String? = nil
var dumpCount = 2
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    func value() -> String {
        guard !args.isEmpty else { fail("\(a) needs a value\n\(usage)") }
        return args.removeFirst()
    }
    switch a {
    case "--corpus": corpusPath = value()
    case "--seed": guard let n = UInt64(value()) else { fail("--seed needs a non-negative integer") }; options.seed = n
    case "--documents": guard let n = Int(value()), n > 0 else { fail("--documents needs a positive integer") }; options.documents = n
    case "--injected": guard let n = Int(value()), n >= 0 else { fail("--injected needs a non-negative integer") }; options.injectedDocuments = n
    case "--json": json = true
    case "--dump": dumpDir = value()
    case "--dump-count": dumpCount = Int(value()) ?? 2
    case "-h", "--help": print(usage); exit(0)
    default: fail("unknown argument \(a)\n\(usage)")
    }
}

let corpus: Corpus
do { corpus = try Corpus.load(directory: corpusPath) } catch { fail("galley-eval: \(error)") }
if corpus.articles.isEmpty { fail("galley-eval: no articles in \(corpusPath) (a headline line, then paragraph lines, blocks separated by blank lines)") }

let started = Date()
if let dir = dumpDir { dump(to: dir) }
let report = Scorer.evaluate(corpus: corpus, options: options)
FileHandle.standardError.write(Data(String(format: "galley-eval: %.1f s\n", Date().timeIntervalSince(started)).utf8))

if json {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try! encoder.encode(report)
    print(String(decoding: data, as: UTF8.self))
} else {
    print(render(report))
}

// MARK: Text report

func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
func share(_ a: Int, _ b: Int) -> String { b == 0 ? "—" : String(format: "%.1f%%", Double(a) * 100 / Double(b)) }
func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
    let w = s.unicodeScalars.reduce(0) { $0 + Scalars.displayWidth($1) }
    let fill = String(repeating: " ", count: max(0, n - w))
    return right ? fill + s : s + fill
}
func row(_ cells: [(String, Int)]) -> String {
    cells.enumerated().map { i, c in pad(c.0, c.1, right: i > 0) }.joined(separator: "  ")
}

func render(_ r: Report) -> String {
    var out: [String] = []
    out.append("galley-eval  seed \(r.seed)  corpus \(r.corpusFiles) files, \(r.corpusArticles) articles")
    out.append("registered rules: \(r.registeredRules.joined(separator: ", "))")
    out.append("")
    out.append("1. broken-wrap by layout (line breaks inside paragraphs; restored = paragraph is one whole line after fix)")
    let w = [("layout", 28), ("docs", 5), ("breaks", 7), ("found", 7), ("precision", 9), ("recall", 7),
             ("restored unsafe", 15), ("restored safe", 13), ("furniture kept u/s", 18)]
    out.append(row(w))
    let registered = r.registeredRules.contains("broken-wrap")
    for s in r.layouts {
        let letter = LayoutStyle(rawValue: s.layout)!.letter
        out.append(row([("\(letter) \(s.layout)", 28), (String(s.documents), 5), (String(s.breaks), 7),
                        (registered ? String(s.detections) : "—", 7),
                        (registered ? pct(s.precision) : "not registered", 9), (pct(s.recall), 7),
                        (share(s.restoredUnsafe, s.paragraphs) + " of \(s.paragraphs)", 15),
                        (share(s.restoredSafe, s.paragraphs), 13),
                        (share(s.furnitureKeptUnsafe, s.furniture) + " / " + share(s.furnitureKeptSafe, s.furniture), 18)]))
    }
    let heads = r.layouts.reduce(0) { $0 + $1.headlineBreaks }
    let joined = r.layouts.reduce(0) { $0 + $1.headlineBreaksJoined }
    out.append("   two-line headlines: \(heads), joined by broken-wrap: \(joined) (either is accepted; not counted above)")
    out.append("")
    out.append("2. injected defects (\(r.injectedDocuments) documents, two defect sets, layouts A and D; found = a finding of the rule overlaps the spot)")
    out.append(row([("rule / kind", 34), ("injected", 8), ("found", 6), ("recall", 14), ("findings", 8), ("precision", 9)]))
    for s in r.injected {
        if s.registered {
            out.append(row([(s.rule, 34), (String(s.injected), 8), (String(s.found), 6), (pct(s.recall), 14),
                            (String(s.findings), 8), (pct(s.precision), 9)]))
        } else {
            out.append(row([(s.rule, 34), (String(s.injected), 8), ("—", 6), ("not registered", 14), ("—", 8), ("—", 9)]))
        }
        for k in s.kinds {
            out.append(row([("  " + k.kind, 34), (String(k.injected), 8), (s.registered ? String(k.found) : "—", 6),
                            (s.registered ? share(k.found, k.injected) : "", 14), ("", 8), ("", 9)]))
        }
    }
    out.append("")
    let c = r.cleanCorpus
    out.append("3. clean corpus false alarms (\(c.files) files, \(c.characters) characters, as edited)")
    out.append("   findings: \(c.findings)   per 10,000 characters: " + Severity.allCases.reversed().map {
        "\($0.rawValue) " + String(format: "%.2f", c.perTenThousandBySeverity[$0.rawValue] ?? 0)
    }.joined(separator: ", "))
    out.append("   warning or error per 10,000 characters: " + String(format: "%.2f", c.warningOrErrorPerTenThousand))
    for rc in c.byRule {
        out.append("   " + pad(rc.rule, 20) + pad(String(rc.findings), 7, right: true) + " findings, "
                   + String(format: "%.2f", rc.perTenThousand) + " per 10,000 (\(rc.warningOrError) warning or error)")
    }
    if !c.topMessages.isEmpty {
        out.append("   most frequent messages:")
        for m in c.topMessages {
            out.append("   " + pad(String(m.count), 6, right: true) + "  [\(m.rule)] \(m.severity): \(m.message)  e.g. \(m.example)")
        }
    }
    out.append("")
    let p = r.preservation
    out.append("4. character preservation under fix --unsafe (\(p.documents) generated documents, \(p.appliedEdits) edits applied)")
    out.append("   violations: \(p.violations)   not converged: \(p.notConverged)   Han characters removed on purpose (numeral-style, duplicate-fragment, layout-leftover): \(p.deliberateHanRemovals)")
    for e in p.examples { out.append("   ! " + e) }
    out.append("")
    out.append("5. generator self-check: ground-truth problems in the generated documents: \(p.groundTruthProblems)")
    for e in p.groundTruthExamples { out.append("   ! " + e) }
    return out.joined(separator: "\n")
}

// MARK: Dump

/// Writes the first two documents of each layout and four injected ones, each as `ID.txt`, its
/// ground truth `ID.truth.json`, the findings `ID.findings.txt` and the unsafe-fixed text `ID.fixed.txt`.
func dump(to dir: String) {
    let fm = FileManager.default
    do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch { fail("cannot create \(dir): \(error)") }
    let generator = Generator(articles: corpus.articles, seed: options.seed)
    var docs: [GeneratedDocument] = []
    for layout in LayoutStyle.allCases { docs += (0..<dumpCount).map { generator.document(layout: layout, index: $0) } }
    for set in InjectionSet.allCases {
        docs += (0..<(2 * dumpCount)).map { generator.document(layout: $0 % 2 == 0 ? .paragraphPerLine : .blankBetweenParagraphs, index: $0, inject: true, set: set) }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    for g in docs {
        let base = (dir as NSString).appendingPathComponent(g.id)
        let doc = TextDocument(g.text)
        let findings = Linter().check(doc).map { d -> String in
            let a = doc.position(of: d.range.lowerBound, in: .utf32)
            return "\(g.id).txt:\(a.line + 1):\(a.column + 1): \(d.severity.rawValue): \(d.message) [\(d.ruleID)]"
        }
        do {
            try g.text.write(toFile: base + ".txt", atomically: true, encoding: .utf8)
            try encoder.encode(g).write(to: URL(fileURLWithPath: base + ".truth.json"))
            try (findings.joined(separator: "\n") + "\n").write(toFile: base + ".findings.txt", atomically: true, encoding: .utf8)
            try Linter().fix(doc, unsafe: true).document.text.write(toFile: base + ".fixed.txt", atomically: true, encoding: .utf8)
        } catch {
            fail("cannot write \(base): \(error)")
        }
    }
    FileHandle.standardError.write(Data("galley-eval: wrote \(docs.count) documents to \(dir)\n".utf8))
}
