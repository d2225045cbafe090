import XCTest
import TextModel
import Proofreading
import Evaluation
@testable import LanguageServer

/// Every publish of a random editing session, byte for byte, against the same diagnostics built
/// from scratch: a fresh `Linter().check` of the text, the capped list chosen by a full sort, each
/// diagnostic built as a JSON tree with positions from the whole text, serialized by the JSON
/// writer. The server's publish comes from the document kept checked section by section, its
/// packed findings and the diagnostic writer (which copies strings that need no escaping as they are).
final class PublishBytesTests: XCTestCase {
    func testEveryPublishEqualsAFreshEncoding() {
        var rng = SplitMix64(seed: 2026_12_07)
        let seeds = RandomSessionTests.seeds.map { String(String.UnicodeScalarView($0)) }
        XCTAssertFalse(seeds.isEmpty)
        // Quotes and backslashes in messages (escaped), related locations, text outside the BMP.
        let extras = ["\"", "\\", "𠀀", "\r\n", "\n", "\n\n", "１２月", "“", "，", "a1", " ", "的", "\t"]
        var published = 0
        for session in 0..<6 {
            let encoding = [PositionEncoding.utf8, .utf16, .utf32][session % 3]
            let server = LanguageServer()
            // As the session sends them: a change is published at the end of its batch.
            func send(_ message: JSON) -> [JSON] {
                var batch: [Result<JSON, Error>] = [.success(message)]
                return server.receiveBatch(parsed: &batch)
            }
            let limit = [40, 1000][session / 3]
            _ = send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [
                "processId": nil, "capabilities": ["general": ["positionEncodings": [.string(encoding.rawValue)]]],
                "initializationOptions": ["maxDiagnostics": JSON(limit)]]])
            _ = send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
            let uri = "file:///tmp/publish-\(session).txt"
            var text = ""
            while text.utf8.count < 8_000 {
                let seed = seeds[Int(rng.next() % UInt64(seeds.count))]
                let lines = seed.split(separator: "\n", omittingEmptySubsequences: false)
                let from = Int(rng.next() % UInt64(lines.count))
                text += lines[from..<min(lines.count, from + 30)].joined(separator: "\n") + "\n"
            }
            if session % 2 == 1 { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
            var out = send(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": [
                "textDocument": ["uri": .string(uri), "languageId": "plaintext", "version": 0, "text": .string(text)]]])
            for version in 1...20 {
                check(out, server: server, uri: uri, version: version - 1, encoding: encoding, limit: limit)
                published += 1
                // An insert or a delete (up to a few characters, line breaks included) at a random place.
                let document = TextDocument(bytes: server.documentText(uri)!)
                let at = document.clampToScalar(Int(rng.next() % UInt64(document.count + 1)))
                let end = rng.next() % 3 == 0 ? document.clampToScalar(min(document.count, at + Int(rng.next() % 12))) : at
                let inserted = end == at ? extras[Int(rng.next() % UInt64(extras.count))] : ""
                let positions = document.positions(of: [at, end], in: encoding)
                let range: JSON = ["start": PositionConverter.json(positions[0]), "end": PositionConverter.json(positions[1])]
                out = send(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": [
                    "textDocument": ["uri": .string(uri), "version": JSON(version)],
                    "contentChanges": [["range": range, "text": .string(inserted)]]]])
            }
        }
        XCTAssertEqual(published, 120)
    }

    /// The publish in `out` against the diagnostics of the server's text built from scratch.
    func check(_ out: [JSON], server: LanguageServer, uri: String, version: Int, encoding: PositionEncoding, limit: Int,
               file: StaticString = #filePath, line: UInt = #line) {
        guard let publish = out.last(where: { $0["method"] == "textDocument/publishDiagnostics" }),
              let sent = publish["params"]?["diagnostics"] else { return XCTFail("no publish", file: file, line: line) }
        let text = TextDocument(bytes: server.documentText(uri)!)
        let offset = server.documents[uri]!.lastEdit
        let all = Linter().check(text)
        func distance(_ r: Range<Int>) -> Int {
            r.contains(offset) || r.upperBound == offset ? 0 : (r.lowerBound > offset ? r.lowerBound - offset : offset - r.upperBound)
        }
        let kept = all.indices.sorted {
            (all[$0].severity == .error ? 0 : 1, distance(all[$0].range), $0) < (all[$1].severity == .error ? 0 : 1, distance(all[$1].range), $1)
        }.prefix(limit).sorted().map { all[$0] }
        let converter = PositionConverter(document: text, encoding: encoding)
        var expected: [JSON] = []
        if all.count > kept.count {
            expected.append([
                "range": converter.range(0..<text.lines.contentRange(of: 0).upperBound), "severity": 3, "source": "galley",
                "code": "max-diagnostics",
                "message": .string("\(all.count - kept.count) more findings not shown (maxDiagnostics is \(limit)); run `galley check` on this file to see them all"),
            ])
        }
        for d in kept {
            var item: [String: JSON] = [
                "code": .string(d.ruleID), "message": .string(d.message), "range": converter.range(d.range),
                "severity": JSON(LanguageServer.severity(d.severity)), "source": "galley",
                "data": ["fixable": d.fix.map { .string($0.applicability.rawValue) } ?? .null,
                         "offsets": [JSON(d.range.lowerBound), JSON(d.range.upperBound)], "rule": .string(d.ruleID), "version": JSON(version)],
            ]
            if !d.related.isEmpty {
                item["relatedInformation"] = .array(d.related.map {
                    ["location": ["range": converter.range($0.range), "uri": .string(uri)], "message": .string($0.message)]
                })
            }
            expected.append(.object(item))
        }
        let want = JSON.array(expected).serialized(), got = sent.serialized()
        XCTAssertEqual(String(decoding: got, as: UTF8.self), String(decoding: want, as: UTF8.self),
                       "\(encoding.rawValue), version \(version)", file: file, line: line)
    }

    /// Strings that need escaping and strings that do not, short and long, written by the diagnostic
    /// writer as the JSON writer writes them.
    func testDiagnosticStringsAreEscapedAsTheJSONWriterDoes() {
        let client = TestClient()
        client.initialize(encodings: ["utf-8"])
        let uri = "file:///tmp/strings.txt"
        client.open(uri, "一二三四五六七八九十\n")
        let messages = ["", "plain", "“引号”𠀀", "a \"quoted\" word", "back\\slash", "tab\tand\nline\r\u{7F}\u{01}", String(repeating: "长", count: 40) + "\"",
                        // Longer than the room first given to all (they are written again into more).
                        String(repeating: "\"长", count: 2000)]
        let found = messages.enumerated().map { k, m in
            Diagnostic(ruleID: k % 2 == 0 ? "rule-\"\(k)\"" : "rule", severity: .warning, range: k..<(k + 1), message: m,
                       related: k % 3 == 0 ? [RelatedLocation(range: 0..<3, message: m + "\\")] : [])
        }
        let items = client.session.server.lspDiagnostics(found.packedFindings, in: client.session.server.documents[uri]!)
        XCTAssertEqual(items.count, messages.count)
        for (item, d) in zip(items, found) {
            guard case .encoded(let e) = item else { return XCTFail("\(item) is not written text") }
            // Parsed and written again by the JSON writer: the same bytes.
            XCTAssertEqual((try? JSON.parse(e.bytes)).map { String(decoding: $0.serialized(), as: UTF8.self) }, String(decoding: e.bytes, as: UTF8.self))
            XCTAssertEqual(item["message"]?.string, d.message)
            XCTAssertEqual(item["code"]?.string, d.ruleID)
            XCTAssertEqual(item["relatedInformation"]?.array?.first?["message"]?.string, d.related.first?.message)
        }
    }

    /// A change sent through `receive(_:)`, one message at a time outside a batch, is published
    /// at once with its version (the document was out of the table while it changed).
    func testAChangeOutsideABatchIsPublished() throws {
        let server = LanguageServer()
        _ = server.receive(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["processId": nil, "capabilities": [:]]])
        _ = server.receive(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
        let uri = "file:///tmp/outside-a-batch.txt"
        let opened = server.receive(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": [
            "textDocument": ["uri": .string(uri), "languageId": "plaintext", "version": 0, "text": "记者在\n现场看到。\n"]]])
        XCTAssertEqual(opened.first?["params"]?["version"]?.int, 0)
        let changed = server.receive(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": [
            "textDocument": ["uri": .string(uri), "version": 1],
            "contentChanges": [["text": "他说\n，上海坚决贯彻。\n"]]]])
        XCTAssertEqual(changed.count, 1)
        XCTAssertEqual(changed.first?["method"]?.string, "textDocument/publishDiagnostics")
        XCTAssertEqual(changed.first?["params"]?["version"]?.int, 1)
        XCTAssertEqual(changed.first?["params"]?["diagnostics"]?.array?.isEmpty, false)
    }
}
