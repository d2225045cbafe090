import XCTest
import Foundation
import TextModel
@testable import Proofreading

/// letter-spacing and punctuation-width on the seeds, beyond their description examples.
final class PunctuationRulesTests: XCTestCase {
    let spacing = Linter(only: LetterSpacingRule.self)
    let width = Linter(only: PunctuationWidthRule.self)

    static func seed(_ name: String) throws -> String { try QuoteRulesTests.seed(name) }

    /// 1-based line of each finding's start.
    static func lines(_ found: [Diagnostic], in text: String) -> [Int] {
        let doc = TextDocument(text)
        return found.map { doc.lines.line(containing: $0.range.lowerBound) + 1 }
    }

    // MARK: letter-spacing

    func testEveryLetterSpacedRunOfSeed001() throws {
        let text = try Self.seed("001_2da8e7adcae2b5ad.txt")
        let found = spacing.check(text)
        XCTAssertEqual(Self.lines(found, in: text), [1, 27, 65, 91], "\(found.map(\.message))")
        let doc = TextDocument(text)
        XCTAssertEqual(found.map { doc.slice($0.range) }, ["本 报", "督 查 工", "李 强", "说 ，上 海"])
        // Pairs are unsafe, runs of three or more safe.
        XCTAssertEqual(found.map { $0.fix?.applicability }, [.unsafe, .safe, .unsafe, .safe])
        let fixed = spacing.fix(text, unsafe: true)
        XCTAssertTrue(fixed.hasPrefix(" 本报\n讯 为落实\n"), "the dateline gap after 讯 stays")
        XCTAssertTrue(fixed.contains("\n督查工\n") && fixed.contains("\n李强\n") && fixed.contains("\n说，上海\n"))
    }

    func testTheLongRunOfSeed004() throws {
        let text = try Self.seed("004_c7b1babf8f1c3d20.txt")
        let found = spacing.check(text)
        XCTAssertEqual(Self.lines(found, in: text), [8], "\(found.map(\.message))")
        XCTAssertEqual(found.first?.fix?.edits.count, 12, "one edit per gap between the 13 characters")
        XCTAssertTrue(spacing.fix(text).contains("\n药送菜又常常客串快递的“娘子\n"))
    }

    func testLegitimateSpacesInTheOtherSeeds() throws {
        // Datelines (本报讯 （记者 张强） 当前), bylines (■本报记者 唐玮婕), headlines with phrase gaps
        // (增强大局意识 强化责任担当, 行使民主权利 投好神圣一票) and district labels (浦东新区 加大…).
        for name in ["000_d39319ecd15c55f9.txt", "002_87b3d49c4df502f1.txt", "003_10472fbfcdb6f3d7.txt"] {
            let text = try Self.seed(name)
            XCTAssertEqual(spacing.check(text).map(\.message), [], name)
        }
        for text in ["新华社北京12月31日电  新年前夕，国家主席习近平发表新年贺词。", "守正创新  开拓奋进",
                     "（首席记者 李艳丽）当前疫", "记者 张强", "Shanghai Daily 报道"] {
            XCTAssertEqual(spacing.check(text), [], text)
        }
    }

    func testASpaceNextToADigitIsNumeralSpacings() {
        let both = Linter(rules: [LetterSpacingRule.self, NumeralSpacingRule.self])
        let text = "本报讯（记者 李双玖） 4月 10日下午，"
        XCTAssertEqual(both.check(text).map(\.ruleID), ["numeral-spacing"])
        XCTAssertEqual(spacing.check("组赴 1 0 个"), [])
    }

    func testSpaceBeforePauseMarkOutsideARun() {
        let text = "坚定不移推进祖国统一 。第十四集"
        let found = spacing.check(text)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.fix?.applicability, .safe)
        XCTAssertEqual(spacing.fix(text), "坚定不移推进祖国统一。第十四集")
    }

    // MARK: punctuation-width

    func testSeed003ComesOutFullWidth() throws {
        let text = try Self.seed("003_10472fbfcdb6f3d7.txt")
        let fixed = Linter().fix(text, unsafe: true)
        let ascii = Set(",.;:?!()\"'".unicodeScalars)
        // No ASCII mark left with a Chinese character on either side.
        let scalars = Array(fixed.unicodeScalars)
        for (i, s) in scalars.enumerated() where ascii.contains(s) {
            let before = i > 0 && Scalars.isCJK(scalars[i - 1]) && !Scalars.isInlineSpace(scalars[i - 1])
            let after = i + 1 < scalars.count && Scalars.isCJK(scalars[i + 1]) && !Scalars.isInlineSpace(scalars[i + 1])
            XCTAssertFalse(before || after, "ASCII \(s) left at scalar \(i): \(String(String.UnicodeScalarView(scalars[max(0, i - 8)..<min(scalars.count, i + 8)])))")
        }
        XCTAssertTrue(fixed.contains("\n1. 湖滨街道，沈彦，13906509846\n"))
        XCTAssertTrue(fixed.contains("\n15. 上城区志愿者协会，郑中衡，18329110770"))
        XCTAssertTrue(fixed.contains("本报讯（记者 孙明珠 戚安琪） 12月15日下午，区委书记章燕"))
        XCTAssertTrue(fixed.contains("“你们晚上加班到几点？”“晚上值班冷不冷？”"))
        XCTAssertTrue(fixed.contains("招募志愿者条件为：年龄在18—45周岁。"))
        // Connectors are not width errors (R11): 详见第2-4版, “区-街-社区”.
        // (layout-leftover deletes the jump line itself; punctuation-width alone keeps its hyphen.)
        XCTAssertTrue(width.fix(text, unsafe: true).contains("详见第2-4版") && fixed.contains("“区-街-社区”"))
        // Every comma is safe: `galley fix` without --unsafe already converts them.
        XCTAssertFalse(width.fix(text).contains("街道,"))
    }

    func testASCIIWhereItBelongs() throws {
        for text in ["有约3.6万居民。", "PM2.5浓度", "上午8:30开始", "比例尺1:500", "共12,500元",
                     "访问 https://www.shanghai.gov.cn/index.html?id=3 查询", "1. 湖滨街道",
                     "He said \"yes\", didn't he? (Really!)", "快于全部规模以上工业3.8和3.1个百分点", "约4.5小时后"] {
            XCTAssertEqual(width.check(text).map(\.message), [], text)
        }
        // Seeds 000, 001 (except one comma) and 004 are already full-width.
        for name in ["000_d39319ecd15c55f9.txt", "004_c7b1babf8f1c3d20.txt"] {
            XCTAssertEqual(width.check(try Self.seed(name)).map(\.message), [], name)
        }
        let seed001 = try Self.seed("001_2da8e7adcae2b5ad.txt")
        let found = width.check(seed001)
        XCTAssertEqual(Self.lines(found, in: seed001), [428])
        XCTAssertEqual(found.first.map { TextDocument(seed001).slice($0.range) }, ",")
    }

    func testSeed002BracketsAndNamedDate() throws {
        let text = try Self.seed("002_87b3d49c4df502f1.txt")
        let found = width.check(text)
        XCTAssertEqual(Self.lines(found, in: text), [45, 47, 59, 81], "\(found.map(\.message))")
        XCTAssertEqual(found.map(\.severity), [.warning, .warning, .hint, .warning])
        let safe = width.fix(text)
        XCTAssertTrue(safe.contains("伊泰能源（上海）有限公司捐赠"))
        XCTAssertTrue(safe.contains("爱桃浦(TOP)") && safe.contains("的5.12汶川地震"), "Latin brackets and dates are unsafe")
        let unsafe = width.fix(text, unsafe: true)
        XCTAssertTrue(unsafe.contains("爱桃浦（TOP）、更靠谱") && unsafe.contains("2008年的“5·12”汶川地震救援"))
    }

    func testStraightQuotesAreOneFindingAcrossTheQuoteRules() {
        let all = Linter()
        let text = "他说：\"紊\"是什么意思？"
        XCTAssertEqual(all.check(text).map(\.ruleID), ["punctuation-width"])
        XCTAssertEqual(all.fix(text, unsafe: true), "他说：“紊”是什么意思？")
        // Direction from pairing, form from the mark: ' becomes ‘’.
        XCTAssertEqual(width.fix("他说：\"以'爱桃浦'的精神\"。", unsafe: true), "他说：“以‘爱桃浦’的精神”。")
        // A curly opener with a straight closer: only the closer changes.
        XCTAssertEqual(width.fix("他说：“好\"。", unsafe: true), "他说：“好”。")
        // An unpaired straight quote is unmatched-quote's.
        XCTAssertEqual(all.check("他说：\"我们一定做到。").map(\.ruleID), ["unmatched-quote"])
    }

    func testEllipsisAndDash() {
        XCTAssertEqual(width.fix("微信、微博、抖音...变着花样"), "微信、微博、抖音……变着花样")
        XCTAssertEqual(width.fix("苹果、香蕉。。。。。。"), "苹果、香蕉……")
        XCTAssertEqual(width.fix("他说--这是誓言"), "他说——这是誓言")
        XCTAssertEqual(width.check("Wait... what -- really?"), [])
        XCTAssertEqual(width.check("编号1--3"), [])
    }

    /// Unsafe fixes turn `text` into `expected` in one pass: the second pass finds nothing.
    func assertFixedInOnePass(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let result = width.fix(TextDocument(text), unsafe: true)
        XCTAssertTrue(result.converged, file: file, line: line)
        XCTAssertEqual(result.passes, 2, "one pass fixes, the second finds nothing", file: file, line: line)
        XCTAssertEqual(result.document.text, expected, file: file, line: line)
    }

    /// Regression (engine fuzzer): a run of ASCII marks seen as Chinese only from its right end was
    /// converted one mark per pass, so a run of 16 did not settle within fix's 12 passes.
    func testARunOfMarksBeforeChineseIsConvertedInOnePass() {
        assertFixedInOnePass("记者  \u{FFFD}\n" + String(repeating: "?", count: 16) + "\n于 4 J\u{FFFD}\u{FFFD} 1 日召开。 ",
                             "记者  \u{FFFD}\n" + String(repeating: "？", count: 16) + "\n于 4 J\u{FFFD}\u{FFFD} 1 日召开。 ")
        XCTAssertEqual(width.check("好,;于").count, 2, "each mark is still its own finding")
    }

    /// Regression (engine fuzzer): in a run of straight quotes only the pair beside 说 was in Chinese
    /// text, the next one only after that was fixed: one pair per pass, 13 pairs did not settle.
    func testARunOfStraightQuotesIsConvertedInOnePass() {
        assertFixedInOnePass("他说" + String(repeating: "\"", count: 26) + "第一", "他说" + String(repeating: "“”", count: 13) + "第一")
        XCTAssertEqual(width.fix("He said \"\"\"\" ok", unsafe: true), "He said \"\"\"\" ok", "not in Chinese text")
    }

    /// A chain of ASCII marks and ellipsis dots before Chinese is converted in one pass: each mark's
    /// neighbour counts as Chinese when it will be converted itself (the engine fuzzer found a chain
    /// that took one pass per mark and never settled).
    func testAChainOfMarksAndEllipsesConvergesInOnePass() {
        assertFixedInOnePass("届.;..........:......;...;....;.......;....;......;....届", "届。；……：……；……；……；……；……；……；……届")
        // Latin text keeps its marks: nothing Chinese after the run.
        XCTAssertTrue(width.check("Wait....;... ok").isEmpty)
    }

    /// What follows a mark is read past , ; : ? ! and past whole runs of three or more dots or two or
    /// more dashes, and stops at a shorter run: each mark of a chain is judged by the same walk.
    func testAChainReachesChineseOnlyThroughEllipsesAndDashes() {
        XCTAssertEqual(width.check("Hello,;..届").count, 0)
        XCTAssertEqual(width.check("Hello,;...届").count, 3)
        XCTAssertEqual(width.check("OK,-届").count, 0)
        XCTAssertEqual(width.check("OK,--届").count, 2)
        XCTAssertEqual(width.check("OK,;--,...:届").count, 6)
        XCTAssertEqual(width.check("OK...,--;..届").count, 0)
    }

    /// The line buffers of letter-spacing and numeral-spacing: a line's scalars and where each starts,
    /// then the line's end; a shorter line after a longer one reads only its own.
    func testLineScalarsReadEachLine() {
        let doc = TextDocument("a¢中😀 b\n丁\n")
        var buffer = LineScalars()
        doc.bytes.withUnsafeBufferPointer { b in
            buffer.withScalars(of: doc.lines.contentRange(of: 0), in: b) { s, off in
                XCTAssertEqual(Array(s), "a¢中😀 b".unicodeScalars.map(\.value))
                XCTAssertEqual(Array(off), [0, 1, 3, 6, 10, 11, 12])
            }
            buffer.withScalars(of: doc.lines.contentRange(of: 1), in: b) { s, off in
                XCTAssertEqual(Array(s), [0x4E01])
                XCTAssertEqual(Array(off), [13, 16])
            }
        }
    }

    /// A sequence cut by a line's or the text's end (invalid UTF-8, which a text model may hold) is
    /// read without a crash by the rules that decode lines and paragraphs in place.
    func testCutSequencesAreReadWithoutCrash() {
        let line = Array("2022年4月8日，他说 : 中 国 (上海)... 第3批，3、4个\n".utf8)
        let cut: [UInt8] = [0xE5, 0xB9]  // 年 without its last byte
        let texts = [line + cut, cut + [0x0A] + line + cut, line.dropLast() + cut + [0x0A] + line + [0xE4]]
        for bytes in texts {
            XCTAssertFalse(Linter().check(TextDocument(bytes: bytes)).isEmpty)
        }
    }

    /// The messages written out for speed read as `singleMessage` composes them.
    func testWrittenOutMarkMessagesReadAsComposed() {
        let written = PunctuationWidthRule.fullWidth.keys.filter { PunctuationWidthRule.literalMessage($0) != nil }
        XCTAssertEqual(written.count, 6)
        for v in PunctuationWidthRule.fullWidth.keys {
            let message = PunctuationWidthRule.singleFindings.first { $0.mark == v }!.message
            XCTAssertEqual(message, PunctuationWidthRule.singleMessage(v))
            if let literal = PunctuationWidthRule.literalMessage(v) { XCTAssertEqual(literal, message) }
        }
    }
}
