import XCTest
import TextModel
@testable import Proofreading

/// The pre-scans by first and third bytes (`CandidateScan`) skip no scalar that a rule looks for, and
/// stop only where a scalar starts.
final class ScanCandidatesTests: XCTestCase {
    static let allScalars: [Unicode.Scalar] = (UInt32(0)...0x10FFFF).compactMap(Unicode.Scalar.init)

    /// Every scalar that `wanted` accepts is a candidate of `scan` after `prefix`, amid text (a round of
    /// sixteen offsets) and at the end of the text (the padded last round); and the scan stops at no
    /// continuation byte.
    func assertCandidates<Scan: CandidateScan>(_ scan: Scan.Type, after prefix: String = "中文中文中文", _ wanted: (Unicode.Scalar) -> Bool,
                                               file: StaticString = #filePath, line: UInt = #line) {
        var missed: [UInt32] = []
        for s in Self.allScalars where wanted(s) {
            for (before, after) in [(prefix, "中文中文中文"), (String(prefix.last!), "")] {
                let bytes = Array((before + String(s) + after).utf8)
                let at = before.utf8.count
                bytes.withUnsafeBufferPointer { b in
                    if Scan.next(in: b, from: at, to: at + String(s).utf8.count) != at { missed.append(s.value) }
                }
            }
        }
        XCTAssertEqual(missed, [], "\(Scan.self) misses scalars", file: file, line: line)
        let all = Array(String(String.UnicodeScalarView(Self.allScalars)).utf8)
        all.withUnsafeBufferPointer { b in
            var o = Scan.next(in: b, from: 0, to: b.count)
            while o < b.count {
                XCTAssertFalse(UTF8Scalar.isContinuation(b[o]), "\(Scan.self) stops inside a scalar", file: file, line: line)
                o = Scan.next(in: b, from: o + UTF8Scalar.sequenceLength(lead: b[o]), to: b.count)
            }
        }
    }

    func testEachScanHoldsWhatItsRuleLooksFor() {
        assertCandidates(UnmatchedBracketRule.Brackets.self) { UnmatchedBracketRule.classify($0) != nil }
        assertCandidates(UnmatchedBracketRule.Walk.self, UnmatchedBracketRule.matters)
        assertCandidates(QuotePairing.Marks.self) {
            "\"'“”‘’「」『』,.;:?!()-".unicodeScalars.contains($0) || UnmatchedBracketRule.classify($0) != nil
        }
        assertCandidates(QuotePairing.Marks.self, after: "中文中文中文。") { $0 == "。" }
        // The quotation marks' walk finds the scalars that may be invisible too.
        assertCandidates(QuotePairing.Marks.self) { InvisibleCharacterRule.isInvisible($0.value) }
        assertCandidates(NumeralSpacingRule.Digits.self) { NumeralSpacingRule.isDigit($0.value) }
        assertCandidates(NumeralStyleRule.TriggerScan.self) { "年月第".unicodeScalars.contains($0) }
        assertCandidates(NumeralStyleRule.TriggerScan.self, after: "中文中文中文1") { "几千十、百".unicodeScalars.contains($0) }
        assertCandidates(LetterSpacingRule.ClauseMarkScan.self) { LetterSpacingRule.clauseMarks.contains($0) }
        assertCandidates(LetterSpacingRule.StateMarkScan.self) {
            LetterSpacingRule.openers.contains($0) || LetterSpacingRule.closers.contains($0) || LetterSpacingRule.clauseMarks.contains($0)
        }
    }

    /// The quotation marks' walk stops at its marks and at no other scalar: where its scan stops more
    /// often than at them (# $ %, Y _, Ｙ ＿), `accepts` passes over.
    func testQuoteWalkStopsOnlyAtItsMarks() {
        var wrong: [UInt32] = []
        for s in Self.allScalars {
            let wanted = "\"'“”‘’「」『』,.;:?!()-".unicodeScalars.contains(s) || UnmatchedBracketRule.classify(s) != nil
            let bytes = Array(("中文" + String(s) + "中文").utf8)
            bytes.withUnsafeBufferPointer { b in
                let end = 6 + String(s).utf8.count
                if (QuotePairing.Marks.first(in: b, from: 6, to: end, where: QuotePairing.Marks.accepts) == 6) != wanted { wrong.append(s.value) }
            }
        }
        XCTAssertEqual(wrong, [])
    }

    /// 300 random texts of Chinese text, marks and other scalars (a round of sixteen bytes holds a
    /// few), each with its scalars' starts (and its end) and a random range between two of them.
    func forRandomRanges(_ body: (_ text: String, _ b: UnsafeBufferPointer<UInt8>, _ starts: [Int], _ from: Int, _ end: Int,
                                  _ generator: inout SystemRandomNumberGenerator) -> Void) {
        let pieces = ["中", "文", "，", "。", "“", "”", "a", "'", "—", "「", "é", "😀", "、", "』", "\n", "（"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...80, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { b in
                var starts: [Int] = []
                var o = 0
                while o < b.count { starts.append(o); o += UTF8Scalar.sequenceLength(lead: b[o]) }
                starts.append(b.count)
                let from = starts.randomElement(using: &generator)!
                let end = starts.filter { $0 >= from }.randomElement(using: &generator)!
                body(text, b, starts, from, end, &generator)
            }
        }
    }

    /// `first` finds what a decoding walk finds, wherever the marks fall in a round of sixteen and near
    /// the end of the range or of the text.
    func testFirstEqualsADecodingWalk() {
        let marks = "\"'“”‘’「」『』".unicodeScalars
        forRandomRanges { text, b, starts, from, end, _ in
            let expected = starts.first { $0 >= from && $0 < end && marks.contains(UTF8Scalar.decode(b, at: $0).scalar) } ?? end
            XCTAssertEqual(QuotePairing.Marks.first(in: b, from: from, to: end, where: QuotePairing.isMark), expected, text)
        }
    }

    /// `forEachCandidate`, which takes a round's later candidates from the same round, visits what
    /// calling `next` again after each candidate visits, whatever the visitor skips (past the
    /// candidate only, a few scalars, or out of the round).
    func testForEachCandidateEqualsRepeatedNext() {
        forRandomRanges { text, b, starts, from, end, generator in
            // Where to go on after each candidate: a later scalar start, the same for both scans.
            let skips = (0..<b.count + 1).map { _ in Int.random(in: 1...4, using: &generator) }
            func resume(after c: Int) -> Int {
                let k = starts.firstIndex(of: c)!
                return starts[min(k + skips[c], starts.count - 1)]
            }
            var expected: [Int] = []
            var c = QuotePairing.Marks.next(in: b, from: from, to: end)
            while c < end {
                expected.append(c)
                c = QuotePairing.Marks.next(in: b, from: resume(after: c), to: end)
            }
            var visited: [Int] = []
            QuotePairing.Marks.forEachCandidate(in: b, from: from, to: end) { c in
                visited.append(c)
                return resume(after: c)
            }
            XCTAssertEqual(visited, expected, text)
        }
    }

    /// The quotation marks' walk finds every scalar that may be invisible (`QuotePairing.invisible`), as
    /// a decoding of the whole text does: they lie in the paragraphs' lines, never between them.
    func testQuoteWalkFindsWhatMayBeInvisible() {
        let pieces = ["中", "文", "，", "。", "“", "”", "a", "'", "\u{200B}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{0007}", "\u{0085}",
                      "\u{FEFF}", "·", "\t", " ", "\u{3000}", "\n", "\n\n", "\r\n", "😀"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...120, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let doc = TextDocument(text)
            let expected: [Int] = doc.bytes.withUnsafeBufferPointer { b in
                var found: [Int] = []
                var o = 0
                while o < b.count {
                    if InvisibleCharacterRule.isCandidate(b, o) { found.append(o) }
                    o += UTF8Scalar.sequenceLength(lead: b[o])
                }
                return found
            }
            XCTAssertEqual(RuleContext(document: doc).quotes.invisible, expected, text.debugDescription)
        }
    }
}
