import XCTest
@testable import GalleyCLI

final class UnifiedDiffTests: XCTestCase {
    func diff(_ old: String, _ new: String) -> String {
        UnifiedDiff.diff(old: Array(old.utf8), new: Array(new.utf8), oldName: "a/f.txt", newName: "b/f.txt")
    }

    /// Applies a unified diff to `old` (a small patch(1)), to check that hunks are consistent.
    func apply(_ patch: String, to old: String) -> String? {
        let oldLines = UnifiedDiff.lines(Array(old.utf8)).map { String(decoding: $0, as: UTF8.self) }
        var result: [String] = []
        var cursor = 0
        let lines = patch.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
        var i = 0
        while i < lines.count {
            let header = lines[i]
            guard header.hasPrefix("@@ -") else { i += 1; continue }
            let numbers = header.split(whereSeparator: { !"0123456789".contains($0) }).compactMap { Int($0) }
            let (oldStart, oldCount) = (numbers[0], numbers[1])
            let start = oldCount == 0 ? oldStart : oldStart - 1
            guard start >= cursor else { return nil }
            result += oldLines[cursor..<start]
            cursor = start
            i += 1
            while i < lines.count && !lines[i].hasPrefix("@@") {
                let line = lines[i]
                var body = String(line.dropFirst()) + "\n"
                if i + 1 < lines.count && lines[i + 1] == "\\ No newline at end of file" { body.removeLast(); i += 1 }
                if line.hasPrefix(" ") || line.hasPrefix("-") {
                    guard cursor < oldLines.count, oldLines[cursor] == body else { return nil }
                    cursor += 1
                }
                if line.hasPrefix(" ") || line.hasPrefix("+") { result.append(body) }
                i += 1
            }
        }
        result += oldLines[cursor...]
        return result.joined()
    }

    func testEqualTextsGiveNoDiff() {
        XCTAssertEqual(diff("a\nb\n", "a\nb\n"), "")
    }

    func testOneChangeWithThreeLinesOfContext() {
        let old = (1...10).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        XCTAssertEqual(diff(old, new), """
            --- a/f.txt
            +++ b/f.txt
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
    }

    func testJoinedLinesAsBrokenWrapFixes() {
        XCTAssertEqual(diff("记者在\n现场看到。\n", "记者在现场看到。\n"), """
            --- a/f.txt
            +++ b/f.txt
            @@ -1,2 +1,1 @@
            -记者在
            -现场看到。
            +记者在现场看到。

            """)
    }

    func testMissingFinalNewlineIsMarked() {
        XCTAssertEqual(diff("a\nb", "a\nc"), "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")
    }

    func testEmptyOldSide() {
        XCTAssertEqual(diff("", "x\n"), "--- a/f.txt\n+++ b/f.txt\n@@ -0,0 +1,1 @@\n+x\n")
    }

    func testCRLFLinesKeepTheirTerminators() {
        XCTAssertEqual(diff("a\r\nb\r\n", "a\r\nc\r\n"), "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n")
    }

    func testFarApartChangesMakeTwoHunksAndClosOnesOne() {
        let old = (1...30).map { "\($0)\n" }.joined()
        var new = old.replacingOccurrences(of: "\n3\n", with: "\nthree\n").replacingOccurrences(of: "\n25\n", with: "\n\n")
        XCTAssertEqual(diff(old, new).components(separatedBy: "\n@@").count - 1, 2)
        XCTAssertEqual(apply(diff(old, new), to: old), new)
        new = old.replacingOccurrences(of: "\n3\n", with: "\nthree\n").replacingOccurrences(of: "\n9\n", with: "\nnine\n")
        XCTAssertEqual(diff(old, new).components(separatedBy: "\n@@").count - 1, 1)
        XCTAssertEqual(apply(diff(old, new), to: old), new)
    }

    /// The script is a shortest one (Myers): compare its length with a plain LCS on small inputs,
    /// and check that applying the diff gives the new text.
    func testScriptIsMinimalAndDiffApplies() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0...3, using: &generator) }
            let b = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0...3, using: &generator) }
            let script = UnifiedDiff.script(a, b)
            let edits = script.filter { $0.0 != .equal }.count
            XCTAssertEqual(edits, a.count + b.count - 2 * lcs(a, b), "\(a) → \(b)")
            let old = a.map { "\($0)\n" }.joined(), new = b.map { "\($0)\n" }.joined()
            XCTAssertEqual(apply(diff(old, new), to: old), new, "\(a) → \(b)")
            // The large-input paths (anchors, greedy search), forced on small inputs, stay valid.
            let fast = UnifiedDiff.script(a, b, exactLimit: 0)
            XCTAssertEqual(rebuild(fast, a, b), b, "\(a) → \(b)")
        }
    }

    /// The new side rebuilt from a script: equal lines taken from the old side, inserted from the new.
    func rebuild(_ script: [(UnifiedDiff.Operation, Int)], _ a: [Int], _ b: [Int]) -> [Int] {
        script.compactMap { op, index in
            switch op {
            case .equal: return a[index]
            case .insert: return b[index]
            case .delete: return nil
            }
        }
    }

    /// Repeated text (no unique line to anchor on) with changes everywhere: the greedy search.
    func testRepeatedTextWithManyChangesApplies() {
        let paragraph = ["记者在", "现场看到。", "", "第二段", "开始。", ""]
        let oldLines = (0..<2000).flatMap { _ in paragraph }
        var newLines: [String] = []
        for (n, line) in oldLines.enumerated() {
            if n % 6 == 0 || n % 6 == 3 { continue }
            newLines.append(n % 6 == 1 ? "记者在" + line : n % 6 == 4 ? "第二段" + line : line)
        }
        let old = oldLines.map { $0 + "\n" }.joined(), new = newLines.map { $0 + "\n" }.joined()
        XCTAssertEqual(apply(diff(old, new), to: old), new)
        let script = UnifiedDiff.script(oldLines, newLines)
        // The optimum keeps the 4,000 blank lines; the greedy search may lose a few at its window edges.
        XCTAssertGreaterThan(script.filter { $0.0 == .equal }.count, 3800)
        XCTAssertEqual(rebuild(script, oldLines.map { $0.hashValue }, newLines.map { $0.hashValue }), newLines.map { $0.hashValue })
    }

    func lcs(_ a: [Int], _ b: [Int]) -> Int {
        var t = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : max(t[i + 1][j], t[i][j + 1])
            }
        }
        return t[0][0]
    }

    /// Thousands of changed lines: linear memory, and the result still applies.
    func testLargeDiffApplies() {
        let old = (0..<5000).map { "\($0 % 7) \($0)\n" }.joined()
        let new = (0..<5000).map { $0 % 3 == 0 ? "changed \($0)\n" : "\($0 % 7) \($0)\n" }.joined()
        XCTAssertEqual(apply(diff(old, new), to: old), new)
    }
}
