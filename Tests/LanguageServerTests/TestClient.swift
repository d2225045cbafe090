import XCTest
import TextModel
@testable import LanguageServer

/// An in-process LSP client: drives a whole session through the same bytes-in/bytes-out path as
/// `galley lsp` (framing included), and keeps every message the server sent.
final class TestClient {
    var session: ServerSession
    /// Log lines the server sent to its stderr sink.
    var logLines: [String] = []
    var outputFramer = MessageFramer()
    /// Every message received from the server, in order.
    var received: [JSON] = []
    var nextID = 1

    init(logLevel: LogLevel? = nil) {
        session = ServerSession(server: LanguageServer())
        session = ServerSession(server: LanguageServer(logLevel: logLevel, log: { [weak self] in self?.logLines.append($0) }))
    }

    /// Sends raw bytes; returns the messages they produced.
    @discardableResult
    func send(bytes: [UInt8]) -> [JSON] {
        outputFramer.append(session.receive(bytes))
        var messages: [JSON] = []
        for frame in outputFramer.drain() {
            guard case .message(let body) = frame, let m = try? JSON.parse(body) else {
                XCTFail("server wrote something that is not a framed JSON message: \(frame)")
                continue
            }
            messages.append(m)
        }
        received += messages
        return messages
    }

    @discardableResult
    func send(_ message: JSON) -> [JSON] { send(bytes: MessageFramer.frame(message.serialized())) }

    /// Sends a request and returns its response (the messages sent with it stay in `received`).
    @discardableResult
    func request(_ method: String, _ params: JSON = .null, file: StaticString = #filePath, line: UInt = #line) -> JSON {
        let id = nextID
        nextID += 1
        let messages = send(["jsonrpc": "2.0", "id": JSON(id), "method": .string(method), "params": params])
        guard let response = messages.first(where: { $0["id"] == JSON(id) }) else {
            XCTFail("no response to \(method)", file: file, line: line)
            return .null
        }
        return response
    }

    @discardableResult
    func notify(_ method: String, _ params: JSON = .null) -> [JSON] {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// initialize + initialized; `encodings` is the client's `general.positionEncodings` (nil: none).
    @discardableResult
    func initialize(encodings: [String]? = nil, pull: Bool = false, rootUri: String? = nil, options: JSON? = nil) -> JSON {
        var capabilities: [String: JSON] = [:]
        if let encodings { capabilities["general"] = ["positionEncodings": .array(encodings.map { .string($0) })] }
        if pull { capabilities["textDocument"] = ["diagnostic": ["dynamicRegistration": false]] }
        var params: [String: JSON] = ["processId": .null, "rootUri": rootUri.map { .string($0) } ?? .null,
                                      "capabilities": .object(capabilities)]
        if let options { params["initializationOptions"] = options }
        let response = request("initialize", .object(params))
        notify("initialized", [:])
        return response
    }

    /// Opens a document and returns the diagnostics published for it (nil when none were pushed).
    @discardableResult
    func open(_ uri: String, _ text: String, version: Int = 1) -> JSON? {
        let messages = notify("textDocument/didOpen", ["textDocument": ["uri": .string(uri), "languageId": "plaintext",
                                                                       "version": JSON(version), "text": .string(text)]])
        return messages.last { $0["method"] == "textDocument/publishDiagnostics" }?["params"]
    }

    /// Sends a didChange and returns the diagnostics published after it.
    @discardableResult
    func change(_ uri: String, version: Int, _ changes: [JSON]) -> JSON? {
        let messages = notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": JSON(version)],
                                                         "contentChanges": .array(changes)])
        return messages.last { $0["method"] == "textDocument/publishDiagnostics" }?["params"]
    }
}

/// An LSP range literal.
func lspRange(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSON {
    ["start": ["line": JSON(l1), "character": JSON(c1)], "end": ["line": JSON(l2), "character": JSON(c2)]]
}

/// Applies LSP TextEdits (positions in `encoding`) to a text, as an editor does.
func applyLSPEdits(_ edits: [JSON], to text: String, encoding: PositionEncoding) -> String {
    let doc = TextDocument(text)
    let converter = PositionConverter(document: doc, encoding: encoding)
    let textEdits = edits.map { TextEdit(range: converter.offsets($0["range"])!, newText: $0["newText"]!.string!) }
    return doc.applying(textEdits).text
}
