import Proofreading
import TextModel

/// `galley fix`: apply fixes until nothing changes, in place (atomically), to standard output, or
/// as a unified diff. Only the bytes the fixes edit change: a BOM, CRLF line endings and a missing
/// final newline stay as they were, because the document is the file's bytes and edits are applied
/// to them.
struct FixCommand {
    let options: FixOptions
    let console: Console

    func run() -> Int32 {
        let session = InputSession(options: options.input, console: console)
        guard let targets = session.targets() else { return 2 }
        if options.output == .stdout && targets.count > 1 {
            console.stderr.write("galley: --stdout prints one text, but the paths name \(targets.count) files\n"
                                 + "Run `galley fix --help` for help.\n")
            return 2
        }
        var totalFixes = 0, changedFiles = 0, remaining = 0
        for target in targets {
            guard let linter = session.linter(for: target), let (document, snapshot) = session.read(target) else { continue }
            let result = linter.fix(document, unsafe: options.unsafe)
            let fixed = result.document.bytes
            let changed = fixed != document.bytes
            let path = target.displayPath
            switch options.output {
            case .stdout:
                console.stdout.write(bytes: fixed.array)
            case .diff:
                let name = path.hasPrefix("/") ? String(path.dropFirst()) : path
                console.stdout.write(UnifiedDiff.diff(old: document.bytes.array, new: fixed.array, oldName: "a/" + name, newName: "b/" + name))
            case .inPlace:
                if changed, case .file(let f) = target, let snapshot {
                    do {
                        try FileIO.replace(f.absolutePath, with: fixed.array, original: snapshot)
                    } catch {
                        session.error(path, "\(error)")
                        continue
                    }
                }
            }
            if changed {
                changedFiles += 1
                totalFixes += result.appliedFixes
                let verb = options.output == .diff ? "would apply" : "applied"
                console.stderr.write("\(path): \(verb) \(plural(result.appliedFixes, "fix", "fixes"))\n")
            }
            if !result.converged {
                console.stderr.write("\(path): warning: the fixes did not settle after \(result.passes) passes; check the result\n")
            }
            remaining += linter.check(result.document).count
        }
        console.stdout.flush()
        let verb = options.output == .diff ? "Would apply" : "Applied"
        var summary = "\(verb) \(plural(totalFixes, "fix", "fixes")) in \(plural(changedFiles, "file"))"
        if remaining > 0 {
            summary += "; \(plural(remaining, "finding")) left for a person (`galley check` lists them)"
        }
        console.stderr.write(summary + "\n")
        if session.hadError { return 2 }
        return options.output == .diff && changedFiles > 0 ? 1 : 0
    }
}
