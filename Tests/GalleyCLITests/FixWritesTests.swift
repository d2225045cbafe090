#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest
@testable import GalleyCLI

/// `galley fix` never loses a file (issue 7): it writes a temporary file in the same folder, syncs
/// it and renames it over the original, so a process killed at any moment leaves the old or the new
/// content; and it refuses to overwrite a file that changed since it was read.
final class FixWritesTests: XCTestCase {
    /// A temporary file of `FileIO.replace` for `name`: hidden, never taken for a transcription by a
    /// folder walk, and named after the file it was for. SIGKILL between its creation and the rename
    /// leaves one behind; that is accepted (nothing can clean up after SIGKILL), any other leftover is not.
    static func isTemporaryFile(_ entry: String, of name: String) -> Bool {
        guard entry.hasPrefix(".\(name).galley-"), entry.hasSuffix(".tmp") else { return false }
        let middle = entry.dropFirst(name.count + 9).dropLast(4).split(separator: "-")
        return middle.count == 2 && middle.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// Seed text, repeated: many fixable findings (full-width digits, spaces, punctuation, wraps).
    static func seedText(bytes: Int) throws -> [UInt8] {
        let folder = URL(fileURLWithPath: seedPath("x")).deletingLastPathComponent()
        var one: [UInt8] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".txt") {
            one += try folder.appendingPathComponent(name).bytes()
        }
        var result: [UInt8] = []
        while result.count < bytes { result += one }
        return result
    }

    /// Starts `galley fix --unsafe big.txt` and kills it with SIGKILL: 14 times after a random delay
    /// spread over a whole run's duration, 6 times just after its temporary file appears (the write
    /// and rename window, which random delays rarely hit). After each kill the file is byte-equal to
    /// the old or the new content, and nothing but the fix's hidden temporary file is left beside it.
    /// Size: GALLEY_KILL_BYTES (default 100 KB, about 1 s per run in a debug build; with
    /// GALLEY_EXECUTABLE=.build/release/galley a few MB take as long).
    func testFixKilledAtRandomMomentsLeavesOldOrNewContent() throws {
        let size = ProcessInfo.processInfo.environment["GALLEY_KILL_BYTES"].flatMap { Int($0) } ?? 100_000
        let root = try makeTemporaryFolder(self)
        let old = try Self.seedText(bytes: size)
        let file = try root.write("big.txt", old)
        let executable = try galley()

        func start() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = ["fix", "--unsafe", "big.txt"]
            p.currentDirectoryURL = root
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        func others() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0 != "big.txt" } }

        // One run to the end: the new content, and how long a run takes.
        let began = Date()
        let full = try start()
        full.waitUntilExit()
        let duration = Date().timeIntervalSince(began)
        XCTAssertEqual(full.terminationStatus, 0)
        let new = try file.bytes()
        XCTAssertNotEqual(new, old, "the text has fixable findings")
        XCTAssertEqual(try others(), [])

        var seed: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)
        let firstSeed = seed
        func random() -> Double { // SplitMix64 in [0, 1)
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var outcomes = (old: 0, new: 0, leftovers: 0)
        for run in 0..<20 {
            try Data(old).write(to: file)
            let p = try start()
            var delay = 0.0
            if run < 14 {
                delay = random() * duration * 1.1
                usleep(useconds_t(delay * 1_000_000))
            } else {
                // Until the temporary file shows (or the run is surely over), then 0-3 ms more.
                let deadline = Date().addingTimeInterval(duration * 3 + 1)
                while p.isRunning, Date() < deadline, !(try others()).contains(where: { Self.isTemporaryFile($0, of: "big.txt") }) {
                    usleep(200)
                }
                delay = random() * 0.003
                usleep(useconds_t(delay * 1_000_000))
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let now = try file.bytes()
            let context = "run \(run), delay \(delay) s of \(duration) s, seed \(firstSeed)"
            XCTAssertTrue(now == old || now == new, "neither old nor new content (\(now.count) bytes): \(context)")
            if now == new { outcomes.new += 1 } else { outcomes.old += 1 }
            for entry in try others() {
                XCTAssertTrue(Self.isTemporaryFile(entry, of: "big.txt"), "left behind: \(entry) (\(context))")
                outcomes.leftovers += 1
                try FileManager.default.removeItem(at: root.appendingPathComponent(entry))
            }
        }
        print("fix killed 20 times (\(old.count) bytes, a run takes \(String(format: "%.2f", duration)) s, seed \(firstSeed)): "
              + "\(outcomes.old) old, \(outcomes.new) new, \(outcomes.leftovers) temporary files left")
    }

    func testIsTemporaryFile() {
        XCTAssertTrue(Self.isTemporaryFile(".a.txt.galley-123-4567.tmp", of: "a.txt"))
        XCTAssertFalse(Self.isTemporaryFile(".a.txt.galley-123-.tmp", of: "a.txt"))
        XCTAssertFalse(Self.isTemporaryFile("a.txt.galley-123-4567.tmp", of: "a.txt"))
        XCTAssertFalse(Self.isTemporaryFile(".b.txt.galley-123-4567.tmp", of: "a.txt"))
    }

    /// `FileIO.replace` gets the snapshot taken when the file was read: a change since then (more
    /// bytes; the same size with other bytes and the old time put back; another file renamed in its
    /// place; the file gone) makes it refuse, leave the file as it is, and leave no temporary file.
    func testReplaceRefusesAFileChangedSinceItWasRead() throws {
        let root = try makeTemporaryFolder(self)
        let file = try root.write("a.txt", "记者在现场看到。\n")
        func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() }

        var snapshot = try FileIO.read(file.path)
        try root.write("a.txt", "记者在现场看到。\n补记一句。\n")
        XCTAssertThrowsError(try FileIO.replace(file.path, with: Array("new".utf8), original: snapshot)) { error in
            XCTAssertTrue("\(error)".contains("changed on disk since it was read; not written"), "\(error)")
        }
        XCTAssertEqual(try file.bytes(), Array("记者在现场看到。\n补记一句。\n".utf8))
        XCTAssertEqual(try entries(), ["a.txt"])

        // Same size, same modification time (put back), other bytes: the bytes are compared too.
        snapshot = try FileIO.read(file.path)
        let modified = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
        try root.write("a.txt", "记者在现场看到。\n补记二句。\n")
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: file.path)
        XCTAssertThrowsError(try FileIO.replace(file.path, with: Array("new".utf8), original: snapshot))
        XCTAssertEqual(try file.bytes(), Array("记者在现场看到。\n补记二句。\n".utf8))

        // Another file renamed over it (an editor's own atomic save), same bytes: another inode.
        snapshot = try FileIO.read(file.path)
        try root.write("b.txt", try file.bytes())
        XCTAssertEqual(rename(root.appendingPathComponent("b.txt").path, file.path), 0)
        XCTAssertThrowsError(try FileIO.replace(file.path, with: Array("new".utf8), original: snapshot))
        XCTAssertEqual(try entries(), ["a.txt"])

        // Deleted since it was read.
        snapshot = try FileIO.read(file.path)
        try FileManager.default.removeItem(at: file)
        XCTAssertThrowsError(try FileIO.replace(file.path, with: Array("new".utf8), original: snapshot))
        XCTAssertEqual(try entries(), [])

        // Unchanged: written.
        try root.write("a.txt", "旧\n")
        snapshot = try FileIO.read(file.path)
        try FileIO.replace(file.path, with: Array("新\n".utf8), original: snapshot)
        XCTAssertEqual(try file.bytes(), Array("新\n".utf8))
        XCTAssertEqual(try entries(), ["a.txt"])
    }
}
