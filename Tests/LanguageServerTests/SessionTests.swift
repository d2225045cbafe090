import XCTest
import TextModel
import Proofreading
@testable import LanguageServer

/// Whole sessions through the in-process client: lifecycle, positions in every encoding,
/// incremental changes, push and pull diagnostics, quick fixes and fix-all.
final class SessionTests: XCTestCase {
    let uri = "file:///tmp/bulletin.txt"
    /// Astral characters (𠮷 is U+20BB7, 😀 U+1F600: 4 UTF-8 bytes, 2 UTF-16 units, 1 scalar each)
    /// before two `numeral-spacing` findings (the spaces after 在 and after 月).
    let astralText = "𠮷😀在 4月 1日\n"

    func ranges(_ published: JSON?) -> [JSON] { published?["diagnostics"]?.array?.map { $0["range"]! } ?? [] }

    func testPositionsInEveryEncoding() {
        // (client's list, negotiated, columns of the two spaces)
        let cases: [([String]?, String, [(Int, Int)])] = [
            (["utf-8", "utf-16"], "utf-8", [(11, 12), (16, 17)]),
            (["utf-16"], "utf-16", [(5, 6), (8, 9)]),
            (["utf-32", "utf-8"], "utf-32", [(3, 4), (6, 7)]),
            (nil, "utf-16", [(5, 6), (8, 9)]),            // no list: UTF-16, LSP's default
            (["latin-1", "utf-32"], "utf-32", [(3, 4), (6, 7)]),   // unknown names are skipped
        ]
        for (offered, expected, columns) in cases {
            let client = TestClient()
            let response = client.initialize(encodings: offered)
            XCTAssertEqual(response["result"]?["capabilities"]?["positionEncoding"]?.string, expected)
            let published = client.open(uri, astralText)
            XCTAssertEqual(published?["version"], 1)
            let diagnostics = published?["diagnostics"]?.array ?? []
            XCTAssertEqual(diagnostics.map { $0["code"]?.string }, ["numeral-spacing", "numeral-spacing"], "\(expected)")
            XCTAssertEqual(ranges(published), columns.map { lspRange(0, $0.0, 0, $0.1) }, "\(expected)")
            let first = diagnostics.first
            XCTAssertEqual(first?["source"], "galley")
            XCTAssertEqual(first?["severity"], 2)
            XCTAssertEqual(first?["message"]?.string, "Space between \"在\" and \"4\": write \"在4\"")
            XCTAssertEqual(first?["data"]?["rule"], "numeral-spacing")
            XCTAssertEqual(first?["data"]?["version"], 1)
            XCTAssertEqual(first?["data"]?["offsets"], [11, 12])
        }
    }

    func testIncrementalChangesUpdateDiagnostics() {
        let client = TestClient()
        client.initialize(encodings: ["utf-16"])
        client.open(uri, astralText)
        // Delete the space after 月 (UTF-16 columns 8..9): one finding left, version 2.
        let after = client.change(uri, version: 2, [["range": lspRange(0, 8, 0, 9), "text": ""]])
        XCTAssertEqual(after?["version"], 2)
        XCTAssertEqual(ranges(after), [lspRange(0, 5, 0, 6)])
        XCTAssertEqual(client.session.server.documents[uri]?.document.text, "𠮷😀在 4月1日\n")
        // Two changes in one notification, each against the text the previous one left: delete the
        // other space, then add a line with a new finding after the astral prefix.
        let twice = client.change(uri, version: 3, [["range": lspRange(0, 5, 0, 6), "text": ""],
                                                   ["range": lspRange(1, 0, 1, 0), "text": "\n😀在 5月6日\n"]])
        XCTAssertEqual(client.session.server.documents[uri]?.document.text, "𠮷😀在4月1日\n\n😀在 5月6日\n")
        XCTAssertEqual(twice?["version"], 3)
        // (Layout rules may have an opinion on the new paragraph break; only the spacing is checked here.)
        let spacing = twice?["diagnostics"]?.array?.filter { $0["code"] == "numeral-spacing" }
        XCTAssertEqual(spacing?.map { $0["range"]! }, [lspRange(2, 3, 2, 4)])
        // A change without a range replaces the whole text.
        let whole = client.change(uri, version: 4, [["text": "没有问题。\n"]])
        XCTAssertEqual(whole?["diagnostics"], [])
        // Closing clears the published diagnostics.
        let closed = client.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
        XCTAssertEqual(closed.first?["params"]?["diagnostics"], [])
        XCTAssertNil(client.session.server.documents[uri])
    }

    func testQuickFixAppliedByTheClientRemovesTheFinding() {
        for encoding in PositionEncoding.allCases {
            let client = TestClient()
            client.initialize(encodings: [encoding.rawValue])
            var text = astralText
            let published = client.open(uri, text)
            let first = published!["diagnostics"]!.array![0]
            let actions = client.request("textDocument/codeAction", [
                "textDocument": ["uri": .string(uri)], "range": first["range"]!,
                "context": ["diagnostics": [first], "only": ["quickfix"]]])["result"]?.array ?? []
            // The finding's fix, then fix-all of its rule (the other space has the same rule).
            XCTAssertEqual(actions.map { $0["title"]?.string }, ["Delete the space", "Fix all numeral-spacing in this document"], "\(encoding)")
            let action = actions[0]
            XCTAssertEqual(action["kind"], "quickfix")
            XCTAssertEqual(action["isPreferred"], true)
            XCTAssertEqual(action["title"], "Delete the space")
            XCTAssertEqual(action["diagnostics"]?.array?.first?["range"], first["range"])
            let edits = action["edit"]?["changes"]?[uri]?.array ?? []
            text = applyLSPEdits(edits, to: text, encoding: encoding)
            XCTAssertEqual(text, "𠮷😀在4月 1日\n", "\(encoding)")
            // The editor sends the same edit back as a change: the finding is gone, the other stays.
            let after = client.change(uri, version: 2, edits.map { ["range": $0["range"]!, "text": $0["newText"]!] })
            XCTAssertEqual(after?["diagnostics"]?.array?.count, 1)
            XCTAssertEqual(client.session.server.documents[uri]?.document.text, text)
        }
    }

    func testUnsafeQuickFixIsTitledAndNotPreferred() {
        let client = TestClient()
        client.initialize()
        client.open(uri, "项目\t数量\n")
        let actions = client.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": lspRange(0, 0, 0, 5), "context": ["diagnostics": []]])["result"]?.array ?? []
        let quickfixes = actions.filter { $0["kind"] == "quickfix" }
        XCTAssertEqual(quickfixes.count, 1)
        XCTAssertEqual(quickfixes.first?["title"], "Replace with one space (unsafe)")
        XCTAssertEqual(quickfixes.first?["isPreferred"], false)
        // Unsafe fixes are not part of fix-all.
        XCTAssertFalse(actions.contains { $0["kind"] == .string(LanguageServer.fixAllKind) })
    }

    func testCodeActionsOutsideTheFindingsRangeOfferOnlyFixAll() {
        let client = TestClient()
        client.initialize()
        client.open(uri, "第一行没有问题。\n在 4月\n")
        let actions = client.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": lspRange(0, 0, 0, 3), "context": ["diagnostics": []]])["result"]?.array ?? []
        XCTAssertEqual(actions.map { $0["kind"] }, [.string(LanguageServer.fixAllKind)])
    }

    func testFixAllEditEqualsTheEngineFix() {
        let text = "𠮷😀在 4月 1日，全市新增２０２２例。\n第二段 没有。\n"
        let expected = Linter().fix(text)
        XCTAssertNotEqual(expected, text)
        XCTAssertTrue(expected.hasPrefix("𠮷😀在4月1日，全市新增2022例。"), expected)
        for encoding in PositionEncoding.allCases {
            let client = TestClient()
            client.initialize(encodings: [encoding.rawValue])
            client.open(uri, text)
            let actions = client.request("textDocument/codeAction", [
                "textDocument": ["uri": .string(uri)], "range": lspRange(0, 0, 0, 0),
                "context": ["diagnostics": [], "only": ["source.fixAll"]]])["result"]?.array ?? []
            XCTAssertEqual(actions.count, 1)
            XCTAssertEqual(actions.first?["kind"], .string(LanguageServer.fixAllKind))
            let edits = actions.first?["edit"]?["changes"]?[uri]?.array ?? []
            XCTAssertEqual(edits.count, 1)
            XCTAssertEqual(applyLSPEdits(edits, to: text, encoding: encoding), expected, "\(encoding)")
        }
    }

    func testCodeActionsOnMixedLineEndings() {
        // Mixed endings: the fix converts the minority; edits next to CRLFs must stay exact.
        let text = "甲。\r\n乙。\r\n丙。\n"
        let expected = Linter().fix(text)
        XCTAssertNotEqual(expected, text)
        let client = TestClient()
        client.initialize(encodings: ["utf-16"])
        client.open(uri, text)
        let result = client.request("textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": lspRange(0, 0, 3, 0), "context": ["diagnostics": []]])["result"]
        XCTAssertEqual(result?.array?.filter { $0["kind"] == "quickfix" }.isEmpty, false)
        for action in result?.array ?? [] {
            let edits = action["edit"]?["changes"]?[uri]?.array ?? []
            let fixed = applyLSPEdits(edits, to: text, encoding: .utf16)
            if action["kind"] == .string(LanguageServer.fixAllKind) {
                XCTAssertEqual(fixed, expected)
            } else {
                XCTAssertEqual(Linter().check(fixed).count, Linter().check(text).count - 1, "\(action["title"]!)")
            }
        }
    }

    func testEditBoundaryInsideCRLFIsWidened() {
        // LSP cannot name the point between CR and LF; the edit is widened and stays exact.
        let text = "甲。\r\n乙。\n"
        let doc = TextDocument(text)
        for encoding in PositionEncoding.allCases {
            let converter = PositionConverter(document: doc, encoding: encoding)
            for (edit, expected) in [(TextEdit(range: 6..<7, newText: ""), "甲。\n乙。\n"),         // delete the CR
                                     (TextEdit(range: 7..<8, newText: "\r\n"), "甲。\r\r\n乙。\n"),  // replace the LF
                                     (TextEdit(range: 7..<7, newText: "x"), "甲。\rx\n乙。\n")] {   // insert between
                XCTAssertEqual(applyLSPEdits([converter.edit(edit)], to: text, encoding: encoding), expected, "\(edit) \(encoding)")
                XCTAssertEqual(doc.applying([edit]).text, expected)
            }
        }
    }

    func testRelatedInformationPointsAtThePartner() {
        let client = TestClient()
        client.initialize(encodings: ["utf-32"])
        let text = "他说：“我们要确保“不漏一户”。”\n"
        let published = client.open(uri, text)
        let nesting = published?["diagnostics"]?.array?.first { $0["code"] == "quote-nesting" }
        let related = nesting?["relatedInformation"]?.array?.first
        XCTAssertEqual(related?["location"]?["uri"]?.string, uri)
        XCTAssertEqual(related?["message"], "the closing mark of the pair")
        // The inner quotation, from its opening “ to its closing ” (columns in scalars).
        XCTAssertEqual(nesting?["range"], lspRange(0, 9, 0, 15))
        XCTAssertEqual(related?["location"]?["range"], lspRange(0, 14, 0, 15))
        // Diagnostics are written straight to JSON text: valid, in the writer's own member order.
        let items = client.session.server.lspDiagnostics(Linter().check(text).packedFindings, in: client.session.server.documents[uri]!)
        XCTAssertFalse(items.isEmpty)
        for item in items {
            guard case .encoded(let e) = item else { return XCTFail("\(item) is not written text") }
            XCTAssertEqual(try JSON.parse(e.bytes).serialized(), e.bytes)
        }
    }

    func testEncodedJSONIsWrittenAsItIsAndReadAsItsValue() throws {
        let tree: JSON = ["b": [1, "x", ["c": true]], "a": nil]
        let encoded = JSON.encoded(EncodedJSON(tree.serialized()))
        XCTAssertEqual(encoded, tree)
        XCTAssertEqual(tree, encoded)
        XCTAssertEqual(Set([encoded, tree]).count, 1)
        XCTAssertNotEqual(encoded, ["a": 1])
        XCTAssertEqual(encoded["b"]?.array?.count, 3)
        XCTAssertEqual(encoded["b"]?.array?[2]["c"]?.bool, true)
        XCTAssertEqual(JSON.array([encoded, 2]).serialized(), JSON.array([tree, 2]).serialized())
    }

    func testPullDiagnosticsWithResultIDs() {
        let client = TestClient()
        let response = client.initialize(encodings: ["utf-16"], pull: true)
        XCTAssertEqual(response["result"]?["capabilities"]?["diagnosticProvider"]?["interFileDependencies"], false)
        // A pulling client gets no pushed diagnostics.
        XCTAssertNil(client.open(uri, astralText))
        let first = client.request("textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])["result"]
        XCTAssertEqual(first?["kind"], "full")
        XCTAssertEqual(first?["items"]?.array?.map { $0["range"]! }, [lspRange(0, 5, 0, 6), lspRange(0, 8, 0, 9)])
        let id = first?["resultId"]?.string
        XCTAssertNotNil(id)
        let again = client.request("textDocument/diagnostic", ["textDocument": ["uri": .string(uri)], "previousResultId": .string(id!)])["result"]
        XCTAssertEqual(again, ["kind": "unchanged", "resultId": .string(id!)])
        XCTAssertNil(client.change(uri, version: 2, [["range": lspRange(0, 8, 0, 9), "text": ""]]))
        let changed = client.request("textDocument/diagnostic", ["textDocument": ["uri": .string(uri)], "previousResultId": .string(id!)])["result"]
        XCTAssertEqual(changed?["kind"], "full")
        XCTAssertNotEqual(changed?["resultId"]?.string, id)
        XCTAssertEqual(changed?["items"]?.array?.count, 1)
        // Unknown documents are an invalid-params error.
        let unknown = client.request("textDocument/diagnostic", ["textDocument": ["uri": "file:///nope.txt"]])
        XCTAssertEqual(unknown["error"]?["code"]?.int, ErrorCode.invalidParams)
    }

    func testLifecycle() {
        let client = TestClient()
        // Requests before initialize: -32002; notifications other than exit are dropped.
        XCTAssertEqual(client.request("textDocument/codeAction", [:])["error"]?["code"]?.int, ErrorCode.serverNotInitialized)
        XCTAssertEqual(client.open(uri, astralText), nil)
        let capabilities = client.initialize()["result"]?["capabilities"]
        XCTAssertEqual(capabilities?["textDocumentSync"]?["change"], 2)
        XCTAssertEqual(capabilities?["codeActionProvider"]?["codeActionKinds"], ["quickfix", "source.fixAll.galley"])
        XCTAssertNil(capabilities?["diagnosticProvider"])
        XCTAssertEqual(client.request("initialize", ["capabilities": [:]])["error"]?["code"]?.int, ErrorCode.invalidRequest)
        XCTAssertEqual(client.request("shutdown")["result"], .null)
        XCTAssertEqual(client.request("textDocument/codeAction", [:])["error"]?["code"]?.int, ErrorCode.invalidRequest)
        XCTAssertNil(client.session.exitCode)
        client.notify("exit")
        XCTAssertEqual(client.session.exitCode, 0)

        let rude = TestClient()
        rude.initialize()
        rude.notify("exit")
        XCTAssertEqual(rude.session.exitCode, 1)
    }
}
