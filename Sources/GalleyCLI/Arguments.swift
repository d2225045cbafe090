import Proofreading
import LanguageServer

/// Output formats of `check` (all four) and `rules` (text and json).
public enum OutputFormat: String, Equatable, CaseIterable {
    case text, json, sarif, github
}

/// Which configuration applies: the nearest `.galley.json` above each file, a forced file, or none.
public enum ConfigChoice: Equatable {
    case discover
    case file(String)
    case none
}

/// `--select` / `--ignore`: rule ids, already checked against the registry.
public struct RuleSelection: Equatable {
    /// nil: every rule the configuration enables.
    public var select: [String]?
    public var ignore: [String] = []
    public init(select: [String]? = nil, ignore: [String] = []) {
        self.select = select
        self.ignore = ignore
    }
}

/// Options shared by `check` and `fix`: what to read and which rules and configuration apply.
public struct InputOptions: Equatable {
    public var paths: [String] = []
    public var rules = RuleSelection()
    public var config: ConfigChoice = .discover
    /// The name standard input is shown as (and the folder its configuration is searched from).
    public var stdinFilename: String?
    /// `--files-from`: a file with one path per line (`-`: standard input), added to `paths`.
    public var filesFrom: String?
    /// `--changed-since REV`: only files added or modified since this git revision.
    public var changedSince: String?
    /// `--added-only`: with `changedSince`, only added files.
    public var addedOnly = false
}

public struct CheckOptions: Equatable {
    public var input = InputOptions()
    public var format: OutputFormat = .text
    public var failOn: Severity = .warning
    /// `--baseline FILE`: findings recorded there are not reported.
    public var baseline: String?
    /// `--write-baseline FILE`: record every finding there.
    public var writeBaseline: String?
}

public enum FixOutput: Equatable { case inPlace, stdout, diff }

public struct FixOptions: Equatable {
    public var input = InputOptions()
    public var unsafe = false
    public var output: FixOutput = .inPlace
}

/// What the command line asks for.
public enum Invocation: Equatable {
    /// Help for a command (nil: the general help).
    case help(String?)
    case version
    case check(CheckOptions)
    case fix(FixOptions)
    case rules(OutputFormat)
    case explain(String)
    /// The language server over standard input and output.
    case lsp(logLevel: LogLevel?)
}

/// A mistake on the command line: exit status 2, the message, and a pointer to the help.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    /// The command whose help explains the mistake (nil: the general help).
    public var command: String?
    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }
    public var description: String { message }
}

/// A small argument parser: long options (`--name value` or `--name=value`), `-h`, `--` to end the
/// options, and `-` as a path meaning standard input. No third-party parser, on purpose.
public struct ArgumentParser {
    public static let commands = ["check", "fix", "rules", "explain", "lsp", "help"]

    let knownRules: [String]

    public init(knownRules: [String] = RuleRegistry.ids) {
        self.knownRules = knownRules
    }

    private struct OptionSpec {
        var name: String
        var takesValue: Bool
    }

    private static let inputOptions = [
        OptionSpec(name: "--select", takesValue: true), OptionSpec(name: "--ignore", takesValue: true),
        OptionSpec(name: "--config", takesValue: true), OptionSpec(name: "--no-config", takesValue: false),
        OptionSpec(name: "--stdin-filename", takesValue: true), OptionSpec(name: "--files-from", takesValue: true),
        OptionSpec(name: "--changed-since", takesValue: true), OptionSpec(name: "--added-only", takesValue: false),
    ]
    private static let specs: [String: [OptionSpec]] = [
        "check": inputOptions + [OptionSpec(name: "--format", takesValue: true), OptionSpec(name: "--fail-on", takesValue: true),
                                 OptionSpec(name: "--baseline", takesValue: true), OptionSpec(name: "--write-baseline", takesValue: true)],
        "fix": inputOptions + [OptionSpec(name: "--unsafe", takesValue: false), OptionSpec(name: "--stdout", takesValue: false),
                               OptionSpec(name: "--diff", takesValue: false)],
        "rules": [OptionSpec(name: "--format", takesValue: true)],
        "explain": [],
        // `--stdio` is what many editor configurations pass; stdio is the only transport anyway.
        "lsp": [OptionSpec(name: "--stdio", takesValue: false), OptionSpec(name: "--log-level", takesValue: true)],
        "help": [],
    ]

    public func parse(_ arguments: [String]) throws -> Invocation {
        guard let first = arguments.first else {
            throw UsageError("no command given: write a command such as `galley check FILE`")
        }
        switch first {
        case "-h", "--help": return .help(nil)
        case "--version": return .version
        default: break
        }
        if first.hasPrefix("-") {
            throw UsageError("unknown option \(first)" + Self.suggestion(first, among: ["--help", "--version"]))
        }
        guard let specs = Self.specs[first] else {
            throw UsageError("unknown command \"\(first)\"" + Self.suggestion(first, among: Self.commands))
        }
        let command = first
        guard let (options, positionals) = try Self.split(Array(arguments.dropFirst()), specs: specs, command: command) else {
            return .help(command)
        }
        switch command {
        case "help":
            guard positionals.count <= 1 else { throw UsageError("help takes at most one command name", command: "help") }
            if let name = positionals.first, Self.specs[name] == nil {
                throw UsageError("no help for \"\(name)\": there is no such command" + Self.suggestion(name, among: Self.commands), command: "help")
            }
            return .help(positionals.first)
        case "rules":
            guard positionals.isEmpty else { throw UsageError("rules takes no paths (found \"\(positionals[0])\")", command: command) }
            var format = OutputFormat.text
            for (name, value) in options where name == "--format" { format = try Self.format(value!, command: command) }
            guard format == .text || format == .json else {
                throw UsageError("rules: --format must be text or json (found \"\(format.rawValue)\")", command: command)
            }
            return .rules(format)
        case "explain":
            guard positionals.count == 1 else {
                throw UsageError(positionals.isEmpty ? "explain needs a rule id, for example `galley explain broken-wrap`"
                                                     : "explain takes one rule id at a time", command: command)
            }
            return .explain(positionals[0])
        case "lsp":
            guard positionals.isEmpty else { throw UsageError("lsp takes no paths (found \"\(positionals[0])\")", command: command) }
            var level: LogLevel? = nil
            for (name, value) in options where name == "--log-level" {
                guard let l = LogLevel(name: value!) else {
                    throw UsageError("--log-level must be error, warning, info or debug (found \"\(value!)\")", command: command)
                }
                level = l
            }
            return .lsp(logLevel: level)
        case "check":
            var result = CheckOptions()
            result.input = try input(options, positionals, command: command)
            for (name, value) in options {
                switch name {
                case "--format": result.format = try Self.format(value!, command: command)
                case "--fail-on":
                    guard let s = Severity(name: value!) else {
                        throw UsageError("--fail-on must be error, warning, information or hint (found \"\(value!)\")", command: command)
                    }
                    result.failOn = s
                case "--baseline":
                    guard !value!.isEmpty else { throw UsageError("--baseline needs a file name", command: command) }
                    result.baseline = value!
                case "--write-baseline":
                    guard !value!.isEmpty else { throw UsageError("--write-baseline needs a file name", command: command) }
                    result.writeBaseline = value!
                default: break
                }
            }
            if result.baseline != nil && result.writeBaseline != nil {
                throw UsageError("--baseline and --write-baseline cannot be used together (write a new baseline with --write-baseline alone)", command: command)
            }
            return .check(result)
        default: // fix
            var result = FixOptions()
            result.input = try input(options, positionals, command: command)
            var outputs: [String] = []
            for (name, _) in options {
                switch name {
                case "--unsafe": result.unsafe = true
                case "--stdout": result.output = .stdout; outputs.append(name)
                case "--diff": result.output = .diff; outputs.append(name)
                default: break
                }
            }
            if Set(outputs).count > 1 { throw UsageError("--stdout and --diff cannot be used together", command: command) }
            let paths = result.input.paths
            if paths.contains("-") {
                guard paths.count == 1 else {
                    throw UsageError("`-` (standard input) cannot be mixed with other paths in fix", command: command)
                }
                if result.output == .inPlace { result.output = .stdout }
            }
            return .fix(result)
        }
    }

    /// Options in order (name, value) and positionals; nil when help was asked for.
    private static func split(_ arguments: [String], specs: [OptionSpec], command: String) throws -> ([(String, String?)], [String])? {
        var options: [(String, String?)] = []
        var positionals: [String] = []
        var i = 0
        var optionsEnded = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") { positionals.append(arg); continue }
            if arg == "--" { optionsEnded = true; continue }
            if arg == "-h" || arg == "--help" { return nil }
            var name = arg
            var inlineValue: String? = nil
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                let hint = arg.hasPrefix("--") ? suggestion(name, among: specs.map(\.name) + ["--help"]) : ""
                throw UsageError("unknown option \(name) for `galley \(command)`" + hint, command: command)
            }
            if spec.takesValue {
                if let v = inlineValue {
                    options.append((name, v))
                } else {
                    guard i < arguments.count else { throw UsageError("option \(name) needs a value", command: command) }
                    options.append((name, arguments[i]))
                    i += 1
                }
            } else {
                if inlineValue != nil { throw UsageError("option \(name) takes no value", command: command) }
                options.append((name, nil))
            }
        }
        return (options, positionals)
    }

    private func input(_ options: [(String, String?)], _ positionals: [String], command: String) throws -> InputOptions {
        var result = InputOptions()
        result.paths = positionals
        let names = Set(options.map(\.0))
        if names.contains("--added-only") && !names.contains("--changed-since") {
            throw UsageError("--added-only needs --changed-since REV", command: command)
        }
        // With --changed-since the paths default to the current folder; --files-from gives its own.
        if positionals.isEmpty && names.contains("--changed-since") && !names.contains("--files-from") { result.paths = ["."] }
        guard !result.paths.isEmpty || names.contains("--files-from") else {
            throw UsageError("\(command) needs at least one file or folder (or `-` for standard input)", command: command)
        }
        var configFile: String?
        var noConfig = false
        for (name, value) in options {
            switch name {
            case "--select": result.rules.select = (result.rules.select ?? []) + (try ruleList(value!, option: name, command: command))
            case "--ignore": result.rules.ignore += try ruleList(value!, option: name, command: command)
            case "--config":
                guard !value!.isEmpty else { throw UsageError("--config needs a file name", command: command) }
                configFile = value!
            case "--no-config": noConfig = true
            case "--stdin-filename":
                guard !value!.isEmpty else { throw UsageError("--stdin-filename needs a name", command: command) }
                result.stdinFilename = value!
            case "--files-from":
                guard !value!.isEmpty else { throw UsageError("--files-from needs a file name, or - for standard input", command: command) }
                if value! == "-" && positionals.contains("-") {
                    throw UsageError("--files-from - and the path - both want standard input", command: command)
                }
                result.filesFrom = value!
            case "--changed-since":
                guard !value!.isEmpty else { throw UsageError("--changed-since needs a git revision, for example origin/main", command: command) }
                result.changedSince = value!
            case "--added-only": result.addedOnly = true
            default: break
            }
        }
        if let file = configFile {
            if noConfig { throw UsageError("--config and --no-config cannot be used together", command: command) }
            result.config = .file(file)
        } else if noConfig {
            result.config = .none
        }
        return result
    }

    private func ruleList(_ value: String, option: String, command: String) throws -> [String] {
        let ids = value.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw UsageError("\(option) needs one or more rule ids separated by commas", command: command) }
        for id in ids where !knownRules.contains(id) {
            throw UsageError("\(option): unknown rule \"\(id)\"" + Self.suggestion(id, among: knownRules)
                             + " (`galley rules` lists them all)", command: command)
        }
        return ids
    }

    private static func format(_ value: String, command: String) throws -> OutputFormat {
        if let f = OutputFormat(rawValue: value) { return f }
        throw UsageError("--format must be text, json, sarif or github (found \"\(value)\")", command: command)
    }

    /// " (did you mean "x"?)" for the closest candidate, or "" when none is close.
    static func suggestion(_ word: String, among candidates: [String]) -> String {
        guard let best = closest(to: word, among: candidates) else { return "" }
        return " (did you mean \"\(best)\"?)"
    }

    static func closest(to word: String, among candidates: [String]) -> String? {
        let w = Array(word.unicodeScalars)
        var best: (String, Int)? = nil
        for c in candidates {
            let d = editDistance(w, Array(c.unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (name, distance) = best, distance <= max(2, w.count / 3) else { return nil }
        return name
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            if !b.isEmpty {
                for j in 1...b.count {
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
