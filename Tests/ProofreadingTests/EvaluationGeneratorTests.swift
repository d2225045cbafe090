import XCTest
import TextModel
@testable import Proofreading
@testable import Evaluation

/// The evaluation generator (galley-eval) must be deterministic and its ground truth must describe
/// the text it generated; otherwise the published figures mean nothing.
final class EvaluationGeneratorTests: XCTestCase {
    /// A small corpus in the corpus format, from short phrases of the seed transcriptions, with the
    /// material every injected defect needs (dates, quotations, nested quotes, brackets, title marks, —— and ……).
    static let corpusText = """
    增强大局意识 强化责任担当
    本报讯（记者 李双玖）2022年4月10日下午，青浦区召开新冠肺炎疫情防控工作例会，传达市疫情防控相关会议精神，通报当前青浦疫情防控工作情况，部署下阶段有关重点工作。
    徐建强调，在封控与筛查方面，封控区域内要坚持足不出户，守住大门、管住小门。特别关注“最后100米”和“最后1公里”配送服务，成立配送工作专班，推广“一人一楼、一楼一群、一天一问、一接一送”工作机制。
    截至4月8日，区人大常委会代表工作室收到代表提出的意见建议55条，区人大常委会高度重视，向市人大转送建议16条，其余转送区政府疫情防控部门处理参考。
    会上，相关专项工作组通报当前青浦疫情防控工作情况，部署下阶段工作。会议以视频的形式在各街镇设分会场。

    全区政协委员积极投身一线，踊跃捐资捐物
    区政协委员、中通快递集团副总裁张建锋积极协助妇联界别委员，克服道路封闭、有货没车等运输上的重重困难，将方舱所用床上用品的生产原料运进工厂，共计4000名工人参与。
    中心信息技术科副科长孙健说：“申请单位向城运中心进行申请，由城运中心进行审批，最后录入到‘随申办’市民云大数据后台，防疫人员就可以登录青浦旗舰店上面的专栏。”
    区人大常委会第一时间向在青浦的全国、市、区、镇人大代表发出第二封《倡议书》，号召全体人大代表更加积极为疫情防控献智出力，彰显代表在特殊时期的担当作为。
    2020年疫情暴发以来，她和护理组的姐妹们从道口值守、隔离点驻扎，到疫苗接种、大规模核酸采样，总是第一时间接单、在线响应。

    每一份守护，汇聚成硬核抗疫力量
    疫情防控工作推进到哪里，党组织力量就覆盖到哪里。截至3月21日，上海各区共抽调机关、企事业单位党员干部近6万人下沉基层一线，全市各级党组织建立7822个“党员突击队”，发动17万余名在职党员参与社区疫情防控。
    他们之中，有第一时间奔赴PCR检测实验室的高校青年党员，有坚守防疫一线的社区新“头雁”们，还有关键时刻挺身而出的各种“能人”。
    市人大代表、上海青浦商城实业有限公司招商经理何红民，3月20日就开始做志愿者（因防控需要不能出门），他又开始做多渠道传递正能量的“宣传员”——微信、微博、抖音、视频号……变着花样地把“防疫”信息宣传给大家。
    """

    static let corpus = Corpus(files: [("seeds.txt", corpusText)])

    func documents(seed: UInt64, inject: Bool = false, set: InjectionSet = .first) -> [GeneratedDocument] {
        let g = Generator(articles: Self.corpus.articles, seed: seed)
        if inject {
            return (0..<60).map { g.document(layout: $0 % 2 == 0 ? .paragraphPerLine : .blankBetweenParagraphs, index: $0, inject: true, set: set) }
        }
        return LayoutStyle.allCases.flatMap { layout in (0..<25).map { g.document(layout: layout, index: $0) } }
    }

    func testCorpusParsing() {
        XCTAssertEqual(Self.corpus.articles.count, 3)
        XCTAssertEqual(Self.corpus.articles[0].headline, "增强大局意识 强化责任担当")
        XCTAssertEqual(Self.corpus.articles[2].paragraphs.count, 3)
    }

    func testSameSeedSameDocuments() {
        let a = documents(seed: 7), b = documents(seed: 7), c = documents(seed: 8)
        XCTAssertEqual(a.map(\.text), b.map(\.text))
        XCTAssertEqual(a.map(\.wrapBreaks), b.map(\.wrapBreaks))
        XCTAssertEqual(a.map { $0.units.map(\.lines) }, b.map { $0.units.map(\.lines) })
        XCTAssertNotEqual(a.map(\.text), c.map(\.text))
        let i = documents(seed: 7, inject: true), j = documents(seed: 7, inject: true)
        XCTAssertEqual(i.map(\.text), j.map(\.text))
        XCTAssertEqual(i.map { $0.defects.map(\.range) }, j.map { $0.defects.map(\.range) })
        let k = documents(seed: 7, inject: true, set: .second), l = documents(seed: 7, inject: true, set: .second)
        XCTAssertEqual(k.map(\.text), l.map(\.text))
        XCTAssertEqual(k.map { $0.defects.map(\.range) }, l.map { $0.defects.map(\.range) })
        XCTAssertNotEqual(i.map(\.text), k.map(\.text))
    }

    func testSplitMixIsTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 1234567 (the reference implementation's test values).
        var g = SplitMix64(seed: 1234567)
        XCTAssertEqual(g.next(), 6457827717110365317)
        XCTAssertEqual(g.next(), 3203168211198807973)
    }

    /// Joining exactly the truth's wrap breaks gives every paragraph back as one line, and every
    /// headline and piece of furniture stays a line of its own.
    func testJoiningTheTruthRestoresEveryParagraph() {
        for g in documents(seed: 3) {
            let doc = TextDocument(g.text)
            var edits: [TextEdit] = []
            for b in g.wrapBreaks {
                XCTAssertLessThan(b.upper, b.lower)
                edits.append(TextEdit(range: GroundTruthCheck.content(doc, line: b.upper).upperBound
                                        ..< GroundTruthCheck.content(doc, line: b.lower).lowerBound, newText: ""))
            }
            let joined = Scorer.trimmedLines(doc.applying(edits).text)
            var unitLines = Set<Int>()
            for u in g.units {
                XCTAssertFalse(u.lines.isEmpty, g.id)
                unitLines.formUnion(u.lines)
                XCTAssertTrue(Scorer.intact(u, in: joined), "\(g.id): \(u.kind) not restored: \(u.text)")
                if u.kind != .paragraph {
                    XCTAssertTrue(Scorer.intact(u, in: Scorer.trimmedLines(g.text)), "\(g.id): furniture split: \(u.text)")
                }
            }
            // Every other line is blank, and every break joins two lines of one paragraph.
            for l in 0..<doc.lines.count where !unitLines.contains(l) {
                XCTAssertTrue(doc.isBlank(line: l), "\(g.id) line \(l) belongs to no unit")
            }
            let paragraphLines = Set(g.units.filter { $0.kind == .paragraph }.flatMap(\.lines))
            for b in g.wrapBreaks {
                XCTAssertTrue(paragraphLines.contains(b.upper) && paragraphLines.contains(b.lower), g.id)
            }
        }
    }

    func testLayoutShapes() {
        let forbiddenStart = Set("，。、；：？！”’）》".unicodeScalars)
        let forbiddenEnd = Set("“‘（《".unicodeScalars)
        var breaksByLayout: [LayoutStyle: Int] = [:]
        for g in documents(seed: 5) {
            let doc = TextDocument(g.text)
            let contents = (0..<doc.lines.count).map { GroundTruthCheck.content(doc, line: $0) }
            breaksByLayout[g.layout, default: 0] += g.wrapBreaks.count
            for (l, c) in contents.enumerated() where !c.isEmpty {
                let first = doc.scalar(at: c.lowerBound).scalar
                XCTAssertFalse(forbiddenStart.contains(first), "\(g.id) line \(l) starts with \(first)")
            }
            for b in g.wrapBreaks {
                let end = contents[b.upper].upperBound
                let last = doc.scalar(at: doc.clampToScalar(end - 1)).scalar
                XCTAssertFalse(forbiddenEnd.contains(last), "\(g.id) line \(b.upper) ends with \(last)")
            }
            switch g.layout {
            case .blankAfterEveryLine:
                for (l, c) in contents.enumerated() where !c.isEmpty {
                    XCTAssertTrue(l + 1 < doc.lines.count && doc.isBlank(line: l + 1),
                                  "\(g.id): line \(l) is not followed by a blank line")
                }
            case .noBlankLines:
                XCTAssertFalse((0..<(doc.lines.count - 1)).contains { doc.isBlank(line: $0) }, "\(g.id) has a blank line")
                for u in g.units where u.kind == .paragraph {
                    XCTAssertTrue(Renderer.endsSentence(u.text), "\(g.id): \(u.text)")
                }
            case .paragraphPerLine:
                for u in g.units where u.kind == .paragraph { XCTAssertLessThanOrEqual(u.lines.count, 2) }
            case .blankBetweenParagraphs:
                break
            }
        }
        XCTAssertGreaterThan(breaksByLayout[.blankBetweenParagraphs] ?? 0, 100)
        XCTAssertGreaterThan(breaksByLayout[.blankAfterEveryLine] ?? 0, 100)
        XCTAssertGreaterThan(breaksByLayout[.noBlankLines] ?? 0, 50)
    }

    func testTypesetterHangsClosingMarksAndKeepsNumbers() {
        var rng = SplitMix64(seed: 1)
        let setter = Typesetter(width: 5, byDisplayWidth: false)
        // "疫情防控工作" fills the column; the 。 hangs on it instead of starting the next line.
        let lines = setter.wrap("疫情防控工。他说：“好。”共计2022名", cutNumbers: 0, rng: &rng)
        XCTAssertEqual(lines.joined(), "疫情防控工。他说：“好。”共计2022名")
        XCTAssertEqual(lines.first, "疫情防控工。")
        XCTAssertTrue(lines.contains { $0.contains("2022") }, "\(lines)")
        for l in lines.dropFirst() { XCTAssertFalse(Typesetter.lineStartForbidden.contains(l.unicodeScalars.first!), "\(lines)") }
        for l in lines.dropLast() { XCTAssertFalse(Typesetter.lineEndForbidden.contains(l.unicodeScalars.last!), "\(lines)") }
    }

    /// Each recorded range holds the injected text, and the text is what the kind says.
    func testInjectedDefectsAreWhereTheTruthSays() {
        var kinds = Set<String>()
        for g in documents(seed: 11, inject: true) {
            let doc = TextDocument(g.text)
            var previousEnd: Int? = nil
            for d in g.defects.sorted(by: { $0.start < $1.start }) {
                kinds.insert(d.kind)
                let raw = doc.slice(d.range)
                let flat = String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0 != "\n" }))
                XCTAssertEqual(flat, d.text, "\(g.id) \(d.kind)")
                if let p = previousEnd {
                    XCTAssertGreaterThanOrEqual(doc.slice(p..<d.start).unicodeScalars.count, 300, "\(g.id): defects too close")
                }
                previousEnd = d.end
                let s = Array(d.text.unicodeScalars)
                switch d.kind {
                case "full-width-digits": XCTAssertTrue(s.allSatisfy { (0xFF10...0xFF19).contains($0.value) }, d.text)
                case "space-after-number", "space-before-number": XCTAssertEqual(d.text, " ")
                case "chinese-date-among-arabic":
                    XCTAssertTrue(d.text.hasSuffix("日") && !s.contains(where: Scalars.isASCIIDigit), d.text)
                case "year-with-ling": XCTAssertTrue(d.text.contains("零") && s.count == 4, d.text)
                case "digit-with-qian": XCTAssertTrue(d.text.hasSuffix("千") && Scalars.isASCIIDigit(s[0]), d.text)
                case "missing-closing-quote": XCTAssertTrue(s.first == "“" && !s.contains("”"), d.text)
                case "missing-opening-quote": XCTAssertTrue(s.last == "”" && !s.contains("“"), d.text)
                case "inner-quotes-double": XCTAssertTrue(s.first == "“" && s.last == "”", d.text)
                case "corner-quotes": XCTAssertTrue(s.first == "「" && s.last == "」", d.text)
                case "missing-closing-paren": XCTAssertTrue(s.first == "（" && !s.contains("）"), d.text)
                case "missing-closing-title-mark": XCTAssertTrue(s.first == "《" && !s.contains("》"), d.text)
                default: XCTFail("unknown kind \(d.kind)")
                }
                XCTAssertEqual(Injector.kinds.first { $0.kind == d.kind }?.rule, d.rule)
            }
        }
        // The small corpus has the material for every kind.
        XCTAssertEqual(kinds, Set(Injector.firstSetKinds.map(\.kind)))
    }

    /// The second set: every kind occurs, each recorded range holds the injected text and the text
    /// is what the kind says, defects keep 300 characters apart, and the ground truth holds.
    func testSecondSetDefectsAreWhereTheTruthSays() {
        var kinds = Set<String>()
        let invisible = Set("\u{200B}\u{FEFF}\u{AD}\u{2060}".unicodeScalars)
        for g in documents(seed: 11, inject: true, set: .second) + documents(seed: 12, inject: true, set: .second) {
            XCTAssertEqual(GroundTruthCheck.problems(g), [], g.id)
            // Every photo credit and jump line here is an injected one.
            for u in g.units where u.kind == .caption || u.kind == .jumpLine {
                XCTAssertTrue(g.defects.contains { $0.text == u.text }, "\(g.id): \(u.text)")
            }
            let doc = TextDocument(g.text)
            var previousEnd: Int? = nil
            for d in g.defects.sorted(by: { $0.start < $1.start }) {
                kinds.insert(d.kind)
                let raw = doc.slice(d.range)
                XCTAssertEqual(String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0 != "\n" && $0 != "\r" })), d.text, "\(g.id) \(d.kind)")
                if let p = previousEnd {
                    XCTAssertGreaterThanOrEqual(doc.slice(p..<d.start).unicodeScalars.count, 300, "\(g.id): defects too close")
                }
                previousEnd = d.end
                let s = Array(d.text.unicodeScalars)
                let hanOnly = s.filter { $0 != " " }
                // The text before the defect, its line breaks left out.
                let before = String(String.UnicodeScalarView(doc.slice(0..<d.start).unicodeScalars.filter { $0 != "\n" && $0 != "\r" }))
                switch d.kind {
                case "spaced-characters":
                    XCTAssertTrue((2...6).contains(hanOnly.count) && hanOnly.allSatisfy(Scalars.isHan), d.text)
                    XCTAssertEqual(s.count, 2 * hanOnly.count - 1, d.text)
                    XCTAssertFalse(Scalars.isASCIIDigit(doc.scalar(at: doc.clampToScalar(d.start - 1)).scalar), d.text)
                    XCTAssertFalse(Scalars.isASCIIDigit(doc.scalar(at: d.end).scalar), d.text)
                case "spaced-around-comma": XCTAssertTrue(d.text.contains(" ，") && s.contains(" "), d.text)
                case "ascii-punctuation-paragraph":
                    XCTAssertGreaterThanOrEqual(s.filter { ",.;:?!()".unicodeScalars.contains($0) }.count, 3, d.text)
                    XCTAssertFalse(s.contains { "，。；：？！".unicodeScalars.contains($0) }, d.text)
                case "ascii-punctuation-mark": XCTAssertTrue(s.count == 1 && ",.;:?!".unicodeScalars.contains(s[0]), d.text)
                case "ascii-parentheses": XCTAssertTrue(s.first == "(" && s.last == ")", d.text)
                case "ascii-ellipsis-or-dash": XCTAssertTrue(d.text == "..." || d.text == "--", d.text)
                case "straight-quotes": XCTAssertTrue(s.first == "\"" && s.last == "\"", d.text)
                case "repeated-fragment":
                    XCTAssertTrue((12...40).contains(s.count), d.text)
                    // The fragment stands twice in a row.
                    XCTAssertTrue(before.hasSuffix(d.text), "\(g.id): \(d.text)")
                case "pull-quote":
                    XCTAssertTrue((12...40).contains(s.count), d.text)
                    let line = doc.lines.line(containing: d.start)
                    XCTAssertTrue(doc.slice(doc.lines.contentRange(of: line)).contains("■"), d.text)
                    // The body says it before the pull quote.
                    XCTAssertTrue(before.contains(d.text), d.text)
                case "jump-line", "jump-line-at-line-end":
                    XCTAssertTrue(["下转", "上接", "详见"].contains { d.text.contains($0) } && (d.text.hasSuffix("版") || d.text.hasSuffix("版）")), d.text)
                    // On its own line, or at the end of a prose line.
                    let line = doc.lines.line(containing: d.start)
                    XCTAssertEqual(GroundTruthCheck.content(doc, line: line).upperBound, d.end, d.text)
                    if d.kind == "jump-line" { XCTAssertEqual(GroundTruthCheck.content(doc, line: line).lowerBound, d.start, d.text) }
                case "page-footer": XCTAssertTrue(d.text.hasPrefix("第") && d.text.hasSuffix("页"), d.text)
                case "photo-credit": XCTAssertTrue(d.text.hasSuffix("摄"), d.text)
                case "boilerplate": XCTAssertEqual(d.text, "上城发布微博")
                case "trailing-whitespace":
                    XCTAssertTrue(!s.isEmpty && s.allSatisfy { $0 == " " || $0 == "\t" }, d.text)
                    XCTAssertEqual(doc.lines.contentRange(of: doc.lines.line(containing: d.start)).upperBound, d.end, g.id)
                case "tab-inside-line": XCTAssertEqual(d.text, "\t")
                case "nbsp": XCTAssertEqual(d.text, "\u{A0}")
                case "invisible-in-text": XCTAssertTrue(s.count == 1 && invisible.contains(s[0]) && d.start > 0, d.text)
                case "bom-at-start": XCTAssertEqual(d.range, 0..<3); XCTAssertEqual(d.text, "\u{FEFF}")
                case "crlf-among-lf":
                    XCTAssertTrue(raw.hasPrefix("\r\n") && raw.hasSuffix("\r\n"), raw.debugDescription)
                    // Some, not all, line ends are CRLF.
                    XCTAssertTrue(g.text.utf8.contains(0x0A) && g.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), g.id)
                default: XCTFail("unknown kind \(d.kind)")
                }
                XCTAssertEqual(Injector.secondSetKinds.first { $0.kind == d.kind }?.rule, d.rule)
            }
        }
        XCTAssertEqual(kinds, Set(Injector.secondSetKinds.map(\.kind)))
    }

    /// The first set's documents do not depend on the second set's kinds.
    func testFirstSetHasOnlyFirstSetKinds() {
        let first = Set(Injector.firstSetKinds.map(\.kind))
        for g in documents(seed: 13, inject: true) { for d in g.defects { XCTAssertTrue(first.contains(d.kind), d.kind) } }
    }

    func testDigitWithQianSkipsUnitPrefixes() {
        // 4000米 → 4千米 would be correct (4 kilometres); 4000万元 → 4千万元 is the defect.
        func spots(_ t: String) -> [String] {
            let s = Array(t.unicodeScalars)
            return Injector.candidates("digit-with-qian", rule: "numeral-style", in: s, documentHasOtherArabicDate: false)
                .map { String(String.UnicodeScalarView($0.replacement)) }
        }
        XCTAssertEqual(spots("青藏高原平均海拔4000米以上。"), [])
        XCTAssertEqual(spots("项目总投资4000万元。"), ["4千"])
    }

    func testBrokenWrapFindingMapsToItsLines() {
        let doc = TextDocument("记者在\n\n现场看到。\n")
        let d = Diagnostic(ruleID: "broken-wrap", severity: .warning, range: 9..<11, message: "x")
        XCTAssertEqual(Scorer.detectedBreaks([d], in: doc), [LineBreak(upper: 0, lower: 2)])
        // An empty range at the end of a line means the break after it; one inside a line is no break.
        let atEnd = Diagnostic(ruleID: "broken-wrap", severity: .warning, range: 9..<9, message: "x")
        let inside = Diagnostic(ruleID: "broken-wrap", severity: .warning, range: 3..<6, message: "x")
        XCTAssertEqual(Scorer.detectedBreaks([atEnd, inside], in: doc), [LineBreak(upper: 0, lower: 2), LineBreak(upper: 0, lower: 0)])
        XCTAssertTrue(Scorer.overlaps(3..<4, 0..<9))
        XCTAssertFalse(Scorer.overlaps(9..<10, 0..<9))
    }
}
