import XCTest
import TextModel
@testable import Proofreading
@testable import LanguageServer

/// Messages that arrive together are one batch: a burst of edits is published once, and a request
/// cancelled within the batch is answered with -32800 without running.
final class BatchTests: XCTestCase {
    static func frame(_ m: JSON) -> [UInt8] { MessageFramer.frame(m.serialized()) }

    static func change(_ uri: String, version: Int, line: Int, text: String) -> JSON {
        ["jsonrpc": "2.0", "method": "textDocument/didChange", "params": [
            "textDocument": ["uri": .string(uri), "version": JSON(version)],
            "contentChanges": [["range": ["start": ["line": JSON(line), "character": 0], "end": ["line": JSON(line), "character": 0]],
                                "text": .string(text)]]]]
    }

    func testABurstOfEditsIsPublishedOnceWithTheLastVersion() {
        let client = TestClient()
        client.initialize()
        let uri = "file:///tmp/burst.txt"
        client.open(uri, "本报讯 记者来到现场。\n")
        var burst: [UInt8] = []
        for v in 2...6 { burst += Self.frame(Self.change(uri, version: v, line: 0, text: "１")) }
        let messages = client.send(bytes: burst)
        let published = messages.filter { $0["method"] == "textDocument/publishDiagnostics" }
        XCTAssertEqual(published.count, 1)
        XCTAssertEqual(published.first?["params"]?["version"], JSON(6))
        // The one publish is of the final text: five full-width digits, one numeral-width finding.
        let codes = published.first?["params"]?["diagnostics"]?.array?.compactMap { $0["code"]?.string } ?? []
        XCTAssertEqual(codes.filter { $0 == "numeral-width" }.count, 1)
        // Edits sent one at a time are published one at a time.
        let one = client.send(bytes: Self.frame(Self.change(uri, version: 7, line: 0, text: "２")))
        XCTAssertEqual(one.filter { $0["method"] == "textDocument/publishDiagnostics" }.count, 1)
    }

    func testACancelledRequestInTheSameBatchIsAnsweredWithRequestCancelled() {
        let client = TestClient()
        client.initialize()
        let uri = "file:///tmp/cancel.txt"
        client.open(uri, "１２月\n")
        let hover: JSON = ["jsonrpc": "2.0", "id": 77, "method": "textDocument/hover",
                           "params": ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 0]]]
        let cancel: JSON = ["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 77]]
        let messages = client.send(bytes: Self.frame(hover) + Self.frame(cancel))
        let answer = messages.first { $0["id"] == JSON(77) }
        XCTAssertEqual(answer?["error"]?["code"], JSON(ErrorCode.requestCancelled))
        // A cancel for a request already answered changes nothing; the session goes on.
        let again: JSON = ["jsonrpc": "2.0", "id": "h2", "method": "textDocument/hover",
                           "params": ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 0]]]
        let answered = client.send(bytes: Self.frame(again)).first { $0["id"] == "h2" }
        XCTAssertNotNil(answered?["result"])
        XCTAssertTrue(client.send(bytes: Self.frame(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": "h2"]])).isEmpty)
    }

    /// The capped list is the one a full sort would give: errors first, then nearest to the edit.
    func testCappedDiagnosticsAreTheNearestToTheEdit() throws {
        let text = String(repeating: "今年１２月，记者 来到 现场,看到了“变化。\n\n", count: 300)
        var configuration = Configuration()
        configuration.rules["punctuation-width"] = RuleSetting(severity: .error)
        let checked = CheckedDocument(TextDocument(text), linter: Linter(configuration: configuration))
        let all = checked.diagnostics
        for (limit, offset) in [(10, 0), (50, text.utf8.count / 2), (400, text.utf8.count), (7, 1234), (1, 5), (3, 37), (11, 600), (2, 61)] {
            func distance(_ r: Range<Int>) -> Int {
                r.contains(offset) || r.upperBound == offset ? 0 : (r.lowerBound > offset ? r.lowerBound - offset : offset - r.upperBound)
            }
            let expected = all.indices.sorted {
                (all[$0].severity == .error ? 0 : 1, distance(all[$0].range), $0) < (all[$1].severity == .error ? 0 : 1, distance(all[$1].range), $1)
            }.prefix(limit).sorted().map { all[$0] }
            let (kept, total) = checked.diagnostics(limit: limit, nearest: offset)
            XCTAssertEqual(total, all.count)
            XCTAssertEqual(kept, expected, "limit \(limit) offset \(offset)")
        }
    }

    /// On a long text the "fix all" actions carry a command (the fix loop runs when chosen), which
    /// the server then carries out with `workspace/applyEdit`.
    func testFixAllOnALongTextIsACommandCarriedOutWhenChosen() {
        let client = TestClient()
        client.initialize()
        client.session.server.deferredFixAllSize = 10   // "long" for this test
        let uri = "file:///tmp/long.txt"
        client.open(uri, "今年１２月，记者来到现场。\n\n又是１２月。\n")
        let actions = client.request("textDocument/codeAction", ["textDocument": ["uri": .string(uri)],
            "range": ["start": ["line": 0, "character": 2], "end": ["line": 0, "character": 2]], "context": ["diagnostics": []]])["result"]?.array ?? []
        let commands = actions.compactMap { $0["command"]?["command"]?.string }
        XCTAssertEqual(commands, ["galley.fixRule", "galley.fixAll"])
        XCTAssertTrue(actions.contains { $0["kind"] == "quickfix" && $0["edit"] != nil })   // the finding's own fix stays an edit
        let fixAll = actions.first { $0["command"]?["command"] == "galley.fixAll" }!["command"]!
        let sent = client.request("workspace/executeCommand", ["command": fixAll["command"]!, "arguments": fixAll["arguments"]!])
        XCTAssertEqual(sent["result"], JSON.null)
        let apply = client.received.last { $0["method"] == "workspace/applyEdit" }
        let edits = apply?["params"]?["edit"]?["changes"]?[uri]?.array ?? []
        XCTAssertEqual(edits.count, 1)
        XCTAssertTrue(edits.first?["newText"]?.string?.contains("12") ?? false)
    }
}

/// Long texts are checked on several threads (runs of sections): the findings are the same as on
/// one thread. Run under the thread sanitizer by `.ci/run`.
final class ParallelCheckTests: XCTestCase {
    func testParallelCheckEqualsOneThread() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let seeds = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("seeds").path).sorted()
            .map { try String(contentsOf: root.appendingPathComponent("seeds").appendingPathComponent($0), encoding: .utf8) }
        var text = ""
        while text.utf8.count < 300_000 { text += seeds.joined(separator: "\n") + "\n" }
        let document = TextDocument(text)
        var serial = Linter()
        serial.parallelThreshold = .max
        let parallel = Linter()
        XCTAssertLessThan(parallel.parallelThreshold, document.count)
        let expected = serial.check(document)
        XCTAssertGreaterThan(expected.count, 3000)
        XCTAssertEqual(parallel.check(document), expected)
        XCTAssertEqual(CheckedDocument(document, linter: parallel).diagnostics, expected)
    }

    /// Runs cover every section once, in order. A big text's runs shrink towards the end: 64
    /// sections while many are left, 8 at the end, so the last run keeps a core idle briefly; a
    /// smaller one is cut in equal runs, a few per core.
    func testRunsShrinkTowardsTheEnd() {
        for (n, cores) in [(2560, 2), (40, 2), (3, 2), (1000, 8), (5, 1), (700, 2)] {
            let bounds = Linter.runBounds(n, cores: cores)
            XCTAssertEqual(bounds.first, 0)
            XCTAssertEqual(bounds.last, n)
            let sizes = zip(bounds.dropFirst(), bounds).map { $0 - $1 }
            XCTAssertTrue(sizes.allSatisfy { $0 >= 1 && $0 <= 64 }, "\(n) \(sizes)")
            if n > 64 * 4 * cores {
                XCTAssertEqual(sizes, sizes.sorted(by: >), "\(n): not shrinking \(sizes)")
                XCTAssertEqual(sizes.first, 64)
                XCTAssertLessThanOrEqual(sizes.last!, 8)
            } else {
                XCTAssertEqual(sizes.count, min(n, 4 * cores))
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "\(n): unequal \(sizes)")
            }
        }
    }
}

/// A long text's check leaves much memory freed; the server gives it back when idle, not at once.
final class IdleTrimTests: XCTestCase {
    func testALongTextsCheckAndCloseAskForATrimWhenIdle() {
        let client = TestClient()
        client.initialize()
        let server = client.session.server
        XCTAssertEqual(server.longText, 1 << 20)
        // Scaled down: a text of a megabyte takes seconds in a debug build (minutes under TSan).
        server.longText = 2_000
        client.open("file:///tmp/short.txt", "本报讯 记者来到现场。\n")
        XCTAssertFalse(server.trimWhenIdle, "a short text frees little")
        let long = String(repeating: "今年１２月，记者 来到 现场,看到了“变化。\n\n", count: 40)
        XCTAssertGreaterThanOrEqual(long.utf8.count, server.longText)
        client.open("file:///tmp/long.txt", long)
        XCTAssertTrue(server.trimWhenIdle, "opening (and checking) a long text")
        server.trimMemory()
        XCTAssertFalse(server.trimWhenIdle)
        // Edits free little: no trim is asked for while typing.
        _ = client.send(BatchTests.change("file:///tmp/long.txt", version: 2, line: 0, text: "１"))
        XCTAssertFalse(server.trimWhenIdle)
        _ = client.notify("textDocument/didClose", ["textDocument": ["uri": "file:///tmp/short.txt"]])
        XCTAssertFalse(server.trimWhenIdle)
        _ = client.notify("textDocument/didClose", ["textDocument": ["uri": "file:///tmp/long.txt"]])
        XCTAssertTrue(server.trimWhenIdle, "closing a long text")
    }

    /// The stdio loop gives the memory back once no message has come for `idleTrimDelay`, and goes on.
    func testTheStdioLoopTrimsWhenIdleAndGoesOn() throws {
        let inPipe = Pipe(), outPipe = Pipe()
        let frame = { (m: JSON) in Data(MessageFramer.frame(m.serialized())) }
        let long = String(repeating: "今年１２月，记者 来到 现场,看到了“变化。\n\n", count: 40)
        let lines = LockedLines()
        let done = DispatchSemaphore(value: 0)
        let status = LockedLines()
        Thread.detachNewThread {
            let code = runLanguageServer(input: inPipe.fileHandleForReading.fileDescriptor,
                                         output: outPipe.fileHandleForWriting.fileDescriptor,
                                         logLevel: .info, idleTrimDelay: 50, longText: 2_000) { lines.append($0) }
            status.append("\(code)")
            done.signal()
        }
        // The server's output is drained as it comes (a publish may not fit the pipe).
        Thread.detachNewThread { _ = outPipe.fileHandleForReading.readDataToEndOfFile() }
        inPipe.fileHandleForWriting.write(frame(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:]]]))
        inPipe.fileHandleForWriting.write(frame(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ["textDocument": [
            "uri": "file:///tmp/long.txt", "languageId": "plaintext", "version": 1, "text": .string(long)]]]))
        let deadline = Date().addingTimeInterval(120)
        while !lines.contains("idle: freed memory given back"), Date() < deadline { usleep(20_000) }
        XCTAssertTrue(lines.contains("idle: freed memory given back"), "\(lines.all)")
        // Still serving: a shutdown and exit end it cleanly.
        inPipe.fileHandleForWriting.write(frame(["jsonrpc": "2.0", "id": 2, "method": "shutdown"]))
        inPipe.fileHandleForWriting.write(frame(["jsonrpc": "2.0", "method": "exit"]))
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(status.all, ["0"])
        try outPipe.fileHandleForWriting.close()
        XCTAssertEqual(lines.all.filter { $0.contains("idle: freed memory given back") }.count, 1, "once, not at every wait")
    }

    func testWaitForInputTellsArrivalTimeoutAndEnd() throws {
        let pipe = Pipe()
        let fd = pipe.fileHandleForReading.fileDescriptor
        XCTAssertFalse(waitForInput(fd, milliseconds: 20), "nothing written: the wait times out")
        pipe.fileHandleForWriting.write(Data("x".utf8))
        XCTAssertTrue(waitForInput(fd, milliseconds: 20_000), "a byte waiting")
        XCTAssertTrue(inputReady(fd))
        _ = pipe.fileHandleForReading.readData(ofLength: 1)
        XCTAssertFalse(inputReady(fd))
        try pipe.fileHandleForWriting.close()
        XCTAssertTrue(waitForInput(fd, milliseconds: 20_000), "the other end closed: a read returns at once")
    }
}

/// Log lines gathered from another thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    func contains(_ part: String) -> Bool { all.contains { $0.contains(part) } }
}
