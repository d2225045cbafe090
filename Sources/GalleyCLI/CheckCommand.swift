import Foundation
import Proofreading

/// `galley check`: findings of every target, in text, JSON, SARIF or GitHub annotations, a summary
/// on standard error. With a baseline, findings recorded there are left out of the output and of
/// the exit status.
struct CheckCommand {
    let options: CheckOptions
    let console: Console

    /// Batches larger than this show `checked N/M files` on a terminal's standard error.
    static let progressThreshold = 50

    func run() -> Int32 {
        let session = InputSession(options: options.input, console: console)
        guard let targets = session.targets() else { return 2 }
        var remaining: [Baseline.Entry: Int]? = nil
        var baselineFolder = ""
        if let file = options.baseline {
            let absolute = Paths.absolute(file, in: console.workingDirectory)
            baselineFolder = Paths.parent(absolute)
            do {
                remaining = try Baseline.load(absolute).counter()
            } catch {
                session.error(file, "cannot read the baseline: \(error)")
                return 2
            }
        }
        if let file = options.writeBaseline { baselineFolder = Paths.parent(Paths.absolute(file, in: console.workingDirectory)) }
        var recorded = Baseline()
        var known = 0
        let writer = FindingsWriter(format: options.format, out: console.stdout)
        var counts = FindingCounts()
        var failing = false
        let progress = console.stderrIsTerminal && targets.count > Self.progressThreshold
        for (index, target) in targets.enumerated() {
            if progress {
                console.stderr.write("\rchecked \(index)/\(targets.count) files")
                console.stderr.flush()
            }
            guard let linter = session.linter(for: target), let (document, _) = session.read(target) else { continue }
            var diagnostics = linter.check(document)
            counts.files += 1
            if remaining != nil || options.writeBaseline != nil {
                let path: String
                if case .file(let f) = target { path = baselinePath(f.absolutePath, baselineFolder: baselineFolder) } else { path = target.displayPath }
                diagnostics = diagnostics.filter { d in
                    let entry = Baseline.Entry(path: path, rule: d.ruleID, fingerprint: Fingerprint.of(d, in: document))
                    if options.writeBaseline != nil { recorded.entries.append(entry) }
                    guard let n = remaining?[entry], n > 0 else { return true }
                    remaining![entry] = n - 1
                    known += 1
                    return false
                }
            }
            counts.add(diagnostics)
            if diagnostics.contains(where: { $0.severity >= options.failOn }) { failing = true }
            if progress && !diagnostics.isEmpty {
                // Standard output may be the same terminal: clear the progress line, print the findings now.
                console.stderr.write("\r\u{1B}[K")
                console.stderr.flush()
                writer.write(path: target.displayPath, document: document, diagnostics: diagnostics)
                console.stdout.flush()
            } else {
                writer.write(path: target.displayPath, document: document, diagnostics: diagnostics)
            }
        }
        if progress { console.stderr.write("\r\u{1B}[K") }
        writer.finish()
        console.stdout.flush()
        var summary = counts.summary
        if known > 0 { summary += "; \(known) more in the baseline (not shown)" }
        if session.skipped > 0 { summary += "; \(plural(session.skipped, "file")) skipped (see above)" }
        console.stderr.write(summary + "\n")
        if let file = options.writeBaseline {
            do {
                try Data(recorded.encoded()).write(to: URL(fileURLWithPath: Paths.absolute(file, in: console.workingDirectory)), options: .atomic)
                console.stderr.write("wrote \(plural(recorded.entries.count, "finding")) to the baseline \(file)\n")
            } catch {
                session.error(file, "cannot write the baseline: \(error)")
                return 2
            }
            // Writing a baseline accepts every finding: only errors fail.
            return session.hadError ? 2 : 0
        }
        if session.hadError { return 2 }
        return failing ? 1 : 0
    }
}
