import XCTest
import Foundation
import TextModel
@testable import Proofreading

/// stray-whitespace, invisible-character and mixed-line-endings beyond their description examples.
final class WhitespaceRulesTests: XCTestCase {
    let whitespace = Linter(only: StrayWhitespaceRule.self)
    let invisible = Linter(only: InvisibleCharacterRule.self)
    let endings = Linter(only: MixedLineEndingsRule.self)

    static func seed(_ prefix: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("seeds")
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) && $0.hasSuffix(".txt") }
        return try String(contentsOf: dir.appendingPathComponent(name ?? prefix), encoding: .utf8)
    }

    func testSeedsHaveNoStrayWhitespaceInvisibleCharactersOrMixedEndings() throws {
        // The seeds are clean in these respects: a single leading space (seed 000 line 1 ` 伟大的事业`)
        // is a paragraph indent, not a defect.
        for seed in ["000", "001", "002", "003", "004"] {
            let text = try Self.seed(seed)
            XCTAssertEqual(whitespace.check(text).map(\.message), [], seed)
            XCTAssertEqual(invisible.check(text).map(\.message), [], seed)
            XCTAssertEqual(endings.check(text).map(\.message), [], seed)
        }
    }

    func testSeedLinesWithDefectsAddedAreRepairedExactly() throws {
        let line = " 伟大的事业孕育伟大的精神，伟大的精神推"
        let broken = line + " \t\n动伟大的\u{00A0}事业。\u{200B}\n"
        XCTAssertEqual(whitespace.fix(broken), line + "\n动伟大的 事业。\u{200B}\n")
        XCTAssertEqual(invisible.fix(broken), line + " \t\n动伟大的\u{00A0}事业。\n")
        let found = whitespace.check(broken)
        XCTAssertEqual(found.map(\.severity), [.warning, .warning])
        XCTAssertTrue(found[0].message.contains("a space and a tab"), found[0].message)
    }

    func testIndentMixIsReportedOnceOnTheMinority() {
        let p = "\u{3000}\u{3000}本报讯 为落实疫情防控要求，浦东新区全力保障封控小区群众的基本生活。\n"
        let q = "连日来，一线党员干部变身“大白”，贴心保障全封闭管理小区。\n"
        XCTAssertEqual(whitespace.check(p + "\n" + p + "\n" + p), [])
        let mixed = p + "\n" + p + "\n" + q + "\n" + p + "\n" + q
        let found = whitespace.check(mixed)
        XCTAssertEqual(found.count, 1, "\(found.map(\.message))")
        XCTAssertEqual(found.first?.severity, .information)
        XCTAssertEqual(found.first?.range.lowerBound, (p + "\n" + p + "\n").utf8.count)
        XCTAssertNil(found.first?.fix)
    }

    func testControlCharactersAndEmojiJoiner() {
        XCTAssertEqual(invisible.check("科学家👨\u{200D}🔬在实验室。"), [])
        let found = invisible.check("核酸\u{200B}\u{200B}检测\u{0000}点")
        XCTAssertEqual(found.count, 2)
        XCTAssertTrue(found[0].message.contains("zero-width space"), found[0].message)
        XCTAssertTrue(found[1].message.contains("U+0000"), found[1].message)
        let bom = invisible.check("\u{FEFF}本报讯")
        XCTAssertEqual(bom.first?.severity, .information)
        XCTAssertTrue(bom.first?.message.contains("Byte-order mark") ?? false)
    }

    func testLineEndingsConvertToTheMajority() {
        let crlf = "第一行\r\n第二行\r\n第三行\n第四行\r\n"
        XCTAssertEqual(endings.check("第一行\r\n第二行\r\n"), [])
        let found = endings.check(crlf)
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].message.contains("1 LF among 3 CRLF"), found[0].message)
        XCTAssertEqual(endings.fix(crlf), "第一行\r\n第二行\r\n第三行\r\n第四行\r\n")
        // The range runs from the first to the last differing ending.
        let lf = "一\n二\r\n三\n四\r\n五\n"
        let d = endings.check(lf)
        XCTAssertEqual(d.first?.range, "一\n二".utf8.count..<"一\n二\r\n三\n四\r\n".utf8.count)
    }

    /// A big text's line index says whether it holds a CR (found while it was scanned in pieces):
    /// one CRLF deep in 5 MB of LF lines is still reported, and none is looked for without one.
    func testOneCRLFInABigText() {
        let lines = String(repeating: "第一行\n", count: (5 << 20) / 10)
        let withCRLF = TextDocument(lines + "第二行\r\n" + lines)
        XCTAssertEqual(withCRLF.lines.holdsCarriageReturn, true)
        let found = endings.check(withCRLF)
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found.first?.message.contains("1 CRLF among") ?? false, found.first?.message ?? "")
        let plain = TextDocument(lines + lines)
        XCTAssertEqual(plain.lines.holdsCarriageReturn, false)
        XCTAssertEqual(endings.check(plain), [])
    }
}
