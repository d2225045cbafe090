#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextModel
import Proofreading

/// `--log-level`; raw values are LSP's `MessageType` (1 error … 4 log). A smaller value is more severe.
public enum LogLevel: Int, Comparable, CaseIterable, Sendable {
    case error = 1, warning, info, debug

    public init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warning", "warn": self = .warning
        case "info", "information": self = .info
        case "debug", "log": self = .debug
        default: return nil
        }
    }

    public var name: String {
        switch self { case .error: "error"; case .warning: "warning"; case .info: "info"; case .debug: "debug" }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

extension JSON {
    /// The value in the shape `Configuration(json:knownRules:)` takes (JSONSerialization's): objects
    /// as `[String: Any]`, arrays as `[Any]`, booleans as `Bool` (told apart from numbers), numbers as
    /// `Double`, null as an empty optional (which the configuration rejects where it means nothing).
    public var anyValue: Any {
        switch self {
        case .null: return Optional<Int>.none as Any
        case .bool(let b): return b
        case .number(let d): return d
        case .string(let s): return s
        case .array(let a): return a.map(\.anyValue)
        case .object(let o): return o.mapValues(\.anyValue)
        case .encoded(let e): return e.value.anyValue
        }
    }
}

// MARK: Configuration

extension LanguageServer {
    public static let configFileName = ".galley.json"
    /// Keys the server reads itself; the rest goes to `Configuration(json:knownRules:)`.
    static let serverKeys: Set<String> = ["maxDiagnostics"]
    static let layerNames = [configFileName, "initializationOptions", "workspace/didChangeConfiguration"]

    /// One layer checked on its own, so that an error names where it came from.
    static func parseLayer(_ json: JSON) throws -> (configuration: Configuration, maxDiagnostics: Int?) {
        guard var object = json.object else { throw ConfigurationError("the configuration must be a JSON object") }
        var max: Int?
        if let value = object.removeValue(forKey: "maxDiagnostics") {
            guard let n = value.int, n >= 1 else { throw ConfigurationError("\"maxDiagnostics\" must be a whole number of at least 1") }
            max = n
        }
        let configuration = try Configuration(json: JSON.object(object).anyValue, knownRules: RuleRegistry.ids)
        return (configuration, max)
    }

    /// Validates every layer, then puts them in force (later layers override earlier ones rule by
    /// rule). On an error: `window/showMessage` naming the layer and the problem, nothing changes,
    /// and false is returned.
    @discardableResult
    func configure(_ layers: [JSON?]) -> Bool {
        var rules: [String: RuleSetting] = [:]
        var max = Self.defaultMaxDiagnostics
        for (i, layer) in layers.enumerated() {
            guard let layer else { continue }
            do {
                let parsed = try Self.parseLayer(layer)
                rules.merge(parsed.configuration.rules) { _, new in new }
                if let m = parsed.maxDiagnostics { max = m }
            } catch {
                let name = i == 0 ? (workspaceRoot.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + Self.configFileName } ?? Self.configFileName)
                                  : Self.layerNames[i]
                showMessage(.error, "galley: invalid configuration in \(name): \(error); the previous configuration stays in force")
                return false
            }
        }
        configLayers = layers
        linter = Linter(configuration: Configuration(rules: rules))
        maxDiagnostics = max
        return true
    }

    /// At `initialize`: the workspace root's `.galley.json`, then `initializationOptions`. A layer in
    /// error is reported and left out; the other one still applies.
    func loadInitialConfiguration(_ params: JSON) {
        workspaceRoot = (params["workspaceFolders"]?.array?.first?["uri"]?.string ?? params["rootUri"]?.string).flatMap(Self.filePath)
            ?? params["rootPath"]?.string
        var layers: [JSON?] = [nil, nil, nil]
        if let path = configFilePath {
            configFileStamp = Self.fileStamp(path)
            if let bytes = Self.readFile(path) {
                do {
                    layers[0] = try JSON.parse(bytes)
                    log(.info, "configuration: \(path)")
                } catch {
                    showMessage(.error, "galley: invalid configuration in \(path): not valid JSON (\(error)); using the defaults")
                }
            }
        }
        if let options = params["initializationOptions"], !options.isNull { layers[1] = options }
        // A layer in error is reported (by `configure`) and left out; the other one still applies.
        for i in 0..<2 where layers[i] != nil {
            var alone: [JSON?] = [nil, nil, nil]
            alone[i] = layers[i]
            if !configure(alone) { layers[i] = nil }
        }
        configure(layers)
    }

    /// The workspace root's `.galley.json` path, when there is a root.
    var configFilePath: String? {
        workspaceRoot.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + Self.configFileName }
    }

    /// What identifies the config file's content cheaply: size and modification time (nil: no file).
    static func fileStamp(_ path: String) -> [Int]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ino)]
    }

    /// Reads `.galley.json` again when it changed since it was last read (the client said so, or its
    /// size or time differs). A valid new file takes effect at once and every open document is
    /// checked and published again; an invalid one is reported and the previous configuration stays.
    func reloadConfigFile(force: Bool = false) -> [JSON] {
        guard let path = configFilePath else { return [] }
        let stamp = Self.fileStamp(path)
        guard force || stamp != configFileStamp else { return [] }
        configFileStamp = stamp
        var layers = configLayers
        if let bytes = Self.readFile(path) {
            do {
                layers[0] = try JSON.parse(bytes)
            } catch {
                showMessage(.error, "galley: invalid configuration in \(path): not valid JSON (\(error)); the previous configuration stays in force")
                return []
            }
        } else {
            layers[0] = nil
        }
        guard configure(layers) else { return [] }
        log(.info, "configuration file \(path) \(stamp == nil ? "removed" : "changed"); checking \(documents.count) open document(s) again")
        return refreshAll()
    }

    /// `workspace/didChangeWatchedFiles`: reload when the workspace's `.galley.json` is among the changes.
    func didChangeWatchedFiles(_ params: JSON) -> [JSON] {
        guard let path = configFilePath else { return [] }
        let changed = params["changes"]?.array?.contains { $0["uri"]?.string.flatMap(Self.filePath) == path } ?? false
        return changed ? reloadConfigFile(force: true) : []
    }

    /// After `initialized`: ask a client that can watch files to report changes of `.galley.json`.
    func registerConfigWatcher() -> [JSON] {
        guard watchedFilesRegistration, configFilePath != nil else { return [] }
        return [outgoingRequest("client/registerCapability", ["registrations": [[
            "id": "galley-config-watcher",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": ["watchers": [["globPattern": .string("**/" + Self.configFileName)]]],
        ]]])]
    }

    /// `workspace/didChangeConfiguration`: `settings.galley`, or the whole `settings` when it has the
    /// shape of `.galley.json`. Takes effect at once: every open document is checked again.
    func didChangeConfiguration(_ params: JSON) -> [JSON] {
        guard let settings = params["settings"], !settings.isNull else { return [] }
        let layer: JSON
        if let galley = settings["galley"] {
            layer = galley
        } else if let object = settings.object, !object.isEmpty,
                  object.keys.allSatisfy({ ["rules", "ignore", "$schema"].contains($0) || Self.serverKeys.contains($0) }) {
            layer = settings
        } else {
            log(.debug, "didChangeConfiguration: no galley settings")
            return []
        }
        var layers = configLayers
        layers[2] = layer.isNull ? nil : layer
        guard configure(layers) else { return [] }
        log(.info, "configuration changed; checking \(documents.count) open document(s) again")
        return refreshAll()
    }

    /// Drops every cached check and publishes again (or asks a pulling client to pull again).
    func refreshAll() -> [JSON] {
        var out: [JSON] = []
        for uri in documents.keys.sorted() {
            documents[uri]!.checked = CheckedDocument(documents[uri]!.document, linter: linter)
            documents[uri]!.resultID = takeResultID()
            out += schedulePublish(uri)
        }
        if pullDiagnostics && diagnosticRefresh {
            out.append(outgoingRequest("workspace/diagnostic/refresh", .null))
        }
        return out
    }

    /// The path of a `file:` URI (percent-decoded); nil for other schemes.
    static func filePath(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Array(uri.utf8.dropFirst(7))
        // `file://localhost/path` and `file:///path`.
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) { rest = Array(rest[slash...]) } else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < rest.count {
            if rest[i] == UInt8(ascii: "%"), i + 2 < rest.count, let h = hex(rest[i + 1]), let l = hex(rest[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(rest[i])
                i += 1
            }
        }
        var path = String(decoding: bytes, as: UTF8.self)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// A whole regular file, or nil when it is missing or unreadable.
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }
}

// MARK: maxDiagnostics

extension LanguageServer {
    /// At most `maxDiagnostics` findings: errors first, then those nearest the last edit; plus one
    /// information diagnostic on the first line saying how many were left out.
    func cappedDiagnostics(in doc: OpenDocument) -> JSON {
        let (kept, total) = doc.checked.findings(limit: maxDiagnostics, nearest: doc.lastEdit)
        guard total > kept.count else { return lspDiagnosticArray(kept, in: doc) }
        // On the first line, read from the sections' texts (the whole text is not joined for a publish).
        let line = doc.checked.positions(of: [0, doc.checked.contentRange(ofLine: 0).upperBound], in: encoding)
        let left = total - kept.count
        let summary: JSON = [
            "range": ["start": PositionConverter.json(line[0]), "end": PositionConverter.json(line[1])],
            "severity": 3,
            "source": "galley",
            "code": "max-diagnostics",
            "message": .string("\(left) more findings not shown (maxDiagnostics is \(maxDiagnostics)); run `galley check` on this file to see them all"),
        ]
        return lspDiagnosticArray(kept, in: doc, first: summary)
    }
}

// MARK: Hover

extension LanguageServer {
    /// Markdown for the rules of the findings under the cursor: id, summary, explanation, examples.
    func hover(_ params: JSON) throws -> JSON {
        let doc = try openDocument(params)
        let converter = PositionConverter(document: doc.checked, encoding: encoding)
        guard let offset = converter.offset(params["position"]) else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "hover needs a position")
        }
        let here = doc.checked.diagnostics(overlapping: offset..<offset)
        guard let first = here.first else { return .null }
        var seen: Set<String> = []
        var parts: [String] = []
        var range = first.range
        for d in here where !seen.contains(d.ruleID) {
            seen.insert(d.ruleID)
            range = min(range.lowerBound, d.range.lowerBound)..<max(range.upperBound, d.range.upperBound)
            guard let description = RuleRegistry.description(for: d.ruleID) else { continue }
            parts.append(Self.markdown(description, message: d.message, severity: d.severity))
        }
        return ["contents": ["kind": "markdown", "value": .string(parts.joined(separator: "\n\n---\n\n"))],
                "range": converter.range(range)]
    }

    static func markdown(_ r: RuleDescription, message: String, severity: Severity) -> String {
        func shown(_ s: String) -> String {
            s.replacingAll(String(RuleDescription.marker), with: "").replacingAll("\n", with: "⏎")
        }
        var text = "**galley \(severity.rawValue)** `\(r.id)`: \(message)\n\n*\(r.summary)*\n\n\(r.explanation)"
        let corrections = r.corrections.prefix(3)
        if !corrections.isEmpty {
            text += "\n\nExamples:\n\n```text\n"
            for c in corrections {
                text += "\(shown(c.input))\n→ \(shown(c.output))\(c.unsafe ? "   (unsafe fix)" : "")\n"
            }
            text += "```"
        } else if !r.triggering.isEmpty {
            text += "\n\nFlagged:\n\n```text\n" + r.triggering.prefix(3).map { shown($0) + "\n" }.joined() + "```"
        }
        if !r.nonTriggering.isEmpty {
            text += "\n\nNot flagged:\n\n```text\n" + r.nonTriggering.prefix(2).map { shown($0) + "\n" }.joined() + "```"
        }
        text += "\n\n`galley explain \(r.id)` prints every example."
        return text
    }
}

extension String {
    /// Replaces every occurrence of a non-empty string (no Foundation in this module).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8), s = Array(self.utf8)
        guard !t.isEmpty, s.count >= t.count else { return self }
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if i + t.count <= s.count, s[i..<(i + t.count)].elementsEqual(t) {
                out += replacement.utf8
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: Formatting and commands

extension LanguageServer {
    public static let commands = ["galley.fixAll", "galley.fixAllUnsafe", "galley.fixRule"]

    /// `textDocument/formatting`: every safe fix (the engine's fix loop), as one TextEdit.
    func formatting(_ params: JSON) throws -> JSON {
        let doc = try openDocument(params)
        guard let edit = fixAllEdit(doc) else { return [] }
        return [PositionConverter(document: doc.document, encoding: encoding).edit(edit)]
    }

    /// `textDocument/rangeFormatting`: only the safe fixes whose edits lie inside the range, repeated
    /// until nothing changes (the range grows or shrinks with the edits made inside it).
    func rangeFormatting(_ params: JSON) throws -> JSON {
        let doc = try openDocument(params)
        let converter = PositionConverter(document: doc.document, encoding: encoding)
        guard var range = converter.offsets(params["range"]) else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "rangeFormatting needs a range")
        }
        var current = doc.document
        for _ in 0..<12 {
            let inside = linter.check(current).filter { d in
                guard let fix = d.fix, fix.applicability == .safe else { return false }
                return fix.edits.allSatisfy { range.lowerBound <= $0.range.lowerBound && $0.range.upperBound <= range.upperBound }
            }
            let fixes = Linter.compatibleFixes(inside, unsafe: false)
            guard !fixes.isEmpty else { break }
            let next = current.applying(fixes.flatMap(\.edits))
            if next.bytes == current.bytes { break }
            range = range.lowerBound..<(range.upperBound + next.bytes.count - current.bytes.count)
            current = next
        }
        guard let edit = Self.difference(doc.document, current) else { return [] }
        return [converter.edit(edit)]
    }

    /// One rule's fixes over the whole document (its unsafe ones too when `unsafe`).
    func fixRuleEdit(_ doc: OpenDocument, rule: String, unsafe: Bool) -> TextEdit? {
        guard let type = RuleRegistry.rule(for: rule) else { return nil }
        let one = Linter(configuration: linter.configuration, rules: [type])
        return Self.difference(doc.document, one.fix(doc.document, unsafe: unsafe).document)
    }

    func outgoingRequest(_ method: String, _ params: JSON) -> JSON {
        defer { nextOutgoingID += 1 }
        var message: JSON = ["jsonrpc": "2.0", "id": .string("galley/\(nextOutgoingID)"), "method": .string(method)]
        if !params.isNull, case .object(var o) = message { o["params"] = params; message = .object(o) }
        return message
    }

    /// `workspace/executeCommand`: `galley.fixAll` (safe fixes), `galley.fixAllUnsafe` (safe and
    /// unsafe), `galley.fixRule` (one rule's fixes, unsafe ones included). Arguments: `[uri]`,
    /// `[uri, rule]` or `[{"uri": …, "rule": …}]`. Returns the `workspace/applyEdit` request to send
    /// (none when there is nothing to fix).
    func executeCommand(_ params: JSON) throws -> [JSON] {
        guard let command = params["command"]?.string else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "executeCommand needs a command")
        }
        let args = params["arguments"]?.array ?? []
        let uri = args.first?.string ?? args.first?["uri"]?.string
        let rule = args.count > 1 ? args[1].string : args.first?["rule"]?.string
        guard Self.commands.contains(command) else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "unknown command \(command) (known: \(Self.commands.joined(separator: ", ")))")
        }
        guard let uri else { throw ResponseError(code: ErrorCode.invalidParams, message: "\(command) needs the document's uri as its first argument") }
        let doc = try openDocument(["textDocument": ["uri": .string(uri)]])
        let edit: TextEdit?
        let label: String
        switch command {
        case "galley.fixAll":
            edit = fixAllEdit(doc)
            label = "Fix all safe galley problems"
        case "galley.fixAllUnsafe":
            edit = fixAllEdit(doc, unsafe: true)
            label = "Fix all galley problems (unsafe fixes included)"
        default:
            guard let rule, RuleRegistry.rule(for: rule) != nil else {
                throw ResponseError(code: ErrorCode.invalidParams, message: "galley.fixRule needs a known rule id as its second argument")
            }
            edit = fixRuleEdit(doc, rule: rule, unsafe: true)
            label = "Fix all \(rule) in this document"
        }
        guard let edit else { return [] }
        let converter = PositionConverter(document: doc.document, encoding: encoding)
        return [outgoingRequest("workspace/applyEdit", ["label": .string(label),
                                                        "edit": ["changes": [doc.uri: [converter.edit(edit)]]]])]
    }
}
