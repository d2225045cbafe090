import Proofreading

/// `galley check`: findings of every target, in text or JSON, a summary on standard error.
struct CheckCommand {
    let options: CheckOptions
    let console: Console

    func run() -> Int32 {
        let session = InputSession(options: options.input, console: console)
        guard let targets = session.targets() else { return 2 }
        let writer = FindingsWriter(format: options.format, out: console.stdout)
        var counts = FindingCounts()
        var failing = false
        for target in targets {
            guard let linter = session.linter(for: target), let (document, _) = session.read(target) else { continue }
            let diagnostics = linter.check(document)
            counts.files += 1
            counts.add(diagnostics)
            if diagnostics.contains(where: { $0.severity >= options.failOn }) { failing = true }
            writer.write(path: target.displayPath, document: document, diagnostics: diagnostics)
        }
        writer.finish()
        console.stdout.flush()
        var summary = counts.summary
        if session.skipped > 0 { summary += "; \(plural(session.skipped, "file")) skipped (see above)" }
        console.stderr.write(summary + "\n")
        if session.hadError { return 2 }
        return failing ? 1 : 0
    }
}
