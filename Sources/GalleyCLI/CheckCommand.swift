import Foundation
import TextModel
import Proofreading

/// `galley check`: findings of every target, in text, JSON, SARIF or GitHub annotations, a summary
/// on standard error. With a baseline, findings recorded there are left out of the output and of
/// the exit status.
struct CheckCommand {
    let options: CheckOptions
    let console: Console

    /// Batches larger than this show `checked N/M files` on a terminal's standard error.
    static let progressThreshold = 50

    /// Not a `Result` of loading: its first use searches every conformance record of the program
    /// for `LoadFailure: Error`.
    enum Outcome {
        case configuration(ConfigFileError)
        case unread(InputSession.LoadFailure)
        case checked((document: TextDocument, snapshot: FileSnapshot?), [Diagnostic])
        /// Loaded, to be checked when reported: a big file's findings are reported as they are
        /// found (see `Linter.check(_:prepare:deliver:)`).
        case loaded((document: TextDocument, snapshot: FileSnapshot?), Linter)

        /// The length of the text read, if any.
        var textLength: Int {
            switch self {
            case .configuration, .unread: return 0
            case .checked(let loaded, _): return loaded.document.count
            case .loaded(let loaded, _): return loaded.document.count
            }
        }
    }

    /// The outcome of every target, in order, produced a batch at a time: configurations and standard
    /// input on this thread, reading, decoding and checking on all cores. Reporting stays with the
    /// caller, in target order, so the output does not depend on the number of cores.
    static func checkInParallel(_ targets: [Target], session: InputSession) -> LazyBatches {
        LazyBatches(targets: targets, session: session)
    }

    /// A sequence over the outcomes that holds one batch of documents at a time, not the whole folder.
    struct LazyBatches: Sequence {
        let targets: [Target]
        let session: InputSession
        /// Enough files per batch to keep every core busy when their sizes differ.
        static let batchSize = Swift.max(8, Parallel.pieces)
        /// Each batch ends with a core waiting for the slowest file: small files go in batches up to
        /// this size (a folder of 2,000 files of 10 KB took 16% less time than in batches of 8).
        static let largestBatch = 16 * batchSize
        /// A batch that held less text than this is followed by one twice its size (and one that
        /// held more by the first size): the files of a batch are in memory at once.
        static let batchBytes = 4 << 20

        func makeIterator() -> Iterator { Iterator(targets: targets, session: session) }

        /// Its own type, not an `AnyIterator`: that one's first use searches every conformance
        /// record of the program for its box's `IteratorProtocol`.
        struct Iterator: IteratorProtocol {
            let targets: [Target]
            let session: InputSession
            var start = 0
            var batch: [Outcome?] = []
            var taken = 0
            var size = LazyBatches.batchSize

            init(targets: [Target], session: InputSession) {
                self.targets = targets
                self.session = session
            }

            mutating func next() -> Outcome? {
                if taken == batch.count {
                    guard start < targets.count else { return nil }
                    let end = Swift.min(start + size, targets.count)
                    batch = LazyBatches.run(Array(targets[start..<end]), session: session)
                    start = end
                    taken = 0
                    let bytes = batch.reduce(0) { $0 + ($1?.textLength ?? 0) }
                    size = bytes < LazyBatches.batchBytes ? Swift.min(2 * size, LazyBatches.largestBatch) : LazyBatches.batchSize
                }
                taken += 1
                // Handed over, not kept: the caller decides when the findings are freed.
                defer { batch[taken - 1] = nil }
                return batch[taken - 1]
            }
        }

        /// A target's linter, or why it has none. Not a `Result`: the first array of one searches every
        /// conformance record of the program for `ConfigFileError: Error`.
        private enum Resolved {
            case linter(Linter)
            case failure(ConfigFileError)
        }

        static func run(_ batch: [Target], session: InputSession) -> [Outcome?] {
            let linters = batch.map { target -> Resolved in
                switch session.resolveLinter(for: target) {
                case .success(let linter): return .linter(linter)
                case .failure(let e): return .failure(e)
                }
            }
            let stdin: [[UInt8]?] = batch.indices.map { i in
                if case .standardInput = batch[i], case .linter = linters[i] { return session.console.readStandardInput() }
                return nil
            }
            func one(_ i: Int) -> Outcome {
                switch linters[i] {
                case .failure(let e): return .configuration(e)
                case .linter(let linter):
                    switch InputSession.load(batch[i], standardInput: stdin[i], mapped: true) {
                    case .failure(let f): return .unread(f)
                    case .success(let l):
                        // A file the linter checks on all cores anyway.
                        if l.document.count >= linter.parallelThreshold { return .loaded(l, linter) }
                        return .checked(l, linter.check(l.document))
                    }
                }
            }
            if batch.count == 1 { return [one(0)] }
            return Parallel.map(batch.count) { Optional(one($0)) }
        }
    }

    /// Freeing many findings at once (a big text with no blank lines is one section: 20 MB of it
    /// has some 270,000, a few allocations each) takes as long as printing them: another thread
    /// does it while this one goes on.
    static func freeInBackground(_ diagnostics: inout [Diagnostic]) {
        guard diagnostics.count >= 10_000 else { return }
        // The box holds the only reference, so the array is freed where the box is emptied.
        let doomed = Doomed(diagnostics)
        diagnostics = []
        DispatchQueue.global(qos: .utility).async { doomed.value = [] }
    }

    private final class Doomed: @unchecked Sendable {
        var value: [Diagnostic]
        init(_ value: [Diagnostic]) { self.value = value }
    }

    /// A section's findings as `run` reports them, made on the thread that found them: counted and
    /// formatted there, and freed there, so the ordered hand-over only writes bytes. Left as
    /// findings when the baseline filter (which goes by order) reads them, or when there are so many
    /// that `FindingsWriter.write` formats them on all cores.
    struct Prepared {
        var findings: [Diagnostic] = []
        var formatted: [UInt8] = []
        var counts = FindingCounts()
        var failing = false
    }

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
        let checked = Self.checkInParallel(targets, session: session)
        for (index, (target, outcome)) in zip(targets, checked).enumerated() {
            if progress {
                console.stderr.write("\rchecked \(index)/\(targets.count) files")
                console.stderr.flush()
            }
            let loaded: Result<(document: TextDocument, snapshot: FileSnapshot?), InputSession.LoadFailure>
            var diagnostics: [Diagnostic] = []
            var linter: Linter? = nil
            switch consume outcome {
            case .configuration(let e):
                session.reportConfigurationError(e, for: target)
                continue
            case .unread(let f):
                loaded = .failure(f)
            case .checked(let l, let d):
                loaded = .success(l)
                diagnostics = d
            case .loaded(let l, let unchecked):
                loaded = .success(l)
                linter = unchecked
            }
            guard let (document, _) = session.report(loaded, for: target) else { continue }
            counts.files += 1
            // The findings of the file, or the next ones of it, in text order.
            func report(_ diagnostics: inout [Diagnostic]) {
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
                if !diagnostics.isEmpty {
                    shown { writer.write(path: target.displayPath, document: document, diagnostics: diagnostics) }
                }
                Self.freeInBackground(&diagnostics)
            }
            func shown(_ write: () -> Void) {
                if progress {
                    // Standard output may be the same terminal: clear the progress line, print the findings now.
                    console.stderr.write("\r\u{1B}[K")
                    console.stderr.flush()
                    write()
                    console.stdout.flush()
                } else {
                    write()
                }
            }
            if let linter {
                let filtered = remaining != nil || options.writeBaseline != nil
                let format = options.format, failOn = options.failOn, path = target.displayPath
                linter.check(document, prepare: { found -> Prepared in
                    var prepared = Prepared()
                    if filtered || found.count > FindingsWriter.chunkSize {
                        swap(&prepared.findings, &found)
                        return prepared
                    }
                    prepared.counts.add(found)
                    prepared.failing = found.contains { $0.severity >= failOn }
                    prepared.formatted = FindingsWriter.format(found[...], format: format, path: path, document: document, first: false)
                    return prepared
                }, deliver: { prepared in
                    if prepared.formatted.isEmpty { return report(&prepared.findings) }
                    counts.add(prepared.counts)
                    if prepared.failing { failing = true }
                    shown { writer.write(formatted: prepared.formatted) }
                })
            } else {
                report(&diagnostics)
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
