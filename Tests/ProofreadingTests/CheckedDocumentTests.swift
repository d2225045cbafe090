import XCTest
import TextModel
@testable import Proofreading
import Evaluation

/// The language server's incremental re-check must give exactly what a fresh check of the same
/// text gives, after every edit of random edit sequences on real text.
final class CheckedDocumentTests: XCTestCase {
    static let pieces = ["", "\n", "\n\n", "。\n\n", "\r\n", "，", "“", "”", "（", "１２", "4 月", "本 报",
                         "𠮷", "😀", "a", "  ", "\u{3000}\u{3000}", "■ ", "。", "\n\n\n"]

    /// A random edit of `doc`: a piece inserted, a span deleted or replaced, or a line of seed text
    /// pasted (which may create or remove section breaks).
    static func randomEdit(_ doc: TextDocument, _ lines: [Substring], _ rng: inout SplitMix64, at: Int? = nil) -> (Range<Int>, String) {
        let lo = doc.clampToScalar(at ?? rng.int(below: doc.count + 1))
        let hi = doc.clampToScalar(min(doc.count, lo + [0, 0, 1, 3, 12, 200][rng.int(below: 6)]))
        let text: String
        switch rng.int(below: 4) {
        case 0: text = String(lines[rng.int(below: lines.count)]) + "\n"
        default: text = pieces[rng.int(below: pieces.count)]
        }
        return (lo..<max(lo, hi), text)
    }

    func testRandomEditsEqualAFreshCheck() throws {
        let seeds = try ["000", "001", "002", "003", "004"].map { try FurnitureRulesTests.seed($0) }
        let lines = seeds.flatMap { $0.split(separator: "\n") }
        let linter = Linter()
        // The second round of each seed runs every re-check's rules on all cores (the server does
        // so for long sections); `.ci/run` runs this test under the thread sanitizer too.
        var parallel = Linter()
        parallel.parallelSectionSize = 0
        var sessions = 0, edits = 0, sectioned = 0
        // GALLEY_EDITS=N runs N edits per session (a longer local run); CI runs 16.
        let steps = ProcessInfo.processInfo.environment["GALLEY_EDITS"].flatMap(Int.init) ?? 16
        for (n, seedText) in seeds.enumerated() {
            for round in 0..<2 {
                var rng = SplitMix64(seed: UInt64(n * 100 + round))
                // Two seeds one after the other: several sections, so edits cross and move breaks.
                let linter = round == 0 ? linter : parallel
                var checked = CheckedDocument(TextDocument(seedText + "\n" + seeds[(n + 1) % seeds.count]), linter: linter)
                // The text edited as one array: the sections' texts must join to it.
                var reference = checked.document.bytes.array
                sessions += 1
                for step in 0..<steps {
                    // Every third edit near a break, while there are a few: in the line that starts a
                    // section, or in the last lines before the next one (an edit re-cuts the sections
                    // beside it only there; it mostly removes the break, the first).
                    let (range, text) = Self.randomEdit(checked.document, lines, &rng, at: step % 3 == 1 && checked.sections.count > 4 ? Self.nearABreak(checked, &rng) : nil)
                    reference.replaceSubrange(checked.replace(range, with: text), with: text.utf8)
                    edits += 1
                    XCTAssertEqual(checked.document.bytes.array, reference, "seed \(n) round \(round) step \(step)")
                    Self.assertPositionsAsInOneText(checked, TextDocument(bytes: reference), &rng)
                    if checked.sections.count > 1 { sectioned += 1 }
                    let fresh = linter.check(checked.document)
                    let incremental = checked.diagnostics
                    if fresh != incremental {
                        let missing = fresh.filter { !incremental.contains($0) }.prefix(3)
                        let extra = incremental.filter { !fresh.contains($0) }.prefix(3)
                        XCTFail("seed \(n) round \(round) step \(step) (edit \(range) → \(text.debugDescription)): missing \(missing), extra \(extra)")
                        return
                    }
                    XCTAssertEqual(Sections.starts(in: checked.document), checked.sections.map(\.start), "seed \(n) round \(round) step \(step)")
                }
            }
        }
        XCTAssertEqual(sessions, 10)
        // The edits ran on texts of several sections (else they would prove nothing about sections).
        XCTAssertGreaterThan(sectioned, edits / 2)
    }

    /// An offset in the first line of a random section (a quarter of the time: an edit there mostly
    /// removes the break), or in the last lines before its end.
    static func nearABreak(_ checked: CheckedDocument, _ rng: inout SplitMix64) -> Int {
        let s = checked.sections[rng.int(below: checked.sections.count)]
        let lines = s.text.lines
        let line = rng.int(below: 4) == 0 ? 0 : max(0, lines.count - 1 - rng.int(below: 4))
        return s.start + lines.starts[line] + rng.int(below: lines.fullRange(of: line).count + 1)
    }

    /// Positions and offsets read from the sections' own texts (what the server does on every edit)
    /// equal those of the whole text: random offsets, every line's start and end, and positions past
    /// a line's end or the text's, in the three encodings.
    static func assertPositionsAsInOneText(_ checked: CheckedDocument, _ whole: TextDocument, _ rng: inout SplitMix64,
                                           file: StaticString = #filePath, line: UInt = #line) {
        var offsets = (0..<40).map { _ in rng.int(below: whole.count + 3) - 1 }
        for l in 0..<whole.lines.count { offsets += [whole.lines.starts[l], whole.lines.contentEnds[l]] }
        for encoding in [PositionEncoding.utf8, .utf16, .utf32] {
            let positions = whole.positions(of: offsets, in: encoding)
            XCTAssertEqual(checked.positions(of: offsets, in: encoding), positions, "\(encoding)", file: file, line: line)
            let probes = positions + [LineColumn(line: -1, column: 0), LineColumn(line: whole.lines.count, column: 2)]
                + positions.map { LineColumn(line: $0.line, column: $0.column + 1 + rng.int(below: 30)) }
            XCTAssertEqual(probes.map { checked.offset(of: $0, in: encoding) }, probes.map { whole.offset(of: $0, in: encoding) },
                           "\(encoding)", file: file, line: line)
            XCTAssertEqual(offsets.map(checked.clampToScalar), offsets.map(whole.clampToScalar), file: file, line: line)
        }
        let inside = offsets.filter { $0 >= 0 && $0 < whole.count }
        XCTAssertEqual(inside.map(checked.byte(at:)), inside.map { whole.bytes[$0] }, file: file, line: line)
        XCTAssertEqual(checked.length, whole.count, file: file, line: line)
        let lines = -1...whole.lines.count
        XCTAssertEqual(lines.map { checked.contentRange(ofLine: $0) }, lines.map { whole.lines.contentRange(of: $0) }, file: file, line: line)
    }

    func testAnEditReChecksOnlyTheSectionsAroundIt() throws {
        let seeds = try ["000", "001", "002", "003", "004"].map { try FurnitureRulesTests.seed($0) }
        let text = seeds.joined(separator: "\n")
        var checked = CheckedDocument(TextDocument(text), linter: Linter())
        XCTAssertGreaterThan(checked.sections.count, 8)
        let before = checked.sections.map(\.start)
        let middle = checked.sections[checked.sections.count / 2]
        // Inside the section, away from the line that starts it (whose text decides the break).
        let at = checked.document.clampToScalar(middle.start + middle.length / 2)
        checked.replace(at..<at, with: "的")
        let after = checked.sections.map(\.start)
        // Breaks before the edit stay put, breaks after it move by the three inserted bytes.
        XCTAssertEqual(after.count, before.count)
        for (a, b) in zip(before, after) { XCTAssertTrue(b == a || (a > at && b == a + 3)) }
    }

    /// Every section keeps its layout's line shapes, a check reads them as it reads the layout,
    /// and an edit re-derives the edited section's own.
    func testKeptLineShapesReadAsTheLayout() throws {
        let seeds = try ["000", "001", "002", "003", "004"].map { try FurnitureRulesTests.seed($0) }
        var checked = CheckedDocument(TextDocument(seeds.joined(separator: "\n")), linter: Linter())
        func assertShapesAsLayout(_ step: String) {
            for section in checked.sections {
                let layout = Layout(section.text)
                guard let shapes = section.facts[SectionText.shapesKey] as? LineShapes else {
                    return XCTFail("\(step): section at \(section.start) keeps no line shapes")
                }
                let given = RuleContext(document: section.text, lineShapes: shapes)
                XCTAssertEqual(given.lineShapeCount, layout.lines.count, step)
                for (l, info) in layout.lines.enumerated() where given.lineShape(l) != (info.kind, info.content.lowerBound) {
                    return XCTFail("\(step): section at \(section.start), line \(l): \(given.lineShape(l)), layout \(info.kind) \(info.content)")
                }
            }
        }
        XCTAssertGreaterThan(checked.sections.count, 8)
        assertShapesAsLayout("opened")
        // Lines added in a section (its kept shapes would be stale) and a headline-like line.
        let middle = checked.sections[checked.sections.count / 2]
        let at = checked.document.clampToScalar(middle.start + middle.length / 2)
        checked.replace(at..<at, with: "\n短行\n\n  今年以来，各地加快推进。\n")
        assertShapesAsLayout("edited")
    }

    func testSectionsStartAfterASentenceEndAndABlankLine() {
        // Every candidate line is tried: some hash to a break, none starts mid-sentence or without a blank line.
        var text = ""
        for i in 0..<400 { text += "第\(i)段，记者来到现场。\n\n" }
        text += "这一句没有结束\n\n，续上\n"
        let doc = TextDocument(text)
        let starts = Sections.starts(in: doc)
        XCTAssertEqual(starts.first, 0)
        XCTAssertGreaterThan(starts.count, 5)
        XCTAssertLessThan(starts.count, 100)
        for s in starts.dropFirst() {
            let line = doc.lines.line(containing: s)
            XCTAssertEqual(doc.lines.starts[line], s)
            XCTAssertTrue(doc.lineText(line - 1).isEmpty)
            XCTAssertTrue(doc.lineText(line - 2).hasSuffix("。"))
        }
        XCTAssertFalse(starts.contains(doc.lines.starts[doc.lines.count - 2]))   // `，续上` may not start a line
    }

    func testSectionsFoundInPiecesEqualOneScan() throws {
        // Pieces cut anywhere: inside runs of blank lines, between a sentence end and its blank line.
        let seeds = try ["000", "001", "002", "003", "004"].map { try FurnitureRulesTests.seed($0) }
        let doc = TextDocument(seeds.joined(separator: "\n\n"))
        let one = Sections.starts(in: doc, pieces: 1)
        XCTAssertGreaterThan(one.count, 8)
        for pieces in [2, 7, 64, doc.lines.count / 3] {
            XCTAssertEqual(Sections.starts(in: doc, pieces: pieces), one, "\(pieces) pieces")
        }
    }
}

final class NearestSelectionTests: XCTestCase {
    /// The selection that finds the distance the capped list reaches gives what a sort gives.
    func testSmallestEqualsTheSortedValue() {
        var seed: UInt64 = 7
        for size in [1, 2, 3, 10, 100, 700] {
            for spread in [1, 3, 50, 1_000_000] {
                let values = (0..<size).map { _ -> Int in
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    return Int(seed >> 33) % spread
                }
                let sorted = values.sorted()
                for n in Set([1, 2, size / 2, size - 1, size].filter { (1...size).contains($0) }) {
                    XCTAssertEqual(CheckedDocument.smallest(n, of: values), sorted[n - 1], "size \(size) spread \(spread) n \(n)")
                }
            }
        }
    }
}

final class PackedDiagnosticsTests: XCTestCase {
    /// Packing keeps every field: the seeds' findings (related locations, fixes, astral text) come back equal.
    func testPackingGivesBackEqualFindings() throws {
        var all: [Diagnostic] = []
        for seed in ["000", "001", "003"] { all += Linter().check(try FurnitureRulesTests.seed(seed)) }
        all.append(Diagnostic(ruleID: "x", severity: .error, range: 5..<9, message: "𠮷😀“”\n",
                              related: [RelatedLocation(range: -300..<(-2), message: "")],
                              fix: Fix(title: "t", edits: [TextEdit(range: 5..<5, newText: "\r\n")], applicability: .unsafe)))
        // A fix of two edits and an offset whose varint takes several bytes.
        all.append(Diagnostic(ruleID: "y", severity: .hint, range: 1 << 40..<(1 << 40) + 3, message: "",
                              fix: Fix(title: "", edits: [TextEdit(range: 0..<1, newText: ""), TextEdit(range: 2..<3, newText: "甲")],
                                       applicability: .safe)))
        XCTAssertTrue(all.contains { $0.fix != nil } && all.contains { !$0.related.isEmpty })
        let packed = PackedDiagnostics(all)
        XCTAssertEqual(packed.count, all.count)
        XCTAssertEqual(packed.errors, 1)
        XCTAssertEqual(packed.unpack(), all)
        XCTAssertEqual(packed.unpack(shiftedBy: 1000), all.map { $0.shifted(by: 1000) })
        XCTAssertLessThan(packed.bytes.count, all.count * 160)
        XCTAssertEqual(PackedDiagnostics([]).unpack(), [])
    }
}
