import TextModel

/// Numbers of one kind written both in Chinese and in Arabic numerals, and mixed forms
/// (STYLE-RULES R15–R20).
public struct NumeralStyleRule: NeighbourRule {
    public init() {}
    /// Dates vote with the dates of the sections around (a story's dates may sit in its lead).
    public static let scope = RuleScope.sectionAndNeighbours

    public static let description = RuleDescription(
        id: "numeral-style",
        family: .numerals,
        defaultSeverity: .information,
        summary: "Dates or ordinals written in both Chinese and Arabic numerals; mixed forms (二〇〇八年8月8日, 4千, 20几).",
        explanation: """
        GB/T 15835 lets an editor choose Chinese or Arabic numerals where both read well, but numbers of the \
        same kind must then use the same form (STYLE-RULES R17), and some mixtures are always wrong. The rule \
        finds: Gregorian dates in Chinese numerals (二〇二二年四月八日) in a document whose other dates use \
        Arabic numerals, or the reverse (the minority form is reported; on a tie the Chinese one, as \
        newspapers write dates in Arabic numerals); dates that mix the two forms (二〇〇八年8月8日); Arabic \
        digits with 千, 百 or 十 as multipliers (4千, 3亿4千5百万; R19); years written with 零, O or ○ for 〇 \
        (二零一二年; R20), also in titles and lunar dates, whose form is otherwise kept, while such a year \
        does not count as a Chinese-numeral date (a paper that writes dates in Chinese writes 〇); approximate numbers in Arabic digits (20几, 3、4个月; R16); and ordinals with the \
        same counter (第一批 and 第2批) written both ways in one paragraph or for one series. Lunar dates, \
        named dates (“5·12”), approximate numbers in Chinese, fixed expressions (一方面, 十四五, 第一时间) and \
        counts are never compared: a transcription must keep the newspaper's choice, so most of these are \
        for a person to weigh. Writing 〇 in a year is a safe fix; converting a minority Chinese date or a \
        mixed date to Arabic numerals, and 20几 or 3、4个 to Chinese, are unsafe fixes; the rest are reported \
        without a fix.
        """,
        nonTriggering: [
            "2022年4月8日，全市新增3.6万人，共10亿零817万5288人，捐款2000万元。",
            "排摸登记了三四百名大病居民，十几本病历卡，一二十个，四十五六岁，三十多年工龄。",
            "一方面，“十四五”时期，一律，星期五，四书五经，七上八下，一线，一户，两米，同心抗疫。",
            "经过三个昼夜的连续奋战，15人承担人员转运任务。",
            "他参加过2008年的“5·12”汶川地震救援。",
            "农历正月初五，腊月二十三，2022年4月8日。",
            "二〇二二年四月八日，二〇〇八年八月八日。",
            "区局第一时间研判部署，冲锋在第一线，第一书记，第一责任人，第2批。",
            "全长63.1千米，220千伏输变电工程，5千克。",
            "1. 湖滨街道,沈彦,13906509846",
            "第十四届全国人大，第78届联合国大会。",
        ],
        triggering: [
            "2022年4月8日讲话。↓二〇二二年四月八日",
            "3月30日供应餐食。↓十二月三十一日，4月1日",
            "他生于↓二〇〇八年8月8日。",
            "项目投资超↓7千亿元，↓3亿4千5百万，↓1百零8",
            "↓二零一二年，二〇〇八年八月八日",
            "↓二O一二年",
            "↓20几岁，↓3、4个月",
            "第一批已经出发，第二批正在集结，↓第3批明天出发。",
            "二〇〇八年八月八日，二〇〇八年八月九日，↓2008年8月10日",
            "《↓二零二四年我国卫生健康事业发展统计公报》",
            "12月 27日，中方将于今年↓五月一日起实施。",
            "↓二零二五年，今天（↓二月二十九日），6月21日",
        ],
        corrections: [
            Correction("2022年4月8日讲话。二〇二二年四月八日", "2022年4月8日讲话。2022年4月8日", unsafe: true),
            Correction("3月30日。十二月三十一日", "3月30日。12月31日", unsafe: true),
            Correction("他生于二〇〇八年8月8日。", "他生于2008年8月8日。", unsafe: true),
            Correction("二零一二年，二〇〇八年", "二〇一二年，二〇〇八年"),
            Correction("二O一二年", "二〇一二年"),
            Correction("20几岁，3、4个月", "二十几岁，三四个月", unsafe: true),
            Correction("超7千亿元", "超7千亿元"),
            Correction("《二零二四年统计公报》", "《二〇二四年统计公报》"),
            Correction("7月31日，今年五月一日", "7月31日，今年5月1日", unsafe: true),
        ]
    )

    // MARK: Characters

    /// A logical paragraph's scalars.
    typealias Chars = UnsafeBufferPointer<Ch>

    /// One scalar of a logical paragraph, with its place in the document: 16 bytes, as a paragraph
    /// with a date is decoded whole.
    struct Ch {
        var v: UInt32
        var segment: Int32
        var offset: Int
        /// Where the scalar ends (the text is valid UTF-8, so its length follows from its value).
        var end: Int { offset &+ (v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4) }
    }

    static func value(_ c: Character) -> UInt32 { c.unicodeScalars.first!.value }
    // Literals, not `value("年")`: a lazily initialised static costs a call at every use in the scans.
    static let nian: UInt32 = 0x5E74, yue: UInt32 = 0x6708, ri: UInt32 = 0x65E5, di: UInt32 = 0x7B2C   // 年 月 日 第
    static let shi: UInt32 = 0x5341, bai: UInt32 = 0x767E, qian: UInt32 = 0x5343                         // 十 百 千
    static let ling: UInt32 = 0x96F6, ji: UInt32 = 0x51E0, wan: UInt32 = 0x4E07, yi: UInt32 = 0x4EBF     // 零 几 万 亿
    static let dun: UInt32 = 0x3001, zeroHan: UInt32 = 0x3007                                            // 、 〇
    static let openTitle: UInt32 = 0x300A, closeTitle: UInt32 = 0x300B                                   // 《 》

    /// 〇一二…九 as proper Chinese digits.
    static func chineseDigit(_ v: UInt32) -> Int? {
        switch v {
        case 0x3007: return 0
        case 0x4E00: return 1
        case 0x4E8C: return 2
        case 0x4E09: return 3
        case 0x56DB: return 4
        case 0x4E94: return 5
        case 0x516D: return 6
        case 0x4E03: return 7
        case 0x516B: return 8
        case 0x4E5D: return 9
        default: return nil
        }
    }

    /// What OCR and typists put in a year for 〇: 零, ○, ◯, O, o, Ｏ, ｏ, 0, ０.
    static func isZeroLookalike(_ v: UInt32) -> Bool {
        v == 0x96F6 || v == 0x25CB || v == 0x25EF || v == 0x4F || v == 0x6F || v == 0xFF2F || v == 0xFF4F
            || v == 0x30 || v == 0xFF10
    }

    @inline(__always) static func isASCIIDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    @inline(__always) static func isLatin(_ v: UInt32) -> Bool { (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }

    /// Characters that continue a number, so a date or number may not start right after them.
    /// Compared one by one: the character before a digit is most often Han, whose bit in a
    /// `ScalarSet` table was a cache miss.
    static let numeralChars = "〇零一二三四五六七八九十百千万亿两几○".unicodeScalars.map(\.value)
    static func continuesNumber(_ v: UInt32) -> Bool {
        isASCIIDigit(v) || isLatin(v) || v == 0x2E || (v >= 0xFF10 && v <= 0xFF19) || numeralChars.contains(v)
    }

    // MARK: Check

    /// One section's dates and ordinals (the votes read them from the sections around too) and its
    /// own findings of the number scan; offsets relative to the section's start.
    /// A section's dates and ordinals: small, kept between edits.
    public static let factsKept = true

    public struct Facts {
        var dates: [DateMatch] = []
        var ordinals: [Ordinal] = []
        var numbers: [Diagnostic] = []
        /// Paragraphs in the section, so that ordinals' paragraph indexes stay apart across sections.
        var paragraphs = 0
    }

    /// Which scans a paragraph needs, read from its bytes: most paragraphs need none. A scan is
    /// needed where its trigger stands by a character that can make it a match: 年 or 月 after a
    /// digit (a date), 第 before one (an ordinal), 千 百 十 几 or 、 right after an ASCII digit (4千,
    /// 20几, 3、4个). Next to a line break, or to anything but ASCII and Han, the trigger counts.
    struct Triggers {
        var dates = false, ordinals = false, numbers = false
        /// Where the first and the last 年 or 月 that trigger start: a date starts a few scalars
        /// before its 年 or 月 and ends soon after.
        var firstDate = -1, lastDate = -1
        /// Where the first 第 that triggers starts (no ordinal starts before), and where the numeral
        /// run after the last one ends (-1: at its segment's end, so it may go on in the next).
        var firstOrdinal = -1, ordinalRunEnd = -1
        var any: Bool { dates || ordinals || numbers }

        mutating func date(at o: Int) {
            if !dates { firstDate = o }
            dates = true
            lastDate = o
        }
    }

    /// Han ideographs U+4E00–U+9FFF have the lead bytes E4–E9.
    @inline(__always) static func isHanLead(_ b: UInt8) -> Bool { b >= 0xE4 && b <= 0xE9 }

    /// 一…九, 十 and 零 (what ends a month or a year in Han).
    @inline(__always) static func isDigitHan(_ v: UInt32) -> Bool { chineseDigit(v) != nil || v == shi || v == ling }

    /// The triggers by their bytes: 年 E5 B9 B4, 月 E6 9C 88, 第 E7 AC AC; and 几 E5 87 A0, 千 E5 8D 83,
    /// 十 E5 8D 81, 百 E7 99 BE, 、 E3 80 81 after an ASCII digit or at a segment's start (the only
    /// places where they trigger: most 、 follow Han). One scan of the whole text, so the bytes
    /// before a segment's start are a line break or an indent. Told by the bytes after any three-byte
    /// lead (fewer compares a round): the few other scalars that share them (乴, U+2001; after a digit,
    /// any whose second and third bytes are among the number triggers') are no trigger to `trigger`.
    enum TriggerScan: CandidateScan {
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>,
                               _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            let dates = ((second .== splat(0xB9)) .& (third .== splat(0xB4)))
                .| ((second .== splat(0x9C)) .& (third .== splat(0x88)))
                .| ((second .== splat(0xAC)) .& (third .== splat(0xAC)))
            // By the second byte too: the last byte of a Han character often looks like an indent's,
            // and the third alone let through 、 and many others after one.
            let numbers = ((second .== splat(0x8D)) .| (second .== splat(0x87)) .| (second .== splat(0x99)) .| (second .== splat(0x80)))
                .& ((third .== splat(0xA0)) .| (third .== splat(0x83)) .| (third .== splat(0x81)) .| (third .== splat(0xBE)))
            return ((first & splat(0xF0)) .== splat(0xE0)) .& (dates .| (numbers .& ParagraphCandidates.mayStartSegment(before)))
        }
    }

    /// The trigger, if any, that the three-byte sequence at `o` in `start..<end` is (a candidate of
    /// `TriggerScan`). Not inlined, so that the scan's loop keeps its registers.
    @inline(never)
    static func trigger(_ bytes: UnsafeBufferPointer<UInt8>, at o: Int, _ start: Int, _ end: Int, _ t: inout Triggers) {
        switch UTF8Scalar.value3(bytes, at: o) {
        case nian:
            // A date without a year has a month, so 年 counts only after a year (三年, 30年 do not).
            if mayEndYear(bytes, at: o, start) { t.date(at: o) }
        case yue:
            // The character before: a digit, a space, 〇 or a look-alike unless it is Han.
            if o == start || bytes[o - 1] < 0x80 || o - 3 < start || !isHanLead(bytes[o - 3])
                || isDigitHan(UTF8Scalar.value3(bytes, at: o - 3)) { t.date(at: o) }
        case di:
            if let run = ordinalRun(bytes, after: o + 3, end) {
                if !t.ordinals { t.firstOrdinal = o }
                t.ordinals = true
                t.ordinalRunEnd = run < end ? run : -1
            }
        case qian, bai, shi, ji, dun:
            if o == start || isASCIIDigit(UInt32(bytes[o - 1])) { t.numbers = true }
        default: break
        }
    }

    /// Whether 年 at `o` may end a year of `parseDate`: four digits, Chinese digits or look-alikes of
    /// 〇 before it, or fewer back to `start`, the segment's (the year may begin in the one before).
    static func mayEndYear(_ bytes: UnsafeBufferPointer<UInt8>, at o: Int, _ start: Int) -> Bool {
        var p = o
        for _ in 0..<4 {
            if p == start { return true }
            p -= 1
            while p > start && bytes[p] & 0xC0 == 0x80 { p -= 1 }
            let v = UTF8Scalar.decode(bytes, at: p).scalar.value
            if !(isASCIIDigit(v) || chineseDigit(v) != nil || isZeroLookalike(v)) { return false }
        }
        return true
    }

    /// Where the numeral run ends if 第 before `n` may start an ordinal of `scanOrdinals`, else nil:
    /// a run of ASCII digits or of `ordinalChinese`, then a counter's first character (第一时间,
    /// 第一书记 and 第一线 are not, and most 第 in news are these). A run that reaches `end`, the
    /// segment's, may go on in the next (the result is then `end` or more).
    static func ordinalRun(_ bytes: UnsafeBufferPointer<UInt8>, after n: Int, _ end: Int) -> Int? {
        var k = n
        guard k < end else { return k }
        if isASCIIDigit(UInt32(bytes[k])) {
            repeat { k += 1 } while k < end && isASCIIDigit(UInt32(bytes[k]))
        } else {
            // All of `ordinalChinese` are three bytes long.
            while k &+ 2 < end, bytes[k] &- 0xE0 < 0x10, ordinalChinese.contains(UTF8Scalar.value3(bytes, at: k)) { k += 3 }
            if k == n { return nil }
        }
        return k >= end || counterStarts.contains(UTF8Scalar.decode(bytes, at: k).scalar) ? k : nil
    }

    public func facts(of context: RuleContext) -> Facts { facts(of: context, prescan: true) }

    /// Without `prescan` every paragraph is decoded and scanned (the tests check that the pre-scan
    /// skips nothing that matters).
    func facts(of context: RuleContext, prescan: Bool) -> Facts {
        let doc = context.document
        let paragraphs = context.layout.paragraphs
        var facts = Facts(paragraphs: paragraphs.count)
        // The paragraph's scalars, written in place: one element per byte is room enough.
        var storage = UnsafeMutableBufferPointer<Ch>.allocate(capacity: 0)
        defer { storage.deallocate() }
        doc.bytes.withUnsafeBufferPointer { bytes in
            func scan(_ index: Int, _ triggers: Triggers) {
                let paragraph = paragraphs[index]
                let length = paragraph.segments.reduce(0) { $0 + $1.count }
                if storage.count < length {
                    storage.deallocate()
                    storage = .allocate(capacity: max(length, 2 * storage.count))
                }
                // No numbers to scan: every 年 or 月 of a date and every 第 of an ordinal triggers,
                // and the scans read at most `dateReach` scalars past a date's 年 or 月 and
                // `ordinalReach` past an ordinal's numeral run, so the scalars after the last one's
                // reach are left out (-1: none are).
                let reachFrom: Int, reach: Int
                if triggers.numbers || (triggers.ordinals && triggers.ordinalRunEnd < 0) {
                    (reachFrom, reach) = (-1, 0)
                } else if !triggers.ordinals {
                    (reachFrom, reach) = (triggers.lastDate, Self.dateReach)
                } else if !triggers.dates {
                    (reachFrom, reach) = (triggers.ordinalRunEnd, Self.ordinalReach)
                } else {
                    (reachFrom, reach) = (max(triggers.lastDate, triggers.ordinalRunEnd), max(Self.dateReach, Self.ordinalReach))
                }
                // No numbers to scan: an ordinal starts at a 第 that triggers and a date at most four
                // scalars before a 年 or 月 that does, so decoding starts at the first of these or
                // `datePrefix` bytes before (0: at the paragraph's start).
                var from = 0
                if !triggers.numbers {
                    from = triggers.ordinals ? triggers.firstOrdinal : Int.max
                    if triggers.dates { from = min(from, Self.dateScanStart(paragraph.segments, before: triggers.firstDate, bytes)) }
                }
                var count = 0, end = Int.max
                for (s, segment) in paragraph.segments.enumerated() where segment.upperBound > from {
                    var o = max(segment.lowerBound, from)
                    while o < segment.upperBound && count < end {
                        let (v, len) = UTF8Scalar.decodeValid(bytes, at: o)
                        storage.initializeElement(at: count, to: Ch(v: v, segment: Int32(truncatingIfNeeded: s), offset: o))
                        count &+= 1
                        if o == reachFrom { end = count &+ reach }
                        o &+= len
                    }
                }
                let chars = Chars(start: storage.baseAddress, count: count)
                if triggers.dates { scanDates(chars, bytes, titleDepth: Self.titleDepth(paragraph.segments, before: from, bytes), into: &facts.dates) }
                if triggers.numbers { scanNumbers(chars, into: &facts.numbers) }
                if triggers.ordinals { scanOrdinals(chars, bytes, paragraph: index, into: &facts.ordinals) }
            }
            guard prescan else {
                for index in paragraphs.indices { scan(index, Triggers(dates: true, ordinals: true, numbers: true)) }
                return
            }
            var triggers = Triggers()
            ParagraphCandidates.forEach(TriggerScan.self, in: context.layout, bytes, candidate: { _, segment, o in
                // A three-byte sequence that starts before `upperBound - 2` ends in the segment.
                if o < segment.upperBound &- 2 { Self.trigger(bytes, at: o, segment.lowerBound, segment.upperBound, &triggers) }
                return !(triggers.dates && triggers.ordinals && triggers.numbers)
            }, done: { index in
                if triggers.any { scan(index, triggers) }
                triggers = Triggers()
            })
        }
        return facts
    }

    public func check(reading: [SectionFacts<Facts>], own: Int) -> [Diagnostic] {
        // The sections' ordinals in text order, offsets relative to the checked section; only where
        // the checked section has some to report. Dates are only counted where they lie: copying
        // every section's dates cost more than judging them.
        let readsOrdinals = !reading[own].facts.ordinals.isEmpty
        var ordinals: [Ordinal] = []
        if readsOrdinals { ordinals.reserveCapacity(reading.reduce(0) { $0 + $1.facts.ordinals.count }) }
        var ownOrdinals = 0..<0
        var paragraphBase = 0
        for (n, section) in reading.enumerated() {
            let facts = section.facts, delta = section.offset
            let firstOrdinal = ordinals.count
            for var o in facts.ordinals where readsOrdinals {
                o.range = (o.range.lowerBound + delta)..<(o.range.upperBound + delta)
                o.paragraph += paragraphBase
                ordinals.append(o)
            }
            if n == own { ownOrdinals = firstOrdinal..<ordinals.count }
            paragraphBase += facts.paragraphs
        }
        var result = reading[own].facts.numbers
        if !reading[own].facts.dates.isEmpty {
            judgeDates(reading[own].facts.dates, DateVotes(reading), reading[own].context.document, into: &result)
        }
        judgeOrdinals(ordinals, reporting: ownOrdinals, into: &result)
        result.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        return result
    }

    static func text(_ c: Slice<Chars>) -> String {
        var s = ""
        for ch in c { s.unicodeScalars.append(Unicode.Scalar(ch.v)!) }
        return s
    }

    /// `text(c)` read from the bytes where `c` lies in one line (no line break to leave out).
    static func text(_ c: Slice<Chars>, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let first = c.first, let last = c.last, first.segment == last.segment else { return text(c) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[first.offset..<last.end]), as: UTF8.self)
    }

    static func matches(_ c: Chars, at i: Int, _ word: String) -> Bool {
        var k = i
        for u in word.unicodeScalars {
            guard k < c.count, c[k].v == u.value else { return false }
            k += 1
        }
        return true
    }

    // MARK: Dates (R17, R18, R20)

    enum Form { case chinese, arabic, mixed }

    struct DateMatch {
        var start: Int, end: Int  // UTF-8 offsets
        var text: String
        var year: Int?, month: Int?, day: Int?
        var form: Form
        /// Zero look-alikes in a Chinese year (二零一二年) and their ranges.
        var badZeros: [Range<Int>]
        var oneSegment: Bool
        /// False for dates kept out of the Chinese/Arabic comparison (titles, lunar dates), which are
        /// still checked for look-alikes of 〇.
        var compared = true

        /// The date in Arabic numerals (2022年4月8日), written for a finding only.
        var arabic: String {
            (year.map { "\($0)年" } ?? "") + (month.map { "\($0)月" } ?? "") + (day.map { "\($0)日" } ?? "")
        }
    }

    /// 1–99 in Chinese numerals (十, 十二, 二十, 二十一, 三): value and the index after it.
    static func smallChinese(_ c: Chars, _ i: Int) -> (Int, Int)? {
        guard i < c.count else { return nil }
        if c[i].v == shi {
            if i + 1 < c.count, let d = chineseDigit(c[i + 1].v), d > 0 { return (10 + d, i + 2) }
            return (10, i + 1)
        }
        guard let d = chineseDigit(c[i].v), d > 0 else { return nil }
        if i + 1 < c.count, c[i + 1].v == shi {
            if i + 2 < c.count, let e = chineseDigit(c[i + 2].v), e > 0 { return (d * 10 + e, i + 3) }
            return (d * 10, i + 2)
        }
        return (d, i + 1)
    }

    /// One or two ASCII digits not followed by a third.
    static func smallArabic(_ c: Chars, _ i: Int) -> (Int, Int)? {
        guard i < c.count, isASCIIDigit(c[i].v) else { return nil }
        var v = Int(c[i].v - 0x30)
        var k = i + 1
        if k < c.count, isASCIIDigit(c[k].v) { v = v * 10 + Int(c[k].v - 0x30); k += 1 }
        if k < c.count, isASCIIDigit(c[k].v) { return nil }
        return (v, k)
    }

    /// A month or day: value, index after, Chinese form.
    static func component(_ c: Chars, _ i: Int, suffix: UInt32, max: Int) -> (Int, Int, Bool)? {
        if let (v, k) = smallChinese(c, i), k < c.count, c[k].v == suffix, v >= 1, v <= max { return (v, k + 1, true) }
        if let (v, k) = smallArabic(c, i) {
            let s = skipSpaces(c, k)
            if s < c.count, c[s].v == suffix, v >= 1, v <= max { return (v, s + 1, false) }
        }
        return nil
    }

    /// A stray space inside an Arabic date (12月 27日, 12 月27日) is numeral-spacing's business; the
    /// date is still in Arabic numerals.
    static func skipSpaces(_ c: Chars, _ i: Int) -> Int {
        var k = i
        while k < c.count, k < i + 2, Scalars.isInlineSpace(Unicode.Scalar(c[k].v)!) { k += 1 }
        return k
    }

    /// `i`, or past the spaces after it when an Arabic component follows them.
    static func skipSpacesBeforeDigit(_ c: Chars, _ i: Int) -> Int {
        let k = skipSpaces(c, i)
        return k < c.count && isASCIIDigit(c[k].v) ? k : i
    }

    /// 今年, 明年, 去年, 前年, 后年, 当年, 同年, 次年, 上年, 翌年, 本年: the first character.
    static let relativeYear = ScalarSet("今明去前后当同次上翌本")

    /// Chinese phrases after a year that make it part of a formal title kept in Chinese numerals.
    static let formalTitles = ["新年贺词", "远景目标"]

    /// `scanDates` reads seven scalars before a date, and a date starts at most four scalars before
    /// its first 年 or 月: bytes enough for these (a scalar has four at most), with a margin.
    static let datePrefix = 64

    /// Where `scanDates` may start in a paragraph of `segments` whose first date trigger is at
    /// `trigger`: `datePrefix` bytes before it in its segment, else the paragraph's start (0).
    static func dateScanStart(_ segments: ParagraphSegments, before trigger: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let segment = segments.first(where: { $0.upperBound > trigger }), trigger - datePrefix >= segment.lowerBound else { return 0 }
        var o = trigger - datePrefix
        while UTF8Scalar.isContinuation(bytes[o]) { o -= 1 }
        return o
    }

    /// How deep in 《》 titles the paragraph of `segments` is at `end` (0 for the paragraph's start),
    /// counted as `scanDates` counts, from the bytes (《 E3 80 8A, 》 E3 80 8B).
    static func titleDepth(_ segments: ParagraphSegments, before end: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var depth = 0
        for segment in segments where segment.lowerBound < end {
            var o = segment.lowerBound
            let stop = min(segment.upperBound, end)
            while o &+ 2 < stop {
                if bytes[o] == 0xE3 && bytes[o &+ 1] == 0x80 {
                    if bytes[o &+ 2] == 0x8A { depth += 1 } else if bytes[o &+ 2] == 0x8B { depth = max(0, depth - 1) }
                }
                o &+= 1
            }
        }
        return depth
    }

    private func scanDates(_ c: Chars, _ bytes: UnsafeBufferPointer<UInt8>, titleDepth: Int, into dates: inout [DateMatch]) {
        var titleDepth = titleDepth
        var i = 0
        while i < c.count {
            let v = c[i].v
            if v == Self.openTitle { titleDepth += 1 } else if v == Self.closeTitle { titleDepth = max(0, titleDepth - 1) }
            guard Self.mayStartDate(v), i == 0 || !Self.continuesNumber(c[i - 1].v),
                  let d = parseDate(c, i, bytes) else { i += 1; continue }
            defer { i = d.next }
            // A year in a title or a lunar date keeps its form, but 零 for 〇 is still wrong (R20). (Copied
            // only then: a copy of every date retained and released its strings.)
            func keep() {
                guard !d.match.badZeros.isEmpty else { return }
                var kept = d.match
                kept.compared = false
                dates.append(kept)
            }
            if titleDepth > 0 { keep(); continue }
            if d.match.form != .arabic {
                // Lunar and regnal dates keep Chinese numerals (R16): 农历四月初八, 咸丰十年九月二十日.
                var lunar = false
                for k in Swift.max(0, i - 6)..<i where c[k].v == Self.value("历") && k > 0
                    && "农阴夏旧".unicodeScalars.contains(where: { $0.value == c[k - 1].v }) { lunar = true }
                if lunar || Self.formalTitles.contains(where: { Self.matches(c, at: d.next, $0) }) {
                    keep()
                    continue
                }
            }
            // 咸丰十年九月二十日, 闰四月: a month after an unparsed year is not Gregorian, but after
            // 今年, 明年… it is (今年5月1日).
            if !d.hasYear, i > 0, c[i - 1].v == Self.value("闰")
                || (c[i - 1].v == Self.nian && !(i > 1 && Self.relativeYear.contains(c[i - 2].v))) { continue }
            dates.append(d.match)
        }
    }

    /// How many scalars past a date's 年 or 月 parsing reads: a month or day (up to two spaces, three
    /// characters, two spaces, its 月 or 日: seven), then four for `formalTitles`; a margin on top.
    static let dateReach = 16

    /// How many scalars past an ordinal's numeral run `scanOrdinals` reads: a counter (two at
    /// most) and four Han characters after it; a margin on top.
    static let ordinalReach = 8

    /// A year or a month starts with an ASCII digit, 十 or a Chinese digit: most characters are neither.
    @inline(__always) static func mayStartDate(_ v: UInt32) -> Bool {
        isASCIIDigit(v) || v == shi || chineseDigit(v) != nil
    }

    /// A date at `i` (where `mayStartDate`) has 年 after a four-digit year or 月 within four
    /// characters (三月, 十二月, 12 月): most candidates (一个, 统一) fail this before any parsing.
    @inline(__always) static func mayHoldDate(_ c: Chars, _ i: Int) -> Bool {
        if i + 4 < c.count, c[i + 4].v == nian { return true }
        var k = i + 1
        while k < c.count, k <= i + 4 {
            if c[k].v == yue { return true }
            k += 1
        }
        return false
    }

    private func parseDate(_ c: Chars, _ i: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> (match: DateMatch, next: Int, hasYear: Bool)? {
        guard Self.mayHoldDate(c, i) else { return nil }
        var k = i
        var year: Int?, month: Int?, day: Int?
        var anyChinese = false, anyArabic = false
        var badZeros: [Range<Int>] = []
        // Year: four Chinese digits (二〇二二) or four ASCII digits, then 年 (the first digit is 1 or 2).
        if k + 4 < c.count, c[k + 4].v == Self.nian {
            let four = c[k..<(k + 4)]
            if four.allSatisfy({ Self.isASCIIDigit($0.v) }), c[k].v == 0x31 || c[k].v == 0x32 {
                year = four.reduce(0) { $0 * 10 + Int($1.v - 0x30) }
                anyArabic = true
                k += 5
            } else if c[k].v == 0x4E00 || c[k].v == 0x4E8C,
                      four.allSatisfy({ Self.chineseDigit($0.v) != nil || Self.isZeroLookalike($0.v) }),
                      four.filter({ Self.chineseDigit($0.v) != nil }).count >= 2 {
                var y = 0
                for ch in four {
                    if let d = Self.chineseDigit(ch.v) { y = y * 10 + d } else {
                        y *= 10
                        badZeros.append(ch.offset..<ch.end)
                    }
                }
                year = y
                anyChinese = true
                k += 5
            }
        }
        if let (m, next, chinese) = Self.component(c, year != nil ? Self.skipSpacesBeforeDigit(c, k) : k, suffix: Self.yue, max: 12) {
            month = m
            if chinese { anyChinese = true } else { anyArabic = true }
            k = next
            if let (d, next2, chinese2) = Self.component(c, Self.skipSpacesBeforeDigit(c, k), suffix: Self.ri, max: 31) {
                day = d
                if chinese2 { anyChinese = true } else { anyArabic = true }
                k = next2
            }
        }
        guard year != nil || day != nil else { return nil }
        let form: Form = !anyArabic ? .chinese : !anyChinese ? .arabic : .mixed
        let match = DateMatch(start: c[i].offset, end: c[k - 1].end, text: Self.text(c[i..<k], bytes), year: year, month: month, day: day,
                              form: form, badZeros: badZeros, oneSegment: c[i].segment == c[k - 1].segment)
        return (match, k, year != nil)
    }

    static func others(_ n: Int) -> String { n == 1 ? "another date here uses" : "\(n) other dates here use" }

    /// The votes of the dates of the sections read, by form, and the first date of each form (the
    /// one a finding points to), its range relative to the checked section.
    struct DateVotes {
        var chinese = 0, arabic = 0
        var firstChinese = (range: 0..<0, text: ""), firstArabic = (range: 0..<0, text: "")

        init(_ reading: [SectionFacts<Facts>]) {
            for section in reading {
                let dates = section.facts.dates, delta = section.offset
                // A year with 零 for 〇 is a typing error, not the newspaper's choice of Chinese
                // numerals (a paper that writes dates in Chinese writes 〇), so it does not vote.
                for n in dates.indices where dates[n].compared {
                    if dates[n].form == .chinese && dates[n].badZeros.isEmpty {
                        if chinese == 0 { firstChinese = ((dates[n].start + delta)..<(dates[n].end + delta), dates[n].text) }
                        chinese += 1
                    } else if dates[n].form == .arabic {
                        if arabic == 0 { firstArabic = ((dates[n].start + delta)..<(dates[n].end + delta), dates[n].text) }
                        arabic += 1
                    }
                }
            }
        }
    }

    /// Reports the checked section's dates, judged by the votes of all the sections read.
    private func judgeDates(_ dates: [DateMatch], _ votes: DateVotes, _ doc: TextDocument, into result: inout [Diagnostic]) {
        let flagChinese = votes.arabic > 0 && votes.arabic >= votes.chinese
        let flagArabic = votes.chinese > 0 && votes.chinese > votes.arabic
        for d in dates {
            let range = d.start..<d.end
            switch d.compared ? d.form : .chinese {
            case .mixed:
                let fix = d.oneSegment
                    ? Fix(title: "Write \"\(d.arabic)\"", edit: TextEdit(range: range, newText: d.arabic), applicability: .unsafe)
                    : nil
                result.append(diagnostic(range, "Date \"\(d.text)\" mixes Chinese and Arabic numerals: write \"\(d.arabic)\"", fix: fix))
            case .chinese where flagChinese && d.compared:
                let fix = d.oneSegment
                    ? Fix(title: "Write \"\(d.arabic)\"", edit: TextEdit(range: range, newText: d.arabic), applicability: .unsafe)
                    : nil
                let other = votes.firstArabic
                result.append(diagnostic(range, "Date \"\(d.text)\" in Chinese numerals while \(Self.others(votes.arabic)) Arabic numerals: write \"\(d.arabic)\"",
                                         related: [RelatedLocation(range: other.range, message: "a date in Arabic numerals: \(other.text)")],
                                         fix: fix))
            case .arabic where flagArabic && d.compared:
                let other = votes.firstChinese
                result.append(diagnostic(range, "Date \"\(d.text)\" in Arabic numerals while \(Self.others(votes.chinese)) Chinese numerals (\(other.text)): write them one way",
                                         related: [RelatedLocation(range: other.range, message: "a date in Chinese numerals")]))
            case .chinese where !d.badZeros.isEmpty:
                // Only the look-alikes change, so the edits stay clear of any line break inside the date.
                let edits = d.badZeros.map { TextEdit(range: $0, newText: "〇") }
                let local = edits.map { TextEdit(range: ($0.range.lowerBound - d.start)..<($0.range.upperBound - d.start), newText: $0.newText) }
                let fixed = String(decoding: TextEdit.apply(local, to: Array(doc.bytes[range])), as: UTF8.self)
                result.append(diagnostic(range, "Year \"\(d.text)\" uses a look-alike of 〇: write \"\(fixed)\"",
                                         fix: Fix(title: "Write \"\(fixed)\"", edits: edits, applicability: .safe)))
            default:
                break
            }
        }
    }

    // MARK: Numbers: 4千 (R19), 20几 and 3、4个月 (R16)

    /// What may follow 千 to make it a unit prefix, not a multiplier: 千米, 千克, 千瓦, 千伏 (but 5百米
    /// is still 500米).
    static let unitAfterQian = ScalarSet("米克瓦伏帕焦卡兆赫牛")
    /// Counters after an approximate pair (3、4个月).
    static let approximateCounters = ["个", "天", "岁", "人", "名", "次", "位", "倍", "米", "公里", "小时", "分钟",
                                      "万", "千", "百", "十", "斤", "家", "件", "条", "户", "辆", "遍", "周", "层"]

    static func chineseNumber(_ n: Int) -> String? {
        let digits = Array("〇一二三四五六七八九")
        guard n >= 0, n < 100 else { return nil }
        if n < 10 { return String(digits[n]) }
        let tens = n / 10, ones = n % 10
        return (tens == 1 ? "" : String(digits[tens])) + "十" + (ones == 0 ? "" : String(digits[ones]))
    }

    private func scanNumbers(_ c: Chars, into result: inout [Diagnostic]) {
        var i = 0
        while i < c.count {
            guard Self.isASCIIDigit(c[i].v), i == 0 || !(Self.continuesNumber(c[i - 1].v) || c[i - 1].v == 0x2C) else { i += 1; continue }
            // Collect the number expression: digits, decimal points and 万亿千百十零.
            var k = i
            var usesMultiplier = false
            while k < c.count {
                let v = c[k].v
                if Self.isASCIIDigit(v) || v == Self.wan || v == Self.yi || v == Self.ling { k += 1; continue }
                if v == 0x2E, k + 1 < c.count, Self.isASCIIDigit(c[k + 1].v) { k += 1; continue }
                if v == Self.qian || v == Self.bai || v == Self.shi {
                    if v == Self.qian, k + 1 < c.count, Self.unitAfterQian.contains(c[k + 1].v) { break }
                    // 百分点, 十分: not multipliers of the digits before them.
                    if v != Self.qian, k + 1 < c.count, c[k + 1].v == Self.value("分") { break }
                    if Self.isASCIIDigit(c[k - 1].v) { usesMultiplier = true }
                    k += 1
                    continue
                }
                break
            }
            // Do not end on 零 (10亿零 is followed by more text only when the number goes on).
            while k > i + 1, c[k - 1].v == Self.ling { k -= 1 }
            let run = c[i..<k]
            let range = c[i].offset..<c[k - 1].end
            if usesMultiplier {
                let text = Self.text(run)
                let hint = Self.arabicSuggestion(run).map { "write \"\($0)\"" } ?? "write the digits out"
                result.append(diagnostic(range, "Arabic digits with 千/百/十 in \"\(text)\": \(hint) or use Chinese numerals"))
            } else if k < c.count, c[k].v == Self.ji, !run.contains(where: { !Self.isASCIIDigit($0.v) }) {
                // 20几: an approximate number takes Chinese numerals.
                let digits = Self.text(run)
                let r = c[i].offset..<c[k].end
                if let n = Int(digits), let cn = Self.chineseNumber(n) {
                    result.append(diagnostic(r, "Approximate number \"\(digits)几\" in Arabic digits: write \"\(cn)几\"",
                                             fix: Fix(title: "Write \"\(cn)几\"", edit: TextEdit(range: r, newText: cn + "几"), applicability: .unsafe)))
                } else {
                    result.append(diagnostic(r, "Approximate number \"\(digits)几\" in Arabic digits: use Chinese numerals"))
                }
                k += 1
            } else if k == i + 1, k + 2 < c.count, c[k].v == Self.dun, Self.isASCIIDigit(c[k + 1].v), c[k + 1].v == c[i].v + 1,
                      !(k + 2 < c.count && (Self.isASCIIDigit(c[k + 2].v) || c[k + 2].v == Self.dun || c[k + 2].v == 0x2E)),
                      i == 0 || (c[i - 1].v != Self.di && c[i - 1].v != Self.dun),
                      Self.approximateCounters.contains(where: { Self.matches(c, at: k + 2, $0) }) {
                // 3、4个月: two neighbouring digits as an approximation (R16).
                let a = Int(c[i].v - 0x30), b = a + 1
                let cn = Self.chineseNumber(a)! + Self.chineseNumber(b)!
                let r = c[i].offset..<c[k + 1].end
                let written = Self.text(c[i..<(k + 2)])
                result.append(diagnostic(r, "Approximate number \"\(written)\" in Arabic digits: write \"\(cn)\" (no 、)",
                                         fix: Fix(title: "Write \"\(cn)\"", edit: TextEdit(range: r, newText: cn), applicability: .unsafe)))
                k += 2
            }
            i = k
        }
    }

    /// 3亿4千5百万 → 3亿4500万, 7千亿 → 7000亿, 1百零8 → 108; nil when a part is not a whole number.
    static func arabicSuggestion(_ run: Slice<Chars>) -> String? {
        // Fixed point in units of 1/10,000 (no floating point: the module links no libm).
        var out = ""
        var group = 0
        var number = ""
        var groupHasValue = false
        func flushNumber(times: Int) -> Bool {
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard !number.isEmpty, number.count <= 12, parts.count <= 2, let whole = Int(parts[0]) else { return false }
            var frac = parts.count == 2 ? String(parts[1]) : ""
            guard frac.count <= 4 else { return false }
            while frac.count < 4 { frac += "0" }
            guard let f = Int(frac) else { return false }
            group += (whole * 10_000 + f) * times
            number = ""
            groupHasValue = true
            return true
        }
        func format(_ x: Int) -> String? { x % 10_000 == 0 ? String(x / 10_000) : nil }
        for ch in run {
            let v = ch.v
            if isASCIIDigit(v) || v == 0x2E { number.unicodeScalars.append(Unicode.Scalar(v)!); continue }
            switch v {
            case qian: guard flushNumber(times: 1000) else { return nil }
            case bai: guard flushNumber(times: 100) else { return nil }
            case shi: guard flushNumber(times: 10) else { return nil }
            case ling: continue
            case wan, yi:
                if !number.isEmpty { _ = flushNumber(times: 1) }
                guard groupHasValue, let g = format(group) else { return nil }
                out += g + String(Unicode.Scalar(v)!)
                group = 0; groupHasValue = false
            default: return nil
            }
        }
        if !number.isEmpty { _ = flushNumber(times: 1) }
        if groupHasValue { guard let g = format(group) else { return nil }; out += g }
        return out
    }

    // MARK: Ordinals (R17)

    struct Ordinal {
        var range: Range<Int>
        var text: String
        var arabic: Bool
        var counter: String
        var paragraph: Int
        /// The counter and the Han words after it (第70号主席令 → 号主席令), to compare one series.
        var series: String?
    }

    static let counters = ["季度", "阶段", "届", "次", "轮", "批", "期", "版", "章", "节", "条", "款", "项", "集", "卷",
                           "课", "号", "场", "名", "位", "个", "年", "天", "代", "站"]
    /// Counters of named series (第十四届全国人大, 第78届联合国大会, 第26次中国—东盟领导人会议): news
    /// writes domestic sessions in Chinese and foreign ones in Arabic numerals, so these are compared
    /// only within one series, never just because they share a paragraph.
    /// The first characters of `counters`, tested before matching them one by one.
    static let counterStarts = ScalarSet(counters.map { String($0.first!) }.joined())
    static let namedSeriesCounters: Set<String> = ["届", "次", "号", "期", "集", "卷", "代"]
    static let ordinalChinese = ScalarSet("〇零一二三四五六七八九十百千两")

    private func scanOrdinals(_ c: Chars, _ bytes: UnsafeBufferPointer<UInt8>, paragraph: Int, into ordinals: inout [Ordinal]) {
        var i = 0
        while i < c.count {
            guard c[i].v == Self.di, i + 2 < c.count else { i += 1; continue }
            var k = i + 1
            let arabic = Self.isASCIIDigit(c[k].v)
            if arabic {
                while k < c.count, Self.isASCIIDigit(c[k].v) { k += 1 }
            } else {
                while k < c.count, Self.ordinalChinese.contains(c[k].v) { k += 1 }
            }
            guard k > i + 1, k < c.count, Self.counterStarts.contains(c[k].v),
                  let counter = Self.counters.first(where: { Self.matches(c, at: k, $0) }) else { i += 1; continue }
            let end = k + counter.unicodeScalars.count
            var series: String? = nil
            var tail = counter
            var s = end
            while s < c.count, s < end + 4, Scalars.isHan(Unicode.Scalar(c[s].v)!) {
                tail.unicodeScalars.append(Unicode.Scalar(c[s].v)!)
                s += 1
            }
            if s - end >= 2 { series = tail }
            ordinals.append(Ordinal(range: c[i].offset..<c[end - 1].end, text: Self.text(c[i..<end], bytes), arabic: arabic,
                                    counter: counter, paragraph: paragraph, series: series))
            i = end
        }
    }

    /// Reports the ordinals `reporting` (the checked section's), compared with all of `ordinals`.
    /// A paragraph and a counter: a key hashed without a string made of the two.
    struct ParagraphCounter: Hashable {
        let paragraph: Int
        let counter: String
    }

    private func judgeOrdinals(_ ordinals: [Ordinal], reporting: Range<Int>, into result: inout [Diagnostic]) {
        // A finding needs a group with both forms.
        guard ordinals.contains(where: \.arabic) && ordinals.contains(where: { !$0.arabic }) else { return }
        var byParagraph: [ParagraphCounter: [Int]] = [:]
        var bySeries: [String: [Int]] = [:]
        for (n, o) in ordinals.enumerated() {
            if !Self.namedSeriesCounters.contains(o.counter) {
                byParagraph[ParagraphCounter(paragraph: o.paragraph, counter: o.counter), default: []].append(n)
            }
            if let s = o.series { bySeries[s, default: []].append(n) }
        }
        var flagged: [Int: Int] = [:]  // minority ordinal → one of the majority
        for group in Array(byParagraph.values) + Array(bySeries.values) where group.count > 1 {
            let arabic = group.filter { ordinals[$0].arabic }
            let chinese = group.filter { !ordinals[$0].arabic }
            guard !arabic.isEmpty, !chinese.isEmpty else { continue }
            // The minority is reported; on a tie the Chinese form (R15: Arabic numerals for numbering).
            let (minority, majority) = chinese.count <= arabic.count ? (chinese, arabic) : (arabic, chinese)
            for m in minority where flagged[m] == nil { flagged[m] = majority[0] }
        }
        for (m, other) in flagged.sorted(by: { $0.key < $1.key }) where reporting.contains(m) {
            let o = ordinals[m], p = ordinals[other]
            let form = o.arabic ? "Arabic" : "Chinese"
            let otherForm = p.arabic ? "Arabic" : "Chinese"
            result.append(diagnostic(o.range, "Ordinal \"\(o.text)\" in \(form) numerals while \"\(p.text)\" uses \(otherForm) numerals: write them one way",
                                     related: [RelatedLocation(range: p.range, message: "the same counter in \(otherForm) numerals")]))
        }
    }
}
