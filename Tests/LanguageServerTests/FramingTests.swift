import XCTest
@testable import LanguageServer

/// The Content-Length framing and the JSON-RPC error answers, fed as raw bytes.
final class FramingTests: XCTestCase {
    let initialize: JSON = ["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:]]]
    let open: JSON = ["jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": ["textDocument": ["uri": "file:///a.txt", "version": 1, "text": "𠮷😀在 4月1日\n"]]]

    func frame(_ m: JSON) -> [UInt8] { MessageFramer.frame(m.serialized()) }

    func testSplitAnywhere() {
        let stream = frame(initialize) + frame(open)
        // Every split point of the stream into two chunks gives the same two messages.
        for cut in 0...stream.count {
            var framer = MessageFramer()
            framer.append(stream[..<cut])
            var frames = framer.drain()
            framer.append(stream[cut...])
            frames += framer.drain()
            XCTAssertEqual(frames, [.message(initialize.serialized()), .message(open.serialized())], "cut at \(cut)")
            XCTAssertEqual(framer.pendingCount, 0)
        }
        // And byte by byte.
        var framer = MessageFramer()
        var frames: [MessageFramer.Frame] = []
        for b in stream { framer.append([b]); frames += framer.drain() }
        XCTAssertEqual(frames.count, 2)
    }

    func testHeadersCaseInsensitiveAndContentTypeAccepted() {
        let body = initialize.serialized()
        var framer = MessageFramer()
        framer.append(Array("content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  \(body.count)\r\n\r\n".utf8) + body)
        XCTAssertEqual(framer.drain(), [.message(body)])
    }

    func testBadHeaderIsAnsweredAndTheSessionGoesOn() {
        let client = TestClient()
        // A header without Content-Length, then a good message.
        let replies = client.send(bytes: Array("X-Nothing: 1\r\n\r\n".utf8) + frame(initialize))
        XCTAssertEqual(replies.count, 2)
        XCTAssertEqual(replies[0]["error"]?["code"]?.int, ErrorCode.parseError)
        XCTAssertEqual(replies[0]["id"], .null)
        XCTAssertNotNil(replies[1]["result"]?["capabilities"])
        // A non-numeric length, then a good message.
        let more = client.send(bytes: Array("Content-Length: ten\r\n\r\n".utf8) + frame(["jsonrpc": "2.0", "id": 2, "method": "shutdown"]))
        XCTAssertEqual(more.map { $0["error"]?["code"]?.int }, [ErrorCode.parseError, nil])
        XCTAssertEqual(more.last?["id"], 2)
    }

    func testErrorsAndTheSessionGoesOn() {
        let client = TestClient()
        // Before initialize: -32002 for requests.
        XCTAssertEqual(client.request("textDocument/diagnostic", [:])["error"]?["code"]?.int, ErrorCode.serverNotInitialized)
        client.initialize()
        // Bad JSON: -32700 with id null.
        let bad = client.send(bytes: MessageFramer.frame(Array("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": ".utf8)))
        XCTAssertEqual(bad.count, 1)
        XCTAssertEqual(bad[0]["error"]?["code"]?.int, ErrorCode.parseError)
        XCTAssertEqual(bad[0]["id"], .null)
        // Batches: -32600.
        let batch = client.send(.array([["jsonrpc": "2.0", "id": 6, "method": "shutdown"]]))
        XCTAssertEqual(batch.first?["error"]?["code"]?.int, ErrorCode.invalidRequest)
        // Not an object, no method, wrong version: -32600.
        XCTAssertEqual(client.send(42).first?["error"]?["code"]?.int, ErrorCode.invalidRequest)
        XCTAssertEqual(client.send(["jsonrpc": "2.0", "id": 7]).first?["error"]?["code"]?.int, ErrorCode.invalidRequest)
        XCTAssertEqual(client.send(["jsonrpc": "1.0", "id": 8, "method": "shutdown"]).first?["id"], 8)
        XCTAssertEqual(client.send(["jsonrpc": "1.0", "id": 8, "method": "shutdown"]).first?["error"]?["code"]?.int, ErrorCode.invalidRequest)
        // Unknown method: -32601 with the request's id (a string id here).
        let unknown = client.send(["jsonrpc": "2.0", "id": "abc", "method": "galley/unknown"])
        XCTAssertEqual(unknown.first?["error"]?["code"]?.int, ErrorCode.methodNotFound)
        XCTAssertEqual(unknown.first?["id"], "abc")
        // Unknown notifications get no answer.
        XCTAssertEqual(client.notify("galley/somethingElse", [:]), [])
        // Invalid params: -32602.
        XCTAssertEqual(client.request("textDocument/codeAction", ["textDocument": [:]])["error"]?["code"]?.int, ErrorCode.invalidParams)
        client.open("file:///a.txt", "在 4月\n")
        XCTAssertEqual(client.request("textDocument/codeAction", ["textDocument": ["uri": "file:///a.txt"]])["error"]?["code"]?.int,
                       ErrorCode.invalidParams)
        // After all that the session still works.
        let published = client.change("file:///a.txt", version: 2, [["range": lspRange(0, 1, 0, 2), "text": ""]])
        XCTAssertEqual(published?["diagnostics"], [])
        XCTAssertEqual(client.request("shutdown")["result"], .null)
        client.notify("exit")
        XCTAssertEqual(client.session.exitCode, 0)
    }

    func testJSONRoundTripAndEscapes() throws {
        let value = try JSON.parse(#"{"a": [1, -2.5, true, false, null], "s": "\"\\\/\b\f\n\r\t\u00e9\ud842\udfb7\ud83d", "e": 1e3}"#)
        XCTAssertEqual(value["a"], [1, .number(-2.5), true, false, nil])
        XCTAssertEqual(value["s"]?.string, "\"\\/\u{8}\u{c}\n\r\té𠮷\u{FFFD}")
        XCTAssertEqual(value["e"]?.int, 1000)
        XCTAssertEqual(try JSON.parse(value.serialized()), value)
        XCTAssertEqual(JSON.string("a\u{1}\"").text, #""a\u0001\"""#)
        XCTAssertEqual(JSON.array([0, 9, 10, 99, 100, 109, 1_000_000_007, -1, -42, JSON(Int(1 << 52))]).text,
                       "[0,9,10,99,100,109,1000000007,-1,-42,4503599627370496]")
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\u{1}\"", "tru", "[1] 2", "\"\\x\""] {
            XCTAssertThrowsError(try JSON.parse(bad), bad)
        }
        // Deep nesting is refused, not a stack overflow.
        XCTAssertThrowsError(try JSON.parse(String(repeating: "[", count: 100_000)))
    }
}
