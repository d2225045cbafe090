import Foundation
import XCTest
@testable import LanguageServer

/// `galley lsp` as an editor runs it: the built binary over real pipes, one message at a time,
/// each answer read before the next message is written.
final class BinarySessionTests: XCTestCase {
    /// Found like GalleyCLITests' BinaryTests: next to the test bundle, or in `.build/debug/`.
    /// The binary is not built by the tests: run `swift build` before `swift test`.
    static func galleyExecutable() -> String? {
        let bundle = Bundle(for: BinarySessionTests.self).bundleURL
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("galley"),
                          bundle.appendingPathComponent("galley"),
                          packageRoot.appendingPathComponent(".build/debug/galley")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
    }

    func testSessionOverPipes() throws {
        guard let path = Self.galleyExecutable() else {
            return XCTFail("The galley executable was not found. Run `swift build` before `swift test`.")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["lsp", "--stdio", "--log-level", "info"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Hang protection only (no assertion on time): a stuck server is killed so the suite ends.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }

        var framer = MessageFramer()
        var allOutput: [UInt8] = []
        func send(_ m: JSON) { stdin.fileHandleForWriting.write(Data(MessageFramer.frame(m.serialized()))) }
        var logMessages: [String] = []
        /// Reads until one whole message has arrived (nil at end of output); `window/logMessage`
        /// notifications (asked for by `--log-level info`) are set aside.
        func readMessage() -> JSON? {
            while true {
                if let frame = framer.next() {
                    guard case .message(let body) = frame else { XCTFail("bad frame \(frame)"); return nil }
                    let m = try? JSON.parse(body)
                    if m?["method"] == "window/logMessage" { logMessages.append(m?["params"]?["message"]?.string ?? ""); continue }
                    return m
                }
                let data = stdout.fileHandleForReading.availableData
                if data.isEmpty { return nil }
                allOutput += data
                framer.append(data)
            }
        }

        send(["jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": ["capabilities": ["general": ["positionEncodings": ["utf-8"]]]]])
        let initialized = readMessage()
        XCTAssertEqual(initialized?["id"], 1)
        XCTAssertEqual(initialized?["result"]?["capabilities"]?["positionEncoding"], "utf-8")
        send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
        send(["jsonrpc": "2.0", "method": "textDocument/didOpen",
              "params": ["textDocument": ["uri": "file:///tmp/a.txt", "languageId": "plaintext", "version": 7,
                                          "text": "𠮷😀在 4月1日\n"]]])
        let published = readMessage()
        XCTAssertEqual(published?["method"], "textDocument/publishDiagnostics")
        XCTAssertEqual(published?["params"]?["version"], 7)
        XCTAssertEqual(published?["params"]?["diagnostics"]?.array?.map { $0["range"]! }, [lspRange(0, 11, 0, 12)])
        send(["jsonrpc": "2.0", "id": 2, "method": "shutdown"])
        let shutdown = readMessage()
        XCTAssertEqual(shutdown?["id"], 2)
        XCTAssertEqual(shutdown?["result"], .null)
        send(["jsonrpc": "2.0", "method": "exit"])
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        // Nothing but framed messages on standard output; the log went to standard error.
        XCTAssertNil(readMessage())
        XCTAssertEqual(framer.pendingCount, 0, String(decoding: allOutput, as: UTF8.self))
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("galley lsp: info: initialized: position encoding utf-8"), log)
        XCTAssertTrue(logMessages.contains("initialized: position encoding utf-8, push diagnostics"), "\(logMessages)")
    }
}

/// The stdio loop's exit statuses, run in-process on pipes.
final class StdioLoopTests: XCTestCase {
    func run(_ input: [UInt8]) -> (status: Int32, output: [UInt8]) {
        let inPipe = Pipe(), outPipe = Pipe()
        inPipe.fileHandleForWriting.write(Data(input))
        try? inPipe.fileHandleForWriting.close()
        let status = runLanguageServer(input: inPipe.fileHandleForReading.fileDescriptor,
                                       output: outPipe.fileHandleForWriting.fileDescriptor) { _ in }
        try? outPipe.fileHandleForWriting.close()
        return (status, [UInt8](outPipe.fileHandleForReading.readDataToEndOfFile()))
    }

    func frame(_ m: JSON) -> [UInt8] { MessageFramer.frame(m.serialized()) }
    let initialize: JSON = ["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["capabilities": [:]]]

    func testExitStatuses() {
        let exit: JSON = ["jsonrpc": "2.0", "method": "exit"]
        let shutdown: JSON = ["jsonrpc": "2.0", "id": 2, "method": "shutdown"]
        XCTAssertEqual(run(frame(initialize) + frame(shutdown) + frame(exit)).status, 0)
        XCTAssertEqual(run(frame(initialize) + frame(exit)).status, 1)
        // End of input without exit: a clean stop, after answering what was read.
        let eof = run(frame(initialize))
        XCTAssertEqual(eof.status, 0)
        var framer = MessageFramer()
        framer.append(eof.output)
        XCTAssertEqual(framer.drain().count, 1)
        // Nothing is read after exit.
        let after = run(frame(initialize) + frame(exit) + frame(["jsonrpc": "2.0", "id": 3, "method": "shutdown"]))
        framer = MessageFramer()
        framer.append(after.output)
        XCTAssertEqual(framer.drain().count, 1)
    }

    /// Edits waiting in the pipe are one batch: checked one by one, published once, with the last version.
    func testEditsWaitingInThePipeArePublishedOnce() {
        let uri = "file:///tmp/burst.txt"
        var input = frame(initialize) + frame(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
        input += frame(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ["textDocument": [
            "uri": .string(uri), "languageId": "plaintext", "version": 1, "text": "本报讯 记者来到现场。\n"]]])
        for v in 2...120 { input += frame(BatchTests.change(uri, version: v, line: 0, text: "１")) }
        XCTAssertLessThan(input.count, 60_000)   // fits the pipe and one read
        let result = run(input)
        XCTAssertEqual(result.status, 0)
        var framer = MessageFramer()
        framer.append(result.output)
        let published = framer.drain().compactMap { frame -> JSON? in
            guard case .message(let body) = frame, let m = try? JSON.parse(body), m["method"] == "textDocument/publishDiagnostics" else { return nil }
            return m
        }
        XCTAssertEqual(published.count, 1)
        XCTAssertEqual(published.first?["params"]?["version"], JSON(120))
    }
}
