import XCTest
@testable import TextModel

final class TextDocumentTests: XCTestCase {
    func testScalarSetMembership() {
        let set = ScalarSet("，。a\u{3000}𠮷")
        for s in "，。a\u{3000}𠮷".unicodeScalars { XCTAssertTrue(set.contains(s), "\(s)") }
        for s in "、.A b𠀀\u{0}\u{FFFF}\u{10FFFF}".unicodeScalars { XCTAssertFalse(set.contains(s), "\(s)") }
        XCTAssertFalse(set.contains(UInt32(0x110000)))
        XCTAssertFalse(ScalarSet("").contains("，"))
    }

    /// Offsets already in order take the path without a sort; both paths agree with `position(of:in:)`.
    func testPositionsOfSortedAndUnsortedOffsets() {
        let d = TextDocument("甲𠮷乙\r\n丙 a\n\n丁")
        let sorted = [0, 3, 3, 7, 10, 12, 14, 15, 17, 18, 99]
        for offsets in [sorted, Array(sorted.reversed()), [12, 0, 7, 3]] {
            for encoding in PositionEncoding.allCases {
                XCTAssertEqual(d.positions(of: offsets, in: encoding), offsets.map { d.position(of: $0, in: encoding) }, "\(offsets) \(encoding)")
            }
        }
    }

    func testEmptyText() {
        let d = TextDocument("")
        XCTAssertEqual(d.lines.count, 1)
        XCTAssertEqual(d.position(of: 0, in: .utf16), LineColumn(line: 0, column: 0))
        XCTAssertEqual(d.position(of: 99, in: .utf16), LineColumn(line: 0, column: 0))
        XCTAssertEqual(d.offset(of: LineColumn(line: 5, column: 5), in: .utf8), 0)
        XCTAssertEqual(d.offset(of: LineColumn(line: -1, column: -1), in: .utf32), 0)
        XCTAssertEqual(d.blocks(), [])
        XCTAssertEqual(d.applying([TextEdit.insert("甲", at: 7)]).text, "甲")
    }

    func testLineEndingsLFCRLFCR() {
        let d = TextDocument("a\nb\r\nc\rd")
        XCTAssertEqual(d.lines.count, 4)
        XCTAssertEqual((0..<4).map { d.lineText($0) }, ["a", "b", "c", "d"])
        XCTAssertEqual(d.lines.starts, [0, 2, 5, 7])
        // Inside the CRLF: still the end of line 1.
        XCTAssertEqual(d.position(of: 4, in: .utf16), LineColumn(line: 1, column: 1))
        XCTAssertEqual(d.lineEndings().lf, 1)
        XCTAssertEqual(d.lineEndings().crlf, 1)
        XCTAssertEqual(d.lineEndings().cr, 1)
        // A trailing terminator makes an empty last line.
        XCTAssertEqual(TextDocument("x\r\n").lines.count, 2)
    }

    /// Line feeds found sixteen bytes at a time: every length from 0 to 100, line feeds at random
    /// places (runs of them, first and last byte, inside multibyte text), as a byte-by-byte scan finds them.
    func testLineFeedsFoundSixteenBytesAtATime() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...100 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ -> UInt8 in Int.random(in: 0..<4, using: &generator) == 0 ? 0x0A : [0x61, 0xE5, 0xAD, 0x97][Int.random(in: 0..<4, using: &generator)] }
                let from = Int.random(in: 0...length, using: &generator), to = Int.random(in: from...length, using: &generator)
                var found: [Int] = []
                bytes.withUnsafeBufferPointer { b in LineIndex.forEach(0x0A, in: b, from..<to) { found.append($0) } }
                XCTAssertEqual(found, (from..<to).filter { bytes[$0] == 0x0A }, "\(bytes) \(from)..<\(to)")
                let expected = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
                XCTAssertEqual(bytes.withUnsafeBufferPointer { LineIndex($0) }.starts, expected)
            }
        }
    }

    /// A byte counted by memchr: none, at both ends, side by side.
    func testCountOfAByte() {
        for (text, n) in [("", 0), ("abc", 0), ("\r", 1), ("\ra\r\r字\r", 4), ("a\r\nb", 1)] {
            XCTAssertEqual(Array(text.utf8).withUnsafeBufferPointer { $0.count(of: 0x0D) }, n, text.debugDescription)
        }
    }

    /// A big text's index, scanned in 1 MB pieces on all cores, equals one scan: with a CRLF cut by
    /// each piece boundary (its CR last in one piece), a lone CR and an LF on a boundary; and with
    /// pieces that hold no CR among pieces that do.
    func testIndexScannedInPiecesEqualsOneScan() {
        let piece = 1 << 20
        var bytes = [UInt8](repeating: 0x61, count: LineIndex.parallelLength + 3 * piece + 5)
        for k in 1...4 { bytes[k * piece - 1] = 0x0D; bytes[k * piece] = 0x0A }
        bytes[5 * piece] = 0x0A
        bytes[6 * piece - 1] = 0x0D
        for i in stride(from: 17, to: bytes.count, by: 997) where bytes[i] == 0x61 { bytes[i] = i % 3 == 0 ? 0x0D : 0x0A }
        var someWithoutCR = bytes
        for i in (2 * piece)..<(4 * piece - 1) where someWithoutCR[i] == 0x0D { someWithoutCR[i] = 0x0A }
        // One CR, in the last piece: the scan in pieces still says the text holds one.
        var oneCR = bytes.map { $0 == 0x0D ? 0x0A : $0 }
        oneCR[oneCR.count - 2] = 0x0D
        let noCR = bytes.map { $0 == 0x0D ? 0x0A : $0 }
        for bytes in [bytes, someWithoutCR, oneCR, noCR] { bytes.withUnsafeBufferPointer { b in
            var ends: [Int] = [], starts = [0]
            LineIndex.scanTerminators(b, in: 0..<b.count, ends: &ends, starts: &starts)
            ends.append(b.count)
            let pieces = LineIndex(b)
            XCTAssertEqual(pieces.starts, starts)
            XCTAssertEqual(pieces.contentEnds, ends)
            XCTAssertGreaterThan(pieces.count, b.count / 997)
            XCTAssertEqual(pieces.holdsCarriageReturn, b.contains(0x0D))
            var edited = pieces
            edited.replace(0..<0, insertedCount: 0, in: b)
            XCTAssertNil(edited.holdsCarriageReturn, "an edited index does not know")
        } }
        XCTAssertNil(TextDocument("a\r\nb").lines.holdsCarriageReturn, "a small text is not scanned for it")
    }

    /// The line holding an offset is the last line starting at or before it, however unequal the
    /// lines (the search starts where the average line length puts the offset): every offset, and
    /// offsets outside the text clamped.
    func testLineContainingIsTheLastLineStartingBefore() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                // Mostly short lines, a few long ones, some empty.
                let length = Bool.random(using: &generator) ? Int.random(in: 0...3, using: &generator) : Int.random(in: 0...200, using: &generator)
                bytes += [UInt8](repeating: 0x61, count: length)
                bytes += [[0x0A], [0x0D, 0x0A], [0x0D]][Int.random(in: 0...2, using: &generator)]
            }
            bytes += [UInt8](repeating: 0x62, count: Int.random(in: 0...5, using: &generator))
            let lines = bytes.withUnsafeBufferPointer { LineIndex($0) }
            for offset in -2...(bytes.count + 2) {
                let clamped = min(max(offset, 0), bytes.count)
                XCTAssertEqual(lines.line(containing: offset), lines.starts.lastIndex { $0 <= clamped }!, "\(offset) in \(bytes)")
            }
        }
    }

    /// A section's line index, cut from its text's, equals one scanned from its bytes: for every
    /// range between line starts (and, scanned, for ranges that are not).
    func testSectionLinesEqualAScan() {
        for text in ["a\nb\r\nc\rd", "\r\n\r\n字\r\r\n\n", "x\n\n", "", "\n", "甲\r乙\n丙"] {
            let doc = TextDocument(text)
            let cuts = doc.lines.starts + [doc.count] + Array(0...doc.count)
            for lo in cuts { for hi in cuts where lo <= hi {
                let section = doc.section(lo..<hi)
                XCTAssertEqual(section.bytes.array, Array(doc.bytes[lo..<hi]))
                XCTAssertEqual(section.lines, TextDocument(bytes: Array(doc.bytes[lo..<hi])).lines, "\(text.debugDescription) \(lo)..<\(hi)")
            } }
        }
    }

    func testAstralColumnsInEveryEncoding() {
        // 𠮷 is 4 UTF-8 bytes, 2 UTF-16 units, 1 scalar; 😀 the same; 中 is 3/1/1.
        let d = TextDocument("中𠮷😀a\n𠮷b")
        let offA = "中𠮷😀".utf8.count
        XCTAssertEqual(d.position(of: offA, in: .utf8), LineColumn(line: 0, column: 11))
        XCTAssertEqual(d.position(of: offA, in: .utf16), LineColumn(line: 0, column: 5))
        XCTAssertEqual(d.position(of: offA, in: .utf32), LineColumn(line: 0, column: 3))
        for enc in PositionEncoding.allCases {
            XCTAssertEqual(d.offset(of: d.position(of: offA, in: enc), in: enc), offA, "\(enc)")
        }
        let offB = d.lines.starts[1] + 4
        XCTAssertEqual(d.position(of: offB, in: .utf16), LineColumn(line: 1, column: 2))
        XCTAssertEqual(d.offset(of: LineColumn(line: 1, column: 2), in: .utf16), offB)
        // Half a surrogate pair moves back to the scalar's start; a column past the end clamps.
        XCTAssertEqual(d.offset(of: LineColumn(line: 1, column: 1), in: .utf16), d.lines.starts[1])
        XCTAssertEqual(d.offset(of: LineColumn(line: 1, column: 99), in: .utf32), d.count)
        XCTAssertEqual(d.offset(of: LineColumn(line: 0, column: 99), in: .utf16), d.lines.contentEnds[0])
        // A UTF-8 column inside a sequence moves back too.
        XCTAssertEqual(d.offset(of: LineColumn(line: 0, column: 2), in: .utf8), 0)
        // An offset inside a scalar counts from its start.
        XCTAssertEqual(d.position(of: 5, in: .utf32), LineColumn(line: 0, column: 1))
    }

    func testBatchPositionsMatchSinglePositions() {
        let d = TextDocument("𠮷甲😀乙\r\n\n丙a𠀀b\n")
        let offsets = Array(0...d.count).shuffled()
        for enc in PositionEncoding.allCases {
            let batch = d.positions(of: offsets, in: enc)
            XCTAssertEqual(batch, offsets.map { d.position(of: $0, in: enc) }, "\(enc)")
        }
    }

    /// Columns are counted eight bytes at a time: lines longer than a word and than a tally's run
    /// (31 words), with every offset of them, agree with the standard library's counts.
    func testColumnsOfLongLinesAgreeWithTheStandardLibrary() {
        let line = String(repeating: "a甲𠮷é。b😀", count: 40)
        let d = TextDocument("x\n" + line + "\n" + line)
        let starts = d.lines.starts
        let offsets = (0...d.count).filter { $0 == d.count || d.bytes[$0] & 0xC0 != 0x80 }
        for enc in PositionEncoding.allCases {
            let positions = d.positions(of: offsets, in: enc)
            for (o, p) in zip(offsets, positions) {
                let line = starts.lastIndex { $0 <= o }!
                let before = String(decoding: d.bytes[starts[line]..<min(o, d.lines.contentEnds[line])], as: UTF8.self)
                let column = enc == .utf8 ? before.utf8.count : enc == .utf16 ? before.utf16.count : before.unicodeScalars.count
                XCTAssertEqual(p, LineColumn(line: line, column: column), "\(o) \(enc)")
            }
        }
    }

    /// Every range of a short text, near its start (less than a word before the range's end) and
    /// past it, and ranges of a long one (tallies summed every 31 words): counted a word at a time,
    /// the last bytes of a range in a shifted word.
    func testUnitsOfEveryRange() {
        let short = Array(("a甲𠮷é。b😀\n" + "z𠮷é甲").utf8)
        let long = Array(String(repeating: "a甲𠮷é。b😀", count: 40).utf8)
        for (bytes, starts) in [(short, Array(0...short.count)), (long, [0, 1, 7, 300])] {
            checkUnits(bytes, starts: starts)
        }
    }

    private func checkUnits(_ bytes: [UInt8], starts: [Int]) {
        bytes.withUnsafeBufferPointer { b in
            for from in starts {
                for to in from...b.count {
                    let s = String(decoding: b[from..<to], as: UTF8.self)
                    let scalars = b[from..<to].filter { $0 & 0xC0 != 0x80 }.count
                    let utf16 = scalars + b[from..<to].filter { $0 >= 0xF0 }.count
                    XCTAssertEqual(TextDocument.units(b, from: from, to: to, in: .utf32), scalars, "\(from)..<\(to) \(s)")
                    XCTAssertEqual(TextDocument.units(b, from: from, to: to, in: .utf16), utf16, "\(from)..<\(to) \(s)")
                    XCTAssertEqual(TextDocument.units(b, from: from, to: to, in: .utf8), to - from)
                }
            }
        }
    }

    /// Offsets out of order on a long line count it again and again until that costs more than
    /// twice the text; then they are sorted. Both ways give every position.
    func testOffsetsOutOfOrderOnALongLine() {
        let d = TextDocument("前言\n" + String(repeating: "甲a𠮷", count: 2000) + "\n后记")
        let forward = Array(stride(from: 0, through: d.count, by: 4))
        let backward = Array(forward.reversed())
        let shuffled = forward.shuffled()
        for enc in PositionEncoding.allCases {
            let expected = forward.map { d.position(of: $0, in: enc) }
            XCTAssertEqual(d.positions(of: forward, in: enc), expected, "\(enc)")
            XCTAssertEqual(d.positions(of: backward, in: enc), expected.reversed(), "\(enc)")
            XCTAssertEqual(d.positions(of: shuffled, in: enc), shuffled.map { d.position(of: $0, in: enc) }, "\(enc)")
        }
    }

    func testBlocks() {
        let d = TextDocument("甲\n乙\n\n  \n丙\n\n")
        XCTAssertEqual(d.blocks(), [0..<2, 4..<5])
        XCTAssertTrue(d.isBlank(line: 3))
    }

    func testApplyingEditsAndConflicts() {
        let d = TextDocument("甲乙丙丁")
        let e1 = TextEdit(range: 3..<6, newText: "B")        // 乙
        let e2 = TextEdit(range: 0..<0, newText: "<")
        let e3 = TextEdit(range: 4..<9, newText: "X")        // overlaps e1: skipped
        XCTAssertEqual(d.applying([e1, e2, e3]).text, "<甲B丙丁")
        XCTAssertTrue(e1.conflicts(with: e3))
        XCTAssertFalse(e1.conflicts(with: TextEdit(range: 6..<9, newText: "")))
        XCTAssertEqual(TextEdit.nonConflicting([e1, e3]).skipped, [e3])
        // Out of range clamps instead of trapping.
        XCTAssertEqual(d.applying([TextEdit(range: 12..<500, newText: "!")]).text, "甲乙丙丁!")
        // A range inside a character widens to whole scalars instead of cutting it.
        XCTAssertEqual(d.applying([TextEdit(range: 10..<500, newText: "!")]).text, "甲乙丙!")
    }

    func testSliceClampsToScalars() {
        let d = TextDocument("甲😀")
        XCTAssertEqual(d.slice(1..<5), "甲")
        XCTAssertEqual(d.slice(-5..<100), "甲😀")
    }

    func testDisplayWidth() {
        func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + Scalars.displayWidth($1) } }
        XCTAssertEqual(width("截至3月21"), 9)
        XCTAssertEqual(width("“疫”"), 6)
        XCTAssertEqual(width("PCR"), 3)
        XCTAssertTrue(Scalars.isHan("𠮷"))
        XCTAssertFalse(Scalars.isHan("，"))
        XCTAssertTrue(Scalars.isCJKPunctuation("，"))
    }

    /// In-place replacement (the server's edits) must give exactly the document a rebuild gives,
    /// line index included, whatever CR, LF and CRLF meet at the edit's edges.
    func testReplaceInPlaceEqualsRebuild() {
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func next(_ n: Int) -> Int {   // deterministic (splitmix64), so a failure repeats
            seed &+= 0x9E3779B97F4A7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        let pieces = ["", "\n", "\r", "\r\n", "\n\n", "甲", "𠮷", "a", "乙\r", "\n丙", "  "]
        for round in 0..<300 {
            var doc = TextDocument(["", "\n", "甲\r\n乙", "a\rb\nc\r\n"][round % 4])
            for step in 0..<40 {
                let lo = next(doc.count + 1)
                let hi = min(doc.count, lo + next(4))
                let text = pieces[next(pieces.count)]
                let expected = doc.applying([TextEdit(range: lo..<hi, newText: text)])
                doc.replace(lo..<hi, with: text)
                XCTAssertEqual(doc.bytes, expected.bytes, "round \(round) step \(step)")
                XCTAssertEqual(doc.lines, expected.lines, "round \(round) step \(step): \(doc.text.debugDescription)")
                if doc.lines != expected.lines { return }
            }
        }
    }

    /// A copy of a text keeps its bytes when the other is edited, whether the edit fits in place or not.
    func testEditsDoNotReachCopies() {
        var doc = TextDocument("甲乙\n丙")
        doc.replace(0..<0, with: "前")          // grows: now owns memory with room to spare
        let copy = doc
        doc.replace(3..<6, with: "")            // would fit in place, but the memory is shared
        XCTAssertEqual(copy.text, "前甲乙\n丙")
        XCTAssertEqual(doc.text, "前乙\n丙")
        var alone = doc
        doc = TextDocument("")
        alone.replace(0..<3, with: "后")         // alone: in place
        XCTAssertEqual(alone.text, "后乙\n丙")
        XCTAssertEqual(alone.lines, TextDocument("后乙\n丙").lines)
    }

    /// Borrowed memory is read in place by the parts cut from it, never written, and given back once,
    /// when the last text reading it is gone.
    func testBorrowedBytesAreSharedCopiedOnEditAndReleasedOnce() {
        let text = Array("第一行\n第二行\r\n𠀀三\n".utf8)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: text.count, alignment: 1)
        memory.copyMemory(from: text, byteCount: text.count)
        var released = 0
        do {
            let storage = ByteStorage(borrowing: memory, count: text.count) { released += 1; memory.deallocate() }
            let doc = TextDocument(bytes: TextBytes(storage))
            var section = doc.section(doc.lines.starts[1]..<doc.lines.starts[2])
            XCTAssertEqual(section.text, "第二行\r\n")
            section.bytes.withUnsafeBufferPointer { XCTAssertEqual(UnsafeRawPointer($0.baseAddress), UnsafeRawPointer(memory + doc.lines.starts[1])) }
            section.replace(0..<3, with: "次")
            XCTAssertEqual(section.text, "次二行\r\n")
            XCTAssertEqual(Array(UnsafeRawBufferPointer(start: memory, count: text.count)), text, "the borrowed memory is unchanged")
            XCTAssertEqual(doc.bytes, TextBytes(text))
            XCTAssertEqual(released, 0)
        }
        XCTAssertEqual(released, 1)
    }

    /// Joining texts gives the document a rebuild gives, line index included.
    func testJoiningEqualsRebuild() {
        let parts = ["甲。\n\n", "乙\r\n丙\r\n\r\n", "𠮷\r", "丁", ""]
        for k in 1...parts.count {
            for start in 0...(parts.count - k) {
                let chosen = Array(parts[start..<(start + k)])
                // Only the last part may lack a final line break.
                guard chosen.dropLast().allSatisfy({ $0.hasSuffix("\n") || $0.hasSuffix("\r") }) else { continue }
                let joined = TextDocument(joining: chosen.map { TextDocument($0) })
                let rebuilt = TextDocument(chosen.joined())
                XCTAssertEqual(joined.bytes, rebuilt.bytes)
                XCTAssertEqual(joined.lines, rebuilt.lines, "\(chosen)")
            }
        }
    }
}
