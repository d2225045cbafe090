import Foundation
import XCTest
import Proofreading
@testable import GalleyCLI

/// The commands run in-process on real files in a temporary folder.
final class CommandTests: XCTestCase {
    /// What `fix` does not fix stays byte for byte: the BOM, CRLF endings, the missing final newline.
    func testFixPreservesBOMCRLFAndMissingFinalNewline() throws {
        let root = try makeTemporaryFolder(self)
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let original = bom + Array("第一段。\r\n\r\n记者在\r\n现场看到。".utf8)
        let file = try root.write("a.txt", original)
        let r = runGalley(["fix", "--unsafe", "--select", "broken-wrap", "a.txt"], in: root)
        XCTAssertEqual(r.status, 0, r.stderr)
        let fixed = try file.bytes()
        XCTAssertNotEqual(fixed, original, "broken-wrap joins 记者在 / 现场看到。")
        XCTAssertEqual(Array(fixed.prefix(3)), bom)
        let text = String(decoding: fixed, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}第一段。\r\n\r\n"), text.debugDescription)
        XCTAssertTrue(text.hasSuffix("现场看到。"), text.debugDescription)
        XCTAssertTrue(r.stderr.contains("a.txt: applied "), r.stderr)
    }

    /// A folder is checked several files at a time on all cores: the findings and the IO errors still
    /// come out in file order, the same as checking the files one by one, whatever finishes first.
    func testFolderOutputIsInFileOrderAcrossBatches() throws {
        let root = try makeTemporaryFolder(self)
        let texts = ["记者在\n现场看到。\n", "本报讯 2022 年4月1日，上海发布。\n", "他说,\"好\"。\n", "第一段。\n"]
        var names: [String] = []
        // Several batches: the first, one twice its size (files this small make batches grow), the rest.
        for i in 0..<(CheckCommand.LazyBatches.batchSize * 4 + 3) {
            let name = String(format: "docs/f%03d.txt", i)
            if i == 9 {
                try root.write(name, Array("好".utf8) + [0xC3, 0x28])
            } else {
                // Longer files now and then, so that files finish out of order.
                try root.write(name, String(repeating: texts[i % texts.count], count: i % 5 == 0 ? 400 : 1))
            }
            names.append(name)
        }
        let folder = runGalley(["check", "--no-config", "docs"], in: root)
        XCTAssertEqual(folder.status, 2, folder.stderr)
        var stdout = "", stderr = ""
        for name in names {
            let one = runGalley(["check", "--no-config", name], in: root)
            stdout += one.stdout
            stderr += one.stderr.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { $0.contains("error:") }.map { $0 + "\n" }.joined()
        }
        XCTAssertFalse(stdout.isEmpty)
        XCTAssertEqual(folder.stdout, stdout)
        XCTAssertTrue(folder.stderr.hasPrefix(stderr), folder.stderr)
        XCTAssertTrue(folder.stderr.contains("in \(names.count - 1) files; 1 file skipped"), folder.stderr)
    }

    func testFixStdoutAndDiffLeaveTheFileAlone() throws {
        let root = try makeTemporaryFolder(self)
        let file = try root.write("a.txt", wrappedText)
        let out = runGalley(["fix", "--unsafe", "--select", "broken-wrap", "--stdout", "a.txt"], in: root)
        XCTAssertEqual(out.status, 0)
        XCTAssertEqual(out.stdout, "记者在现场看到。\n")
        let diff = runGalley(["fix", "--unsafe", "--select", "broken-wrap", "--diff", "a.txt"], in: root)
        XCTAssertEqual(diff.status, 1, "changes would be made")
        XCTAssertEqual(diff.stdout, "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,1 @@\n-记者在\n-现场看到。\n+记者在现场看到。\n")
        XCTAssertEqual(try file.bytes(), Array(wrappedText.utf8))
        // Nothing to change: no diff, exit 0.
        try root.write("b.txt", "记者在现场看到。\n")
        let none = runGalley(["fix", "--unsafe", "--select", "broken-wrap", "--diff", "b.txt"], in: root)
        XCTAssertEqual(none.status, 0)
        XCTAssertEqual(none.stdout, "")
    }

    /// A big file is read in 2 MB pieces at once: every byte lands where it belongs, the last piece
    /// short, and the size is the file's.
    func testABigFileReadInPiecesIsReadWhole() throws {
        let root = try makeTemporaryFolder(self)
        let bytes = (0..<(9 << 20) + 12_345).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 21) }
        let file = try root.write("big.txt", bytes)
        let snapshot = try FileIO.read(file.path)
        XCTAssertEqual(snapshot.bytes.count, bytes.count)
        XCTAssertTrue(snapshot.bytes.array == bytes)
    }

    func testFixRefusesAFileThatChangedOnDisk() throws {
        let root = try makeTemporaryFolder(self)
        let file = try root.write("a.txt", wrappedText)
        let snapshot = try FileIO.read(file.path)
        try root.write("a.txt", "别人改过了。\n")
        XCTAssertThrowsError(try FileIO.replace(file.path, with: Array("x".utf8), original: snapshot)) { error in
            XCTAssertTrue("\(error)".contains("changed on disk"), "\(error)")
        }
        XCTAssertEqual(try file.bytes(), Array("别人改过了。\n".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), ["a.txt"], "no temporary file left")
    }

    func testReplaceKeepsPermissionsAndFollowsSymlinks() throws {
        let root = try makeTemporaryFolder(self)
        let file = try root.write("a.txt", "old\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/link.txt", withDestinationPath: "a.txt")
        try FileIO.replace(root.path + "/link.txt", with: Array("new\n".utf8), original: try FileIO.read(root.path + "/link.txt"))
        XCTAssertEqual(try file.bytes(), Array("new\n".utf8))
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/link.txt"), "a.txt")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: root.path)), ["a.txt", "link.txt"])
    }

    func testFixReportsUnreadableFilesAndGoesOn() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("bad.txt", [0x61, 0xFF, 0x0A])
        let good = try root.write("good.txt", wrappedText)
        let r = runGalley(["fix", "--unsafe", "--select", "broken-wrap", "bad.txt", "good.txt"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.txt: error: not valid UTF-8: invalid byte 0xFF at byte offset 1 (line 1)"), r.stderr)
        XCTAssertEqual(try good.bytes(), Array("记者在现场看到。\n".utf8))
    }

    func testStdoutTakesOneFile() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("d/a.txt", wrappedText)
        try root.write("d/b.txt", wrappedText)
        let r = runGalley(["fix", "--stdout", "d"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("2 files"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    /// An unreadable file does not break the JSON: it is reported on stderr only.
    func testJSONStaysValidWithAnUnreadableFile() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("a.txt", wrappedText)
        try root.write("b.txt", [0xE4, 0xB8])
        let r = runGalley(["check", "--format", "json", "--select", "broken-wrap", "a.txt", "b.txt"], in: root)
        XCTAssertEqual(r.status, 2)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(Set(array.compactMap { $0["path"] as? String }), ["a.txt"])
        XCTAssertTrue(r.stderr.contains("b.txt: error: not valid UTF-8: invalid byte 0xE4 at byte offset 0 (line 1)"), r.stderr)
    }

    func testRulesListsEveryRegisteredRule() throws {
        let root = try makeTemporaryFolder(self)
        let table = runGalley(["rules"], in: root)
        XCTAssertEqual(table.status, 0)
        XCTAssertTrue(table.stdout.hasPrefix("RULE"))
        for d in RuleRegistry.all.map({ $0.description }) {
            XCTAssertTrue(table.stdout.contains(d.id) && table.stdout.contains(d.summary), d.id)
        }
        let json = runGalley(["rules", "--format", "json"], in: root)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.compactMap { $0["id"] as? String }, RuleRegistry.ids)
        let wrap = try XCTUnwrap(array.first { $0["id"] as? String == "broken-wrap" })
        XCTAssertEqual(wrap["family"] as? String, "layout")
        XCTAssertEqual(wrap["defaultSeverity"] as? String, BrokenWrapRule.description.defaultSeverity.rawValue)
        XCTAssertEqual(wrap["fix"] as? String, RulesCommand.fixAvailability(BrokenWrapRule.description))
    }

    func testExplainShowsTheExamples() throws {
        let root = try makeTemporaryFolder(self)
        let r = runGalley(["explain", "broken-wrap"], in: root)
        XCTAssertEqual(r.status, 0)
        let d = BrokenWrapRule.description
        XCTAssertTrue(r.stdout.hasPrefix("broken-wrap\n"))
        for section in ["Does not trigger:", "Triggers (↓", "Corrections"] { XCTAssertTrue(r.stdout.contains(section), section) }
        // Every example's lines appear, the ↓ marks included.
        for example in d.nonTriggering + d.triggering + d.corrections.flatMap({ [$0.input, $0.output] }) {
            for line in example.split(separator: "\n") where !line.isEmpty {
                XCTAssertTrue(r.stdout.contains("│ " + RulesCommand.visible(String(line)).0), String(line))
            }
        }
        if d.corrections.contains(where: \.unsafe) { XCTAssertTrue(r.stdout.contains("(unsafe)")) }
    }

    func testExplainOfAnUnknownRule() throws {
        let root = try makeTemporaryFolder(self)
        let r = runGalley(["explain", "broken-warp"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("unknown rule \"broken-warp\" (did you mean \"broken-wrap\"?)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Known rules: " + RuleRegistry.ids.joined(separator: ", ")), r.stderr)
    }

    func testInvisibleCharactersAreShownInExamples() {
        XCTAssertEqual(RulesCommand.visible("a\tb\u{00A0}c\u{200B}d  ").0, "a⟨tab⟩b⟨nbsp⟩c⟨U+200B⟩d␠␠")
        XCTAssertEqual(RulesCommand.visible("4月 1日").0, "4月 1日")
        XCTAssertFalse(RulesCommand.visible("记者在").1)
    }
}
