import XCTest
import TextModel
@testable import Proofreading
import Evaluation

/// The numerals family on real lines from the seeds (seeds/000…004) and on clean sentences.
final class NumeralRulesTests: XCTestCase {
    let numeralRules: [any Rule.Type] = [NumeralWidthRule.self, NumeralSpacingRule.self, NumeralStyleRule.self]

    func check(_ rule: any Rule.Type, _ text: String) -> [Diagnostic] { Linter(only: rule).check(text) }

    /// The text each diagnostic covers.
    func spans(_ found: [Diagnostic], in text: String) -> [String] {
        let doc = TextDocument(text)
        return found.map { doc.slice($0.range) }
    }

    /// Start offsets as (line, scalar column), 0-based.
    func starts(_ found: [Diagnostic], in text: String) -> [LineColumn] {
        let doc = TextDocument(text)
        return found.map { doc.position(of: $0.range.lowerBound, in: .utf32) }
    }

    // MARK: Clean text

    func testCleanSentencesWithNumbersTriggerNothing() {
        let clean = [
            "——习近平2022年4月8日在北京冬奥会冬残奥会总结表彰大会上的讲话",
            "位于闵行区莘庄镇的上海康城小区，现有约3.6万居民。",
            "PM2.5浓度下降，PM2.5 浓度",
            "1. 湖滨街道,沈彦,13906509846\n2. 清波街道,贾晔唯,15805710678\n",
            "10. 四季青街道,朱舒文,13616530221",
            "招募志愿者条件为:年龄在18—45周岁。",
            "截至3月21日，各区抽调机关、企事业单位党员干部近6万人下沉基层一线。",
            "他参加过2008年的5.12汶川地震救援，也经历了2003年的非典疫情。",
            "（下转第2、3版）",
            "共10亿零817万5288人，捐赠抗疫爱心款2000万元。",
        ]
        for text in clean {
            for rule in numeralRules {
                XCTAssertEqual(check(rule, text).map(\.message), [], "\(rule.description.id) on \(text)")
            }
        }
    }

    // MARK: numeral-spacing on seed 000

    func testSpacingInAWrappedDatelineSeed000() {
        // seed 000 lines 199-200: the space after ） is not a number's; the three inside the date are.
        let text = "本报讯 （记者 张\n强） 4 月 6 日上午，市\n"
        let found = check(NumeralSpacingRule.self, text)
        XCTAssertEqual(starts(found, in: text), [LineColumn(line: 1, column: 4), LineColumn(line: 1, column: 6),
                                                 LineColumn(line: 1, column: 8)])
        XCTAssertEqual(Linter(only: NumeralSpacingRule.self).fix(text), "本报讯 （记者 张\n强） 4月6日上午，市\n")
    }

    func testSpacingSeed000Lines() {
        // seed 000 line 139: only the gap inside the date.
        let dateline = "本报讯（记者 李双玖） 4月 10日下"
        XCTAssertEqual(check(NumeralSpacingRule.self, dateline).map(\.message), ["Space between \"月\" and \"10\": write \"月10\""])
        // The message quotes the bytes of the text: a number after Han, and one with a unit before Han.
        XCTAssertEqual(check(NumeralSpacingRule.self, "气温 25℃ 左右，共计 3.6万人。").map(\.message),
                       ["Space between \"温\" and \"25℃\": write \"温25℃\"", "Space between \"25℃\" and \"左\": write \"25℃左\"",
                        "Space between \"计\" and \"3.6\": write \"计3.6\""])
        // seed 000 lines 274-276, 280: a number at a line end is still next to its Han neighbour.
        let text = "截至 4月 8日，区人大常委会代表工作\n室收到代表提出的意见建议 55条，区人大\n常委会高度重视，向市人大转送建议 16\n条，其余转送区政府疫情防控部门处理参\n有 805 名区和镇级人大代表通过“先锋上\n"
        let found = check(NumeralSpacingRule.self, text)
        XCTAssertEqual(found.count, 6)
        XCTAssertEqual(Set(found.map { $0.fix?.applicability }), [.safe])
        XCTAssertEqual(Linter(only: NumeralSpacingRule.self).fix(text),
                       "截至4月8日，区人大常委会代表工作\n室收到代表提出的意见建议55条，区人大\n常委会高度重视，向市人大转送建议16\n条，其余转送区政府疫情防控部门处理参\n有805名区和镇级人大代表通过“先锋上\n")
        // seed 000 line 334: a Latin letter is not a number.
        XCTAssertEqual(check(NumeralSpacingRule.self, "总裁陈艳积极协调筹集羽绒服和 T恤衫，\n"), [])
    }

    func testSpacingSkipsHeadlineSeparators() {
        // A headline above its paragraph: the space is the headline's punctuation.
        let headline = "美国芝加哥周末发生多起枪击案 3死27伤\n在刚刚过去的周末，美国芝加哥发生超过20起枪击案，造成多人死伤，警方正在调查。\n"
        XCTAssertEqual(check(NumeralSpacingRule.self, headline), [])
        // The same words as a column line among column lines are an extractor's gap.
        let column = "区局迅速集结 3人党员专\n班，不讲任何困难，有力\n"
        XCTAssertEqual(spans(check(NumeralSpacingRule.self, column), in: column), [" "])
    }

    // MARK: numeral-width

    func testWidthOneFindingPerRun() {
        let text = "２０２２年４月８日，增长３．６％，Ａ股"
        let found = check(NumeralWidthRule.self, text)
        XCTAssertEqual(spans(found, in: text), ["２０２２", "４", "８", "３．６％", "Ａ"])
        XCTAssertEqual(found.first?.message, "Full-width characters \"２０２２\": write \"2022\"")
        XCTAssertEqual(Linter(only: NumeralWidthRule.self).fix(text), "2022年4月8日，增长3.6%，A股")
    }

    func testYearZeroLookalikeIsReportedOnceByStyle() {
        let text = "二Ｏ一二年"
        XCTAssertEqual(check(NumeralWidthRule.self, text), [])
        let style = check(NumeralStyleRule.self, text)
        XCTAssertEqual(style.count, 1)
        XCTAssertEqual(style.first?.fix?.applicability, .safe)
        XCTAssertEqual(Linter().fix(text), "二〇一二年")
    }

    // MARK: numeral-style

    func testStyleOnSeedsLinesReportsNothing() {
        // seed 000 lines 53-56 and 308 (counts in both forms are not compared), seed 002 line 129
        // (三四百: an approximate number), seed 000 line 22 and seed 002 line 143 (第一时间, 第一轮).
        let text = """
        疫支援任务。截至4月7日，派出4
        人入驻隔离酒店、15人承担人员转
        工作，经过三个昼夜的连续奋战，按期建
        这几天，居民区还排摸登记了三四百名大病居民和孕产妇的就医需求。
        场监管局第一时间对市场监管领域
        3月28日上海启动新一轮核酸筛查，家绿合作社所在的叶榭镇正处于第一轮封控区域。

        """
        XCTAssertEqual(check(NumeralStyleRule.self, text).map(\.message), [])
    }

    func testChineseDatesInAnArabicDocument() {
        let text = "截至4月7日，派出4人。\n\n二〇二二年四月八日，区局召开会议。\n"
        let found = check(NumeralStyleRule.self, text)
        XCTAssertEqual(spans(found, in: text), ["二〇二二年四月八日"])
        XCTAssertEqual(found.first?.fix?.applicability, .unsafe)
        XCTAssertEqual(found.first?.related.count, 1)
        XCTAssertEqual(Linter(only: NumeralStyleRule.self).fix(text, unsafe: true), "截至4月7日，派出4人。\n\n2022年4月8日，区局召开会议。\n")
        // Safe fixes alone leave it.
        XCTAssertEqual(Linter(only: NumeralStyleRule.self).fix(text), text)
        // A year with 零 in an Arabic document: one finding, converted to Arabic numerals.
        let zero = "截至4月7日，派出4人。二零一二年，区局成立。"
        XCTAssertEqual(spans(check(NumeralStyleRule.self, zero), in: zero), ["二零一二年"])
        XCTAssertEqual(Linter(only: NumeralStyleRule.self).fix(zero, unsafe: true), "截至4月7日，派出4人。2012年，区局成立。")
    }

    func testArabicMinorityIsReportedWithoutFix() {
        let text = "二〇〇八年八月八日开幕，二〇〇八年八月二十四日闭幕，2008年9月6日残奥会开幕。"
        let found = check(NumeralStyleRule.self, text)
        XCTAssertEqual(spans(found, in: text), ["2008年9月6日"])
        XCTAssertNil(found.first?.fix)
    }

    func testLunarRegnalAndTitleDatesAreNotCounted() {
        let text = "2022年4月8日。农历七月七日，清咸丰十年九月二十日，王维《九月九日忆山东兄弟》，腊月二十三。"
        XCTAssertEqual(check(NumeralStyleRule.self, text), [])
    }

    func testMixedDateAndMultipliers() {
        let text = "他生于二〇〇八年8月8日，公司市值3亿4千5百万元。"
        let found = check(NumeralStyleRule.self, text)
        XCTAssertEqual(spans(found, in: text), ["二〇〇八年8月8日", "3亿4千5百万"])
        XCTAssertTrue(found[1].message.contains("\"3亿4500万\""), found[1].message)
        XCTAssertNil(found[1].fix)
    }

    func testOrdinalsInOneParagraph() {
        let text = "第一批已于昨日出发，第2批今天出发，区局第一时间部署，冲锋在第一线。"
        let found = check(NumeralStyleRule.self, text)
        // One each: on a tie the Chinese form is reported; 第一时间 and 第一线 are not ordinals of 批.
        XCTAssertEqual(spans(found, in: text), ["第一批"])
        XCTAssertNil(found.first?.fix)
        // Different paragraphs: not compared (their series differ).
        XCTAssertEqual(check(NumeralStyleRule.self, "第一批已于昨日出发。\n\n另一地区的第2批今天出发。\n"), [])
    }

    func testRelativeYearsSpacedDatesAndZerosInTitles() {
        // 今年五月一日 is a Gregorian date (only a regnal or lunar year before a month is skipped);
        // 7月 31日 with a stray space is still an Arabic date.
        let text = "记者今天（7月 31日）从国家发展改革委获悉。\n\n中方将于今年五月一日起实施零关税举措。\n"
        XCTAssertEqual(spans(check(NumeralStyleRule.self, text), in: text), ["五月一日"])
        XCTAssertEqual(check(NumeralStyleRule.self, "咸丰十年九月二十日，2022年4月8日。"), [])
        // A year with 零 in a title keeps its Chinese form but gets 〇 (safe).
        let title = "国家卫生健康委今天（12月2日）发布《二零二四年我国卫生健康事业发展统计公报》。"
        let found = check(NumeralStyleRule.self, title)
        XCTAssertEqual(spans(found, in: title), ["二零二四年"])
        XCTAssertEqual(Linter(only: NumeralStyleRule.self).fix(title), "国家卫生健康委今天（12月2日）发布《二〇二四年我国卫生健康事业发展统计公报》。")
        // Such a year does not outvote the Arabic date: the Chinese ones are reported, not 6月21日.
        let vote = "二零二五年，普京今天（二月二十九日）发表国情咨文。6月21日，会谈举行。"
        XCTAssertEqual(spans(check(NumeralStyleRule.self, vote), in: vote), ["二零二五年", "二月二十九日"])
    }

    /// Asserts that numeral-style finds in `text` what it finds without its pre-scan; the number found.
    private func assertPrescanSkipsNothing(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let rule = NumeralStyleRule()
        let context = RuleContext(document: TextDocument(text))
        let findings = { (prescan: Bool) in
            rule.check(reading: [SectionFacts(facts: rule.facts(of: context, prescan: prescan), offset: 0, context: context)], own: 0)
        }
        let all = findings(false)
        XCTAssertEqual(findings(true), all, String(reflecting: text), file: file, line: line)
        return all.count
    }

    /// The byte pre-scan that picks the paragraphs to decode skips nothing: on random mixes of
    /// numerals, triggers, spaces, titles and line breaks (a fixed seed, so failures repeat), the
    /// findings equal those of scanning every paragraph.
    func testStylePrescanSkipsNoFinding() {
        let alphabet = Array("0123456789〇一二三四五六七八九十百千零两几年月日第批届个、《》农历闰今 　\n\n甲乙Oo○.，。".unicodeScalars)
        var rng = SplitMix64(seed: 6)
        var found = 0
        for _ in 0..<3000 {
            let text = String(String.UnicodeScalarView((0..<rng.int(in: 4...67)).map { _ in alphabet[rng.int(below: alphabet.count)] }))
            found += assertPrescanSkipsNothing(text)
        }
        XCTAssertGreaterThan(found, 100)
    }

    /// A paragraph with only dates to scan is decoded no further than `dateReach` past its last 年 or
    /// 月: in long random paragraphs of date characters, where a date ends at any distance from the
    /// text's end, the pre-scan reads the same dates (most are never reported, so not the findings).
    func testStylePrescanReadsEveryDate() {
        let pieces = ["2022年", "二〇二二年", "二零一二年", "4月", "十二月", "12 月", "8日", " 27日", "三十一日", "1", "二",
                      "年", "月", "日", "《", "》", "农历", "闰", "今年", "新年贺词", "远景目标", "甲乙", "，", "　", "\n"]
        var rng = SplitMix64(seed: 7)
        var found = 0
        for _ in 0..<2000 {
            let text = (0..<rng.int(in: 4...40)).map { _ in pieces[rng.int(below: pieces.count)] }.joined()
            let context = RuleContext(document: TextDocument(text))
            let dates = { (prescan: Bool) in "\(NumeralStyleRule().facts(of: context, prescan: prescan).dates)" }
            let all = dates(false)
            XCTAssertEqual(dates(true), all, String(reflecting: text))
            found += all.components(separatedBy: "DateMatch(").count - 1
        }
        XCTAssertGreaterThan(found, 1000)
    }

    /// A paragraph with ordinals and no numbers to scan is decoded from its first 第 that triggers to
    /// `ordinalReach` past its last one's numeral run: in long random paragraphs of ordinal (and date)
    /// characters, with runs and series cut by line breaks, the pre-scan reads the same ordinals and dates.
    func testStylePrescanReadsEveryOrdinal() {
        let pieces = ["第", "第1", "第12", "第一", "第十四", "1", "一", "两", "批", "届", "季度", "阶段", "次", "号", "全国人大",
                      "联合国大会", "时间", "书记", "甲乙", "，", "　", "\n", "\n\n", "2022年", "4月", "8日", "《", "》"]
        var rng = SplitMix64(seed: 8)
        var found = 0
        for _ in 0..<2000 {
            let text = (0..<rng.int(in: 4...40)).map { _ in pieces[rng.int(below: pieces.count)] }.joined()
            let context = RuleContext(document: TextDocument(text))
            let facts = { (prescan: Bool) -> String in
                let facts = NumeralStyleRule().facts(of: context, prescan: prescan)
                return "\(facts.ordinals) \(facts.dates)"
            }
            let all = facts(false)
            XCTAssertEqual(facts(true), all, String(reflecting: text))
            found += all.components(separatedBy: "Ordinal(").count - 1
        }
        XCTAssertGreaterThan(found, 1000)
    }

    /// The pre-scan reads the whole text, so a trigger at a line's start follows a line break or an
    /// indent: each inline space is tried before each trigger that counts there whatever precedes it.
    func testStylePrescanSeesTriggersAfterEveryIndent() {
        let spaces = ["", " ", "\t", "\u{A0}", "\u{202F}", "\u{205F}", "\u{3000}"] + (0x2000...0x200A).map { String(Unicode.Scalar($0)!) }
        var found = 0
        for space in spaces {
            for trigger in ["十", "百", "千", "几", "、"] {
                found += assertPrescanSkipsNothing("记者今天从国家发展改革委获悉，项目投资超3\n\(space)\(trigger)4个月，中方将于今年实施零关税举措，"
                                                   + "这是一个很长的句子\r\n\(space)\(trigger)用来测试换行的情况。\n")
            }
        }
        XCTAssertGreaterThan(found, 0)
    }
}
