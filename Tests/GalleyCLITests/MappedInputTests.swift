import Foundation
import XCTest
import Proofreading
import TextModel
@testable import GalleyCLI

/// `check` maps a file of 1 MB or more instead of reading it (`FileIO.map`): the text, the findings
/// and every complaint about bad bytes must be what reading it gives.
final class MappedInputTests: XCTestCase {
    /// The seeds one after another, with a name outside the BMP among them, to at least `size` bytes.
    func seedText(atLeast size: Int) throws -> [UInt8] {
        let names = try FileManager.default.contentsOfDirectory(atPath: seedPath("")).filter { $0.hasSuffix(".txt") }.sorted()
        var bytes: [UInt8] = []
        while bytes.count < size {
            for name in names { bytes += try [UInt8](Data(contentsOf: URL(fileURLWithPath: seedPath(name)))) + Array("\n记者𠀀在现场\n".utf8) }
        }
        return bytes
    }

    func load(_ file: URL, mapped: Bool) -> Result<TextDocument, InputSession.LoadFailure> {
        let target = Target.file(InputFile(displayPath: file.lastPathComponent, absolutePath: file.path, explicit: true))
        return InputSession.load(target, standardInput: nil, mapped: mapped).map(\.document)
    }

    func testMappedFileChecksAsRead() throws {
        let root = try makeTemporaryFolder(self)
        let bytes = try seedText(atLeast: 1_500_000)
        let file = try root.write("big.txt", bytes)
        XCTAssertEqual(FileIO.map(file.path)?.array, bytes, "a file of 1 MB or more is mapped")
        let mapped = try load(file, mapped: true).get(), read = try load(file, mapped: false).get()
        XCTAssertEqual(mapped.bytes, read.bytes)
        XCTAssertEqual(mapped.lines, read.lines)
        let linter = Linter()
        let found = linter.check(mapped)
        XCTAssertGreaterThan(found.count, 1000)
        XCTAssertEqual(found, linter.check(read))
        // What `check` prints comes from the mapped text: the same as from standard input.
        let fromFile = runGalley(["check", "--format", "json", "big.txt"], in: root)
        let fromStdin = runGalley(["check", "--format", "json", "--stdin-filename", "big.txt", "-"], in: root, stdin: bytes)
        XCTAssertEqual(fromFile.status, 1, fromFile.stderr)
        XCTAssertEqual(fromFile.stdout, fromStdin.stdout)
    }

    func testSmallFilesFoldersAndMissingFilesAreNotMapped() throws {
        let root = try makeTemporaryFolder(self)
        let small = try root.write("small.txt", wrappedText)
        XCTAssertNil(FileIO.map(small.path))
        XCTAssertNil(FileIO.map(root.path))
        XCTAssertNil(FileIO.map(root.appendingPathComponent("missing.txt").path))
        XCTAssertEqual(try load(small, mapped: true).get().bytes.array, Array(wrappedText.utf8))
    }

    /// A FIFO is read, not mapped, and what its writer wrote is all checked (opening it to map it and
    /// closing it unread would drop that).
    func testAFIFOIsReadWhole() throws {
        let root = try makeTemporaryFolder(self)
        let fifo = root.appendingPathComponent("pipe.txt")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo.path) else { return }
            handle.write(Data(wrappedText.utf8))
            try? handle.close()
        }
        writer.start()
        let r = runGalley(["check", "--select", "broken-wrap", "pipe.txt"], in: root)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("pipe.txt:1:4: "), r.stdout)
    }

    func testBadBytesInAMappedFileAreReportedAsRead() throws {
        let root = try makeTemporaryFolder(self)
        let good = try seedText(atLeast: 1_200_000)
        let cases: [(String, [UInt8])] = [
            ("invalid.txt", good + [0xFF] + Array("看到。\n".utf8)),
            ("gb18030.txt", good + [0xBC, 0xC7, 0xD5, 0xDF, 0xD4, 0xDA, 0xCF, 0xD6, 0xB3, 0xA1] + Array("\n".utf8)),
            ("binary.txt", [0x00] + good),
            ("utf16.txt", [0xFF, 0xFE] + good),
        ]
        for (name, bytes) in cases {
            let file = try root.write(name, bytes)
            XCTAssertNotNil(FileIO.map(file.path), name)
            guard case .failure(let mapped) = load(file, mapped: true), case .failure(let read) = load(file, mapped: false) else {
                XCTFail("\(name) is not reported"); continue
            }
            XCTAssertEqual(mapped.message, read.message, name)
        }
    }

    /// Bytes borrowed from a mapping are shared by the parts cut from them, and copied by an edit:
    /// the file's pages are never written.
    func testEditingAMappedTextCopiesIt() throws {
        let root = try makeTemporaryFolder(self)
        let bytes = try seedText(atLeast: 1_100_000)
        let file = try root.write("big.txt", bytes)
        let whole = try XCTUnwrap(FileIO.map(file.path))
        let document = TextDocument(bytes: whole)
        let section = document.section(0..<document.lines.starts[3])
        section.bytes.withUnsafeBufferPointer { part in
            whole.withUnsafeBufferPointer { all in XCTAssertEqual(part.baseAddress, all.baseAddress, "a section reads the mapping in place") }
        }
        var edited = section
        edited.replace(0..<0, with: "新")
        XCTAssertEqual(edited.bytes.array, Array("新".utf8) + Array(bytes[0..<document.lines.starts[3]]))
        XCTAssertEqual(section.bytes.array, Array(bytes[0..<document.lines.starts[3]]))
        XCTAssertEqual(whole.array, bytes)
    }
}
