import Foundation
import XCTest
import TextModel
import Proofreading
@testable import GalleyCLI

/// The five real transcriptions in `seeds/` are fixtures: the output of `galley check --format json`
/// and of `galley fix --unsafe` on each is a snapshot in `Snapshots/`, reviewed by reading the text
/// (see `Snapshots/REVIEW.md`). A change in behaviour shows as a snapshot diff to review again.
/// Regenerate with `GALLEY_UPDATE_SNAPSHOTS=1 swift test --filter SeedSnapshotTests`.
final class SeedSnapshotTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let updating = ProcessInfo.processInfo.environment["GALLEY_UPDATE_SNAPSHOTS"] == "1"

    static func seeds() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("seeds").path)
            .filter { $0.hasSuffix(".txt") }.sorted()
    }

    func compare(_ actual: String, snapshot name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.snapshots.appendingPathComponent(name)
        if Self.updating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = Array(zip(a, e)).firstIndex { $0 != $1 } ?? min(a.count, e.count)
            XCTFail("\(name) differs from its snapshot at line \(first + 1):\n  expected: \(first < e.count ? String(e[first]) : "<end>")\n  actual:   \(first < a.count ? String(a[first]) : "<end>")", file: file, line: line)
        }
    }

    func testCheckJSONMatchesReviewedSnapshots() throws {
        let seeds = try Self.seeds()
        XCTAssertEqual(seeds.count, 5)
        for seed in seeds {
            let result = runGalley(["check", "--no-config", "--format", "json", "seeds/" + seed], in: Self.root)
            XCTAssertTrue(result.status == 0 || result.status == 1, "\(seed): \(result.stderr)")
            try compare(result.stdout, snapshot: seed.replacingOccurrences(of: ".txt", with: ".check.json"))
        }
    }

    func testUnsafeFixMatchesReviewedSnapshots() throws {
        for seed in try Self.seeds() {
            let result = runGalley(["fix", "--unsafe", "--stdout", "--no-config", "seeds/" + seed], in: Self.root)
            XCTAssertEqual(result.status, 0, result.stderr)
            try compare(result.stdout, snapshot: seed.replacingOccurrences(of: ".txt", with: ".fixed.txt"))
        }
    }

    /// Fixing the fixed text changes nothing: the layout analysis of a joined text agrees with the
    /// analysis of the original (no second round of joins once paragraphs are whole lines).
    func testFixIsIdempotentOnTheSeeds() throws {
        for seed in try Self.seeds() {
            let once = runGalley(["fix", "--unsafe", "--stdout", "--no-config", "seeds/" + seed], in: Self.root)
            let twice = runGalley(["fix", "--unsafe", "--stdout", "--no-config", "-"], in: Self.root, stdin: Array(once.stdout.utf8))
            XCTAssertEqual(twice.stdout, once.stdout, "\(seed): a second fix changed the text")
        }
    }

    /// Every non-space character of a seed is still there, in order, after `fix --unsafe`, except the
    /// marks a fix deliberately replaces: full-width digits and letters become ASCII, quotation marks
    /// change form or level, ASCII , . ; : ? ! ( ) become full-width, ... and 。。。 become ……, -- becomes
    /// ——, a named date 5.12 becomes “5·12”, and the deletions that layout-leftover (jump lines,
    /// footers) and duplicate-fragment (a repeated pull quote) make on purpose: those ranges are taken
    /// out of the input before comparing. (Bylines, headlines and captions keep their characters.)
    func testFixKeepsEveryCharacterInOrder() throws {
        let wide: [Unicode.Scalar: Unicode.Scalar] = ["，": ",", "。": ".", "；": ";", "：": ":", "？": "?", "！": "!",
                                                      "（": "(", "）": ")", "—": "-"]
        func withoutDeliberateDeletions(_ input: String) -> String {
            let doc = TextDocument(input)
            let deleting: Set<String> = ["layout-leftover", "duplicate-fragment"]
            let edits = Linter().check(doc).filter { deleting.contains($0.ruleID) }
                .flatMap { $0.fix?.edits ?? [] }.filter { $0.newText.isEmpty }
            return doc.applying(edits).text
        }
        func normalized(_ text: String) -> [Unicode.Scalar] {
            var text = text
            for ellipsis in ["......", "...", "。。。。。。", "。。。"] { text = text.replacingOccurrences(of: ellipsis, with: "……") }
            text = text.replacingOccurrences(of: #"“([1-9][0-9]?)·([1-9][0-9]?)”"#, with: "$1.$2", options: .regularExpression)
            return text.unicodeScalars.compactMap { s -> Unicode.Scalar? in
                if s.properties.isWhitespace { return nil }
                let v = s.value
                if v >= 0xFF10 && v <= 0xFF19 || v >= 0xFF21 && v <= 0xFF3A || v >= 0xFF41 && v <= 0xFF5A {
                    return Unicode.Scalar(v - 0xFEE0)
                }
                if "“”‘’「」『』\"'".unicodeScalars.contains(s) { return "Q" }
                return wide[s] ?? s
            }
        }
        for seed in try Self.seeds() {
            let input = try String(contentsOf: Self.root.appendingPathComponent("seeds/" + seed), encoding: .utf8)
            let result = runGalley(["fix", "--unsafe", "--stdout", "--no-config", "seeds/" + seed], in: Self.root)
            let a = normalized(withoutDeliberateDeletions(input)), b = normalized(result.stdout)
            let firstDifference = Array(zip(a, b)).firstIndex { $0 != $1 }
            XCTAssertTrue(a == b, "\(seed): characters lost or reordered near scalar \(firstDifference ?? min(a.count, b.count))")
            // And the fix really changed the layout (the seeds are broken).
            XCTAssertLessThan(result.stdout.split(separator: "\n").count, input.split(separator: "\n").count, seed)
        }
    }
}
