import Foundation
import XCTest

/// Runs the built `galley` executable as a subprocess, as scripts and CI do.
///
/// The binary is not built by these tests: run `swift build` before `swift test` (CI does both;
/// SwiftPM 6's `swift test` also builds every target, but do not rely on it). It is looked for next
/// to the test bundle (`.build/<triple>/debug/`) and in this package's `.build/debug/` (found from
/// `#filePath`); a missing binary fails the test with a message saying so.
final class BinaryTests: XCTestCase {
    static func galleyExecutable() throws -> String {
        // GALLEY_EXECUTABLE: another build (a release build for a long local run).
        if let path = ProcessInfo.processInfo.environment["GALLEY_EXECUTABLE"], !path.isEmpty { return path }
        var candidates: [URL] = []
        let bundle = Bundle(for: BinaryTests.self).bundleURL
        candidates += [bundle.deletingLastPathComponent().appendingPathComponent("galley"),
                       bundle.appendingPathComponent("galley"),
                       Bundle.main.bundleURL.appendingPathComponent("galley")]
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/galley"))
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c.path }
        throw MissingExecutable(searched: candidates.map(\.path))
    }

    struct MissingExecutable: Error { var searched: [String] }

    func testCheckExitCodes() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("clean.txt", "记者在现场看到。\n")
        try root.write("wrapped.txt", wrappedText)
        let clean = try run(["check", "--select", "broken-wrap", "clean.txt"], in: root)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertEqual(clean.stdout, "")
        XCTAssertTrue(clean.stderr.contains("0 findings"), clean.stderr)
        let found = try run(["check", "--select", "broken-wrap", "--fail-on", "hint", "wrapped.txt"], in: root)
        XCTAssertEqual(found.status, 1, found.stderr)
        XCTAssertTrue(found.stdout.hasPrefix("wrapped.txt:1:4: "), found.stdout)
        let usage = try run(["check", "--no-such-option", "clean.txt"], in: root)
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("--help"), usage.stderr)
    }

    /// One bad-UTF-8 file and one good file in a folder: the bad one is named on stderr, the good
    /// one is still checked, and the IO error (2) wins over the findings (1).
    func testFolderWithABadFile() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("docs/a-bad.txt", Array("好".utf8) + [0xC3, 0x28])
        try root.write("docs/b-good.txt", wrappedText)
        let r = try run(["check", "--select", "broken-wrap", "--fail-on", "hint", "docs"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("docs/a-bad.txt: error: not valid UTF-8: invalid byte 0xC3 at byte offset 3 (line 1)"), r.stderr)
        XCTAssertTrue(r.stdout.contains("docs/b-good.txt:1:4: "), r.stdout)
        XCTAssertTrue(r.stderr.contains("in 1 file"), r.stderr)
    }

    func testFixInPlaceKeepsPermissionsAndLeavesNoTemporaryFile() throws {
        let root = try makeTemporaryFolder(self)
        let file = try root.write("a.txt", wrappedText)
        try FileManager.default.setAttributes([.posixPermissions: 0o604], ofItemAtPath: file.path)
        let r = try run(["fix", "--unsafe", "--select", "broken-wrap", "a.txt"], in: root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try file.bytes(), Array("记者在现场看到。\n".utf8))
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue, 0o604)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".out-") && !$0.hasPrefix(".err-") },
                       ["a.txt"])
        XCTAssertTrue(r.stderr.contains("a.txt: applied "), r.stderr)
    }

    func testFixDiffChangesNothing() throws {
        let root = try makeTemporaryFolder(self)
        let file = try root.write("a.txt", wrappedText)
        let r = try run(["fix", "--unsafe", "--select", "broken-wrap", "--diff", "a.txt"], in: root)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.hasPrefix("--- a/a.txt\n+++ b/a.txt\n@@ "), r.stdout)
        XCTAssertEqual(try file.bytes(), Array(wrappedText.utf8))
    }

    func testFixFromStandardInput() throws {
        let root = try makeTemporaryFolder(self)
        let r = try run(["fix", "--unsafe", "--select", "broken-wrap", "-"], in: root, stdin: wrappedText)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "记者在现场看到。\n")
    }

    func testExplainUnknownRuleExitsTwo() throws {
        let root = try makeTemporaryFolder(self)
        let r = try run(["explain", "no-such-rule"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("broken-wrap"), "lists the known ids: \(r.stderr)")
    }
}

/// Running the binary, for every test class that needs its exit status.
extension XCTestCase {
    func galley() throws -> String {
        do {
            return try BinaryTests.galleyExecutable()
        } catch {
            let searched = (error as? BinaryTests.MissingExecutable)?.searched.joined(separator: ", ") ?? ""
            XCTFail("The galley executable was not found (looked at \(searched)). Run `swift build` before `swift test`.")
            throw error
        }
    }



    /// Runs galley in `folder` with `stdin`; output goes through files so a full pipe cannot block.
    func run(_ arguments: [String], in folder: URL, stdin: String? = nil) throws -> BinaryRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try galley())
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let outURL = folder.appendingPathComponent(".out-\(UUID().uuidString)")
        let errURL = folder.appendingPathComponent(".err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return BinaryRun(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

struct BinaryRun { var status: Int32; var stdout: String; var stderr: String }
