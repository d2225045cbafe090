import TextModel

/// ASCII punctuation in Chinese text (`,` `.` `;` `:` `?` `!` `( )` `"` `'` `...` `--`) and Arabic named
/// dates without their marks (`5.12汶川地震`), STYLE-RULES R1, R4, R9, R10, R20.
public struct PunctuationWidthRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "punctuation-width",
        family: .punctuation,
        defaultSeverity: .warning,
        summary: "ASCII punctuation in Chinese text (, . ; : ? ! ( ) \" ' ... --) and named dates such as 5.12汶川地震.",
        explanation: """
        Chinese text takes full-width punctuation: ，。；：？！（）“”‘’, the ellipsis …… and the dash —— \
        (STYLE-RULES R1, R4, R9, R10). OCR and web copies often leave ASCII marks, which look wrong in print \
        and break search. The rule reports an ASCII , ; : ? ! next to a Han character or Chinese punctuation, \
        a . right after one, ... or 。。。 (written ……), -- (written ——), a pair ( ) in one paragraph (a column wrap may cut it), and a \
        straight quotation pair (paired as unmatched-quote pairs them) with Chinese beside a mark, written “” \
        or ‘’ by the direction the pairing gives; an unpaired mark is unmatched-quote's or \
        unmatched-bracket's and the level of curly quotes is quote-nesting's. ASCII stays where it belongs: \
        decimals (3.6万, PM2.5), times and ratios (8:30, 1:500), 12,500, list numbers (1. 湖滨街道), URLs and \
        English phrases. Brackets become （） also around Latin text inside Chinese (爱桃浦（TOP）), as \
        GB/T 15834 sets them. A date used as a name (5.12汶川地震) is written “5·12” (R20). The fixes \
        rewrite the marks: safe for , . ; : ? ! ... -- and for brackets around Chinese text, unsafe for \
        brackets around Latin text (a hint only: edited papers also keep (001229.SZ) half-width), for quotation marks (the pairing can be wrong when a mark is missing \
        nearby) and for named dates (a month.day followed within a few characters by an event word such as 地震, \
        事件, 晚会; 3.8和3.1个百分点 is a number).
        """,
        nonTriggering: [
            "增长3.6万人，PM2.5浓度下降。",
            "1. 湖滨街道，沈彦，13906509846",
            "上午8:30开始，比例为1:500，共12,500元。",
            "详见 www.shangcheng.gov.cn/index.php?id=3 页面。",
            "He said \"yes\", didn't he? (Really!) See you...",
            "详见第2-4版，“区-街-社区”三级",
            "他说：\"我们一定做到。",
            "快于全部规模以上工业3.8和3.1个百分点，约4.5小时后",
            "他说：“股价涨了5.12”",
        ],
        triggering: [
            "本报讯↓(记者 孙明珠 戚安琪) 12月15日下午↓,区委书记章燕带队检查↓.",
            "条件为↓:年龄在18—45周岁↓;持有绿色健康码↓!",
            "“你们晚上加班到几点↓?”",
            "1. 湖滨街道↓,沈彦↓,13906509846",
            "微信、微博、抖音↓...变着花样",
            "苹果、香蕉↓。。。",
            "他说↓--这是誓言。",
            "他说：↓\"我们一定做到。\"",
            "以↓'爱桃浦'的精神",
            "静安区的伊泰能源↓(上海)有限公司",
            "应东盟各国议会间大会主席、柬埔寨国会主席\n韩桑林邀请，全国人大常委会委员长栗战书↓(今\n天)在东盟各国议会间大会第43届年会闭幕式上发表视频致辞。",
            "以‘爱桃浦↓(TOP)、更靠谱’的精神",
            "他参加过2008年的↓5.12汶川地震救援",
        ],
        corrections: [
            Correction("本报讯(记者 孙明珠 戚安琪) 12月15日下午,区委书记章燕带队检查.",
                       "本报讯（记者 孙明珠 戚安琪） 12月15日下午，区委书记章燕带队检查。"),
            Correction("“你们晚上加班到几点?”“晚上值班冷不冷?”", "“你们晚上加班到几点？”“晚上值班冷不冷？”"),
            Correction("1. 湖滨街道,沈彦,13906509846", "1. 湖滨街道，沈彦，13906509846"),
            Correction("报名联系方式如下:\n1. 湖滨街道", "报名联系方式如下：\n1. 湖滨街道"),
            Correction("微信、微博、抖音......变着花样", "微信、微博、抖音……变着花样"),
            Correction("他说--这是誓言。", "他说——这是誓言。"),
            Correction("他说：\"我们一定做到。\"", "他说：\"我们一定做到。\""),
            Correction("他说：\"我们一定做到。\"", "他说：“我们一定做到。”", unsafe: true),
            Correction("以'爱桃浦'的精神", "以‘爱桃浦’的精神", unsafe: true),
            Correction("伊泰能源(上海)有限公司", "伊泰能源（上海）有限公司"),
            Correction("以‘爱桃浦(TOP)、更靠谱’", "以‘爱桃浦（TOP）、更靠谱’", unsafe: true),
            Correction("2008年的5.12汶川地震", "2008年的“5·12”汶川地震", unsafe: true),
            Correction("纪念“5.12”汶川地震", "纪念“5·12”汶川地震", unsafe: true),
        ]
    )

    @inline(__always)
    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    @inline(__always)
    static func isLetter(_ v: UInt32) -> Bool { let l = v | 0x20; return l >= 0x61 && l <= 0x7A }
    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool { Scalars.isHan(Unicode.Scalar(v) ?? "x") }
    /// Han or Chinese punctuation (not a space): what makes an ASCII mark beside it Chinese.
    @inline(__always)
    static func isChinese(_ v: UInt32) -> Bool {
        // Most scalars are in the main Han block, and no ASCII one is Chinese: both answered inline.
        if v >= 0x4E00 && v <= 0x9FFF { return true }
        if v < 0x80 { return false }
        let s = Unicode.Scalar(v) ?? "x"
        return Scalars.isCJK(s) && !Scalars.isInlineSpace(s)
    }
    /// Han characters that follow a number, not a named date: 3.15万, 1.12亿元, 5.12米.
    static let unitCharacters = ScalarSet("万亿千百十元角分倍个人次年月日号时秒米克吨斤两户家名位件台辆套项批所座条余多平公里升岁周天度级寸尺亩顷股只头本张篇页幅场轮届期班组类种处起例成折美欧港英秒")

    static let eventWords = ["地震", "事件", "事故", "晚会", "惨案", "运动", "洪水", "火灾", "爆炸", "暴雨", "大案", "案件",
                             "纪念日", "消费者", "权益日", "特大", "专案", "水灾", "空难", "矿难", "灾害", "事变", "决口", "泥石流"]

    static let fullWidth: [UInt32: String] = [0x2C: "，", 0x2E: "。", 0x3B: "；", 0x3A: "：", 0x3F: "？", 0x21: "！", 0x28: "（", 0x29: "）"]

    /// What `single` reports for each mark, built once: a text has thousands of ASCII commas.
    static let singleFindings: [(mark: UInt32, wide: String, message: String, title: String)] = fullWidth.keys.sorted().map { v in
        let wide = fullWidth[v]!
        return (v, wide, literalMessage(v) ?? singleMessage(v), "Write \"\(wide)\"")
    }

    static func singleMessage(_ v: UInt32) -> String {
        "ASCII \"\(String(Unicode.Scalar(v)!))\" in Chinese text: write \"\(fullWidth[v]!)\""
    }

    /// `singleMessage` of the commonest marks, written out: a literal string is not reference
    /// counted, where one made at run time, shared by every section, was retained and released by
    /// both cores for each finding. (A test checks that they read as `singleMessage` makes them.)
    static func literalMessage(_ v: UInt32) -> String? {
        switch v {
        case 0x2C: "ASCII \",\" in Chinese text: write \"，\""
        case 0x2E: "ASCII \".\" in Chinese text: write \"。\""
        case 0x3B: "ASCII \";\" in Chinese text: write \"；\""
        case 0x3A: "ASCII \":\" in Chinese text: write \"：\""
        case 0x3F: "ASCII \"?\" in Chinese text: write \"？\""
        case 0x21: "ASCII \"!\" in Chinese text: write \"！\""
        default: nil
        }
    }

    /// Arrays of `checkLine`, kept from paragraph to paragraph.
    struct Scratch {
        var converted: [Bool] = []
        var hanBefore: [Int] = []
        var stack: [Int] = []
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        var result: [Diagnostic] = []
        // Straight quotation marks, paired over logical paragraphs; replacements by offset.
        var quoteText: [Int: String] = [:]
        let quotes = context.quotes
        let marks = quotes.pairing.marks
        // Pairs with a straight mark, each once, from its opener (a straight closer of a curly opener
        // too), and whether it is in Chinese text.
        var candidates: [(opener: Int, closer: Int?, chinese: Bool)] = []
        for (i, m) in marks.enumerated() where m.isOpener {
            let partner: Int?
            switch m.status {
            case .paired(let c): partner = c
            case .continued: partner = nil
            default: continue
            }
            let straightOpen = m.scalar == "\"" || m.scalar == "'"
            let closer = partner.map { marks[$0] }
            let straightClose = closer.map { $0.scalar == "\"" || $0.scalar == "'" } ?? false
            guard straightOpen || straightClose else { continue }
            let curlyPartner = !straightOpen || (closer.map { !($0.scalar == "\"" || $0.scalar == "'") } ?? false)
            candidates.append((i, partner, curlyPartner || Self.chineseBeside(doc, m.range)
                               || (closer.map { Self.chineseBeside(doc, $0.range) } ?? false)))
        }
        // A pair touching a converted one is beside Chinese punctuation once that one is fixed (a run of
        // straight quotes after 说): it is converted in the same pass, so fixing converges at once.
        func touches(_ a: Int, _ b: Int) -> Bool {
            let ra = [candidates[a].opener] + (candidates[a].closer.map { [$0] } ?? [])
            let rb = [candidates[b].opener] + (candidates[b].closer.map { [$0] } ?? [])
            return ra.contains { x in rb.contains { y in marks[x].range.upperBound == marks[y].range.lowerBound
                                                      || marks[y].range.upperBound == marks[x].range.lowerBound } }
        }
        if candidates.count > 1 {
            for c in 1..<candidates.count where !candidates[c].chinese && candidates[c - 1].chinese && touches(c, c - 1) {
                candidates[c].chinese = true
            }
            for c in stride(from: candidates.count - 2, through: 0, by: -1)
            where !candidates[c].chinese && candidates[c + 1].chinese && touches(c, c + 1) {
                candidates[c].chinese = true
            }
        }
        for candidate in candidates where candidate.chinese {
            let m = marks[candidate.opener]
            let straightOpen = m.scalar == "\"" || m.scalar == "'"
            let closer = candidate.closer.map { marks[$0] }
            let straightClose = closer.map { $0.scalar == "\"" || $0.scalar == "'" } ?? false
            var edits: [TextEdit] = []
            // A straight mark becomes the curly one of its direction; a curly mark stays.
            func curl(_ mark: PairMark, straight: Bool, double: String, single: String) -> String {
                guard straight else { return String(mark.scalar) }
                let t = mark.scalar == "\"" ? double : single
                edits.append(TextEdit(range: mark.range, newText: t))
                quoteText[mark.range.lowerBound] = t
                return t
            }
            var want = curl(m, straight: straightOpen, double: "“", single: "‘") + "…"
            if let c = closer { want += curl(c, straight: straightClose, double: "”", single: "’") }
            let range = m.range.lowerBound..<(closer?.range.upperBound ?? m.range.upperBound)
            let related = closer.map { [RelatedLocation(range: $0.range, message: "the closing mark of the pair")] } ?? []
            result.append(diagnostic(range, "Straight quotation marks in Chinese text: write \(want)", related: related,
                                     fix: Fix(title: "Write \(want)", edits: edits, applicability: .unsafe)))
        }

        // Where the straight quotation marks that are converted start, in order.
        let quoteOffsets = quoteText.keys.sorted()
        var scratch = Scratch()
        // Logical paragraphs, so that a pair or a mark cut by a column wrap is still seen whole:
        // `off[k]` is where scalar k starts, `end[k]` where it ends (segments skip the line breaks).
        // The buffers hold one element per byte (at least one per scalar) of the longest paragraph so far
        // and are written in place (no per-scalar append), never cleared: checkLine reads the scalars' part
        // (arrays grown by appending zeros wrote every element once more).
        var s = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 0)
        var off = UnsafeMutableBufferPointer<Int>.allocate(capacity: 0)
        var end = UnsafeMutableBufferPointer<Int>.allocate(capacity: 0)
        defer {
            s.deallocate()
            off.deallocate()
            end.deallocate()
        }
        let paragraphs = context.layout.paragraphs
        // Only the paragraphs with a mark this rule converts (the quotation marks' walk noted them).
        for p in paragraphs.indices where quotes.widthMarked[p] {
            let paragraph = paragraphs[p]
            let length = paragraph.segments.reduce(0) { $0 + $1.count }
            if s.count < length {
                let size = max(length, 2 * s.count)
                s.deallocate()
                off.deallocate()
                end.deallocate()
                s = .allocate(capacity: size)
                off = .allocate(capacity: size)
                end = .allocate(capacity: size)
            }
            doc.bytes.withUnsafeBufferPointer { b in
                var k = 0
                // Whether the paragraph has an ASCII bracket, noted while decoding (a pass of its own over
                // the scalars was another load and branch each).
                var asciiBrackets = false
                for r in paragraph.segments {
                    var o = r.lowerBound
                    while o < r.upperBound {
                        let (value, len) = UTF8Scalar.decodeValid(b, at: o)
                        if value & ~1 == 0x28 { asciiBrackets = true }
                        s.initializeElement(at: k, to: value)
                        off.initializeElement(at: k, to: o)
                        end.initializeElement(at: k, to: o + len)
                        k += 1
                        o += len
                    }
                }
                checkLine(UnsafeBufferPointer(rebasing: s[..<k]), UnsafeBufferPointer(rebasing: off[..<k]),
                          UnsafeBufferPointer(rebasing: end[..<k]), asciiBrackets: asciiBrackets, quoteOffsets, &scratch, into: &result)
            }
        }
        // In place: `sorted` copied the findings.
        result.sort { $0.range.lowerBound < $1.range.lowerBound }
        return result
    }

    /// The scalars of a paragraph, where each starts and where it ends.
    typealias ScalarValues = UnsafeBufferPointer<UInt32>
    typealias Offsets = UnsafeBufferPointer<Int>

    /// `asciiBrackets`: `s` holds ( or ).
    private func checkLine(_ s: ScalarValues, _ off: Offsets, _ end: Offsets, asciiBrackets: Bool, _ quoteOffsets: [Int], _ scratch: inout Scratch,
                           into result: inout [Diagnostic]) {
        let n = s.count
        guard n > 0 else { return }
        // The arrays are the scratch ones, taken out so that each is unique and keeps its storage.
        var converted = scratch.converted, hanBefore = scratch.hanBefore, stack = scratch.stack
        scratch = Scratch()
        defer {
            scratch = Scratch(converted: converted, hanBefore: hanBefore, stack: stack)
        }
        // Marks this rule rewrites count as Chinese for their neighbours: `(上海),` `"好".`
        // Grown to the longest paragraph so far; only the first n elements are cleared and read.
        if converted.count < n { converted.append(contentsOf: repeatElement(false, count: n - converted.count)) }
        converted.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[..<n]).update(repeating: false) }
        var q = Self.lowerBound(of: off[0], in: quoteOffsets)
        while q < quoteOffsets.count, quoteOffsets[q] < end[n - 1] {
            let k = Self.lowerBound(of: quoteOffsets[q], in: off)
            if k < n, off[k] == quoteOffsets[q] { converted[k] = true }
            q += 1
        }

        // Brackets: pairs in this paragraph, ASCII and full-width forms as one family (a pair without an
        // ASCII bracket is no finding). `hanBefore[k]`: Han characters before index k, so that nested
        // pairs are still judged in linear time.
        hanBefore.removeAll(keepingCapacity: true)
        hanBefore.append(0)
        if asciiBrackets {
            // At once: appended one by one, it grew through every doubling on each section.
            hanBefore.reserveCapacity(n + 1)
            for v in s { hanBefore.append(hanBefore.last! + (Self.isHan(v) ? 1 : 0)) }
        }
        stack.removeAll(keepingCapacity: true)
        for k in 0..<(asciiBrackets ? n : 0) {
            switch s[k] {
            case 0x28, 0xFF08: stack.append(k)
            case 0x29, 0xFF09:
                guard let a = stack.popLast() else { continue }
                guard s[a] == 0x28 || s[k] == 0x29 else { continue }
                let hanInside = hanBefore[k] > hanBefore[a + 1]
                let chineseOutside = (a > 0 && Self.isChinese(s[a - 1])) || (k + 1 < n && Self.isChinese(s[k + 1]))
                    || s[a] == 0xFF08 || s[k] == 0xFF09
                guard hanInside || chineseOutside else { continue }
                var edits: [TextEdit] = []
                if s[a] == 0x28 { edits.append(TextEdit(range: off[a]..<end[a], newText: "（")); converted[a] = true }
                if s[k] == 0x29 { edits.append(TextEdit(range: off[k]..<end[k], newText: "）")); converted[k] = true }
                // Around Latin text or a code (爱桃浦(TOP), 魅视科技(001229.SZ)) edited papers keep either
                // width: only a hint, with the GB/T 15834 form as an unsafe fix.
                let message = hanInside ? "ASCII brackets around Chinese text: write （…）"
                    : "ASCII brackets in Chinese text: GB/T 15834 writes （…） around Latin text too"
                result.append(diagnostic(off[a]..<end[k], message,
                                         fix: Fix(title: "Write （…）", edits: edits, applicability: hanInside ? .safe : .unsafe),
                                         severity: hanInside ? nil : .hint))
            default: break
            }
        }

        // A run of , ; : ? ! and of ellipsis dots and dashes before Chinese is converted whole in one
        // pass (`好??？`, `...;....届`): what comes after each mark counts as Chinese when it will be
        // converted itself, as the converted marks before it do, so fixing converges at once.
        // `chineseAfter(k)`: Chinese follows mark k, past such marks. Asked only at the marks, and
        // increasingly: a walk's answer holds for every mark it passed (runs are passed from their
        // first to their last element, and only their last is asked), so the marks are walked once.
        var walked = (from: -1, to: -1, chinese: false)
        func chineseAfter(_ k: Int) -> Bool {
            if k >= walked.from && k <= walked.to { return walked.chinese }
            var x = k, chinese = false
            walk: while x + 1 < n {
                let w = s[x + 1]
                if (w >= 0x4E00 && w <= 0x9FFF) || Self.isChinese(w) { chinese = true; break }
                switch w {
                case 0x2C, 0x3B, 0x3A, 0x3F, 0x21:
                    x += 1
                case 0x2E, 0x2D:
                    // A run of `.` (an ellipsis) or `-` (a dash) counts as its last element.
                    var e = x + 1
                    while e < n, s[e] == w { e += 1 }
                    guard e - (x + 1) >= (w == 0x2E ? 3 : 2) else { break walk }
                    x = e - 1
                default:
                    break walk
                }
            }
            walked = (k, x, chinese)
            return chinese
        }
        var k = 0
        while k < n {
            let v = s[k]
            // Only ASCII marks and 。 are looked at.
            guard v < 0x80 || v == 0x3002 else { k += 1; continue }
            let pC = k > 0 && (Self.isChinese(s[k - 1]) || converted[k - 1])
            let pDigit = k > 0 && Self.isDigit(s[k - 1])
            switch v {
            case 0x2E, 0x3002:
                var e = k
                while e < n, s[e] == v { e += 1 }
                let length = e - k
                if length >= 3 && (v == 0x3002 || pC || chineseAfter(e - 1)) {
                    report(k, e, off, end, "……", "Ellipsis written \"\(String(repeating: String(Unicode.Scalar(v)!), count: length))\": write \"……\"",
                           .safe, &result)
                    converted[e - 1] = true
                } else if v == 0x2E && length == 1 {
                    if let date = namedDate(s, dot: k), Self.contiguous(date.start, date.end, off, end) {
                        let quoted = date.start > 0 && s[date.start - 1] == 0x201C && date.end < n && s[date.end] == 0x201D
                        var text = ""
                        for x in date.start..<date.end { text.unicodeScalars.append(x == k ? "·" : Unicode.Scalar(s[x])!) }
                        let plain = String(text.unicodeScalars.map { $0 == "·" ? "." : Character($0) })
                        if quoted {
                            result.append(diagnostic(off[k]..<end[k], "A date used as a name takes the interpunct: write \"\(text)\"",
                                                     fix: Fix(title: "Write \(text)", edit: TextEdit(range: off[k]..<end[k], newText: "·"),
                                                              applicability: .unsafe)))
                        } else {
                            result.append(diagnostic(off[date.start]..<end[date.end - 1],
                                                     "A date used as a name: write “\(text)” for \"\(plain)\" (GB/T 15835)",
                                                     fix: Fix(title: "Write “\(text)”",
                                                              edit: TextEdit(range: off[date.start]..<end[date.end - 1], newText: "“\(text)”"),
                                                              applicability: .unsafe)))
                        }
                        k = date.end
                        continue
                    }
                    let next = k + 1 < n ? s[k + 1] : 0
                    if pC && !Self.isDigit(next) && !Self.isLetter(next) && next != 0x2F {
                        single(k, s, off, end, &result, &converted)
                    }
                }
                k = e
                continue
            case 0x2D:
                var e = k
                while e < n, s[e] == 0x2D { e += 1 }
                if e - k >= 2 && (pC || chineseAfter(e - 1)) && !(pDigit && e < n && Self.isDigit(s[e])) {
                    report(k, e, off, end, "——", "Dash written \"\(String(repeating: "-", count: e - k))\": write \"——\"", .safe, &result)
                    converted[e - 1] = true
                }
                k = e
                continue
            case 0x2C, 0x3B, 0x3A, 0x3F, 0x21:
                let next: UInt32 = k + 1 < n ? s[k + 1] : 0
                let between = pDigit && Self.isDigit(next)
                if (pC || chineseAfter(k)) && !((v == 0x2C || v == 0x3A) && between) {
                    single(k, s, off, end, &result, &converted)
                }
            default: break
            }
            k += 1
        }
    }

    private func single(_ k: Int, _ s: ScalarValues, _ off: Offsets, _ end: Offsets, _ result: inout [Diagnostic], _ converted: inout [Bool]) {
        let finding = Self.singleFindings.first { $0.mark == s[k] }!
        report(k, k + 1, off, end, finding.wide, finding.message, .safe, &result, title: finding.title)
        converted[k] = true
    }

    private func report(_ a: Int, _ b: Int, _ off: Offsets, _ end: Offsets, _ text: String, _ message: String,
                        _ applicability: Applicability, _ result: inout [Diagnostic], title: String? = nil) {
        // A run cut by a line break is left alone: the edit would swallow the break.
        guard Self.contiguous(a, b, off, end) else { return }
        // Written in place into a copy of a blank finding: a finding built and appended was copied and
        // the original destroyed (a text has thousands of ASCII commas).
        result.append(Self.blankFinding)
        let range = off[a]..<end[b - 1]
        result[result.count - 1].range = range
        result[result.count - 1].message = message
        result[result.count - 1].fix = Fix(title: title ?? "Write \"\(text)\"", edit: TextEdit(range: range, newText: text),
                                           applicability: applicability)
    }

    static let blankFinding = Diagnostic(ruleID: description.id, severity: description.defaultSeverity, range: 0..<0, message: "")

    /// The first index of the sorted `values` whose value is at least `x` (`values.count` if none).
    static func lowerBound<Values: RandomAccessCollection<Int>>(of x: Int, in values: Values) -> Int where Values.Index == Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Scalars a..<b follow each other on one line.
    static func contiguous(_ a: Int, _ b: Int, _ off: Offsets, _ end: Offsets) -> Bool {
        (a..<(b - 1)).allSatisfy { end[$0] == off[$0 + 1] }
    }

    /// `5.12` in `5.12汶川地震`: a month (1–12), a dot, a day (1–31), then a Han character that is not a unit.
    private func namedDate(_ s: ScalarValues, dot: Int) -> (start: Int, end: Int)? {
        var a = dot
        while a > 0, Self.isDigit(s[a - 1]) { a -= 1 }
        var b = dot + 1
        while b < s.count, Self.isDigit(s[b]) { b += 1 }
        guard (1...2).contains(dot - a), (1...2).contains(b - dot - 1), b < s.count else { return nil }
        if a > 0 {
            let p = s[a - 1]
            if p == 0x2E || p == 0x2D || p == 0x2F || Self.isLetter(p) || p == 0xFF0E { return nil }
        }
        var month: UInt32 = 0, day: UInt32 = 0
        for x in a..<dot { month = month * 10 + s[x] - 0x30 }
        for x in dot + 1..<b { day = day * 10 + s[x] - 0x30 }
        guard (1...12).contains(month), (1...31).contains(day), s[a] != 0x30, s[dot + 1] != 0x30 else { return nil }
        let after = s[b]
        // Already quoted (“5.12”): only the dot is wrong. A ” without its “ ends a quotation (涨了5.12”).
        if after == 0x201D { return a > 0 && s[a - 1] == 0x201C ? (a, b) : nil }
        guard Self.isHan(after), !Self.unitCharacters.contains(after) else { return nil }
        // An event name follows within a few characters (5.12汶川地震, 3.15晚会); else it is a number.
        var window = ""
        for x in b..<min(s.count, b + 8) { window.unicodeScalars.append(Unicode.Scalar(s[x])!) }
        guard Self.eventWords.contains(where: { window.contains($0) }) else { return nil }
        return (a, b)
    }

    /// A Han character or Chinese punctuation right before or after the mark.
    static func chineseBeside(_ doc: TextDocument, _ range: Range<Int>) -> Bool {
        if range.lowerBound > 0 {
            let before = doc.scalar(at: doc.clampToScalar(range.lowerBound - 1)).scalar
            if Scalars.isCJK(before) && !Scalars.isInlineSpace(before) { return true }
        }
        if range.upperBound < doc.count {
            let after = doc.scalar(at: range.upperBound).scalar
            if Scalars.isCJK(after) && !Scalars.isInlineSpace(after) { return true }
        }
        return false
    }
}
