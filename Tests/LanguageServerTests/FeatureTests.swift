import XCTest
import Foundation
import TextModel
import Proofreading
@testable import LanguageServer

/// Configuration, hover, formatting, per-rule fix-all, commands, the diagnostics cap and logging,
/// each through whole in-process sessions.
final class FeatureTests: XCTestCase {
    let uri = "file:///tmp/bulletin.txt"
    /// Two numeral-spacing findings and one numeral-width on line 0; two numeral-spacing on line 2.
    let text = "在 4月 1日，２０２２年开会。\n\n又在 5月 6日开会。\n"

    func codes(_ published: JSON?) -> [String] { published?["diagnostics"]?.array?.compactMap { $0["code"]?.string } ?? [] }
    func severities(_ published: JSON?, _ code: String) -> [Int] {
        published?["diagnostics"]?.array?.filter { $0["code"]?.string == code }.compactMap { $0["severity"]?.int } ?? []
    }
    func published(_ messages: [JSON]) -> [JSON] {
        messages.filter { $0["method"] == "textDocument/publishDiagnostics" }.map { $0["params"]! }
    }
    func shown(_ messages: [JSON]) -> [JSON] { messages.filter { $0["method"] == "window/showMessage" } }

    /// A temporary workspace folder (a space and Chinese in its name, so the URI is percent-encoded).
    func workspace(config: String?) throws -> (folder: String, uri: String) {
        let folder = NSTemporaryDirectory() + "galley-ws-\(UUID().uuidString) 工作"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        if let config { try config.write(toFile: folder + "/.galley.json", atomically: true, encoding: .utf8) }
        let encoded = folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
        return (folder, "file://" + encoded)
    }

    // MARK: Configuration

    func testConfigFileInWorkspaceRootChangesSeverities() throws {
        let ws = try workspace(config: #"{"rules": {"numeral-spacing": "error", "numeral-width": "off"}}"#)
        let client = TestClient()
        client.initialize(rootUri: ws.uri)
        XCTAssertEqual(client.session.server.workspaceRoot, ws.folder)
        let p = client.open(uri, text)
        XCTAssertEqual(codes(p), Array(repeating: "numeral-spacing", count: 4))
        XCTAssertEqual(severities(p, "numeral-spacing"), [1, 1, 1, 1])

        // initializationOptions override the file rule by rule; the file's other rules stay.
        let second = TestClient()
        second.initialize(rootUri: ws.uri, options: ["rules": ["numeral-spacing": "hint"]])
        let q = second.open(uri, text)
        XCTAssertEqual(severities(q, "numeral-spacing"), [4, 4, 4, 4])
        XCTAssertFalse(codes(q).contains("numeral-width"))
    }

    func testEditedConfigFileTakesEffectWhenTheClientReportsIt() throws {
        let ws = try workspace(config: #"{"rules": {"numeral-spacing": "error"}}"#)
        let client = TestClient()
        // A client that can watch files is asked to watch `.galley.json`.
        var params: [String: JSON] = ["processId": .null, "rootUri": .string(ws.uri),
                                      "capabilities": ["workspace": ["didChangeWatchedFiles": ["dynamicRegistration": true]]]]
        params["initializationOptions"] = .null
        client.request("initialize", .object(params))
        let registration = client.notify("initialized", [:]).first { $0["method"] == "client/registerCapability" }
        XCTAssertEqual(registration?["params"]?["registrations"]?.array?.first?["method"], "workspace/didChangeWatchedFiles")
        XCTAssertEqual(severities(client.open(uri, text), "numeral-spacing"), [1, 1, 1, 1])

        // The file changes: reported by the watcher, it applies at once and the document is published again.
        try #"{"rules": {"numeral-spacing": "off"}}"#.write(toFile: ws.folder + "/.galley.json", atomically: true, encoding: .utf8)
        let after = published(client.notify("workspace/didChangeWatchedFiles",
                                            ["changes": [["uri": .string(ws.uri + "/.galley.json"), "type": 2]]]))
        XCTAssertEqual(after.count, 1)
        XCTAssertFalse(codes(after.first).contains("numeral-spacing"))

        // Without a watcher: a save notices the changed file. A broken file keeps what was in force.
        try #"{"rules": {"numeral-spacing": "hint"}}"#.write(toFile: ws.folder + "/.galley.json", atomically: true, encoding: .utf8)
        let saved = published(client.notify("textDocument/didSave", ["textDocument": ["uri": .string(uri)]]))
        XCTAssertEqual(severities(saved.first, "numeral-spacing"), [4, 4, 4, 4])
        try #"{"rules": "#.write(toFile: ws.folder + "/.galley.json", atomically: true, encoding: .utf8)
        let broken = client.notify("textDocument/didSave", ["textDocument": ["uri": .string(uri)]])
        XCTAssertEqual(shown(broken).count, 1)
        XCTAssertTrue(published(broken).isEmpty)
        XCTAssertEqual(client.session.server.linter.configuration.rules["numeral-spacing"], RuleSetting(severity: .hint))
    }

    func testServerJSONReachesTheConfigurationModel() throws {
        // Booleans stay booleans and numbers numbers through the server's JSON (not JSONSerialization's).
        let parsed = try LanguageServer.parseLayer(["rules": ["numeral-style": false, "broken-wrap": ["severity": "hint",
                                                    "options": ["a": 12, "b": true, "c": ["x", "y"], "d": "z"]]],
                                                    "ignore": ["drafts/**"], "maxDiagnostics": 7])
        XCTAssertEqual(parsed.maxDiagnostics, 7)
        XCTAssertEqual(parsed.configuration.rules["numeral-style"], RuleSetting(severity: nil))
        XCTAssertEqual(parsed.configuration.rules["broken-wrap"],
                       RuleSetting(severity: .hint, options: ["a": .number(12), "b": .bool(true), "c": .strings(["x", "y"]), "d": .string("z")]))
        XCTAssertEqual(parsed.configuration.ignore, ["drafts/**"])
        XCTAssertThrowsError(try LanguageServer.parseLayer(["rules": ["numeral-style": 1]]))
        XCTAssertThrowsError(try LanguageServer.parseLayer(["color": "red"]))
    }

    func testInvalidConfigFileIsReportedAndDefaultsApply() throws {
        let ws = try workspace(config: #"{"rules": {"numeral-spacin": "off"}}"#)
        let client = TestClient()
        client.initialize(rootUri: ws.uri)
        let messages = shown(client.received)
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(messages.first?["params"]?["type"], 1)
        let message = messages.first?["params"]?["message"]?.string ?? ""
        XCTAssertTrue(message.contains(".galley.json") && message.contains("unknown rule \"numeral-spacin\""), message)
        XCTAssertEqual(Set(codes(client.open(uri, text))), ["numeral-spacing", "numeral-width"])
    }

    func testDidChangeConfigurationTurnsARuleOffAndRepublishes() {
        let client = TestClient()
        client.initialize()
        let other = "file:///tmp/other.txt"
        client.open(uri, text)
        client.open(other, "共计 41名。\n")
        let off = published(client.notify("workspace/didChangeConfiguration",
                                          ["settings": ["galley": ["rules": ["numeral-spacing": "off"]]]]))
        XCTAssertEqual(off.map { $0["uri"]?.string }, [uri, other])
        XCTAssertEqual(codes(off.first), ["numeral-width"])
        XCTAssertEqual(codes(off.last), [])

        // An invalid configuration: an error message naming the problem, nothing re-published,
        // and the previous configuration stays (a change still has no numeral-spacing).
        let bad = client.notify("workspace/didChangeConfiguration", ["settings": ["galley": ["rules": ["numeral-spacing": "loud"]]]])
        XCTAssertEqual(published(bad).count, 0)
        XCTAssertTrue(shown(bad).first?["params"]?["message"]?.string?.contains("unknown severity \"loud\"") ?? false)
        XCTAssertEqual(codes(client.change(other, version: 2, [["text": "又在 5月 6日开会。\n"]])), [])

        // The whole settings object in `.galley.json`'s shape works too; it replaces the earlier settings.
        let whole = published(client.notify("workspace/didChangeConfiguration", ["settings": ["rules": ["numeral-width": "error"]]]))
        XCTAssertEqual(severities(whole.first, "numeral-width"), [1])
        XCTAssertEqual(severities(whole.first, "numeral-spacing"), [2, 2, 2, 2])
        // Settings meant for other tools only: ignored.
        XCTAssertEqual(client.notify("workspace/didChangeConfiguration", ["settings": ["editor": ["tabSize": 4]]]), [])
    }

    // MARK: Hover

    func testHoverShowsTheRuleExplanationAndExamples() {
        let client = TestClient()
        client.initialize(encodings: ["utf-16"])
        client.open(uri, "𠮷" + text)
        // The space after 在: UTF-16 column 3 (𠮷 is two units).
        let hover = client.request("textDocument/hover", ["textDocument": ["uri": .string(uri)],
                                                          "position": ["line": 0, "character": 3]])["result"]
        let value = hover?["contents"]?["value"]?.string ?? ""
        let description = RuleRegistry.description(for: "numeral-spacing")!
        XCTAssertEqual(hover?["contents"]?["kind"], "markdown")
        XCTAssertTrue(value.contains("`numeral-spacing`"))
        XCTAssertTrue(value.contains(description.summary))
        XCTAssertTrue(value.contains(description.explanation))
        XCTAssertTrue(value.contains("→ " + description.corrections[0].output.replacingAll("\n", with: "⏎")), value)
        XCTAssertFalse(value.contains("↓"))
        XCTAssertEqual(hover?["range"], lspRange(0, 3, 0, 4))
        // Where there is no finding: null.
        let none = client.request("textDocument/hover", ["textDocument": ["uri": .string(uri)],
                                                         "position": ["line": 2, "character": 0]])
        XCTAssertEqual(none["result"], .null)
    }

    // MARK: Formatting

    /// Opens `text` in a session that speaks `encoding`, sends a formatting request with `params`,
    /// and returns the text with the edits it answered applied.
    func formatted(_ method: String, _ params: [String: JSON], _ text: String, _ encoding: PositionEncoding) -> String {
        let client = TestClient()
        client.initialize(encodings: [encoding.rawValue])
        client.open(uri, text)
        var request = params
        request["textDocument"] = ["uri": .string(uri)]
        let edits = client.request(method, .object(request))["result"]?.array ?? []
        return applyLSPEdits(edits, to: text, encoding: encoding)
    }

    func testFormattingEqualsTheEngineFixLoop() {
        for encoding in PositionEncoding.allCases {
            let astral = "𠮷😀" + text
            XCTAssertEqual(formatted("textDocument/formatting", ["options": ["tabSize": 4, "insertSpaces": true]], astral, encoding),
                           Linter().fix(astral), encoding.rawValue)
        }
        let client = TestClient()
        client.initialize()
        client.open(uri, "在4月1日开会。\n")
        XCTAssertEqual(client.request("textDocument/formatting", ["textDocument": ["uri": .string(uri)], "options": [:]])["result"], [])
    }

    func testRangeFormattingLeavesTextOutsideTheRangeUntouched() {
        for encoding in PositionEncoding.allCases {
            // The third line only.
            XCTAssertEqual(formatted("textDocument/rangeFormatting", ["range": lspRange(2, 0, 3, 0), "options": [:]], "😀" + text, encoding),
                           "😀在 4月 1日，２０２２年开会。\n\n又在5月6日开会。\n", encoding.rawValue)
        }
        // Part of the first line: the spaces inside, not the full-width digits after it.
        XCTAssertEqual(formatted("textDocument/rangeFormatting", ["range": lspRange(0, 0, 0, 7), "options": [:]], text, .utf32),
                       "在4月1日，２０２２年开会。\n\n又在 5月 6日开会。\n")
    }

    // MARK: Fix all of one rule

    func testFixAllOfOneRuleCodeAction() {
        let client = TestClient()
        client.initialize(encodings: ["utf-8"])
        client.open(uri, text)
        let actions = client.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": lspRange(0, 3, 0, 4),
            "context": ["diagnostics": [], "only": ["quickfix"]]])["result"]?.array ?? []
        let ruleAction = actions.first { $0["title"] == "Fix all numeral-spacing in this document" }
        XCTAssertEqual(ruleAction?["kind"], "quickfix")
        let edits = ruleAction?["edit"]?["changes"]?[uri]?.array ?? []
        XCTAssertEqual(applyLSPEdits(edits, to: text, encoding: .utf8), "在4月1日，２０２２年开会。\n\n又在5月6日开会。\n")
        // numeral-width has one finding in the document: its quick fix is enough, no fix-all for it.
        let width = client.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": lspRange(0, 16, 0, 16),
            "context": ["diagnostics": [], "only": ["quickfix"]]])["result"]?.array ?? []
        XCTAssertEqual(width.compactMap { $0["title"]?.string }.filter { $0.hasPrefix("Fix all") }, [])
        XCTAssertFalse(width.isEmpty)
    }

    // MARK: Commands

    func testExecuteCommandSendsApplyEdit() {
        let client = TestClient()
        let response = client.initialize(encodings: ["utf-16"])
        XCTAssertEqual(response["result"]?["capabilities"]?["executeCommandProvider"]?["commands"],
                       ["galley.fixAll", "galley.fixAllUnsafe", "galley.fixRule"])
        for key in ["hoverProvider", "documentFormattingProvider", "documentRangeFormattingProvider"] {
            XCTAssertEqual(response["result"]?["capabilities"]?[key], true, key)
        }
        client.open(uri, text)
        let messages = client.send(["jsonrpc": "2.0", "id": 50, "method": "workspace/executeCommand",
                                    "params": ["command": "galley.fixAll", "arguments": [.string(uri)]]])
        let apply = messages.first { $0["method"] == "workspace/applyEdit" }
        XCTAssertNotNil(apply?["id"])
        XCTAssertEqual(messages.first { $0["id"] == 50 }?["result"], .null)
        let edits = apply?["params"]?["edit"]?["changes"]?[uri]?.array ?? []
        XCTAssertEqual(applyLSPEdits(edits, to: text, encoding: .utf16), Linter().fix(text))
        // The client's answer to our request produces nothing.
        XCTAssertEqual(client.send(["jsonrpc": "2.0", "id": apply!["id"]!, "result": ["applied": true]]), [])

        // One rule only, arguments as an object.
        let rule = client.send(["jsonrpc": "2.0", "id": 51, "method": "workspace/executeCommand",
                                "params": ["command": "galley.fixRule", "arguments": [["uri": .string(uri), "rule": "numeral-width"]]]])
        let ruleEdits = rule.first { $0["method"] == "workspace/applyEdit" }?["params"]?["edit"]?["changes"]?[uri]?.array ?? []
        XCTAssertEqual(applyLSPEdits(ruleEdits, to: text, encoding: .utf16), "在 4月 1日，2022年开会。\n\n又在 5月 6日开会。\n")
        XCTAssertNotEqual(rule.first { $0["method"] == "workspace/applyEdit" }?["id"], apply?["id"])

        let unknown = client.request("workspace/executeCommand", ["command": "galley.nope", "arguments": [.string(uri)]])
        XCTAssertEqual(unknown["error"]?["code"], JSON(ErrorCode.invalidParams))
        let noRule = client.request("workspace/executeCommand", ["command": "galley.fixRule", "arguments": [.string(uri)]])
        XCTAssertEqual(noRule["error"]?["code"], JSON(ErrorCode.invalidParams))
    }

    // MARK: maxDiagnostics

    func testMaxDiagnosticsKeepsErrorsThenNearestAndSummarises() {
        let client = TestClient()
        client.initialize(options: ["maxDiagnostics": 3, "rules": ["numeral-width": "error"]])
        // Ten lines with one numeral-spacing finding each; a full-width digit (an error) on the last.
        let lines = (0..<10).map { "第\($0)行 4月开会。\n" }.joined() + "共计４名。\n"
        let p = client.open(uri, lines)
        let items = p?["diagnostics"]?.array ?? []
        XCTAssertEqual(items.count, 4)
        XCTAssertEqual(items.first?["severity"], 3)
        XCTAssertEqual(items.first?["range"]?["start"], ["line": 0, "character": 0])
        let summary = items.first?["message"]?.string ?? ""
        XCTAssertTrue(summary.contains("8 more findings") && summary.contains("galley check"), summary)
        // After open the last edit is at the start: the error, then the two first lines.
        XCTAssertEqual(items.dropFirst().map { $0["range"]!["start"]!["line"]! }, [0, 1, 10])
        XCTAssertEqual(items.last?["severity"], 1)
        // An edit on line 6 (a character typed before 开): the findings nearest it are kept.
        let q = client.change(uri, version: 2, [["range": lspRange(6, 6, 6, 6), "text": "在"]])
        XCTAssertEqual(q?["diagnostics"]?.array?.dropFirst().map { $0["range"]!["start"]!["line"]! }, [6, 7, 10])
        // Under the cap: no summary.
        client.notify("workspace/didChangeConfiguration", ["settings": ["galley": ["maxDiagnostics": 20]]])
        XCTAssertEqual(client.change(uri, version: 3, [["range": lspRange(0, 0, 0, 0), "text": ""]])?["diagnostics"]?.array?.count, 11)
        // Not a positive whole number: refused with a message.
        let bad = client.notify("workspace/didChangeConfiguration", ["settings": ["galley": ["maxDiagnostics": 0]]])
        XCTAssertTrue(shown(bad).first?["params"]?["message"]?.string?.contains("maxDiagnostics") ?? false)
    }

    // MARK: Logging

    func testLogLevelSendsLogMessages() {
        let quiet = TestClient()
        quiet.initialize()
        quiet.notify("workspace/unknownThing", [:])
        XCTAssertTrue(quiet.received.allSatisfy { $0["method"] != "window/logMessage" })
        XCTAssertEqual(quiet.logLines, [])

        let chatty = TestClient(logLevel: .debug)
        let started = chatty.send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:]]])
        XCTAssertTrue(started.contains { $0["method"] == "window/logMessage" && $0["params"]?["type"] == 3 })
        let ignored = chatty.notify("workspace/unknownThing", [:])
        XCTAssertEqual(ignored.first?["params"]?["type"], 4)
        XCTAssertTrue(chatty.logLines.contains("debug: ignored notification workspace/unknownThing"))

        // Errors reach stderr with no --log-level, and are not sent to the client.
        quiet.send(bytes: MessageFramer.frame(Array("{oops".utf8)))
        XCTAssertTrue(quiet.logLines.first?.hasPrefix("error: parse error") ?? false)
        XCTAssertTrue(quiet.received.allSatisfy { $0["method"] != "window/logMessage" })
    }

    func testFileURIPaths() {
        XCTAssertEqual(LanguageServer.filePath("file:///home/a%20b/%E5%B7%A5/"), "/home/a b/工")
        XCTAssertEqual(LanguageServer.filePath("file://localhost/srv/x"), "/srv/x")
        XCTAssertNil(LanguageServer.filePath("untitled:Untitled-1"))
    }
}
