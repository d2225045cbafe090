import XCTest
import Foundation
@testable import Proofreading
import TextModel

final class FindingOrderTests: XCTestCase {
    private func finding(_ rule: String, _ range: Range<Int>, _ message: String = "") -> Diagnostic {
        Diagnostic(ruleID: rule, severity: .warning, range: range, message: message,
                   fix: Fix(title: "t", edit: TextEdit(range: range, newText: ""), applicability: .safe))
    }

    /// Joining the sections' findings, kept by rule, gives what sorting each section's rules'
    /// findings one after another gave: by start, end and rule id, equal ones in the order given; a
    /// rule's findings out of order are sorted first. The sections' arrays are emptied.
    func testJoinedIsTheStableSortOfEachSectionsRulesFindings() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            var expected: [Diagnostic] = []
            var parts: [[[Diagnostic]]?] = (0..<Int.random(in: 0...4, using: &generator)).map { section in
                var rules: [[Diagnostic]] = (0..<Int.random(in: 0...5, using: &generator)).map { r in
                    var list = (0..<Int.random(in: 0...12, using: &generator)).map { n -> Diagnostic in
                        let start = 100 * section + Int.random(in: 0...8, using: &generator)
                        return finding("rule-\(Int.random(in: 0...2, using: &generator))", start..<(start + Int.random(in: 0...2, using: &generator)), "\(r).\(n)")
                    }
                    if Bool.random(using: &generator) { Linter.sortInTextOrder(&list) }
                    return list
                }
                var sorted = Array(rules.joined())
                Linter.sortInTextOrder(&sorted)
                expected += sorted
                let kept = Linter.inTextOrderByRule(&rules)
                XCTAssert(rules.isEmpty)
                return kept
            }
            XCTAssertEqual(Linter.joined(&parts), expected)
            XCTAssert(parts.allSatisfy { $0 == nil })
        }
    }

    /// `check(_:prepare:deliver:)` hands over exactly what `check` returns, in order, a section at a
    /// time (each prepared once), one call at a time, with sections checked on all cores: the seeds repeated, with CRLF lines
    /// among them (the document rule's findings land in the sections they start in).
    func testDeliveredFindingsAreTheCheckedOnesInOrder() throws {
        let seeds = try ["000", "001", "002", "003", "004"].map { try FurnitureRulesTests.seed($0) }
        var text = String(repeating: seeds.joined(separator: "\n\n"), count: 3)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for k in stride(from: 7, to: lines.count - 1, by: 97) { lines[k] += "\r" }
        text = lines.joined(separator: "\n")
        var linter = Linter()
        linter.parallelThreshold = 16 * 1024
        let document = TextDocument(text)
        let expected = linter.check(document)
        XCTAssert(expected.contains { $0.ruleID == "mixed-line-endings" })
        let starts = Sections.starts(in: document)
        XCTAssertGreaterThan(starts.count, 8)
        let lock = NSLock()
        var delivered: [[Diagnostic]] = [], inside = false, overlapped = false
        var prepared = 0
        linter.check(document, prepare: { found -> [Diagnostic] in
            lock.lock()
            prepared += 1
            lock.unlock()
            var taken: [Diagnostic] = []
            swap(&taken, &found)
            return taken
        }, deliver: { found in
            lock.lock()
            if inside { overlapped = true }
            inside = true
            lock.unlock()
            delivered.append(found)
            found = []
            lock.lock()
            inside = false
            lock.unlock()
        })
        XCTAssertFalse(overlapped)
        XCTAssertEqual(prepared, starts.count)
        XCTAssertEqual(delivered.count, starts.count)
        XCTAssertEqual(Array(delivered.joined()), expected)
        // Each piece holds the findings that start in its section.
        for (i, piece) in delivered.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1] : document.count + 1
            XCTAssert(piece.allSatisfy { $0.range.lowerBound >= starts[i] && $0.range.lowerBound < end }, "section \(i)")
        }
    }

    /// A fix of one edit and the same fix built from an array of it are equal and hash alike, and
    /// both give that edit back.
    func testFixOfOneEditEqualsItsArrayForm() {
        let edit = TextEdit(range: 3..<5, newText: "x")
        let one = Fix(title: "t", edit: edit, applicability: .safe)
        let array = Fix(title: "t", edits: [edit], applicability: .safe)
        XCTAssertEqual(one, array)
        XCTAssertEqual(Set([one, array]).count, 1)
        XCTAssertEqual(one.edits, [edit])
        var shifted = Diagnostic(ruleID: "r", severity: .hint, range: 3..<5, message: "", fix: one)
        shifted.shift(by: 10)
        XCTAssertEqual(shifted.fix?.edits, [TextEdit(range: 13..<15, newText: "x")])
        var two = Fix(title: "t", edits: [edit, edit], applicability: .unsafe)
        XCTAssertEqual(two.editCount, 2)
        two.edits = [edit]
        XCTAssertEqual(two, Fix(title: "t", edit: edit, applicability: .unsafe))
    }
}
