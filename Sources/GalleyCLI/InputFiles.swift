import Proofreading
import TextModel

/// A text to check or fix: a file, or standard input.
enum Target {
    case file(InputFile)
    /// Standard input: the name it is shown as, and the folder its configuration is searched from.
    case standardInput(display: String, folder: String)

    var displayPath: String {
        switch self {
        case .file(let f): return f.displayPath
        case .standardInput(let display, _): return display
        }
    }
}

/// What `check` and `fix` share: turning PATH arguments into targets, finding each target's
/// configuration and linter, reading and decoding, and reporting IO problems on standard error
/// with the path (the run goes on; the exit status becomes 2).
final class InputSession {
    let options: InputOptions
    let console: Console
    let resolver: ConfigResolver
    private var linters: [String: Linter] = [:]
    private var reportedConfigErrors = Set<String>()
    /// Set when any usage or IO error was reported: the exit status will be 2.
    private(set) var hadError = false
    /// Targets that could not be read or decoded, or were left out for an invalid configuration.
    private(set) var skipped = 0

    init(options: InputOptions, console: Console) {
        self.options = options
        self.console = console
        self.resolver = ConfigResolver(choice: options.config, workingDirectory: console.workingDirectory)
    }

    func error(_ path: String, _ message: String) {
        hadError = true
        console.stderr.write("\(path): error: \(message)\n")
        console.stderr.flush()
    }

    /// The targets in command-line order, folders expanded; nil when a forced configuration is unusable.
    func targets() -> [Target]? {
        if case .file(let path) = options.config, case .failure(let e) = resolver.load(Paths.absolute(path, in: console.workingDirectory)) {
            error(e.path, "invalid configuration: \(e.problem)")
            return nil
        }
        var paths = options.paths
        if let list = options.filesFrom {
            guard let listed = readList(list) else { return nil }
            paths += listed
        }
        var result: [Target] = []
        var seen = Set<String>()
        for path in paths {
            if path == "-" {
                let display = options.stdinFilename ?? "<stdin>"
                let folder = options.stdinFilename.map { Paths.parent(Paths.absolute($0, in: console.workingDirectory)) }
                    ?? Paths.normalize(console.workingDirectory)
                result.append(.standardInput(display: display, folder: folder))
                continue
            }
            let absolute = Paths.absolute(path, in: console.workingDirectory)
            let status = fileStatus(absolute)
            switch status.kind {
            case .missing:
                error(path, status.missingReason)
            case .folder:
                let found = FileDiscovery.walk(displayPath: path, absolutePath: absolute) { [resolver] candidate in
                    if case .success(let config) = resolver.configuration(forFile: candidate) { return config.isIgnored(candidate) }
                    return false // An unusable configuration is reported when its files are read.
                }
                if found.isEmpty {
                    console.stderr.write("\(path): note: no .txt or .bulletin files in this folder\n")
                }
                for f in found where seen.insert(f.absolutePath).inserted { result.append(.file(f)) }
            case .file, .other:
                if seen.insert(absolute).inserted {
                    result.append(.file(InputFile(displayPath: path, absolutePath: absolute, explicit: true)))
                }
            }
        }
        if let revision = options.changedSince {
            guard let kept = changed(result, paths: paths, revision: revision) else { return nil }
            result = kept
        }
        Self.afterDiscovery?(result)
        return result
    }

    /// Test seam: called with the targets once they are found, before any is read (a test deletes or
    /// changes files there to act out a file that goes away mid-run).
    static var afterDiscovery: (([Target]) -> Void)? = nil

    /// `--files-from`: one path per line (CRLF accepted, blank lines skipped); nil after an error.
    private func readList(_ list: String) -> [String]? {
        let bytes: [UInt8]
        if list == "-" {
            bytes = console.readStandardInput()
        } else {
            do { bytes = try FileIO.read(Paths.absolute(list, in: console.workingDirectory)).bytes.array } catch {
                self.error(list, "\(error)")
                return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init).filter { !$0.trimmingSpaces().isEmpty }
    }

    /// Keeps the file targets git reports as added (or modified) since `revision`; standard input is kept.
    private func changed(_ targets: [Target], paths: [String], revision: String) -> [Target]? {
        var git = GitChanges(revision: revision, addedOnly: options.addedOnly)
        var changed = Set<String>()
        for path in paths where path != "-" {
            let absolute = Paths.absolute(path, in: console.workingDirectory)
            let folder = fileStatus(absolute).kind == .folder ? absolute : Paths.parent(absolute)
            do {
                changed.formUnion(try git.changedFiles(inRepositoryOf: folder))
            } catch let failure as GitChanges.Failure {
                error(path, "--changed-since \(revision): \(failure.message)")
                return nil
            } catch {
                self.error(path, "\(error)")
                return nil
            }
        }
        return targets.filter { target in
            guard case .file(let f) = target else { return true }
            return changed.contains(realPath(f.absolutePath))
        }
    }

    /// The linter for a target (configuration, then --select/--ignore), or nil after reporting an
    /// unusable configuration file (once per file).
    func linter(for target: Target) -> Linter? {
        switch resolveLinter(for: target) {
        case .failure(let e):
            reportConfigurationError(e, for: target)
            return nil
        case .success(let linter):
            return linter
        }
    }

    /// `linter(for:)` without reporting: `check` resolves a batch first and reports in order later.
    func resolveLinter(for target: Target) -> Result<Linter, ConfigFileError> {
        let found: Result<LoadedConfiguration, ConfigFileError>
        switch target {
        case .file(let f): found = resolver.configuration(forFile: f.absolutePath)
        case .standardInput(_, let folder): found = resolver.configuration(forFolder: folder)
        }
        switch found {
        case .failure(let e):
            return .failure(e)
        case .success(let loaded):
            let key = loaded.path ?? ""
            if let cached = linters[key] { return .success(cached) }
            let linter = Self.makeLinter(loaded.configuration, selection: options.rules)
            linters[key] = linter
            return .success(linter)
        }
    }

    func reportConfigurationError(_ e: ConfigFileError, for target: Target) {
        if reportedConfigErrors.insert(e.path).inserted { error(e.path, "invalid configuration: \(e.problem)") }
        hadError = true
        console.stderr.write("\(target.displayPath): error: skipped, its configuration \(e.path) is invalid\n")
        skipped += 1
    }

    /// `--select` keeps only the named rules (turning them on even where the configuration turns
    /// them off); `--ignore` removes rules.
    static func makeLinter(_ configuration: Configuration, selection: RuleSelection) -> Linter {
        var configuration = configuration
        var types = RuleRegistry.all
        if let select = selection.select {
            types = types.filter { select.contains($0.description.id) }
            for id in select where configuration.rules[id] != nil && configuration.rules[id]!.severity == nil {
                configuration.rules[id]!.severity = RuleRegistry.description(for: id)?.defaultSeverity
            }
        }
        types = types.filter { !selection.ignore.contains($0.description.id) }
        return Linter(configuration: configuration, rules: types)
    }

    /// Reads and decodes a target; nil after reporting why it cannot be used. The snapshot (files
    /// only) lets `fix` tell whether the file changed before it is replaced.
    func read(_ target: Target) -> (document: TextDocument, snapshot: FileSnapshot?)? {
        let stdin: [UInt8]?
        if case .standardInput = target { stdin = console.readStandardInput() } else { stdin = nil }
        return report(Self.load(target, standardInput: stdin), for: target)
    }

    /// A target's document, or the message to report for it. Touches no session state, so files
    /// may be loaded on several threads; standard input must be read by the caller. `mapped`: a big
    /// file is mapped, not read (see `FileIO.map`), and has no snapshot.
    static func load(_ target: Target, standardInput: [UInt8]?, mapped: Bool = false) -> Result<(document: TextDocument, snapshot: FileSnapshot?), LoadFailure> {
        let bytes: TextBytes
        var snapshot: FileSnapshot? = nil
        switch target {
        case .standardInput:
            bytes = TextBytes(standardInput ?? [])
        case .file(let f):
            if mapped, let mapping = FileIO.map(f.absolutePath) {
                bytes = mapping
                break
            }
            do {
                snapshot = try FileIO.read(f.absolutePath)
                bytes = snapshot!.bytes
            } catch {
                return .failure(LoadFailure(message: "\(error)"))
            }
        }
        switch decodeInput(bytes) {
        case .success(let document): return .success((document, snapshot))
        case .failure(let problem): return .failure(LoadFailure(message: problem.message(path: target.displayPath)))
        }
    }

    struct LoadFailure: Error { var message: String }

    /// Reports a failed `load` (the run goes on, the exit status becomes 2).
    func report(_ loaded: Result<(document: TextDocument, snapshot: FileSnapshot?), LoadFailure>,
                for target: Target) -> (document: TextDocument, snapshot: FileSnapshot?)? {
        switch loaded {
        case .success(let value): return value
        case .failure(let failure):
            error(target.displayPath, failure.message)
            skipped += 1
            return nil
        }
    }
}
