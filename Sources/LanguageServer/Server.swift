import CMalloc
import TextModel
import Proofreading

/// JSON-RPC error codes used by the server (JSON-RPC 2.0 and LSP).
public enum ErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let serverNotInitialized = -32002
    public static let requestCancelled = -32800
}

/// A request the server cannot answer normally: sent back as a JSON-RPC error.
struct ResponseError: Error {
    var code: Int
    var message: String
}

/// One open document: its current text, kept checked, and the version the client gave it.
struct OpenDocument {
    var uri: String
    var version: Int
    /// The text and its findings, re-checked section by section as edits arrive.
    var checked: CheckedDocument
    var document: TextDocument { checked.document }
    /// Names this text for pull diagnostics; a new one is taken on every change.
    var resultID: String
    /// UTF-8 offset of the last edit (0 after open): the `maxDiagnostics` cap keeps findings near it.
    var lastEdit = 0
}

/// The language server: lifecycle, document store, dispatch, diagnostics and code actions.
///
/// Design: single-threaded. `receive` handles one message completely and returns what to send;
/// the transport reads, calls, writes, in a loop. Requests are therefore answered in order and
/// nothing runs concurrently, which keeps the state simple and every session reproducible in tests.
/// (Coalescing bursts of edits and incremental re-checking are later work: see README.)
public final class LanguageServer {
    enum State { case uninitialized, running, shutDown }

    public static let fixAllKind = "source.fixAll.galley"

    var state = State.uninitialized
    /// Set when `exit` arrives: 0 after `shutdown`, 1 without it.
    public private(set) var exitCode: Int32?
    /// Set when a long text's check (or close) left much memory freed: the stdio loop gives it back
    /// to the system once no message has come for a while (`trimMemory`), not at once, or the next
    /// edits would fault the pages back in (about 200, a third of a millisecond on each of the first
    /// few edits after opening a 10 MB text).
    public private(set) var trimWhenIdle = false
    /// A text whose check or close leaves enough memory freed to give back.
    public var longText = defaultLongText
    public static let defaultLongText = 1 << 20
    public private(set) var encoding = PositionEncoding.utf16
    /// True when the client pulls diagnostics (`textDocument/diagnostic`); then none are pushed.
    public private(set) var pullDiagnostics = false
    var documents: [String: OpenDocument] = [:]
    var nextResultID = 1
    /// The engine with the configuration in force (replaced when the configuration changes).
    var linter: Linter
    /// Receives the log lines to write to stderr (the transport's sink, never stdout).
    let sink: (String) -> Void
    /// `--log-level`: nil = only errors, to stderr; set = that level and above to stderr and as
    /// `window/logMessage`.
    public let logLevel: LogLevel?
    /// Notifications produced while handling a message (logs, configuration errors), sent after its answer.
    var outbox: [JSON] = []
    /// Inside a batch (the messages that arrived together): documents to publish at its end, once
    /// each, so a burst of edits costs one publish; and the requests the batch also cancels.
    var batching = false
    var pendingPublish: [String] = []
    var cancelledIDs: Set<String> = []
    /// Configuration layers, later ones overriding earlier ones: `.galley.json` of the workspace
    /// root, `initializationOptions`, `workspace/didChangeConfiguration` settings.
    var configLayers: [JSON?] = [nil, nil, nil]
    public internal(set) var workspaceRoot: String?
    public internal(set) var maxDiagnostics = LanguageServer.defaultMaxDiagnostics
    public static let defaultMaxDiagnostics = 500
    /// Ids of the requests the server sends to the client (`workspace/applyEdit`).
    var nextOutgoingID = 1
    /// The client refreshes pulled diagnostics when asked (`workspace/diagnostic/refresh`).
    var diagnosticRefresh = false
    /// From this size on (bytes), "fix all" code actions carry a command, not an edit (see `codeActions`).
    var deferredFixAllSize = 1 << 20
    /// The client lets the server register file watchers (`workspace/didChangeWatchedFiles`).
    var watchedFilesRegistration = false
    /// Size, time and inode of `.galley.json` when last read (nil: there was none).
    var configFileStamp: [Int]?

    /// `log` receives human-readable lines (the transport sends them to stderr, never stdout).
    public init(linter: Linter = Linter(), logLevel: LogLevel? = nil, log: @escaping (String) -> Void = { _ in }) {
        self.linter = linter
        self.logLevel = logLevel
        self.sink = log
    }

    /// Errors always reach stderr; with `--log-level`, that level and above reach stderr and the
    /// client (`window/logMessage`).
    func log(_ level: LogLevel, _ message: String) {
        if level <= (logLevel ?? .error) { sink("\(level.name): \(message)") }
        if let logLevel, level <= logLevel {
            outbox.append(Self.notification("window/logMessage", ["type": JSON(level.rawValue), "message": .string(message)]))
        }
    }

    /// `window/showMessage` (the editor shows it to the transcriber) and the same line in the log.
    func showMessage(_ level: LogLevel, _ message: String) {
        log(level, message)
        outbox.append(Self.notification("window/showMessage", ["type": JSON(level.rawValue), "message": .string(message)]))
    }

    func drainOutbox(_ messages: [JSON]) -> [JSON] {
        defer { outbox = [] }
        return messages + outbox
    }

    // MARK: Messages

    /// Handles one message body and returns the messages to send, in order.
    public func receive(_ body: [UInt8]) -> [JSON] {
        let message: JSON
        do {
            message = try JSON.parse(body)
        } catch {
            log(.error, "parse error: \(error)")
            return drainOutbox([Self.error(id: .null, code: ErrorCode.parseError, message: "Parse error: \(error)")])
        }
        return receive(message)
    }

    public func receive(_ message: JSON) -> [JSON] { drainOutbox(handle(message)) }

    /// Handles the messages that arrived together (parsed; a parse error is answered in its place),
    /// in order, as one batch: a request whose `$/cancelRequest` is in the batch too is answered with
    /// -32800 without being run, and each changed document is published once, at the end, with its
    /// latest version. Each message is let go once handled (`parsed` is left holding nulls).
    public func receiveBatch(parsed: inout [Result<JSON, Error>]) -> [JSON] {
        cancelledIDs = []
        for case .success(let m) in parsed where m["method"]?.string == "$/cancelRequest" {
            if let id = m["params"]?["id"], Self.isValidID(id) { cancelledIDs.insert(Self.idKey(id)) }
        }
        batching = true
        var out: [JSON] = []
        for i in parsed.indices {
            if exitCode != nil { break }
            switch parsed[i] {
            case .success(let m): out += receive(m)
            case .failure(let error):
                log(.error, "parse error: \(error)")
                out += drainOutbox([Self.error(id: .null, code: ErrorCode.parseError, message: "Parse error: \(error)")])
            }
            parsed[i] = .success(.null)   // release the body early (a didOpen may carry megabytes)
        }
        batching = false
        cancelledIDs = []
        let uris = pendingPublish
        pendingPublish = []
        for uri in uris where exitCode == nil { out += drainOutbox(publish(uri)) }
        return out
    }

    static func idKey(_ id: JSON) -> String { String(decoding: id.serialized(), as: UTF8.self) }

    /// Publishes now, or at the end of the batch being handled.
    func schedulePublish(_ uri: String) -> [JSON] {
        guard batching else { return publish(uri) }
        if !pendingPublish.contains(uri) { pendingPublish.append(uri) }
        return []
    }

    func handle(_ message: JSON) -> [JSON] {
        if case .array = message {
            return [Self.error(id: .null, code: ErrorCode.invalidRequest, message: "Batches are not supported")]
        }
        guard let object = message.object else {
            return [Self.error(id: .null, code: ErrorCode.invalidRequest, message: "A message must be a JSON object")]
        }
        let id = object["id"]
        if let id, !Self.isValidID(id) {
            return [Self.error(id: .null, code: ErrorCode.invalidRequest, message: "id must be a string or a number")]
        }
        guard object["jsonrpc"] == "2.0" else {
            return [Self.error(id: id ?? .null, code: ErrorCode.invalidRequest, message: "jsonrpc must be \"2.0\"")]
        }
        guard let method = object["method"]?.string else {
            // A response to a request of ours (the server sends none yet): nothing to do.
            if id != nil, object["result"] != nil || object["error"] != nil { return [] }
            return [Self.error(id: id ?? .null, code: ErrorCode.invalidRequest, message: "method missing or not a string")]
        }
        let params = object["params"] ?? .null
        if let id {
            return request(id: id, method: method, params: params)
        }
        return notification(method: method, params: params)
    }

    static func isValidID(_ id: JSON) -> Bool {
        switch id {
        case .string, .null: return true
        case .number: return id.int != nil
        default: return false
        }
    }

    static func error(id: JSON, code: Int, message: String) -> JSON {
        ["jsonrpc": "2.0", "id": id, "error": ["code": JSON(code), "message": .string(message)]]
    }

    static func result(id: JSON, _ result: JSON) -> JSON { ["jsonrpc": "2.0", "id": id, "result": result] }

    static func notification(_ method: String, _ params: JSON) -> JSON {
        ["jsonrpc": "2.0", "method": .string(method), "params": params]
    }

    func request(id: JSON, method: String, params: JSON) -> [JSON] {
        if state == .uninitialized && method != "initialize" {
            return [Self.error(id: id, code: ErrorCode.serverNotInitialized, message: "The server is not initialized")]
        }
        if state == .shutDown {
            return [Self.error(id: id, code: ErrorCode.invalidRequest, message: "The server is shut down")]
        }
        if cancelledIDs.contains(Self.idKey(id)) {
            log(.debug, "\(method): cancelled before it ran")
            return [Self.error(id: id, code: ErrorCode.requestCancelled, message: "Request cancelled")]
        }
        do {
            switch method {
            case "initialize": return [Self.result(id: id, try initialize(params))]
            case "shutdown":
                state = .shutDown
                documents = [:]
                return [Self.result(id: id, .null)]
            case "textDocument/diagnostic": return [Self.result(id: id, try pullDiagnostic(params))]
            case "textDocument/codeAction": return [Self.result(id: id, try codeActions(params))]
            case "textDocument/hover": return [Self.result(id: id, try hover(params))]
            case "textDocument/formatting": return [Self.result(id: id, try formatting(params))]
            case "textDocument/rangeFormatting": return [Self.result(id: id, try rangeFormatting(params))]
            case "workspace/executeCommand":
                let applyEdit = try executeCommand(params)
                // The edit goes out first, as servers that wait for `applyEdit` before answering do.
                return applyEdit + [Self.result(id: id, .null)]
            default:
                return [Self.error(id: id, code: ErrorCode.methodNotFound, message: "Unknown method \(method)")]
            }
        } catch let e as ResponseError {
            return [Self.error(id: id, code: e.code, message: e.message)]
        } catch {
            return [Self.error(id: id, code: ErrorCode.invalidParams, message: "\(error)")]
        }
    }

    /// Notifications are never answered; a bad one is logged and dropped.
    func notification(method: String, params: JSON) -> [JSON] {
        if method == "exit" {
            exitCode = state == .shutDown ? 0 : 1
            return []
        }
        // Before `initialize` every notification but `exit` is dropped (LSP); after `shutdown` too.
        guard state == .running else { return [] }
        do {
            switch method {
            case "initialized": return registerConfigWatcher()
            case "textDocument/didSave":
                // Saving changes no text; but the file saved may be `.galley.json` (or it changed
                // meanwhile and the client watches no files).
                return reloadConfigFile()
            case "workspace/didChangeWatchedFiles": return didChangeWatchedFiles(params)
            case "$/cancelRequest", "$/setTrace":
                // A cancel takes effect on requests of its own batch (see `receiveBatch`); an earlier
                // request was answered already.
                return []
            case "textDocument/didOpen": return try didOpen(params)
            case "textDocument/didChange": return try didChange(params)
            case "textDocument/didClose": return try didClose(params)
            case "workspace/didChangeConfiguration": return didChangeConfiguration(params)
            default:
                if !method.hasPrefix("$/") { log(.debug, "ignored notification \(method)") }
                return []
            }
        } catch let e as ResponseError {
            log(.error, "\(method): \(e.message)")
            return []
        } catch {
            log(.error, "\(method): \(error)")
            return []
        }
    }

    // MARK: Lifecycle

    func initialize(_ params: JSON) throws -> JSON {
        guard state == .uninitialized else { throw ResponseError(code: ErrorCode.invalidRequest, message: "initialize was already received") }
        guard params.object != nil else { throw ResponseError(code: ErrorCode.invalidParams, message: "initialize needs params") }
        // The first encoding in the client's order of preference that galley supports (as
        // sourcekit-lsp and rust-analyzer choose); UTF-16 when the client names none.
        encoding = .utf16
        for name in params["capabilities"]?["general"]?["positionEncodings"]?.array ?? [] {
            if let s = name.string, let e = PositionEncoding(rawValue: s) { encoding = e; break }
        }
        pullDiagnostics = params["capabilities"]?["textDocument"]?["diagnostic"]?.object != nil
        diagnosticRefresh = params["capabilities"]?["workspace"]?["diagnostics"]?["refreshSupport"]?.bool ?? false
        watchedFilesRegistration = params["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.bool ?? false
        state = .running
        loadInitialConfiguration(params)
        var capabilities: [String: JSON] = [
            "positionEncoding": .string(encoding.rawValue),
            "textDocumentSync": ["openClose": true, "change": 2, "save": ["includeText": false]],
            "codeActionProvider": ["codeActionKinds": ["quickfix", .string(Self.fixAllKind)], "resolveProvider": false],
            "hoverProvider": true,
            "documentFormattingProvider": true,
            "documentRangeFormattingProvider": true,
            "executeCommandProvider": ["commands": .array(Self.commands.map { .string($0) })],
            "workspace": ["workspaceFolders": ["supported": true, "changeNotifications": false]],
        ]
        if pullDiagnostics {
            capabilities["diagnosticProvider"] = ["identifier": "galley", "interFileDependencies": false, "workspaceDiagnostics": false]
        }
        log(.info, "initialized: position encoding \(encoding.rawValue), \(pullDiagnostics ? "pull" : "push") diagnostics")
        return ["capabilities": .object(capabilities), "serverInfo": ["name": "galley", "version": "0.1.0"]]
    }

    // MARK: Documents

    static func uri(_ params: JSON) throws -> String {
        guard let uri = params["textDocument"]?["uri"]?.string else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "textDocument.uri missing")
        }
        return uri
    }

    func openDocument(_ params: JSON) throws -> OpenDocument {
        let uri = try Self.uri(params)
        guard documents[uri] != nil else { throw ResponseError(code: ErrorCode.invalidParams, message: "document not open: \(uri)") }
        ensureChecked(uri)
        return documents[uri]!
    }

    func takeResultID() -> String {
        defer { nextResultID += 1 }
        return String(nextResultID)
    }

    func didOpen(_ params: JSON) throws -> [JSON] {
        let uri = try Self.uri(params)
        guard let text = params["textDocument"]?["text"]?.string, let version = params["textDocument"]?["version"]?.int else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "didOpen needs textDocument.text and version")
        }
        // A changed `.galley.json` applies before this document is checked.
        var out = reloadConfigFile()
        // Checked when first needed (at the latest when the batch publishes), after this message is let go.
        documents[uri] = OpenDocument(uri: uri, version: version, checked: CheckedDocument(TextDocument(text), linter: linter, checkNow: false),
                                      resultID: takeResultID())
        out += schedulePublish(uri)
        return out
    }

    func didChange(_ params: JSON) throws -> [JSON] {
        let uri = try Self.uri(params)
        try applyChanges(params, to: uri)
        // Once the document is back in the table: a publish outside a batch reads it there.
        return schedulePublish(uri)
    }

    /// Applies a didChange's content changes, in order, to the open document `uri`.
    private func applyChanges(_ params: JSON, to uri: String) throws {
        guard var doc = documents.removeValue(forKey: uri) else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "document not open: \(uri)")
        }
        // Taken out of the table while it changes, so its text has one owner and edits happen in place.
        defer { documents[uri] = doc }
        guard let version = params["textDocument"]?["version"]?.int, let changes = params["contentChanges"]?.array else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "didChange needs textDocument.version and contentChanges")
        }
        if version <= doc.version { log(.warning, "didChange: version \(version) after \(doc.version) for \(doc.uri)") }
        // Each change applies to the text left by the previous one (LSP), so positions are
        // converted against the document as it is at that step.
        for change in changes {
            guard let text = change["text"]?.string else {
                throw ResponseError(code: ErrorCode.invalidParams, message: "a content change without text")
            }
            if let range = change["range"] {
                // Read from the sections' texts: the whole text is not joined for a keystroke.
                guard let start = PositionConverter.lineColumn(range["start"]), let end = PositionConverter.lineColumn(range["end"]) else {
                    throw ResponseError(code: ErrorCode.invalidParams, message: "bad range in a content change")
                }
                let a = doc.checked.offset(of: start, in: encoding), b = doc.checked.offset(of: end, in: encoding)
                let r = min(a, b)..<max(a, b)
                doc.checked.replace(r, with: text)
                doc.lastEdit = r.lowerBound
            } else {
                doc.checked = CheckedDocument(TextDocument(text), linter: linter, checkNow: false)
                doc.lastEdit = 0
            }
        }
        doc.version = version
        doc.resultID = takeResultID()
    }

    func didClose(_ params: JSON) throws -> [JSON] {
        let uri = try Self.uri(params)
        guard let closed = documents.removeValue(forKey: uri) else { return [] }
        if closed.checked.length >= longText { trimWhenIdle = true }
        pendingPublish.removeAll { $0 == uri }
        // Clear what was pushed, so the editor does not keep stale marks.
        return pullDiagnostics ? [] : [Self.notification("textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": []])]
    }

    /// Checks a document opened (or replaced) but not checked yet. A long one leaves much memory
    /// freed behind (its sections' layouts, on every core): it goes back to the system when the
    /// server is idle (`trimWhenIdle`).
    func ensureChecked(_ uri: String) {
        // Not through a copy of the document: it would hold the whole text while it is checked.
        guard documents[uri]?.checked.isChecked == false else { return }
        documents[uri]!.checked.check()
        if documents[uri]!.checked.length >= longText { trimWhenIdle = true }
    }

    /// Gives the memory freed since the last long check back to the system (`trimWhenIdle`).
    public func trimMemory() {
        galley_trim_memory()
        trimWhenIdle = false
    }

    /// The findings of a document's current text (kept up to date by every change).
    func findings(_ uri: String) -> [Diagnostic] {
        ensureChecked(uri)
        return documents[uri]?.checked.diagnostics ?? []
    }

    // MARK: Diagnostics

    func publish(_ uri: String) -> [JSON] {
        guard !pullDiagnostics, documents[uri] != nil else { return [] }
        ensureChecked(uri)
        let doc = documents[uri]!
        return [Self.notification("textDocument/publishDiagnostics",
                                  ["uri": .string(uri), "version": JSON(doc.version), "diagnostics": cappedDiagnostics(in: doc)])]
    }

    func pullDiagnostic(_ params: JSON) throws -> JSON {
        let doc = try openDocument(params)
        if let previous = params["previousResultId"]?.string, previous == doc.resultID {
            return ["kind": "unchanged", "resultId": .string(doc.resultID)]
        }
        return ["kind": "full", "resultId": .string(doc.resultID), "items": cappedDiagnostics(in: doc)]
    }

    static func severity(_ s: Severity) -> Int {
        switch s { case .error: 1; case .warning: 2; case .information: 3; case .hint: 4 }
    }

    /// LSP diagnostics, each its own JSON value (code actions carry them one by one).
    func lspDiagnostics(_ findings: [PackedFinding], in doc: OpenDocument) -> [JSON] {
        let (out, ends) = writeDiagnostics(findings, in: doc)
        return ends.indices.map { k in .encoded(EncodedJSON(Array(out[(k == 0 ? 0 : ends[k - 1] + 1)..<ends[k]]))) }
    }

    /// LSP diagnostics as one JSON array (what a publish sends), after `first` when given.
    func lspDiagnosticArray(_ findings: [PackedFinding], in doc: OpenDocument, first: JSON? = nil) -> JSON {
        var opening: [UInt8] = [UInt8(ascii: "[")]
        if let first {
            first.write(into: &opening)
            if !findings.isEmpty { opening.append(UInt8(ascii: ",")) }
        }
        return .encoded(EncodedJSON(writeDiagnostics(findings, in: doc, opening: opening, closing: "]").bytes))
    }

    /// The findings as LSP diagnostics in JSON text, separated by commas, between `opening` and
    /// `closing`; and where each ends.
    func writeDiagnostics(_ findings: [PackedFinding], in doc: OpenDocument, opening: [UInt8] = [],
                          closing: StaticString = "") -> (bytes: [UInt8], ends: [Int]) {
        var uri: [UInt8] = []
        JSON.writeString(doc.uri, into: &uri)
        var version: [UInt8] = []
        version.appendDecimal(doc.version)
        // The findings' ranges, then their related ranges.
        var offsets: [Int] = []
        offsets.reserveCapacity(findings.count * 2)
        // By index: a finding read in the array, not copied out of it (a copy retains its bytes).
        for k in findings.indices { offsets.append(findings[k].range.lowerBound); offsets.append(findings[k].range.upperBound) }
        findings.forEachRelatedRange { offsets.append($0.lowerBound); offsets.append($0.upperBound) }
        let json = DiagnosticJSON(positions: doc.checked.positions(of: offsets, in: encoding), uri: uri, version: version)
        // Written straight into the array sent, sized for a finding of a few hundred bytes (most
        // take about 330); when one does not fit, all are written again into twice the room.
        var capacity = opening.count + closing.utf8CodeUnitCount + 600 * findings.count + 1024
        while true {
            var ends: [Int] = []
            ends.reserveCapacity(findings.count)
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var w = ByteWriter(buffer)
                opening.withUnsafeBufferPointer { w.append($0) }
                var related = findings.count
                // Read in place through a buffer: an array's element is copied out (its bytes retained).
                let complete = findings.withUnsafeBufferPointer { findings in
                    for k in findings.indices {
                        let fits = findings[k].withFields { fields in
                            guard 1 + json.room(fields) + closing.utf8CodeUnitCount <= capacity - w.count else { return false }
                            if k > 0 { w.append(UInt8(ascii: ",")) }
                            json.write(fields, range: k, related: &related, into: &w)
                            return true
                        }
                        guard fits else { return false }
                        ends.append(w.count)
                    }
                    return true
                }
                guard complete else { initialized = 0; return }
                w.append(closing)
                initialized = w.count
            }
            if ends.count == findings.count { return (bytes, ends) }
            capacity *= 2
        }
    }

    // MARK: Code actions

    /// A kind is wanted when no filter is given or it equals or extends (`a.b` extends `a`) one in `only`.
    static func wanted(_ kind: String, only: [String]?) -> Bool {
        guard let only else { return true }
        return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
    }

    func codeActions(_ params: JSON) throws -> JSON {
        let doc = try openDocument(params)
        // Positions read from the sections: a long text is not joined for the quick fixes here.
        let converter = PositionConverter(document: doc.checked, encoding: encoding)
        guard let range = converter.offsets(params["range"]) else {
            throw ResponseError(code: ErrorCode.invalidParams, message: "codeAction needs a range")
        }
        let only = params["context"]?["only"]?.array?.compactMap(\.string)
        // From the current findings (never from what was published earlier); only the sections
        // around the range are read.
        let here = doc.checked.diagnostics(overlapping: range)
        // The "fix all" actions run the fix loop over the whole text. On a long text that is done
        // only when the action is chosen: the action carries the command instead of the edit.
        let deferred = doc.checked.length >= deferredFixAllSize
        var actions: [JSON] = []
        if Self.wanted("quickfix", only: only) {
            let touching = here.filter { $0.fix != nil }
            let lsp = lspDiagnostics(touching.packedFindings, in: doc)
            for (d, item) in zip(touching, lsp) {
                let fix = d.fix!
                let unsafe = fix.applicability == .unsafe
                actions.append([
                    "title": .string(unsafe ? "\(fix.title) (unsafe)" : fix.title),
                    "kind": "quickfix",
                    "diagnostics": [item],
                    "isPreferred": .bool(!unsafe),
                    "edit": ["changes": [doc.uri: .array(fix.edits.map { converter.edit($0) })]],
                ])
            }
            // "Fix all <rule> in this document" for each rule with a fixable finding here and at
            // least one more in the document. Kind `quickfix` (as ESLint's "fix all <rule>
            // problems"): it belongs in the menu next to the finding's own fix, while
            // `source.fixAll.*` is what editors run on save, where overlapping per-rule actions
            // would compete with `source.fixAll.galley`.
            let all = deferred ? [] : findings(doc.uri)
            var offered: Set<String> = []
            for d in touching where !offered.contains(d.ruleID) {
                offered.insert(d.ruleID)
                if deferred {
                    actions.append([
                        "title": .string("Fix all \(d.ruleID) in this document (unsafe fixes included)"),
                        "kind": "quickfix",
                        "command": ["title": .string("Fix all \(d.ruleID) in this document"), "command": "galley.fixRule",
                                    "arguments": [.string(doc.uri), .string(d.ruleID)]],
                    ])
                    continue
                }
                let same = all.filter { $0.ruleID == d.ruleID && $0.fix != nil }
                guard same.count > 1 else { continue }
                let unsafe = same.contains { $0.fix!.applicability == .unsafe }
                guard let edit = fixRuleEdit(doc, rule: d.ruleID, unsafe: unsafe) else { continue }
                actions.append([
                    "title": .string("Fix all \(d.ruleID) in this document" + (unsafe ? " (unsafe)" : "")),
                    "kind": "quickfix",
                    "edit": ["changes": [doc.uri: [converter.edit(edit)]]],
                ])
            }
        }
        if Self.wanted(Self.fixAllKind, only: only) {
            if deferred {
                actions.append([
                    "title": "Fix all safe galley problems",
                    "kind": .string(Self.fixAllKind),
                    "command": ["title": "Fix all safe galley problems", "command": "galley.fixAll", "arguments": [.string(doc.uri)]],
                ])
            } else if let edit = fixAllEdit(doc) {
                actions.append([
                    "title": "Fix all safe galley problems",
                    "kind": .string(Self.fixAllKind),
                    "edit": ["changes": [doc.uri: [converter.edit(edit)]]],
                ])
            }
        }
        return .array(actions)
    }


    /// All safe fixes by the engine's fix loop, as one edit over the region that changed.
    func fixAllEdit(_ doc: OpenDocument, unsafe: Bool = false) -> TextEdit? {
        Self.difference(doc.document, linter.fix(doc.document, unsafe: unsafe).document)
    }

    /// One edit turning `before` into `after`: the region between their common prefix and suffix
    /// (on scalar boundaries). nil when they are equal.
    static func difference(_ before: TextDocument, _ after: TextDocument) -> TextEdit? {
        let old = before.bytes
        let new = after.bytes
        guard old != new else { return nil }
        var p = 0
        while p < old.count, p < new.count, old[p] == new[p] { p += 1 }
        // Back to a scalar boundary (the bytes before `p` are the same in both texts).
        while p > 0, p < old.count, UTF8Scalar.isContinuation(old[p]) { p -= 1 }
        while p > 0, p < new.count, UTF8Scalar.isContinuation(new[p]) { p -= 1 }
        var s = 0
        while s < old.count - p, s < new.count - p, old[old.count - 1 - s] == new[new.count - 1 - s] { s += 1 }
        while s > 0, UTF8Scalar.isContinuation(old[old.count - s]) { s -= 1 }
        return TextEdit(range: p..<(old.count - s), newText: String(decoding: new[p..<(new.count - s)], as: UTF8.self))
    }
}

extension PositionConverter {
    /// An LSP TextEdit. LSP cannot name the point between the CR and LF of a CRLF, so an edit
    /// boundary there is widened over the CR or LF, and the widened part is put back in `newText`.
    func edit(_ e: TextEdit) -> JSON {
        let n = document.length
        func crlf(at o: Int) -> Bool { o > 0 && o < n && document.byte(at: o - 1) == 0x0D && document.byte(at: o) == 0x0A }
        var lo = e.range.lowerBound, hi = e.range.upperBound, text = e.newText
        if crlf(at: lo) { lo -= 1; text = "\r" + text }
        if crlf(at: hi) { hi += 1; text += "\n" }
        return ["range": range(lo..<hi), "newText": .string(text)]
    }
}

/// One LSP diagnostic as JSON text, members in sorted order (as the JSON writer orders them), not
/// built as a tree: a publish holds hundreds per keystroke.
struct DiagnosticJSON {
    /// Positions of the findings' ranges, then of their related ranges (two per range).
    let positions: [LineColumn]
    /// The document's URI and version, as JSON.
    let uri: [UInt8], version: [UInt8]

    /// At most how many bytes `write` takes for a finding of these fields (a number takes at most
    /// 20 bytes, escaping at most sextuples a byte). Inlined: called apart, it was passed the
    /// fields in memory (about 90 instructions a finding).
    @inline(__always)
    func room(_ f: PackedFinding.Fields) -> Int {
        var room = 400 + version.count + 2 * Self.room(f.ruleID) + Self.room(f.message)
        for r in f.related { room += 200 + uri.count + Self.room(r.message) }
        return room
    }

    private static func room(_ t: PackedFinding.Text) -> Int { (t.isPlainJSON ? 1 : 6) * t.bytes.count + 2 }

    /// The finding of `f`, whose range is range `k` of `positions`; its related ranges follow from
    /// `related` on.
    func write(_ f: PackedFinding.Fields, range k: Int, related: inout Int, into w: inout ByteWriter) {
        w.append(#"{"code":"#)
        Self.string(f.ruleID, into: &w)
        // Enough to find the finding again: its rule, its UTF-8 range and the text version.
        // Code actions still re-check the current text rather than trust this.
        w.append(#","data":{"fixable":"#)
        switch f.applicability {
        case .safe?: w.append(#""safe""#)
        case .unsafe?: w.append(#""unsafe""#)
        case nil: w.append("null")
        }
        w.append(#","offsets":["#)
        w.appendDecimal(f.range.lowerBound)
        w.append(UInt8(ascii: ","))
        w.appendDecimal(f.range.upperBound)
        w.append(#"],"rule":"#)
        Self.string(f.ruleID, into: &w)
        w.append(#","version":"#)
        version.withUnsafeBufferPointer { w.append($0) }
        w.append(#"},"message":"#)
        Self.string(f.message, into: &w)
        w.append(#","range":"#)
        range(k, into: &w)
        if f.related.count > 0 {
            w.append(#","relatedInformation":["#)
            for (i, rel) in f.related.enumerated() {
                if i > 0 { w.append(UInt8(ascii: ",")) }
                w.append(#"{"location":{"range":"#)
                range(related, into: &w)
                related += 1
                w.append(#","uri":"#)
                uri.withUnsafeBufferPointer { w.append($0) }
                w.append(#"},"message":"#)
                Self.string(rel.message, into: &w)
                w.append(UInt8(ascii: "}"))
            }
            w.append(UInt8(ascii: "]"))
        }
        w.append(#","severity":"#)
        w.appendDecimal(LanguageServer.severity(f.severity))
        w.append(#","source":"galley"}"#)
    }

    /// A JSON string: a text that needs no escaping is copied as it is.
    private static func string(_ t: PackedFinding.Text, into w: inout ByteWriter) {
        guard t.isPlainJSON else { w.appendJSONString(utf8: t.bytes); return }
        w.append(UInt8(ascii: "\""))
        w.append(t.bytes)
        w.append(UInt8(ascii: "\""))
    }

    private func range(_ k: Int, into w: inout ByteWriter) {
        let a = positions[2 * k], b = positions[2 * k + 1]
        w.append(#"{"end":{"character":"#)
        w.appendDecimal(b.column)
        w.append(#","line":"#)
        w.appendDecimal(b.line)
        w.append(#"},"start":{"character":"#)
        w.appendDecimal(a.column)
        w.append(#","line":"#)
        w.appendDecimal(a.line)
        w.append("}}")
    }
}
