import XCTest
import Foundation
import TextModel
@testable import Proofreading

/// The quote and bracket pairing rules on real seed snippets, beyond their description examples.
final class QuoteRulesTests: XCTestCase {
    let quotes = Linter(rules: [UnmatchedQuoteRule.self, QuoteNestingRule.self])

    static func offset(of needle: String, in text: String) -> Int {
        guard let r = text.range(of: needle) else { XCTFail("\(needle) not in text"); return -1 }
        return text.utf8.distance(from: text.startIndex, to: r.lowerBound)
    }

    static func seed(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("seeds").appendingPathComponent(name), encoding: .utf8)
    }

    // Seed 000 lines 17–20: the “ before 党员 is never closed; it should close before “我愿意.
    static let seed000 = """
    党旗所指，行之所向。“党
    员，就是要在关键时刻站出来，危
    难时刻挺出来，“我愿意接受最关
    键时期的考验。”这是“市监蓝”
    深入一线消杀时的铿锵誓言。区市
    场监管局第一时间对市场监管领域
    疫情防控进行研判部署。

    """

    func testSeed000UnclosedQuoteAndWhereItShouldClose() {
        let text = Self.seed000
        let found = quotes.check(text)
        XCTAssertEqual(found.count, 1, "\(found.map(\.message))")
        guard let d = found.first else { return }
        XCTAssertEqual(d.ruleID, "unmatched-quote")
        let mark = Self.offset(of: "“党", in: text)
        XCTAssertEqual(d.range, mark..<(mark + 3))
        XCTAssertEqual(d.related.count, 1)
        XCTAssertEqual(d.related.first?.range.lowerBound, Self.offset(of: "“我愿意", in: text))
        XCTAssertNil(d.fix)
    }

    func testWholeSeed000HasOneUnmatchedQuoteInThatParagraph() throws {
        let text = try Self.seed("000_d39319ecd15c55f9.txt")
        let doc = TextDocument(text)
        let found = quotes.check(doc).filter { (16..<39).contains(doc.position(of: $0.range.lowerBound, in: .utf8).line) }
        XCTAssertEqual(found.map(\.ruleID), ["unmatched-quote"])
        XCTAssertEqual(found.first.map { doc.position(of: $0.range.lowerBound, in: .utf32) }, LineColumn(line: 16, column: 10))
    }

    // Seed 002 line 39: a paragraph that ends with ” but never opened; the “ belongs at its start.
    func testStrayCloserPointsAtTheParagraphStart() {
        let text = "“同时我们还要持续做好居民生活物资保障和就医通道服务。”\n\n据统计，长桥街道有802位高龄独居老人。街道全体干部下定决心，做到守土有责、守土尽责。”朱莺表示。\n"
        let found = quotes.check(text)
        XCTAssertEqual(found.map(\.ruleID), ["unmatched-quote"])
        XCTAssertEqual(found.first?.range.lowerBound, Self.offset(of: "”朱莺", in: text))
        XCTAssertEqual(found.first?.related.first?.range.lowerBound, Self.offset(of: "据统计", in: text))
    }

    func testMultiParagraphQuotationThatIsCorrect() {
        let text = "“第一段，我们要守好家园、筑牢屏障。\n\n“第二段，以‘爱桃浦、更靠谱’的精神。\n\n“第三段，迎来更美好的明天！”\n"
        XCTAssertEqual(quotes.check(text), [])
        // Each paragraph closed on its own is fine too.
        XCTAssertEqual(quotes.check("“第一段内容。”\n\n“第二段内容。”\n"), [])
    }

    func testMultiParagraphQuotationThatEndsWithoutItsCloser() {
        // ¶1 is not closed and ¶2 does not open with “: the quotation ends in ¶1 without ”.
        let text = "“第一段，我们要守好家园、筑牢屏障。\n\n第二段，迎来更美好的明天！\n"
        let found = quotes.check(text)
        XCTAssertEqual(found.map(\.ruleID), ["unmatched-quote"])
        XCTAssertEqual(found.first?.range, 0..<3)
        XCTAssertEqual(found.first?.related.first?.range.lowerBound, Self.offset(of: "\n\n第二段", in: text))

        // Continued into ¶2 and never closed there: the finding is on ¶2's “ and points at ¶1's.
        let chain = "“第一段，我们要守好家园。\n\n“第二段，迎来更美好的明天！\n\n第三段不是引文。\n"
        let found2 = quotes.check(chain)
        XCTAssertEqual(found2.map(\.range.lowerBound), [Self.offset(of: "“第二段", in: chain)])
        XCTAssertTrue(found2.first?.message.contains("runs on from an earlier paragraph") ?? false, found2.first?.message ?? "")
        XCTAssertEqual(found2.first?.related.last?.range, 0..<3)
        XCTAssertEqual(found2.first?.related.last?.message, "the quotation starts here")
    }

    func testAParagraphOpeningWithAQuotedTermDoesNotContinueAQuotation() {
        let text = "各地各部门积极应对台风“巴威。\n\n“十四五”期间，凉山加快构建现代农业产业体系。\n"
        let found = quotes.check(text)
        XCTAssertEqual(found.map(\.range.lowerBound), [Self.offset(of: "“巴威", in: text)])
        XCTAssertEqual(found.first?.related.first?.range.lowerBound, Self.offset(of: "\n\n“十四五", in: text))
        // A continued paragraph whose quotation closes after a full sentence is still a continuation.
        XCTAssertEqual(quotes.check("他说：“第一段内容。\n\n“好。”\n"), [])
    }

    // Seed 002 lines 117–119: the quotation is cut by a column wrap and a blank line; the layout
    // joins the lines (line 117 ends mid-word), so it is one quotation.
    func testQuotationBrokenAcrossAWrappedLine() {
        let text = "鼓励商户加入“战疫”行列。“基层是防疫的第一道关，再苦再累也要咬\n\n牙坚持，共同构筑党建引领下疫情防控的坚强防线。”沈洪表示。\n"
        XCTAssertEqual(quotes.check(text), [])
        // Seed 000 lines 119–126: ‘随申办’ is the inner quotation of a quotation wrapped over lines.
        let wrapped = "中心信息技术科副科长孙健说：“申\n\n请单位向城运中心进行申请，由城运中心\n进行审批，最后录入到‘随申办’市民云\n大数据后台。\n"
        let found = quotes.check(wrapped)
        XCTAssertEqual(found.map(\.ruleID), ["unmatched-quote"], "only the outer “ is open")
        XCTAssertEqual(found.first?.range.lowerBound, Self.offset(of: "“申", in: wrapped))
    }

    func testNestedDoubleQuotesAreNestingOnly() {
        let text = "他说：“我们要确保“不漏一户、不落一人”，做到应检尽检。”"
        let found = quotes.check(text)
        XCTAssertEqual(found.map(\.ruleID), ["quote-nesting"])
        let inner = Self.offset(of: "“不漏", in: text)
        XCTAssertEqual(found.first?.range, inner..<(Self.offset(of: "”，做到", in: text) + 3))
        XCTAssertEqual(found.first?.fix?.applicability, .unsafe)
        XCTAssertEqual(quotes.fix(text, unsafe: true), "他说：“我们要确保‘不漏一户、不落一人’，做到应检尽检。”")
    }

    func testUnmatchedAndNestingNeverReportTheSameMark() throws {
        var texts = [
            Self.seed000,
            "他说：“我们要确保“不漏一户”。“党员，就是要站出来，“我愿意”这是誓言。",
            "“甲‘乙“丙”乙’甲”。“甲‘乙”丙’。「甲『乙』」”\"好\"",
            "他说\"好'吗\"。'对'",
        ]
        for name in ["000_d39319ecd15c55f9.txt", "001_2da8e7adcae2b5ad.txt", "002_87b3d49c4df502f1.txt",
                     "003_10472fbfcdb6f3d7.txt", "004_c7b1babf8f1c3d20.txt"] {
            texts.append(try Self.seed(name))
        }
        var sawBoth = false
        for text in texts {
            let found = quotes.check(text)
            let unmatched = Set(found.filter { $0.ruleID == "unmatched-quote" }.map(\.range.lowerBound))
            let nestingMarks = Set(found.filter { $0.ruleID == "quote-nesting" }.flatMap { $0.fix?.edits.map(\.range.lowerBound) ?? [] })
            XCTAssertTrue(unmatched.isDisjoint(with: nestingMarks), "both rules report a mark in \(text.prefix(40))")
            if !unmatched.isEmpty && !nestingMarks.isEmpty { sawBoth = true }
        }
        XCTAssertTrue(sawBoth, "the texts must exercise both rules at once")
    }

    func testNestingIsNotJudgedInsideAQuotationThatNeverCloses() {
        // The outer “ is unclosed: the “…” inside it is not a nesting error (unmatched-quote's defect).
        let text = "党旗所指，“党员，就是要在关键时刻站出来，“我愿意接受考验。”这是誓言。"
        XCTAssertEqual(quotes.check(text).map(\.ruleID), ["unmatched-quote"])
    }

    func testStraightQuotes() {
        // Their width is punctuation-width's (one defect, one finding): quote-nesting judges only the
        // level, counting " as a double mark and ' as a single one.
        XCTAssertEqual(quotes.check("他说：\"我们一定做到。\""), [])
        XCTAssertEqual(quotes.check("“以'爱桃浦'的精神。”"), [])
        let both = Linter(rules: [QuoteNestingRule.self, PunctuationWidthRule.self])
        XCTAssertEqual(both.check("他说：\"我们一定做到。\"").map(\.ruleID), ["punctuation-width"])
        XCTAssertEqual(both.fix("“以'爱桃浦'的精神。”", unsafe: true), "“以‘爱桃浦’的精神。”")
        // English context and apostrophes: nothing.
        XCTAssertEqual(quotes.check("He said \"yes\", didn't he?"), [])
        XCTAssertEqual(quotes.check("他说：“you’re welcome，students’ union。”"), [])
        // An unpaired straight quote is unmatched-quote's, whatever its form.
        XCTAssertEqual(quotes.check("他说：\"我们一定做到。").map(\.ruleID), ["unmatched-quote"])
    }

    func testCornerBracketsByLevel() {
        XCTAssertEqual(quotes.fix("他说：「我们要确保『不漏一户』。」", unsafe: true), "他说：“我们要确保‘不漏一户’。”")
        // A corner bracket closes only its own opener.
        XCTAssertEqual(quotes.check("他说：「我们一定做到。”").map(\.ruleID), ["unmatched-quote", "unmatched-quote"])
    }

    // MARK: Brackets

    let brackets = Linter(only: UnmatchedBracketRule.self)

    func testBracketsOnSeedSnippets() {
        // Seed 000 lines 199–200: a byline cut by the column.
        XCTAssertEqual(brackets.check("本报讯 （记者 张\n强） 4 月 6 日上午，市\n政协召开会议。\n"), [])
        // Seed 002 line 45 and seed 003 line 24: ASCII brackets pair like full-width ones.
        XCTAssertEqual(brackets.check("静安区的伊泰能源(上海)有限公司捐赠抗疫爱心款2000万元。"), [])
        XCTAssertEqual(brackets.check("本报讯(记者 孙明珠 戚安琪） 12月15日下午。"), [])
        // Seed 000 lines 342–344: a title with a quotation inside, wrapped over lines.
        XCTAssertEqual(brackets.check("门。《关于尽快梳理全民核酸后“漏检”、\n“漏复核”人员的建议》等信息被市政协采纳。\n"), [])
    }

    func testUnclosedTitleMarkShouldCloseBeforeTheNextOne() {
        let text = "国务院联防联控机制12日发布《预防新型冠状病毒感染公众佩戴口罩指引（2023年4月版），提出分类建议。《指引》明确了场景。"
        let found = brackets.check(text)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.range.lowerBound, Self.offset(of: "《预防", in: text))
        XCTAssertEqual(found.first?.related.first?.range.lowerBound, Self.offset(of: "《指引", in: text))
    }

    func testUnpairedBracketsAndCrossing() {
        let open = "本报讯（记者 张强 当前，上海正面临挑战。"
        XCTAssertEqual(brackets.check(open).map(\.range.lowerBound), [Self.offset(of: "（", in: open)])
        XCTAssertEqual(brackets.check(open).first?.related.first?.range.lowerBound, open.utf8.count)
        let ascii = "详见(内容"
        XCTAssertEqual(brackets.check(ascii).map(\.range.lowerBound), [Self.offset(of: "(", in: ascii)])
        let crossed = "（甲《乙）丙》。"
        let found = brackets.check(crossed)
        XCTAssertEqual(found.map(\.range.lowerBound), [Self.offset(of: "《", in: crossed)], "one finding for one crossing")
        XCTAssertEqual(found.first?.related.first?.range.lowerBound, Self.offset(of: "》", in: crossed))
    }

    func testListMarkersAndURLsAreNotBrackets() {
        XCTAssertEqual(brackets.check("措施如下：\n1) 加强管控；\n2) 做好保障；\n二）落实责任。\n"), [])
        XCTAssertEqual(brackets.check("分三步：a)排查、b)转运、c)保障。"), [])
        XCTAssertEqual(brackets.check("详见(https://example.com/a)页面。"), [])
        XCTAssertEqual(brackets.check("（详见 https://example.com/wiki/A_(b)）"), [])
        // The same closer after a Han character is a stray bracket.
        XCTAssertEqual(brackets.check("措施)加强管控。").count, 1)
    }

    // MARK: Properties on generated text

    /// Random mixes of every mark, Han, Latin, spaces and line breaks (a fixed LCG, so failures repeat):
    /// nothing traps, the two quote rules never share a mark, fixes stay in range and converge.
    func testGeneratedTextKeepsTheInvariants() {
        let alphabet = Array("“”‘’\"'「」『』（）()《》〈〉【】[]甲乙，。、：a b\n\n1".unicodeScalars)
        let all = Linter(rules: [UnmatchedQuoteRule.self, QuoteNestingRule.self, UnmatchedBracketRule.self])
        var state: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<400 {
            var text = String.UnicodeScalarView()
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<(Int(state >> 59) + 4) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let doc = TextDocument(String(text))
            let found = all.check(doc)
            let unmatched = Set(found.filter { $0.ruleID == "unmatched-quote" }.map(\.range.lowerBound))
            for d in found {
                for e in d.fix?.edits ?? [] {
                    XCTAssertTrue(d.range.lowerBound <= e.range.lowerBound && e.range.upperBound <= d.range.upperBound)
                    XCTAssertFalse(unmatched.contains(e.range.lowerBound), "\(String(reflecting: doc.text))")
                }
                for r in d.related { XCTAssertLessThanOrEqual(r.range.upperBound, doc.count) }
            }
            XCTAssertTrue(all.fix(doc, unsafe: true).converged, "\(String(reflecting: doc.text))")
        }
    }

    /// The walk for the quotation marks notes the paragraphs with a bracket and those with a mark that
    /// punctuation-width converts (an ASCII one, or 。 after another or at a line's start), as a decoding
    /// of each paragraph's lines finds them; unmatched-bracket and punctuation-width read only those.
    func testTheWalkNotesBracketsAndWidthMarksPerParagraph() {
        let pieces = ["中", "文", "，", "。", "。。", "“", "”", "\"", "'", "(", ")", "（", "）", "《", "》", "【", "[", "]",
                      ",", ".", "-", "?", "%", "/", "a", "1", "，\n", "。\n", "\n\n", "\n　", "\n 。", "　", "「"]
        var state: UInt64 = 7
        for _ in 0..<400 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<(Int(state >> 58) + 2) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            let context = RuleContext(document: TextDocument(text))
            let quotes = context.quotes
            for (pi, paragraph) in context.layout.paragraphs.enumerated() {
                let lines = paragraph.segments.map { String(decoding: context.document.bytes[$0], as: UTF8.self) }
                let bracketed = lines.contains { $0.unicodeScalars.contains { UnmatchedBracketRule.classify($0) != nil } }
                let widthMarked = lines.contains { line in
                    line.unicodeScalars.contains { ",.;:?!()-\"'".unicodeScalars.contains($0) } || line.hasPrefix("。") || line.contains("。。")
                }
                XCTAssertEqual(quotes.bracketed[pi], bracketed, String(reflecting: text))
                XCTAssertEqual(quotes.widthMarked[pi], widthMarked, String(reflecting: text))
            }
        }
    }
}
