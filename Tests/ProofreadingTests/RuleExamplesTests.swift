import XCTest
import TextModel
@testable import Proofreading

/// One test over every example of every rule (SwiftLint's approach): the examples in each rule's
/// description are its documentation and its tests. Each is run as written and again behind astral
/// characters, which catches offsets counted in the wrong unit.
final class RuleExamplesTests: XCTestCase {
    /// Astral prefixes: CJK Extension B (as in rare names) and an emoji.
    static let astral = "𠮷𠀀😀"
    /// The prefix as a paragraph of its own (every rule) and on the same line (rules whose decisions
    /// do not depend on line widths).
    static func prefixes(for description: RuleDescription) -> [String] {
        // Two blank lines keep the prefix paragraph from taking part in the example's layout.
        var p = ["", astral + "。\n\n\n"]
        if description.family != .layout { p.append(astral) }
        return p
    }

    /// Strips `↓` markers and returns the text and the UTF-8 offsets they marked.
    static func unmark(_ marked: String) -> (text: String, offsets: [Int]) {
        var text = ""
        var offsets: [Int] = []
        for ch in marked {
            if ch == RuleDescription.marker { offsets.append(text.utf8.count) } else { text.append(ch) }
        }
        return (text, offsets)
    }

    func testEveryRuleHasExamplesAndExplanation() {
        XCTAssertFalse(RuleRegistry.all.isEmpty)
        var ids = Set<String>()
        for rule in RuleRegistry.all {
            let d = rule.description
            XCTAssertTrue(ids.insert(d.id).inserted, "duplicate id \(d.id)")
            XCTAssertFalse(d.nonTriggering.isEmpty, "\(d.id) has no must-not-trigger example")
            XCTAssertFalse(d.triggering.isEmpty, "\(d.id) has no must-trigger example")
            XCTAssertGreaterThan(d.explanation.count, 80, "\(d.id) explanation is too short")
            for t in d.triggering {
                XCTAssertFalse(Self.unmark(t).offsets.isEmpty, "\(d.id): triggering example without ↓: \(t)")
            }
        }
    }

    func testNonTriggeringExamples() {
        for rule in RuleRegistry.all {
            let d = rule.description
            let linter = Linter(only: rule)
            for example in d.nonTriggering {
                for prefix in Self.prefixes(for: d) {
                    let found = linter.check(prefix + example)
                    XCTAssertEqual(found, [], "\(d.id) must not trigger on \(String(reflecting: prefix + example))")
                }
            }
        }
    }

    func testTriggeringExamplesAtTheMarkedSpots() {
        for rule in RuleRegistry.all {
            let d = rule.description
            let linter = Linter(only: rule)
            for example in d.triggering {
                let (text, marks) = Self.unmark(example)
                for prefix in Self.prefixes(for: d) {
                    let shift = prefix.utf8.count
                    let found = linter.check(prefix + text)
                    XCTAssertEqual(found.map { $0.range.lowerBound - shift }.sorted(), marks.sorted(),
                                   "\(d.id) on \(String(reflecting: prefix + example)): \(found.map(\.message))")
                    let doc = TextDocument(prefix + text)
                    for diag in found {
                        XCTAssertEqual(diag.ruleID, d.id)
                        XCTAssertFalse(diag.message.isEmpty)
                        XCTAssertLessThanOrEqual(diag.range.upperBound, doc.count)
                        XCTAssertEqual(doc.clampToScalar(diag.range.lowerBound), diag.range.lowerBound, "range starts inside a scalar")
                        XCTAssertEqual(doc.clampToScalar(diag.range.upperBound), diag.range.upperBound, "range ends inside a scalar")
                        for edit in diag.fix?.edits ?? [] {
                            XCTAssertTrue(diag.range.lowerBound <= edit.range.lowerBound && edit.range.upperBound <= diag.range.upperBound,
                                          "\(d.id): fix edit \(edit) outside the diagnostic's range \(diag.range)")
                        }
                        for related in diag.related {
                            XCTAssertLessThanOrEqual(related.range.upperBound, doc.count)
                        }
                    }
                }
            }
        }
    }

    func testCorrectionsConvergeAndTouchOnlyTheirRanges() {
        for rule in RuleRegistry.all {
            let d = rule.description
            let linter = Linter(only: rule)
            for c in d.corrections {
                for prefix in Self.prefixes(for: d) {
                    let once = linter.fix(TextDocument(prefix + c.input), unsafe: c.unsafe)
                    XCTAssertEqual(once.document.text, prefix + c.output, "\(d.id) correcting \(String(reflecting: prefix + c.input))")
                    XCTAssertTrue(once.converged, "\(d.id) did not converge on \(c.input)")
                    let twice = linter.fix(once.document, unsafe: c.unsafe)
                    XCTAssertEqual(twice.document.text, once.document.text, "\(d.id): fixing twice changed the text")
                    XCTAssertEqual(twice.appliedFixes, 0)
                    // Only safe fixes must not apply an unsafe correction.
                    if c.unsafe && c.input != c.output {
                        let safeOnly = linter.fix(TextDocument(prefix + c.input), unsafe: false).document.text
                        XCTAssertNotEqual(safeOnly, prefix + c.output, "\(d.id): an unsafe correction applied as safe: \(c.input)")
                    }
                }
            }
        }
    }
}
