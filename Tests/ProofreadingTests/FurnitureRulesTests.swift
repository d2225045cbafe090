import XCTest
import Foundation
import TextModel
@testable import Proofreading
import Evaluation

/// duplicate-fragment and layout-leftover on the seeds and on real snippets, beyond their examples.
final class FurnitureRulesTests: XCTestCase {
    let duplicates = Linter(only: DuplicateFragmentRule.self)
    let leftovers = Linter(only: LayoutLeftoverRule.self)

    static func offset(of needle: String, in text: String, from start: Int = 0) -> Int {
        let utf8 = Array(text.utf8), n = Array(needle.utf8)
        guard n.count <= utf8.count, start <= utf8.count - n.count else { XCTFail("\(needle) not in text"); return -1 }
        for i in start...(utf8.count - n.count) where utf8[i] == n[0] && Array(utf8[i..<(i + n.count)]) == n { return i }
        XCTFail("\(needle) not in text")
        return -1
    }

    static func seed(_ prefix: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("seeds")
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) && $0.hasSuffix(".txt") }
        return try String(contentsOf: dir.appendingPathComponent(name ?? prefix), encoding: .utf8)
    }

    // MARK: duplicate-fragment

    func testSeed003DuplicatedLineIsReportedOnceWithTheEarlierCopy() throws {
        let text = try Self.seed("003")
        let doc = TextDocument(text)
        let found = duplicates.check(doc)
        XCTAssertEqual(found.count, 1, "\(found.map(\.message))")
        guard let d = found.first else { return }
        let phrase = "她说,人大代表换届选举工作是全区人民政治生活中的一件大事,大家要将疫"
        let first = Self.offset(of: phrase, in: text)
        let second = Self.offset(of: phrase, in: text, from: first + 1)
        XCTAssertEqual(d.range, second..<(second + phrase.utf8.count))
        XCTAssertEqual(d.related.map(\.range), [first..<(first + phrase.utf8.count)])
        XCTAssertEqual(doc.position(of: d.range.lowerBound, in: .utf8).line + 1, 30)
        XCTAssertEqual(doc.position(of: d.related[0].range.lowerBound, in: .utf8).line + 1, 26)
        XCTAssertNil(d.fix, "neither copy is a whole line: only a person can tell which is stray")
    }

    func testSeed001PullQuotesAreReportedAsWholeLinesWithAnUnsafeDelete() throws {
        let text = try Self.seed("001")
        let doc = TextDocument(text)
        let found = duplicates.check(doc)
        XCTAssertEqual(found.map { doc.position(of: $0.range.lowerBound, in: .utf8).line + 1 }, [356, 361, 364])
        XCTAssertEqual(found.map { doc.position(of: $0.related[0].range.lowerBound, in: .utf8).line + 1 }, [209, 223, 269])
        for d in found {
            XCTAssertEqual(d.fix?.applicability, .unsafe)
            let deleted = doc.slice(d.range)
            XCTAssertTrue(deleted.hasSuffix("\n") && deleted.contains("■"), deleted)
        }
        // With the pull quotes gone, nothing is repeated any more.
        let fixed = duplicates.fix(doc, unsafe: true).document
        XCTAssertEqual(duplicates.check(fixed), [])
        XCTAssertFalse(fixed.text.contains("■ 面对"))
        XCTAssertTrue(fixed.text.contains("面对由奥密克戎变异"))
    }

    func testLegitimateRepeatsAreNotReported() {
        // A headline quoted in the story, a stock phrase, a formula at the start of every item.
        let text = """
        新华社播发：坚定不移走好高质量发展之路——以习近平同志为核心的党中央引领中国经济
        央视网消息（新闻联播）：新华社今日播发《坚定不移走好高质量发展之路——以习近平同志为核心的党中央引领中国经济》。
        央视网消息（新闻联播）：新冠肺炎疫情防控工作有序推进，市疫情防控工作领导小组组长主持会议。
        央视网消息（新闻联播）：市疫情防控工作领导小组组长强调，要做好新冠肺炎疫情防控。

        """
        XCTAssertEqual(duplicates.check(text).map(\.message), [])
    }

    func testLongRunIsOneFindingAndFarRepeatsAreIgnored() {
        let sentence = "引导居民时刻牢记每个人都是自己健康的第一责任人，大家齐心协力、共同配合"
        let filler = String(repeating: "市场供应总体平稳，", count: 250)  // 2,250 characters
        let near = "甲。\n" + sentence + "\n\n乙。\n" + sentence + "\n"
        let found = duplicates.check(near)
        XCTAssertEqual(found.count, 1, "\(found.map(\.message))")
        XCTAssertTrue(found.first?.message.contains("(35 characters)") ?? false, "\(found.map(\.message))")
        let far = "甲。\n" + sentence + "\n\n" + filler + "\n" + sentence + "\n"
        XCTAssertEqual(duplicates.check(far), [])
    }

    /// Linear time: a 2 MB generated text (no timed assertion; the measured time is printed).
    func testTwoMegabytesOfTextWithDuplicates() {
        var rng = SplitMix64(seed: 2022)
        let han = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
        // Lines of 18 random characters; every 250 lines, lines k-5 and k-4 printed again (a fragment
        // the extractor read twice).
        var lines: [String] = []
        var planted = 0
        var plantedLines: [Int] = []
        var bytes = 0
        while bytes < 2_100_000 {
            if lines.count % 250 == 249 {
                // 丙 and 乙 are not in the alphabet: the copy cannot grow by chance beyond its two lines.
                lines[lines.count - 1] = String(lines[lines.count - 1].dropLast()) + "丙"
                plantedLines.append(lines.count)
                lines.append(lines[lines.count - 5]); lines.append(lines[lines.count - 5])
                planted += 1
            }
            let line = String((0..<18).map { _ in han[Int(rng.next() % UInt64(han.count))] })
            lines.append(plantedLines.last == lines.count - 2 ? "乙" + line.dropFirst() : line)
            bytes += 55
        }
        let doc = TextDocument(lines.joined(separator: "\n") + "\n")
        XCTAssertGreaterThan(doc.count, 2_000_000)
        let start = Date()
        let found = duplicates.check(doc)
        print("duplicate-fragment on \(doc.count) bytes: \(String(format: "%.3f", Date().timeIntervalSince(start))) s, \(found.count) findings")
        // Every planted copy is one finding; random text adds none (a chance 12-character repeat is negligible).
        XCTAssertEqual(found.count, planted)
        let foundLines = found.map { doc.position(of: $0.range.lowerBound, in: .utf8).line }
        XCTAssertEqual(foundLines, plantedLines)
    }

    /// The facts' characters are what `UTF8Scalar.decode` reads, white space and line breaks left
    /// out, invalid bytes (a surrogate, a cut sequence at the end, a stray continuation) included;
    /// their codes tell them apart as their scalars do.
    func testFactsReadTheCharactersTheScalarDecoderReads() {
        let texts: [[UInt8]] = [
            Array("今天　上午，\r\n召开 会议\u{2003}。¢😀".utf8),
            [0xE4, 0xBB, 0x8A, 0xED, 0xA0, 0x80, 0xED, 0x9F, 0xBF, 0x80, 0x41, 0xE3, 0x80],
            [0xE3, 0x80, 0x80, 0xE5, 0xA4],
            [0xEF],
            [],
        ]
        for bytes in texts {
            var values: [UInt32] = [], starts: [Int32] = []
            bytes.withUnsafeBufferPointer { buffer in
                var o = 0
                while o < buffer.count {
                    let (s, length) = UTF8Scalar.decode(buffer, at: o)
                    if !(Scalars.isInlineSpace(s) || s == "\n" || s == "\r") { values.append(s.value); starts.append(Int32(o)) }
                    o += length
                }
            }
            let facts = DuplicateFragmentRule.Facts(TextDocument(bytes: bytes))
            XCTAssertEqual(facts.codes.map(DuplicateFragmentRule.scalar), values, "\(bytes)")
            XCTAssertEqual(Set(facts.codes).count, Set(values).count, "\(bytes)")
            XCTAssertEqual(facts.starts, starts, "\(bytes)")
        }
    }

    /// The window table against a count of every window: occurrences up to 3, the first and last
    /// start, each window's earlier copy, and the candidates (the last earlier copy near enough and
    /// the same characters), for a table of 2-byte slots and one of 4.
    func testWindowTableAndCandidatesAgreeWithCountingEveryWindow() {
        // Short and long enough for both widths of slot (a start past Int16.max takes 4 bytes).
        for length in [6000, 40000] {
            var rng = SplitMix64(seed: 12)
            let alphabet = Array("甲乙丙丁")
            // Runs copied from earlier on, over a text of four characters: windows repeat often.
            var text: [Character] = []
            while text.count < length {
                if text.count > 40, rng.next() % 2 == 0 {
                    let start = Int(rng.next() % UInt64(text.count - 20))
                    text += text[start..<(start + 12 + Int(rng.next() % 8))]
                } else {
                    text.append(alphabet[Int(rng.next() % 4)])
                }
            }
            let facts = DuplicateFragmentRule.Facts(TextDocument(String(text)))
            let k = DuplicateFragmentRule.minimumLength, values = facts.codes
            var seen: [UInt64: (count: Int, first: Int, last: Int)] = [:]
            var repeats: [(later: Int32, earlier: Int32)] = []
            for x in 0...(values.count - k) {
                let hash = facts.windows.hash(at: x)
                XCTAssertEqual(hash, values[x..<(x + k)].reduce(0) { $0 &* DuplicateFragmentRule.hashBase &+ UInt64($1) })
                XCTAssertEqual(max(-1, facts.windows.earlier(x)), seen[hash]?.last ?? -1)
                if let earlier = seen[hash]?.last, x - earlier >= k, x - earlier <= DuplicateFragmentRule.maximumDistance,
                   values[x..<(x + k)] == values[earlier..<(earlier + k)] {
                    repeats.append((Int32(x), Int32(earlier)))
                }
                seen[hash] = ((seen[hash]?.count ?? 0) + 1, seen[hash]?.first ?? x, x)
            }
            XCTAssertGreaterThan(seen.values.filter { $0.count >= 3 }.count, 100)
            for (hash, window) in seen {
                XCTAssertEqual(facts.windows.count(of: hash), min(window.count, 3))
                XCTAssertEqual(facts.windows.last(of: hash), window.last)
                XCTAssertEqual(facts.windows.first(of: hash), window.first)
            }
            XCTAssertEqual(facts.windows.count(of: 12345), 0)
            XCTAssertEqual(facts.windows.last(of: 12345), -1)
            XCTAssertNil(facts.windows.first(of: 12345))
            XCTAssertEqual(facts.repeats.map(\.later), repeats.map(\.later))
            XCTAssertEqual(facts.repeats.map(\.earlier), repeats.map(\.earlier))
            // A filter of some windows stops at every window with one of their hashes (and may at others).
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: WindowTable.filterWords) { filter in
                filter.initialize(repeating: 0)
                let marked = 1000..<3000, windows = facts.windows.count
                facts.windows.mark(marked, in: filter)
                let held = Set(marked.map(facts.windows.hash(at:)))
                var x = 0
                while x < windows {
                    let next = facts.windows.firstMarked(in: x..<windows, filter)
                    XCTAssertFalse((x..<next).contains { held.contains(facts.windows.hash(at: $0)) })
                    x = next + 1
                }
            }
        }
    }

    /// A section's check reads the previous section through its facts: its findings are those of
    /// the two sections' joined text that start in it, with copies and runs across the seam.
    func testReadingThePreviousSectionsFactsIsCheckingTheJoinedText() {
        let rule = DuplicateFragmentRule()
        let pieces = ["央视网消息（新闻联播）：", "国务院新闻办公室今天举行发布会，", "介绍有关情况。", "要把更多资源力量下沉到基层一线，",
                      "全力服务保障封控小区群众的基本生活。", "■ ", "\n", "\n\n", "。", "哈哈哈哈", "《政府工作报告》"]
        var rng = SplitMix64(seed: 6)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        /// Pieces, or copies of a stretch of the text so far (a line or two back, or further).
        func grow(_ text: inout [Character], _ count: Int) {
            for _ in 0..<count {
                if text.count < 20 || pick(3) == 0 {
                    text += Array(pieces[pick(pieces.count)])
                } else {
                    let length = 4 + pick(40), start = max(0, text.count - length - pick(min(text.count, 600)))
                    text += text[start..<min(text.count, start + length)]
                }
            }
        }
        var compared = 0
        for _ in 0..<400 {
            var previous: [Character] = []
            grow(&previous, 2 + pick(30))
            // Sometimes a copy cut by the seam: its rest opens the section.
            var own: [Character] = []
            if pick(2) == 0, previous.count > 30 {
                let start = previous.count - 10 - pick(previous.count - 20), length = 6 + pick(30), cut = 1 + pick(length - 1)
                let stretch = Array(previous[start..<min(previous.count, start + length)])
                previous += stretch.prefix(cut)
                own = Array(stretch.dropFirst(cut))
            }
            previous += pick(2) == 0 ? ["\n"] : ["\n", "\n"]
            var joinedText = previous + own
            grow(&joinedText, 1 + pick(20))
            own = Array(joinedText[previous.count...].drop { $0 == "\n" })
            let before = TextDocument(String(previous)), this = TextDocument(String(own))
            let beforeContext = RuleContext(document: before), ownContext = RuleContext(document: this, startsFile: false)
            let joined = TextDocument(joining: [before, this])
            let joinedContext = RuleContext(document: joined, layout: Layout(joining: [beforeContext.layout, ownContext.layout], in: joined))
            let expected = rule.check(joinedContext).filter { $0.range.lowerBound >= before.count }.map { $0.shifted(by: -before.count) }
            let read = rule.check(reading: [SectionFacts(facts: rule.facts(of: beforeContext), offset: -before.count, context: beforeContext),
                                            SectionFacts(facts: rule.facts(of: ownContext), offset: 0, context: ownContext)], own: 1)
            XCTAssertEqual(read, expected, "\(String(previous).debugDescription) + \(String(own).debugDescription)")
            compared += expected.count
        }
        XCTAssertGreaterThan(compared, 50, "the texts should repeat across the seam")
    }

    /// A layout joined from sections' layouts indexes its line features from its paragraphs as a layout
    /// of the whole text does (letter-spacing and numeral-spacing read the features through them).
    func testAJoinedLayoutsParagraphsIndexItsFeatures() {
        let before = TextDocument("记者在现场看到。\n\n李 强 代表市委，\n对督查组一行表示欢迎。\n"), this = TextDocument("第二段 3 月开始。\n\n张 三 说。\n")
        let joined = TextDocument(joining: [before, this])
        let layout = Layout(joining: [RuleContext(document: before).layout, RuleContext(document: this).layout], in: joined)
        let whole = RuleContext(document: joined).layout
        XCTAssertEqual(layout.features.map(\.line), whole.features.map(\.line))
        XCTAssertEqual(layout.features.map(\.innerSpace), whole.features.map(\.innerSpace))
        for paragraph in layout.paragraphs {
            for n in paragraph.lines.indices {
                XCTAssertEqual(layout.features[paragraph.lines.range.lowerBound + n].line, paragraph.lines[n])
                XCTAssertEqual(layout.features[paragraph.lines.range.lowerBound + n].content, paragraph.segments[n])
            }
        }
    }

    // MARK: layout-leftover

    func testSeed003BoilerplateAndJumpLines() throws {
        let text = try Self.seed("003")
        let doc = TextDocument(text)
        let found = leftovers.check(doc)
        let lines = found.map { doc.position(of: $0.range.lowerBound, in: .utf8).line + 1 }
        XCTAssertEqual(lines, [5, 9, 13, 20, 84])
        XCTAssertEqual(found.map(\.severity), [.hint, .hint, .hint, .information, .information])
        XCTAssertEqual(doc.slice(found[3].range), "详见第2-4版\n")
        XCTAssertEqual(doc.slice(found[4].range), "(下转第2、3版)\n")
        XCTAssertEqual(found[4].fix?.applicability, .unsafe)
        XCTAssertNil(found[0].fix)
    }

    func testSeed004TrailingJumpMarkersAndCaptions() throws {
        let text = try Self.seed("004")
        let doc = TextDocument(text)
        let found = leftovers.check(doc)
        XCTAssertEqual(found.map { doc.position(of: $0.range.lowerBound, in: .utf8).line + 1 }, [24, 277, 652, 653, 655, 766])
        // Line 24: only the marker and the space before it go; the sentence stays.
        let fixed = leftovers.fix(doc, unsafe: true).document.text
        XCTAssertTrue(fixed.contains("几天的抗疫故事。\n"))
        XCTAssertFalse(fixed.contains("下转第六版"))
        XCTAssertTrue(fixed.contains("本报记者 赵立荣摄"), "captions have no fix")
    }

    func testFootersAndProseThatMentionPages() {
        XCTAssertTrue(LayoutLeftoverRule.isFooter(Array("第 12 页".unicodeScalars)))
        XCTAssertTrue(LayoutLeftoverRule.isFooter(Array("第3页 共8页".unicodeScalars)))
        XCTAssertTrue(LayoutLeftoverRule.isFooter(Array("— 3 —".unicodeScalars)))
        XCTAssertFalse(LayoutLeftoverRule.isFooter(Array("第3页申请表".unicodeScalars)))
        XCTAssertFalse(LayoutLeftoverRule.isFooter(Array("-3".unicodeScalars)))
        XCTAssertEqual(leftovers.check("全区共有3页申请材料。\n详见附件第2页的说明。\n第一版要闻。\n"), [])
    }

    func testShortenKeepsTwentyScalarsAndCutsLongerTextsToEighteen() {
        let twenty = String(repeating: "版", count: 19) + "a"
        XCTAssertEqual(LayoutLeftoverRule.shorten(twenty), twenty)
        XCTAssertEqual(LayoutLeftoverRule.shorten(""), "")
        XCTAssertEqual(LayoutLeftoverRule.shorten(twenty + "页"), String(repeating: "版", count: 18) + "…")
        // Scalars are counted, not characters: e + U+0301 is two.
        XCTAssertEqual(LayoutLeftoverRule.shorten(String(repeating: "e\u{301}", count: 11)),
                       String(repeating: "e\u{301}", count: 9) + "…")
    }
}
