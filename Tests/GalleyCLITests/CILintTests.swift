import Foundation
import XCTest
import Proofreading
import TextModel
@testable import GalleyCLI

/// `check` in CI: SARIF, GitHub annotations, baselines, --changed-since, --files-from, progress.
final class CILintTests: XCTestCase {
    /// Two paragraphs from a bulletin, each with one defect (full-width digits; a space before a digit).
    let oldText = "北京冬奥会于２０２２年2月4日开幕。\n\n记者在 4月1日的现场看到了。\n\n新华社北京电，天气晴朗。\n"

    func document(_ text: String, _ rule: any Rule.Type) -> (TextDocument, [Diagnostic]) {
        let d = TextDocument(text)
        return (d, Linter(only: rule).check(d))
    }

    func write(_ format: OutputFormat, path: String, _ document: TextDocument, _ diagnostics: [Diagnostic]) -> String {
        var bytes: [UInt8] = []
        let out = OutputBuffer(limit: 16) { bytes += $0 }
        let writer = FindingsWriter(format: format, out: out)
        writer.write(path: path, document: document, diagnostics: diagnostics)
        writer.finish()
        out.flush()
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: SARIF

    func testSARIFStructurePositionsFixesAndRelated() throws {
        // 𠮷 is 4 UTF-8 bytes, 2 UTF-16 units, 1 scalar: columns must count it once.
        let text = "𠮷于２０２２年\n“记者\n"
        let doc = TextDocument(text)
        let digits = Array("𠮷于".utf8).count
        let quote = Array("𠮷于２０２２年\n".utf8).count
        let d = Diagnostic(ruleID: "numeral-width", severity: .warning, range: digits..<(digits + 12), message: "Full-width \"２０２２\": write \"2022\"",
                           related: [RelatedLocation(range: quote..<(quote + 3), message: "see here")],
                           fix: Fix(title: "Write \"2022\"", edits: [TextEdit(range: digits..<(digits + 12), newText: "2022")], applicability: .safe))
        let info = Diagnostic(ruleID: "broken-wrap", severity: .information, range: (quote - 1)..<quote, message: "Join")
        let sarif = write(.sarif, path: "新闻/a b.txt", doc, [d, info])
        let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let run = runs[0]
        XCTAssertEqual(run["columnKind"] as? String, "unicodeCodePoints")
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "galley")
        XCTAssertNotNil(driver["informationUri"] as? String)
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String }, RuleRegistry.ids)
        let wrap = try XCTUnwrap(rules.first { $0["id"] as? String == "broken-wrap" })
        XCTAssertEqual((wrap["shortDescription"] as? [String: Any])?["text"] as? String, BrokenWrapRule.description.summary)
        XCTAssertEqual((wrap["defaultConfiguration"] as? [String: Any])?["level"] as? String, "warning")

        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 2)
        let r = results[0]
        XCTAssertEqual(r["ruleId"] as? String, "numeral-width")
        XCTAssertEqual(r["ruleIndex"] as? Int, RuleRegistry.ids.firstIndex(of: "numeral-width"))
        XCTAssertEqual(r["level"] as? String, "warning")
        XCTAssertEqual((results[1]["level"] as? String), "note")
        let physical = try XCTUnwrap(((r["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, "%E6%96%B0%E9%97%BB/a%20b.txt")
        let region = try XCTUnwrap(physical["region"] as? [String: Int])
        XCTAssertEqual(region, ["startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 7])
        XCTAssertEqual((r["partialFingerprints"] as? [String: String])?["galleyFingerprint/v1"], Fingerprint.of(d, in: doc))
        let fix = try XCTUnwrap((r["fixes"] as? [[String: Any]])?.first)
        let change = try XCTUnwrap((fix["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try XCTUnwrap((change["replacements"] as? [[String: Any]])?.first)
        XCTAssertEqual(replacement["deletedRegion"] as? [String: Int], ["startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 7])
        XCTAssertEqual((replacement["insertedContent"] as? [String: String])?["text"], "2022")
        let related = try XCTUnwrap((r["relatedLocations"] as? [[String: Any]])?.first)
        let relatedRegion = (related["physicalLocation"] as? [String: Any])?["region"] as? [String: Int]
        XCTAssertEqual(relatedRegion, ["startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 2])
        XCTAssertNil(results[1]["fixes"])
        XCTAssertEqual(((results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { $0["region"] as? [String: Int] }, ["startLine": 1, "startColumn": 8, "endLine": 2, "endColumn": 1])
    }

    func testSARIFWithoutFindingsIsAnEmptyRun() throws {
        let sarif = write(.sarif, path: "a.txt", TextDocument("好。\n"), [])
        let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let results = (log["runs"] as? [[String: Any]])?.first?["results"] as? [Any]
        XCTAssertEqual(results?.count, 0)
    }

    // MARK: GitHub

    func testGitHubAnnotationsEscapeAsDocumented() {
        let (doc, diagnostics) = document(oldText, NumeralWidthRule.self)
        XCTAssertEqual(write(.github, path: "a,b:c.txt", doc, diagnostics),
                       "::warning file=a%2Cb%3Ac.txt,line=1,col=7,endLine=1,endColumn=11,title=numeral-width::Full-width characters \"２０２２\": write \"2022\"\n")
        let odd = Diagnostic(ruleID: "x", severity: .information, range: 0..<3, message: "100% a\nb, c: d")
        XCTAssertEqual(write(.github, path: "a.txt", doc, [odd]),
                       "::notice file=a.txt,line=1,col=1,endLine=1,endColumn=2,title=x::100%25 a%0Ab, c: d\n")
        let error = Diagnostic(ruleID: "x", severity: .error, range: 0..<3, message: "m")
        XCTAssertTrue(write(.github, path: "a.txt", doc, [error]).hasPrefix("::error file=a.txt,"))
    }

    // MARK: Fingerprints

    func testFingerprintSurvivesMovesAndRewrapButNotEditsNextToIt() {
        func prints(_ text: String) -> [String] {
            let (doc, ds) = document(text, NumeralSpacingRule.self)
            return ds.map { Fingerprint.of($0, in: doc) }
        }
        let original = prints(oldText)
        XCTAssertEqual(original.count, 1)
        // The paragraphs swapped, and the paragraph re-wrapped: same fingerprint.
        XCTAssertEqual(prints("记者在 4月1日的现场看到了。\n\n北京冬奥会于２０２２年2月4日开幕。\n"), original)
        XCTAssertEqual(prints("前言。\n\n记者在 4月1日的\n现场看到了。\n"), original)
        // A different word right next to the defect: a different finding.
        XCTAssertNotEqual(prints("记者在 5月1日的现场看到了。\n"), original)
        XCTAssertNotEqual(prints("记者于 4月1日的现场看到了。\n"), original)
    }

    /// The fingerprint as first defined (strings and scalars), the definition that baselines written
    /// by earlier versions hold: `Fingerprint.of` reads the bytes in place and must give the same.
    static func definedFingerprint(_ d: Diagnostic, in document: TextDocument) -> String {
        let bytes = Array(document.bytes)
        let range = document.clampToScalars(d.range.clamped(to: 0..<bytes.count))
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\n" || s == "\r" || Scalars.isInlineSpace(s) }
        func scalar(_ r: Range<Int>) -> Unicode.Scalar {
            String(decoding: bytes[r], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
        }
        // Up to 16 scalars but white space from `offset` on (or back), stopping at a blank line.
        func context(from offset: Int, forward: Bool) -> [Unicode.Scalar] {
            var found: [Unicode.Scalar] = [], o = offset, newlines = 0
            while (forward ? o < bytes.count : o > 0) && found.count < 16 {
                var next = forward ? o + 1 : o - 1
                while next > 0 && next < bytes.count && bytes[next] & 0xC0 == 0x80 { next += forward ? 1 : -1 }
                let s = scalar(forward ? o..<next : next..<o)
                o = next
                if s == "\n" { newlines += 1; if newlines >= 2 { break }; continue }
                if isSpace(s) { continue }
                newlines = 0
                found.append(s)
            }
            return found
        }
        let before = context(from: range.lowerBound, forward: false), after = context(from: range.upperBound, forward: true)
        let inside = String(decoding: bytes[range], as: UTF8.self).unicodeScalars.filter { !isSpace($0) }
        var key: [UInt8] = Array(d.ruleID.utf8) + [0]
        key += before.reversed().flatMap { Array(String($0).utf8) }
        key.append(1)
        key += inside.flatMap { Array(String($0).utf8) }
        key.append(1)
        key += after.flatMap { Array(String($0).utf8) }
        func fnv1a(_ seed: UInt64) -> String {
            var h = seed
            for b in key { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
            let s = String(h, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return fnv1a(0xcbf2_9ce4_8422_2325) + fnv1a(0x8422_2325_cbf2_9ce4)
    }

    func testFingerprintIsTheDefinedOneOnEverySeedFindingAndAtTheEdges() throws {
        var texts = try SeedSnapshotTests.seeds().map {
            try String(contentsOf: SeedSnapshotTests.root.appendingPathComponent("seeds").appendingPathComponent($0), encoding: .utf8)
        }
        // At the text's ends, after CRLF and blank lines, beside astral characters and spaces of every kind.
        texts += ["２０２２年", "𠮷𠀀 ２０２２年\u{3000}𠮷\r\n\r\n\t记者 4月1日", "a\n\n\n２\n\n b", oldText]
        var checked = 0
        for text in texts {
            let doc = TextDocument(text)
            var findings = Linter().check(doc)
            // And ranges the rules do not make: empty, the whole text, inside a character.
            findings += [0..<0, 0..<doc.count, doc.count..<doc.count, 1..<2].map {
                Diagnostic(ruleID: "x", severity: .hint, range: $0.clamped(to: 0..<doc.count), message: "m")
            }
            for d in findings {
                XCTAssertEqual(Fingerprint.of(d, in: doc), Self.definedFingerprint(d, in: doc), "\(d.ruleID) at \(d.range) in \(text.prefix(20))")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }

    // MARK: In a git repository

    @discardableResult
    func git(_ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main",
                             "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }

    func testBaselineInAGitRepository() throws {
        let repo = try makeTemporaryFolder(self)
        try git(["init", "-q"], in: repo)
        try repo.write("bulletins/old.txt", oldText)
        try git(["add", "-A"], in: repo)
        try git(["commit", "-q", "-m", "old"], in: repo)

        // A baseline of today's findings; writing it exits 0.
        let written = runGalley(["check", "--write-baseline", "galley-baseline.json", "bulletins"], in: repo)
        XCTAssertEqual(written.status, 0, written.stderr)
        let baseline = try Baseline.load(repo.appendingPathComponent("galley-baseline.json").path)
        XCTAssertEqual(baseline.entries.map(\.path), ["bulletins/old.txt", "bulletins/old.txt"])
        XCTAssertEqual(Set(baseline.entries.map(\.rule)), ["numeral-width", "numeral-spacing"])
        try git(["add", "-A"], in: repo)
        try git(["commit", "-q", "-m", "baseline"], in: repo)

        // Unchanged: nothing new.
        let unchanged = runGalley(["check", "--baseline", "galley-baseline.json", "bulletins"], in: repo)
        XCTAssertEqual(unchanged.status, 0, unchanged.stdout + unchanged.stderr)
        XCTAssertEqual(unchanged.stdout, "")
        XCTAssertTrue(unchanged.stderr.contains("2 more in the baseline"), unchanged.stderr)

        // Old paragraphs moved around: still nothing new.
        try repo.write("bulletins/old.txt", "新华社北京电，天气晴朗。\n\n记者在 4月1日的现场看到了。\n\n北京冬奥会于２０２２年2月4日开幕。\n")
        let moved = runGalley(["check", "--baseline", "galley-baseline.json", "bulletins"], in: repo)
        XCTAssertEqual(moved.status, 0, moved.stdout)

        // A new file with a defect (and one copy of an old one): exactly those findings, through git.
        try repo.write("bulletins/new.txt", "本报讯 当前，记者在 4月1日的现场看到了。\n")
        try repo.write("bulletins/notes.md", "not a transcription\n")
        try git(["add", "-A"], in: repo)
        try git(["commit", "-q", "-m", "new"], in: repo)
        let head = runGalley(["check", "--baseline", "galley-baseline.json", "--changed-since", "HEAD~1", "--added-only",
                              "--format", "github", "bulletins"], in: repo)
        XCTAssertEqual(head.status, 1, head.stderr)
        XCTAssertEqual(head.stdout, "::warning file=bulletins/new.txt,line=1,col=11,endLine=1,endColumn=12,title=numeral-spacing::"
                       + "Space between \"在\" and \"4\": write \"在4\"\n")
        XCTAssertTrue(head.stderr.hasPrefix("1 finding (0 errors, 1 warning, 0 information) in 1 file"), head.stderr)
        // Without --added-only the modified old file is checked too, and its findings are in the baseline.
        let modified = runGalley(["check", "--baseline", "galley-baseline.json", "--changed-since", "HEAD~2", "bulletins"], in: repo)
        XCTAssertEqual(modified.stdout, "bulletins/new.txt:1:11: warning: Space between \"在\" and \"4\": write \"在4\" [numeral-spacing]\n")
        XCTAssertTrue(modified.stderr.hasPrefix("1 finding (0 errors, 1 warning, 0 information) in 2 files; 2 more in the baseline"), modified.stderr)

        // A duplicated old defect counts as new.
        try repo.write("bulletins/old.txt", oldText + "\n记者在 4月1日的现场看到了。\n")
        let duplicated = runGalley(["check", "--baseline", "galley-baseline.json", "bulletins/old.txt"], in: repo)
        XCTAssertEqual(duplicated.status, 1)
        XCTAssertEqual(duplicated.stdout.split(separator: "\n").count, 1, duplicated.stdout)

        // Untracked files count as added; an unknown revision is an error (exit 2) that names it.
        try repo.write("bulletins/draft.txt", "记者在 4月1日的现场看到了。\n")
        let untracked = runGalley(["check", "--changed-since", "HEAD", "--added-only"], in: repo)
        XCTAssertEqual(untracked.stdout, "bulletins/draft.txt:1:4: warning: Space between \"在\" and \"4\": write \"在4\" [numeral-spacing]\n")
        let bad = runGalley(["check", "--changed-since", "no-such-rev", "bulletins"], in: repo)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--changed-since no-such-rev"), bad.stderr)
    }

    func testChangedSinceOutsideARepositoryIsAnError() throws {
        let folder = try makeTemporaryFolder(self)
        try folder.write("a.txt", oldText)
        let result = runGalley(["check", "--changed-since", "HEAD", "a.txt"], in: folder)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
    }

    // MARK: --files-from

    func testFilesFromFileAndStandardInput() throws {
        let folder = try makeTemporaryFolder(self)
        try folder.write("a.txt", oldText)
        try folder.write("b.bulletin", "记者在 4月1日的现场看到了。\n")
        try folder.write("list", "a.txt\r\n\n  \nb.bulletin\n")
        let fromFile = runGalley(["check", "--select", "numeral-spacing", "--files-from", "list"], in: folder)
        XCTAssertEqual(fromFile.stdout.split(separator: "\n").map { $0.split(separator: ":").first! }, ["a.txt", "b.bulletin"])
        let fromStdin = runGalley(["check", "--select", "numeral-spacing", "--files-from", "-"], in: folder, stdin: Array("b.bulletin\n".utf8))
        XCTAssertEqual(fromStdin.stdout, "b.bulletin:1:4: warning: Space between \"在\" and \"4\": write \"在4\" [numeral-spacing]\n")
        let missing = runGalley(["check", "--files-from", "nope"], in: folder)
        XCTAssertEqual(missing.status, 2)
    }

    // MARK: Progress

    func testProgressLineOnlyOnATerminalForLongBatches() throws {
        let folder = try makeTemporaryFolder(self)
        for i in 0..<51 { try folder.write("f\(i).txt", "好。\n") }
        func run(terminal: Bool, _ args: [String]) -> String {
            let captured = CapturedConsole(workingDirectory: folder.path, stderrIsTerminal: terminal)
            _ = captured.run(args)
            return captured.stderr
        }
        let long = run(terminal: true, ["check", "."])
        XCTAssertTrue(long.contains("\rchecked 50/51 files"), long)
        XCTAssertTrue(long.hasSuffix("0 findings (0 errors, 0 warnings, 0 information) in 51 files\n"))
        XCTAssertFalse(run(terminal: false, ["check", "."]).contains("checked"))
        XCTAssertFalse(run(terminal: true, ["check", "f1.txt", "f2.txt"]).contains("checked"))
    }

    // MARK: pre-commit

    func testPreCommitHookRunsCheckOnTranscriptions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let yaml = try String(contentsOf: root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let lines = yaml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(lines.contains("- id: galley"))
        XCTAssertTrue(lines.contains("entry: galley check"))
        XCTAssertTrue(lines.contains("language: system"))
        let pattern = try XCTUnwrap(lines.first { $0.hasPrefix("files: ") }).dropFirst("files: ".count)
        let regex = try NSRegularExpression(pattern: String(pattern))
        func matches(_ name: String) -> Bool { regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil }
        // The same files a folder walk picks up.
        for name in ["a.txt", "dir/b.bulletin", "c.md", "d.txt.bak", "e.json"] {
            XCTAssertEqual(matches(name), FileDiscovery.isTranscription(Paths.baseName(name)), name)
        }
    }
}
