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
        process.arguments = ["lsp"]
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
        /// Reads until one whole message has arrived (nil at end of output).
        func readMessage() -> JSON? {
            while true {
                if let frame = framer.next() {
                    guard case .message(let body) = frame else { XCTFail("bad frame \(frame)"); return nil }
                    return try? JSON.parse(body)
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
        XCTAssertTrue(log.contains("galley lsp: initialized: position encoding utf-8"), log)
    }
}
