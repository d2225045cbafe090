import Foundation
import XCTest
import TextModel
@testable import GalleyCLI

final class InputDecodingTests: XCTestCase {
    func failure(_ bytes: [UInt8]) -> InputDecodingError? {
        if case .failure(let e) = decodeInput(bytes) { return e }
        return nil
    }

    func testValidUTF8KeepsTheBytesAndTheBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("记者在\r\n现场".utf8)
        let document = try decodeInput(bytes).get()
        XCTAssertEqual(document.bytes.array, bytes)
        XCTAssertEqual(document.lines.count, 2)
    }

    func testEmptyInputIsFine() throws {
        XCTAssertEqual(try decodeInput([]).get().bytes.array, [])
    }

    func testInvalidUTF8NamesTheOffsetAndLine() {
        // "第一行\n" is 10 bytes; then "ab", then a lone continuation byte.
        let bytes = Array("第一行\nab".utf8) + [0x80] + Array("c\n".utf8)
        XCTAssertEqual(failure(bytes), .invalidUTF8(offset: 12, line: 2, byte: 0x80, looksLikeGB18030: false))
        XCTAssertEqual(failure(bytes)?.message(path: "x.txt"), "not valid UTF-8: invalid byte 0x80 at byte offset 12 (line 2)")
    }

    func testIllFormedSequencesAreFound() {
        XCTAssertEqual(firstInvalidUTF8(Array("ok".utf8)), nil)
        XCTAssertEqual(firstInvalidUTF8([0x61, 0xC0, 0xAF]), 1)              // overlong "/"
        XCTAssertEqual(firstInvalidUTF8([0x61, 0x62, 0xED, 0xA0, 0x80]), 2)  // surrogate D800
        XCTAssertEqual(firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]), 0)        // above U+10FFFF
        XCTAssertEqual(firstInvalidUTF8(Array("中".utf8).dropLast() + [0x41]), 0) // truncated sequence
        XCTAssertEqual(firstInvalidUTF8(Array("𠮷中".utf8) + [0xE4, 0xB8]), 7)    // cut at the end
    }

    func testTheValidatorAgreesWithTheStandardLibrary() {
        // Random mixes of well-formed sequences and stray lead/continuation bytes, 20,000 of them.
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("a".utf8), Array("中".utf8), Array("𠮷".utf8), Array("é".utf8), Array("　".utf8),
                                 [0xE4], [0xB8], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBC]]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            let bad = firstInvalidUTF8(bytes)
            XCTAssertEqual(bad == nil, String(validating: bytes, as: UTF8.self) != nil, "\(bytes)")
            if let bad { XCTAssertNotNil(String(validating: bytes[..<bad], as: UTF8.self), "\(bytes)") }
        }
    }

    /// The steps (sixteen-byte blocks of ASCII and Han, ASCII eight bytes at a time) stop at the same
    /// first ill-formed sequence as the standard library's parser: a bad byte at every offset of Han
    /// and ASCII runs (so on every side of a step, in every lane of a block, runs that start at every
    /// offset of a word), and the leads E0 and ED, well-formed or not, spliced in anywhere.
    func testWordStepsFindTheSameFirstError() {
        let longRun = String(repeating: "记者在现场看到。", count: 5)
        for text in ["记者在现场看到。abcdefghij记者在现场ab看到记者在现场看到。\n",
                     "a" + longRun + "\nab" + longRun + "1" + longRun + "，“好”"] {
            checkFirstErrors(Array(text.utf8))
        }
    }

    private func checkFirstErrors(_ valid: [UInt8]) {
        XCTAssertNil(firstInvalidUTF8(valid))
        func reference(_ bytes: [UInt8]) -> Int? {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes.makeIterator()
            var offset = 0
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let scalar): offset += scalar.count
                case .error: return offset
                case .emptyInput: return nil
                }
            }
        }
        var cases: [[UInt8]] = []
        for at in valid.indices {
            for byte: UInt8 in [0xFF, 0x80, 0xC0, 0xE0, 0xED, 0xF4, 0x41] {
                var bytes = valid
                bytes[at] = byte
                cases.append(bytes)
            }
            for inserted: [UInt8] in [[0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80]] {
                cases.append(Array(valid[..<at]) + inserted + valid[at...])
            }
        }
        for bytes in cases { XCTAssertEqual(firstInvalidUTF8(bytes), reference(bytes), "\(bytes)") }
    }

    func testABigTextValidatedInPiecesGivesTheSameAnswer() {
        // 4.4 MB of 1-, 3- and 4-byte sequences: validated in 1 MB pieces cut at sequence starts, as
        // its lines are indexed (`TextDocument(validating:)`).
        let unit = Array("记者𠮷a。\n".utf8)   // 13 bytes
        let valid = [UInt8]((0..<340_000).lazy.flatMap { _ in unit })
        XCTAssertNil(firstInvalidUTF8(valid))
        guard case .success(let document) = decodeInput(valid) else { return XCTFail("rejected valid UTF-8") }
        XCTAssertEqual(document.lines, TextDocument(bytes: valid).lines)
        // Errors just before, on and after each piece boundary, and a sequence torn across one.
        for at in [1 << 20 - 1, 1 << 20, 1 << 20 + 1, 2 << 20 + 2, valid.count - 1] {
            var bad = valid
            bad[at] = 0xFF
            // The sequence the byte belonged to is the first ill-formed one.
            let sequenceStart = valid[...at].lastIndex { $0 & 0xC0 != 0x80 }!
            XCTAssertEqual(firstInvalidUTF8(bad), sequenceStart, "0xFF at \(at)")
            guard case .invalidUTF8(let offset, _, _, _)? = failure(bad) else { XCTFail("accepted 0xFF at \(at)"); continue }
            XCTAssertEqual(offset, sequenceStart, "0xFF at \(at)")
        }
        var torn = valid
        torn.removeSubrange((1 << 20 + 1)..<(1 << 20 + 2))
        XCTAssertNotNil(firstInvalidUTF8(torn))
        XCTAssertNotNil(failure(torn))
    }

    func testLongRandomTextsAgreeWithTheStandardLibrary() {
        // The sixteen-byte blocks: runs of one-, two- and three-byte sequences long enough to cross
        // several, with a lead at every lane and a stray byte anywhere (2,000 texts of up to 450 bytes).
        var rng = SystemRandomNumberGenerator()
        let plain: [[UInt8]] = [Array("a".utf8), Array("中".utf8), Array("。".utf8), Array("“".utf8), Array("\n".utf8),
                                Array("é".utf8), Array("ж".utf8)]
        let other: [[UInt8]] = [Array("𠮷".utf8), [0xC3], [0xE4], [0xB8], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80],
                                [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBC], [0xFF]]
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...150, using: &rng) {
                bytes += Int.random(in: 0..<40, using: &rng) == 0 ? other.randomElement(using: &rng)! : plain.randomElement(using: &rng)!
            }
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes.makeIterator()
            var offset = 0, expected: Int? = nil
            parsing: while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let scalar): offset += scalar.count
                case .error: expected = offset; break parsing
                case .emptyInput: break parsing
                }
            }
            XCTAssertEqual(firstInvalidUTF8(bytes), expected, "\(bytes)")
        }
    }

    func testGB18030IsRecognizedWithAConversionHint() throws {
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)
        let bytes = [UInt8](try XCTUnwrap("记者在现场看到，群众排队有序。\n".data(using: gb18030)))
        guard case .invalidUTF8(let offset, let line, _, let looksLikeGB)? = failure(bytes) else { return XCTFail("accepted GB18030 bytes") }
        XCTAssertEqual(offset, 0)
        XCTAssertEqual(line, 1)
        XCTAssertTrue(looksLikeGB)
        let message = failure(bytes)!.message(path: "旧稿.txt")
        XCTAssertTrue(message.contains("looks like GB18030"), message)
        XCTAssertTrue(message.contains("iconv -f GB18030 -t UTF-8 旧稿.txt > 旧稿.txt.utf8"), message)
    }

    func testLatin1IsNotTakenForGB18030() {
        let bytes: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me br".utf8) + [0xFB] + Array("l".utf8) + [0xE9, 0x0A]
        guard case .invalidUTF8(_, _, _, let looksLikeGB)? = failure(bytes) else { return XCTFail("accepted Latin-1") }
        XCTAssertFalse(looksLikeGB)
    }

    func testUTF16WithBOM() throws {
        let little = [UInt8](try XCTUnwrap("\u{FEFF}记者".data(using: .utf16LittleEndian)))
        XCTAssertEqual(failure(little), .utf16(bigEndian: false))
        let big = [UInt8](try XCTUnwrap("\u{FEFF}记者".data(using: .utf16BigEndian)))
        XCTAssertEqual(failure(big), .utf16(bigEndian: true))
        XCTAssertTrue(failure(big)!.message(path: "a b.txt").contains("iconv -f UTF-16 -t UTF-8 'a b.txt' > 'a b.txt.utf8'"))
    }

    func testUTF16WithoutBOMIsToldFromBinary() throws {
        let text = "记者 王𠮷\n现场。\n"
        let little = [UInt8](try XCTUnwrap(text.data(using: .utf16LittleEndian)))
        XCTAssertEqual(failure(little), .utf16(bigEndian: false, byteOrderMark: false))
        let big = [UInt8](try XCTUnwrap(text.data(using: .utf16BigEndian)))
        XCTAssertEqual(failure(big), .utf16(bigEndian: true, byteOrderMark: false))
        // Cut inside the surrogate pair of 𠮷: still UTF-16.
        XCTAssertEqual(failure(Array(big.prefix(10))), .utf16(bigEndian: true, byteOrderMark: false))
        // NULs on one parity but a control character once decoded: binary.
        XCTAssertEqual(failure([0x01, 0x00, 0x61, 0x00]), .binary(offset: 1))
    }

    func testBinaryIsSkipped() {
        XCTAssertEqual(failure(Array("PK".utf8) + [0x03, 0x04, 0x00, 0x00]), .binary(offset: 4))
        XCTAssertTrue(failure([0x00])!.message(path: "x").hasPrefix("binary file, skipped"))
        // A NUL far after the first 8 KB does not make a file binary.
        let late = [UInt8](repeating: 0x61, count: 9000) + [0x00]
        XCTAssertNotNil(try? decodeInput(late).get())
    }

    /// Large input without a newline decodes as one line (linear: no per-character String work).
    func testLongLineDecodes() throws {
        let bytes = Array(String(repeating: "中文", count: 200_000).utf8)
        let document = try decodeInput(bytes).get()
        XCTAssertEqual(document.lines.count, 1)
        XCTAssertEqual(document.count, bytes.count)
    }
}
