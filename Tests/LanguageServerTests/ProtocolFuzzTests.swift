import XCTest
import Evaluation
@testable import LanguageServer

/// Seeded random JSON-RPC streams against `ServerSession`, fed in random splits. Each stream is
/// initialize + initialized, a run of good and bad messages whose answers are known, then
/// `shutdown`, which must still be answered. The responses (messages with an id and no method) must
/// be exactly the expected ones, in order: the right error for each bad message, nothing for a
/// dropped one. (The libFuzzer target `fuzz/run.sh session` covers unstructured bytes.)
final class ProtocolFuzzTests: XCTestCase {
    /// What one piece of a stream must produce: a response with this id and error code
    /// (nil: a result), or nothing.
    struct Expected: Equatable, CustomStringConvertible {
        var id: JSON
        var code: Int?
        var description: String { "\(id.text) \(code.map(String.init) ?? "result")" }
    }

    /// The evaluation's seeded SplitMix64, so streams are the same on every run.
    typealias Rng = SplitMix64

    static func frame(_ body: [UInt8]) -> [UInt8] { MessageFramer.frame(body) }
    static func frame(_ s: String) -> [UInt8] { frame(Array(s.utf8)) }

    static let texts = ["新华社北京4月1日电", "𠮷😀在 4月 1日\r\n", "", "\n\n\n", "他说:\"好\"。 ", String(repeating: "长", count: 3000)]

    /// One piece: its bytes and what it must produce.
    /// `resyncing`: the framer is skipping to the next Content-Length after a bad header block.
    static func piece(_ rng: inout Rng, id n: Int, resyncing: inout Bool) -> ([UInt8], [Expected]) {
        let id = JSON(n)
        let kind = rng.int(below: 16)
        defer { resyncing = kind == 9 || kind == 10 }
        switch kind {
        case 0:   // unknown method
            return (frame(#"{"jsonrpc":"2.0","id":\#(n),"method":"galley/nothing\#(n)"}"#), [Expected(id: id, code: ErrorCode.methodNotFound)])
        case 1:   // unknown notification: dropped
            return (frame(#"{"jsonrpc":"2.0","method":"$/unknown","params":[1,2]}"#), [])
        case 2:   // a notification sent with an id is a request, and not one the server knows
            return (frame(#"{"jsonrpc":"2.0","id":\#(n),"method":"textDocument/didClose","params":{"textDocument":{"uri":"file:///x"}}}"#),
                    [Expected(id: id, code: ErrorCode.methodNotFound)])
        case 3:   // wrong types in params of a request
            let params = rng.pick([#"{"textDocument":7}"#, #"[]"#, #""x""#, #"{"textDocument":{"uri":null},"position":"0:0"}"#,
                                   #"{"textDocument":{"uri":"file:///never-opened"},"position":{"line":-1,"character":1e300}}"#])
            let method = rng.pick(["textDocument/hover", "textDocument/codeAction", "textDocument/formatting", "textDocument/diagnostic"])
            return (frame(#"{"jsonrpc":"2.0","id":\#(n),"method":"\#(method)","params":\#(params)}"#), [Expected(id: id, code: ErrorCode.invalidParams)])
        case 4:   // wrong types in params of a notification: dropped
            let method = rng.pick(["textDocument/didOpen", "textDocument/didChange", "textDocument/didClose", "workspace/didChangeConfiguration"])
            let params = rng.pick([#"{"textDocument":7}"#, "null", #"{"textDocument":{"uri":"file:///a","version":"1","text":5}}"#,
                                   #"{"textDocument":{"uri":"file:///a","version":1},"contentChanges":[{"range":{"start":{"line":"a"}},"text":1}]}"#])
            return (frame(#"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params)}"#), [])
        case 5:   // invalid JSON
            let body = rng.pick([#"{"jsonrpc":"2.0","#, "{]", "", "nul", #"{"id":1 "method":"x"}"#, "\"\\u12\"", "[1,2"])
            return (frame(body), [Expected(id: .null, code: ErrorCode.parseError)])
        case 6:   // invalid UTF-8: inside a string it is read as U+FFFD (the method is then unknown);
                  // outside one it is not JSON
            return rng.int(below: 2) == 0
                ? (frame(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"x"#.utf8) + [0xFF, 0xC0, 0x80] + Array(#""}"#.utf8)),
                   [Expected(id: id, code: ErrorCode.methodNotFound)])
                : (frame(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"#.utf8) + [0xFF, 0xFE] + Array("}".utf8)),
                   [Expected(id: .null, code: ErrorCode.parseError)])
        case 7:   // an id of a wrong type
            let bad = rng.pick(["true", "{}", "[1]", "1.5"])
            return (frame(#"{"jsonrpc":"2.0","id":\#(bad),"method":"shutdown"}"#), [Expected(id: .null, code: ErrorCode.invalidRequest)])
        case 8:   // not JSON-RPC 2.0, or no method
            return rng.int(below: 2) == 0
                ? (frame(#"{"jsonrpc":"1.0","id":\#(n),"method":"shutdown"}"#), [Expected(id: id, code: ErrorCode.invalidRequest)])
                : (frame(#"{"jsonrpc":"2.0","id":"s\#(n)","params":{}}"#), [Expected(id: .string("s\(n)"), code: ErrorCode.invalidRequest)])
        case 9:   // garbage header block: answered once, then the framer finds the next Content-Length
            let header = rng.pick(["Foo bar", "Content-Length: -5", "Content-Length: 99999999999999999999999",
                                   "Content-Length: 1e3", "Content-Type: x", "\u{0}\u{1}\u{FF}"])
            let body = rng.int(below: 2) == 0 ? "" : #"{"jsonrpc":"2.0","id":\#(n),"method":"shutdown"}"#
            // While the framer skips to a Content-Length, a block without one is skipped silently.
            let skipped = resyncing && !header.lowercased().contains("content-length")
            return (Array("\(header)\r\n\r\n\(body)".utf8), skipped ? [] : [Expected(id: .null, code: ErrorCode.parseError)])
        case 10:  // Content-Length too small: a truncated body, then the rest ends as a bad header
            let body = Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"galley/nothing"}"#.utf8)
            let cut = 1 + rng.int(below: body.count - 1)
            return (Array("Content-Length: \(cut)\r\n\r\n".utf8) + body + Array("\r\n\r\n".utf8),
                    [Expected(id: .null, code: ErrorCode.parseError), Expected(id: .null, code: ErrorCode.parseError)])
        case 11:  // Content-Length too large by k: the k spaces after the body complete it (trailing
                  // whitespace is valid JSON); leftover spaces before the next header are trimmed
            let body = Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"galley/nothing"}"#.utf8)
            let k = 1 + rng.int(below: 16)
            return (Array("Content-Length: \(body.count + k)\r\n\r\n".utf8) + body + Array(repeating: 32, count: 16),
                    [Expected(id: id, code: ErrorCode.methodNotFound)])
        case 12:  // a document with awkward text, changed and checked
            let uri = "file:///d\(rng.int(below: 3)).txt"
            let text = rng.pick(texts)
            let open = JSON.object(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                                    "params": ["textDocument": ["uri": .string(uri), "languageId": "plaintext", "version": 1, "text": .string(text)]]])
            let change = JSON.object(["jsonrpc": "2.0", "method": "textDocument/didChange",
                                      "params": ["textDocument": ["uri": .string(uri), "version": 2],
                                                 "contentChanges": [["range": ["start": ["line": JSON(rng.int(below: 3)), "character": JSON(rng.int(below: 9))],
                                                                               "end": ["line": JSON(rng.int(below: 5)), "character": JSON(rng.int(below: 400))]],
                                                                     "text": .string(rng.pick(texts))]]]])
            let pull = JSON.object(["jsonrpc": "2.0", "id": id, "method": "textDocument/diagnostic",
                                    "params": ["textDocument": ["uri": .string(uri)]]])
            return (frame(open.serialized()) + frame(change.serialized()) + frame(pull.serialized()), [Expected(id: id, code: nil)])
        case 13:  // extra headers, any case and spacing
            return (Array("content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:\t".utf8)
                    + Array("\(#"{"jsonrpc":"2.0","id":\#(n),"method":"x"}"#.utf8.count)\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":\(n),\"method\":\"x\"}".utf8),
                    [Expected(id: id, code: ErrorCode.methodNotFound)])
        case 14:  // a response from the client to nothing: ignored
            return (frame(#"{"jsonrpc":"2.0","id":\#(n),"result":null}"#), [])
        default:  // a batch and a non-object
            return rng.int(below: 2) == 0
                ? (frame(#"[{"jsonrpc":"2.0","id":\#(n),"method":"shutdown"}]"#), [Expected(id: .null, code: ErrorCode.invalidRequest)])
                : (frame("42"), [Expected(id: .null, code: ErrorCode.invalidRequest)])
        }
    }

    static let initialize = frame(#"{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{"textDocument":{"diagnostic":{}}}}}"#)
        + frame(#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)
    static let shutdown = frame(#"{"jsonrpc":"2.0","id":"last","method":"shutdown"}"#)

    /// Feeds `bytes` in random chunks; returns the responses (messages with an id and no method).
    static func run(_ bytes: [UInt8], _ rng: inout Rng, session: inout ServerSession) -> [JSON] {
        var output = MessageFramer()
        var at = 0
        while at < bytes.count {
            let size = rng.int(below: 4) == 0 ? 1 + rng.int(below: 4096) : 1 + rng.int(below: 40)
            let end = min(bytes.count, at + size)
            output.append(session.receive(bytes[at..<end]))
            at = end
        }
        var responses: [JSON] = []
        for frame in output.drain() {
            guard case .message(let body) = frame, let m = try? JSON.parse(body) else {
                XCTFail("the server wrote something that is not framed JSON: \(frame)")
                continue
            }
            if m["method"] == nil { responses.append(m) }
        }
        return responses
    }

    func testRandomStreamsGetTheRightAnswersAndShutdownIsStillAnswered() {
        var rng = Rng(seed: 7)
        var streams = 0, pieces = 0
        for stream in 0..<2000 {
            var bytes = Self.initialize
            var expected = [Expected(id: "init", code: nil)]
            var resyncing = false
            for n in 0..<(1 + rng.int(below: 12)) {
                let (b, e) = Self.piece(&rng, id: 100 * stream + n, resyncing: &resyncing)
                bytes += b
                expected += e
                pieces += 1
            }
            bytes += Self.shutdown
            expected.append(Expected(id: "last", code: nil))
            var session = ServerSession(server: LanguageServer())
            let responses = Self.run(bytes, &rng, session: &session)
            let got = responses.map { Expected(id: $0["id"] ?? .null, code: $0["error"]?["code"]?.int) }
            if got != expected {
                XCTFail("stream \(stream): expected \(expected), got \(got)\n\(String(decoding: bytes, as: UTF8.self))")
                return
            }
            XCTAssertEqual(session.framer.pendingCount, 0, "stream \(stream)")
            streams += 1
        }
        XCTAssertEqual(streams, 2000)
        XCTAssertGreaterThan(pieces, 10_000)
    }

    /// A stream that ends inside a body (a truncated message or a huge Content-Length) leaves the
    /// session waiting, holding no more than it was given, answering nothing for it.
    func testStreamsEndingInsideABodyWaitWithoutGrowing() {
        var rng = Rng(seed: 11)
        for declared in [50, 1 << 20, 1_000_000_000_000_000] {
            var session = ServerSession(server: LanguageServer())
            let tail = Array("Content-Length: \(declared)\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,".utf8)
            let bytes = Self.initialize + tail
            let responses = Self.run(bytes, &rng, session: &session)
            XCTAssertEqual(responses.map { $0["id"] }, ["init"], "\(declared)")
            XCTAssertLessThanOrEqual(session.framer.pendingCount, tail.count)
            XCTAssertNil(session.exitCode)
        }
    }

    /// Random bytes and random mutations of a valid stream (bytes flipped, dropped, duplicated):
    /// never a crash, only framed JSON out, and a fresh valid stream afterwards is still answered
    /// unless the mutated one ended inside a declared body.
    func testMutatedStreamsNeverBreakTheSession() {
        var rng = Rng(seed: 3)
        let valid = Self.initialize + Self.frame(#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a"},"position":{"line":0,"character":0}}}"#)
        var answeredAfter = 0
        for _ in 0..<500 {
            var bytes = valid
            for _ in 0..<(1 + rng.int(below: 6)) {
                let i = rng.int(below: bytes.count)
                switch rng.int(below: 3) {
                case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: i)
                default: bytes.insert(contentsOf: bytes[i..<min(bytes.count, i + rng.int(below: 30))], at: i)
                }
            }
            var session = ServerSession(server: LanguageServer())
            _ = Self.run(bytes, &rng, session: &session)
            guard session.exitCode == nil else { continue }
            // A blank line ends any partial header; then a request that every state answers.
            let probe = Array("\r\n\r\n".utf8) + Self.frame(#"{"jsonrpc":"2.0","id":"probe","method":"galley/nothing"}"#)
            let after = Self.run(probe, &rng, session: &session)
            if after.contains(where: { $0["id"] == "probe" }) {
                answeredAfter += 1
            } else {
                XCTAssertGreaterThan(session.framer.pendingCount, 0, "no answer, and not waiting for a body: \(Array(bytes))")
            }
        }
        XCTAssertGreaterThan(answeredAfter, 250)
    }
}
