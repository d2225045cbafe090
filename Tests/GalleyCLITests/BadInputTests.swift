import Foundation
import XCTest
@testable import GalleyCLI

/// Bad input to the CLI (issue 7), through the built binary where the exit status matters: each bad
/// file gets one line on stderr naming its path, the run exits 2, and a good file given in the same
/// run is still checked (its finding printed). Sizes here are small enough for a debug build;
/// `bench/badinput.sh` times 10/20/40 MB in release.
final class BadInputTests: XCTestCase {
    /// Checks `bad.txt` (holding `bytes`) and `good.txt` in one run; returns stderr after the shared asserts.
    @discardableResult
    func checkBadAndGood(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> BinaryRun {
        let root = try makeTemporaryFolder(self)
        try root.write("bad.txt", bytes)
        try root.write("good.txt", wrappedText)
        let r = try run(["check", "--select", "broken-wrap", "bad.txt", "good.txt"], in: root)
        XCTAssertEqual(r.status, 2, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains("bad.txt: error: "), r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.components(separatedBy: "error:").count, 2, "one error line: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stdout.hasPrefix("good.txt:1:4: "), "the good file is still checked: \(r.stdout)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains("in 1 file; 1 file skipped"), r.stderr, file: file, line: line)
        return r
    }

    func testBadInvalidUTF8NamesLineAndOffset() throws {
        let bytes = Array("新华社北京4月1日电\n记者".utf8) + [0xFF] + Array("看到。\n".utf8)
        let r = try checkBadAndGood(bytes)
        XCTAssertTrue(r.stderr.contains("bad.txt: error: not valid UTF-8: invalid byte 0xFF at byte offset 33 (line 2)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("GB18030"), r.stderr)
    }

    func testBadGB18030SaysHowToConvert() throws {
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)
        let text = "本报讯 （记者 张强） 当前，\n上海正面临着常态化防控以来疫情\n"
        let r = try checkBadAndGood([UInt8](try XCTUnwrap(text.data(using: gb18030))))
        XCTAssertTrue(r.stderr.contains("looks like GB18030"), r.stderr)
        XCTAssertTrue(r.stderr.contains("iconv -f GB18030 -t UTF-8 bad.txt > bad.txt.utf8"), r.stderr)
    }

    func utf16(_ text: String, bigEndian: Bool, bom: Bool) throws -> [UInt8] {
        let data = try XCTUnwrap((bom ? "\u{FEFF}" + text : text).data(using: bigEndian ? .utf16BigEndian : .utf16LittleEndian))
        return [UInt8](data)
    }

    static let utf16Text = "新华社北京4月1日电（记者 王𠮷）\r\n记者在现场看到。\r\n"

    func testBadUTF16WithByteOrderMark() throws {
        for bigEndian in [false, true] {
            let r = try checkBadAndGood(try utf16(Self.utf16Text, bigEndian: bigEndian, bom: true))
            XCTAssertTrue(r.stderr.contains("looks like UTF-16 (it starts with a UTF-16\(bigEndian ? "BE" : "LE") byte order mark)"), r.stderr)
            XCTAssertTrue(r.stderr.contains("iconv -f UTF-16 -t UTF-8 bad.txt > bad.txt.utf8"), r.stderr)
        }
    }

    func testBadUTF16WithoutByteOrderMark() throws {
        for bigEndian in [false, true] {
            let name = bigEndian ? "UTF-16BE" : "UTF-16LE"
            let r = try checkBadAndGood(try utf16(Self.utf16Text, bigEndian: bigEndian, bom: false))
            XCTAssertTrue(r.stderr.contains("looks like \(name) without a byte order mark"), r.stderr)
            XCTAssertTrue(r.stderr.contains("iconv -f \(name) -t UTF-8 bad.txt > bad.txt.utf8"), r.stderr)
        }
    }

    func testBadBinaryFile() throws {
        // A PNG header: NULs, but not on one parity as in UTF-16 text.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
                            0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x06, 0x00, 0x00, 0x00]
        let r = try checkBadAndGood(png)
        XCTAssertTrue(r.stderr.contains("bad.txt: error: binary file, skipped (it holds a NUL byte at byte offset 8)"), r.stderr)
    }

    /// `check` of a file that is odd but valid beside good.txt: no error, only good.txt's finding,
    /// exit 1 because of it.
    func assertCheckedBesideGood(_ name: String, in root: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try run(["check", "--select", "broken-wrap", "--fail-on", "hint", name, "good.txt"], in: root)
        XCTAssertEqual(r.status, 1, r.stderr, file: file, line: line)
        XCTAssertFalse(r.stderr.contains("error:"), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stdout.hasPrefix("good.txt:1:4: "), r.stdout, file: file, line: line)
        XCTAssertTrue(r.stderr.contains("in 2 files"), r.stderr, file: file, line: line)
    }

    /// An empty file is not an error: nothing to find, no crash; the exit status is the findings'.
    func testBadInputEmptyFileIsFine() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("empty.txt", [])
        try root.write("good.txt", wrappedText)
        let alone = try run(["check", "empty.txt"], in: root)
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertEqual(alone.stdout, "")
        XCTAssertTrue(alone.stderr.contains("0 findings") && alone.stderr.contains("in 1 file"), alone.stderr)
        try assertCheckedBesideGood("empty.txt", in: root)
        let fixed = try run(["fix", "--unsafe", "empty.txt"], in: root)
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertEqual(try root.appendingPathComponent("empty.txt").bytes(), [])
    }

    /// Seed text with its line breaks taken out: one line of 2 MB (50 MB is timed by bench/badinput.sh).
    func testBadInputHugeLineWithoutNewline() throws {
        let root = try makeTemporaryFolder(self)
        let seed = try String(contentsOfFile: seedPath("001_2da8e7adcae2b5ad.txt"), encoding: .utf8)
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
        var bytes: [UInt8] = []
        while bytes.count < 2_000_000 { bytes += Array(seed.utf8) }
        try root.write("huge.txt", bytes)
        try root.write("good.txt", wrappedText)
        let r = try run(["check", "--fail-on", "hint", "huge.txt", "good.txt"], in: root)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertFalse(r.stderr.contains("error:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("in 2 files"), r.stderr)
        // Every finding of the huge file is on its one line; the good file comes after it.
        let lines = r.stdout.split(separator: "\n")
        let huge = lines.filter { $0.hasPrefix("huge.txt:") }
        XCTAssertGreaterThan(huge.count, 100)
        XCTAssertTrue(huge.allSatisfy { $0.hasPrefix("huge.txt:1:") }, String(huge.first { !$0.hasPrefix("huge.txt:1:") } ?? ""))
        XCTAssertTrue(lines.last?.hasPrefix("good.txt:1:4: ") ?? false, String(lines.last ?? ""))
    }

    func testBadInputMillionEmptyLines() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("empty-lines.txt", [UInt8](repeating: 0x0A, count: 1_000_000))
        try root.write("good.txt", wrappedText)
        try assertCheckedBesideGood("empty-lines.txt", in: root)
        let all = try run(["fix", "--unsafe", "empty-lines.txt"], in: root)
        XCTAssertLessThan(all.status, 2, all.stderr)
    }

    func testBadPathThatDoesNotExist() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("good.txt", wrappedText)
        let r = try run(["check", "--select", "broken-wrap", "gone.txt", "good.txt"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("gone.txt: error: no such file or folder"), r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("good.txt:1:4: "), r.stdout)
    }

    /// A file found in a folder and deleted before it is read (InputSession's seam runs between the
    /// walk and the reads): named on stderr, exit 2, the rest still checked. The same for `fix`.
    func testBadFileDeletedBetweenDiscoveryAndReading() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("docs/a.txt", wrappedText)
        let doomed = try root.write("docs/b.txt", wrappedText)
        try root.write("docs/c.txt", wrappedText)
        var seen: [String] = []
        InputSession.afterDiscovery = { targets in
            seen = targets.map(\.displayPath)
            try? FileManager.default.removeItem(at: doomed)
        }
        defer { InputSession.afterDiscovery = nil }
        let r = runGalley(["check", "--select", "broken-wrap", "docs"], in: root)
        XCTAssertEqual(seen, ["docs/a.txt", "docs/b.txt", "docs/c.txt"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("docs/b.txt: error: cannot open: No such file or directory"), r.stderr)
        XCTAssertTrue(r.stdout.contains("docs/a.txt:1:4: ") && r.stdout.contains("docs/c.txt:1:4: "), r.stdout)
        XCTAssertFalse(r.stdout.contains("docs/b.txt"), r.stdout)

        try root.write("docs/b.txt", wrappedText)
        let f = runGalley(["fix", "--unsafe", "--select", "broken-wrap", "docs"], in: root)
        XCTAssertEqual(f.status, 2)
        XCTAssertTrue(f.stderr.contains("docs/b.txt: error: cannot open: No such file or directory"), f.stderr)
        XCTAssertEqual(try root.appendingPathComponent("docs/a.txt").bytes(), Array("记者在现场看到。\n".utf8))
        XCTAssertEqual(try root.appendingPathComponent("docs/c.txt").bytes(), Array("记者在现场看到。\n".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: doomed.path), "fix does not bring a deleted file back")
    }

    /// A read-only file (0444) is refused by `fix`, even for root (rename only needs the folder to
    /// be writable): a clear error, the file untouched, exit 2, other files still fixed.
    func testBadReadOnlyFileForFix() throws {
        let root = try makeTemporaryFolder(self)
        let locked = try root.write("locked.txt", wrappedText)
        let open = try root.write("open.txt", wrappedText)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: locked.path)
        let r = try run(["fix", "--unsafe", "--select", "broken-wrap", "locked.txt", "open.txt"], in: root)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("locked.txt: error: read-only file; not written"), r.stderr)
        XCTAssertEqual(try locked.bytes(), Array(wrappedText.utf8))
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: locked.path)[.posixPermissions] as? NSNumber)?.intValue, 0o444)
        XCTAssertEqual(try open.bytes(), Array("记者在现场看到。\n".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".out-") && !$0.hasPrefix(".err-") }.sorted(),
                       ["locked.txt", "open.txt"])
        // `check` of the same file is fine: reading is all it needs.
        let c = try run(["check", "--select", "broken-wrap", "--fail-on", "hint", "locked.txt"], in: root)
        XCTAssertEqual(c.status, 1, c.stderr)
    }

    /// Symlink loops: a folder linking to itself is entered once, a pair of file links pointing at
    /// each other is skipped in a walk (not a transcription one can read); named on the command
    /// line, such a link is an error that says what it is.
    func testBadSymlinkLoops() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("docs/good.txt", wrappedText)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root.path + "/docs/loop", withDestinationPath: ".")
        try fm.createSymbolicLink(atPath: root.path + "/docs/a.txt", withDestinationPath: "b.txt")
        try fm.createSymbolicLink(atPath: root.path + "/docs/b.txt", withDestinationPath: "a.txt")
        try fm.createSymbolicLink(atPath: root.path + "/docs/dangling.txt", withDestinationPath: "nowhere.txt")
        let r = try run(["check", "--select", "broken-wrap", "--fail-on", "hint", "docs"], in: root)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }.map { String($0.prefix(18)) }, ["docs/good.txt:1:4:"])
        XCTAssertTrue(r.stderr.contains("in 1 file"), r.stderr)

        let named = try run(["check", "--select", "broken-wrap", "docs/a.txt", "docs/dangling.txt", "docs/good.txt"], in: root)
        XCTAssertEqual(named.status, 2)
        XCTAssertTrue(named.stderr.contains("docs/a.txt: error: symbolic link loop (too many levels of symbolic links)"), named.stderr)
        XCTAssertTrue(named.stderr.contains("docs/dangling.txt: error: broken symbolic link (its target does not exist)"), named.stderr)
        XCTAssertTrue(named.stdout.hasPrefix("docs/good.txt:1:4: "), named.stdout)
    }
}

/// A seed transcription in this package (`seeds/`).
func seedPath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds").appendingPathComponent(name).path
}
