import TextModel

/// Spaces between single CJK characters left by justification (`督 查 工`, `李 强`), STYLE-RULES R3, R24.
public struct LetterSpacingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "letter-spacing",
        family: .spacing,
        defaultSeverity: .warning,
        summary: "Spaces between single Chinese characters left by justification (督 查 工, 李 强).",
        explanation: """
        Chinese is set solid (STYLE-RULES R3). When a justified column line is short of characters, the \
        typesetter spreads them apart, and PDF extractors and OCR turn that spread into spaces (R24): \
        督 查 工, 李 强, 说 ，上 海. In a transcription those spaces break words and search. The rule splits \
        each line at its spaces into tokens and reports every run of two or more tokens that each hold a \
        single Han character (full-width punctuation may cling to it: 说 ，上 海, 的“ 娘 子), and a lone \
        space before ，。、；：？！ after a Chinese character (工作 ，). Outside running text a run of two \
        counts only at the start of a line that is not a byline, because bylines pad a two-character name \
        to the width of three (本报记者 田 鹏, ■ 李 文). In running text (a paragraph with ，。；！？) any \
        space between two Han characters is reported (预定轨 道, 为中 国 式现代化, 谈话结束后，李 强代表), \
        one finding per spread run, except the spaces that separate words there: the dateline gap \
        (本报讯 为落实, 新华社北京12月31日电  新年前夕), a role and a name (记者 张强, 本报记者 田 鹏), and a \
        gap between two words of two or more characters inside quotation or title marks or brackets \
        (“科创赋能 共享深蓝”, （记者 孙明珠 戚安琪）) or in a headline (守正创新  开拓奋进). English \
        phrases, tabs and no-break spaces (stray-whitespace's) and any space next to a digit \
        (numeral-spacing's) are left alone. The fix deletes the spaces; it is safe for three or more \
        characters spread one by one and for a space before punctuation, unsafe for a single gap (李 强 \
        could be a deliberate gap in a headline or a list of names).
        """,
        nonTriggering: [
            "本报讯 为落实党中央、国务院决策部署，",
            "新华社北京12月31日电  新年前夕，",
            "本报讯 （记者 张强） 当前，",
            "本报讯（首席记者 李艳丽）当前疫",
            "增强大局意识 强化责任担当",
            "守正创新  开拓奋进",
            "作用 坚决打赢新冠肺炎疫情防控阻击",
            "He said hello to the world.",
            "本报讯（记者 李双玖） 4月 10日下",
            "A 股 B 股",
            "岁月静好 只因“疫”路有你们",
            "本报记者 田 鹏",
            "■ 李 文",
            "《 人民日报 》",
            "本报讯 为落实党中央、国务院决策部署，各地积极行动。",
            "本报讯（首席记者 李艳丽）当前疫情防控工作进入关键阶段，全区上下要加强领导。",
            "会议围绕“科创赋能 共享深蓝”主题，采用线上线下结合的方式。",
            "据本报记者 田 鹏报道，会议于昨日召开。",
            "振奋龙马精神，书写新篇章——重要讲话温暖人心 催人奋进",
            "他说，这台设备\t运行正常。",
        ],
        triggering: [
            "\n ↓本 报\n讯 为落实党中央",
            "派出督查组赴10个省份开展\n↓督 查 工\n作。",
            "谈。\n↓李 强\n代表市委、",
            "他\n↓说 ，上 海\n坚决贯彻",
            "配\n↓药 送 菜 又 常 常 客 串 快 递 的“ 娘 子\n军”",
            "疫情防控工作↓ ，要咬紧牙关",
            "飞船顺利进入预定↓轨 道，各项工作正常。",
            "会议认为，要为↓中 国 式现代化注入强大动力。",
            "谈话结束后，↓李 强代表市委讲话。",
        ],
        corrections: [
            Correction("开展\n督 查 工\n作。", "开展\n督查工\n作。"),
            Correction("他\n说 ，上 海\n坚决", "他\n说，上海\n坚决"),
            Correction("配\n药 送 菜 又 常 常 客 串 快 递 的“ 娘 子\n军”", "配\n药送菜又常常客串快递的“娘子\n军”"),
            Correction("疫情防控工作 ，要咬紧牙关", "疫情防控工作，要咬紧牙关"),
            Correction("谈。\n李 强\n代表", "谈。\n李 强\n代表"),
            Correction("谈。\n李 强\n代表", "谈。\n李强\n代表", unsafe: true),
            Correction("会议认为，要为中 国 式现代化注入强大动力。", "会议认为，要为中国式现代化注入强大动力。"),
            Correction("飞船顺利进入预定轨 道，各项工作正常。", "飞船顺利进入预定轨 道，各项工作正常。"),
            Correction("飞船顺利进入预定轨 道，各项工作正常。", "飞船顺利进入预定轨道，各项工作正常。", unsafe: true),
        ]
    )

    /// Punctuation that never takes a space before it in Chinese text.
    static let pauseMarks = ScalarSet("，。、；：？！")
    /// Opening marks that never take a space after them.
    static let openingMarks = ScalarSet("“‘（《")

    // The main Han block (most scalars) is answered inline.
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool { !(v >= 0x4E00 && v <= 0x9FFF) && Scalars.isInlineSpace(Unicode.Scalar(v) ?? "x") }
    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool { (v >= 0x4E00 && v <= 0x9FFF) || Scalars.isHan(Unicode.Scalar(v) ?? "x") }
    @inline(__always)
    static func isCJKMark(_ v: UInt32) -> Bool {
        if v >= 0x4E00 && v <= 0x9FFF { return false }
        let s = Unicode.Scalar(v) ?? "x"
        return Scalars.isCJKPunctuation(s) && !Scalars.isInlineSpace(s)
    }

    /// Marks that end a clause: a paragraph that has one is running text, not a headline or a byline.
    static let clauseMarks = ScalarSet("，。；！？")
    static let terminalMarks = ScalarSet("。！？…”’）)》」：；")
    static let openers = ScalarSet("“‘《〈【「（(〔［")
    static let closers = ScalarSet("”’》〉】」）)〕］")
    /// Role words a name follows after a space (记者 张强, 本报记者 田 鹏).
    static let roleWords: [[UInt32]] = ["记者", "通讯员", "实习生", "摄影", "编辑", "主持人", "撰稿", "评论员"]
        .map { $0.unicodeScalars.map(\.value) }

    /// What the lines before this one in the paragraph leave open.
    struct ParagraphState {
        /// Running text: the paragraph has a clause mark somewhere.
        var prose = false
        /// Depth of quotation marks, title marks and brackets.
        var depth = 0
        /// No clause mark yet: still in the paragraph's first clause (where a dateline is).
        var firstClause = true
        /// The first clause holds a dateline (本报讯, …日电).
        var dateline = false
        /// Han characters that end the line before and start the line after (a wrap cuts words).
        var before = 0
        var after = 0
        /// Gaps between two longer runs may be headline phrase gaps (守正创新  开拓奋进).
        var phraseGaps = false
        /// This line ends a paragraph that does not end a sentence: its last clause may be a headline's.
        var openEnd = false
    }

    /// Scalars l and r may be joined across a gap that continues a spread run (not before a pause mark).
    static func joins(_ l: UInt32, _ r: UInt32) -> Bool {
        (isHan(l) || isCJKMark(l)) && (isHan(r) || isCJKMark(r)) && !pauseMarks.contains(r) && !openingMarks.contains(l)
            && !closers.contains(r)
    }

    /// The token s[a..<b] ends with a role word (记者, 通讯员).
    static func endsWithRole(_ s: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Bool {
        roleWords.contains { w in b - a >= w.count && s[(b - w.count)..<b].elementsEqual(w) }
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        var result: [Diagnostic] = []
        var lineScalars = LineScalars()
        var scratch = Scratch()
        // More than most lines have: appended one by one, they were reallocated three times a section.
        scratch.tokens.reserveCapacity(32)
        // Read once: a static read is a call, and the sets' retains, each time.
        let marks = Self.stateMarks
        let features = context.layout.features
        let paragraphs = context.layout.paragraphs
        let layoutLines = context.layout.lines
        // A paragraph's lines are `features[lines]` and its segments `contents[lines]`, read by index:
        // a paragraph copied out of `paragraphs` retained and released its two arrays.
        let contents = context.layout.paragraphContents
        // The first line at or after the paragraph's first one with a space between two characters, by
        // the line features (few lines have one): a paragraph before it is passed over unread.
        var nextSpaced = 0
        for p in paragraphs.indices {
            let lines = paragraphs[p].lines.range
            if nextSpaced < lines.lowerBound {
                nextSpaced = lines.lowerBound
                while nextSpaced < features.count && !features[nextSpaced].innerSpace { nextSpaced += 1 }
            }
            if nextSpaced >= lines.upperBound { continue }
            // The state is the paragraph's own, and only a line with a space between two of its
            // characters can have a finding: most paragraphs have none and are skipped.
            let firstSpaced = (0..<lines.count).first { Self.innerSpace(lines, $0, features) }
            guard let firstSpaced else { continue }
            // The lines after the last spaced one have no finding, and the state they would carry is read
            // by none.
            let lastSpaced = (0..<lines.count).last { Self.innerSpace(lines, $0, features) }!
            var state = ParagraphState()
            let segments = contents[lines]
            // Whether the first line has a clause mark of its own, and the paragraph one anywhere.
            var firstMarked = false
            var lastScalar: UInt32 = 0
            doc.bytes.withUnsafeBufferPointer { b in
                firstMarked = segments.first.map { Self.hasClauseMark(b, $0) } ?? false
                state.prose = firstMarked || segments.dropFirst().contains { Self.hasClauseMark(b, $0) }
                // The paragraph's last scalar that is not a space.
                last: for r in segments.reversed() {
                    var o = r.upperBound
                    while o > r.lowerBound {
                        let (scalar, start) = UTF8Scalar.decode(b, before: o)
                        if !Scalars.isInlineSpace(scalar) { lastScalar = scalar.value; break last }
                        o = start
                    }
                }
            }
            for n in 0...lastSpaced {
                let line = features[lines.lowerBound + n].line
                let r = doc.lines.contentRange(of: line)
                // The lines before the first spaced one and the last were asked for it.
                let hasSpace = n == firstSpaced || n == lastSpaced
                    || (n > firstSpaced && Self.innerSpace(lines, n, features))
                guard hasSpace else {
                    // A line without spaces is one token: it only carries the state on.
                    doc.bytes.withUnsafeBufferPointer { Self.carry(over: $0, r, &state, marks) }
                    continue
                }
                let kind = line < layoutLines.count ? layoutLines[line].kind : .prose
                // The Han characters that end the line before and start the line after (a word a wrap
                // cuts goes on across the break).
                doc.bytes.withUnsafeBufferPointer { b in
                    state.before = n > 0 ? Self.hanRun(b, segments[lines.lowerBound + n - 1], backward: true) : 0
                    state.after = n + 1 < segments.count ? Self.hanRun(b, segments[lines.lowerBound + n + 1], backward: false) : 0
                }
                // A headline, or a first line without a clause mark (a headline the layout ran into the
                // text), has phrase gaps: 徐汇区 以最严格最彻底声势，确保….
                state.phraseGaps = (n == 0 && !firstMarked) || kind == .headline
                // So may the last clause of a paragraph that does not end a sentence: a headline with a
                // comma (振奋龙马精神，书写…温暖人心 催人奋进).
                state.openEnd = n + 1 == lines.count && !Self.terminalMarks.contains(lastScalar)
                doc.bytes.withUnsafeBufferPointer { b in
                    lineScalars.withScalars(of: r, in: b) { s, off in
                        check(s, off, byline: kind == .byline || kind == .caption, state: &state, marks, scratch: &scratch, into: &result)
                    }
                }
            }
        }
        return result
    }

    /// Whether line n of the paragraph whose lines are `features[lines]` has a space between two of
    /// its characters, as the layout noted in the line's features (spaces at a line's ends make no
    /// gap: such a line has no finding and carries the state as one without them).
    static func innerSpace(_ lines: Range<Int>, _ n: Int, _ features: [LineFeatures]) -> Bool {
        features[lines.lowerBound + n].innerSpace
    }

    /// A token: a maximal run of non-space scalars, `[start, end)` in scalar indices; `claimed` when
    /// it is in a run of single-character tokens, `spread` when the gap before it is justification spacing.
    struct Token { var start: Int; var end: Int; var single: Bool; var claimed = false; var spread = false }

    /// Buffers of `check(_:_:byline:state:scratch:into:)`, kept from line to line.
    struct Scratch {
        var at: [(enclosed: Bool, firstClause: Bool, datelineBefore: Bool)] = []
        var tokens: [Token] = []
    }

    /// The sets `carry` reads, passed in: a static read in a loop is a call each time.
    struct StateMarks { let closers: ScalarSet, openers: ScalarSet, clauseMarks: ScalarSet }
    static let stateMarks = StateMarks(closers: closers, openers: openers, clauseMarks: clauseMarks)

    /// Carries the paragraph state over scalar v (followed by a Han character or not) and returns what
    /// holds at v: inside quotation or title marks or brackets; still in the first clause; and a
    /// dateline seen in the first clause before it.
    @inline(__always)
    static func carry(_ v: UInt32, nextHan: Bool, _ state: inout ParagraphState, _ marks: StateMarks)
        -> (enclosed: Bool, firstClause: Bool, datelineBefore: Bool) {
        // Most scalars are Han, and none of these marks is.
        let mark = v < 0x4E00 || v > 0x9FFF
        if mark && marks.closers.contains(v) { state.depth = max(0, state.depth - 1) }
        let enclosed = state.depth > 0
        if mark && marks.openers.contains(v) { state.depth += 1 }
        if mark && marks.clauseMarks.contains(v) { state.firstClause = false }
        let at = (enclosed, state.firstClause, state.dateline)
        if state.firstClause && (v == 0x8BAF || v == 0x7535) && !nextHan {
            state.dateline = true // 讯, 电 ending a token
        }
        return at
    }

    /// The clause marks ，。；！？ by their first and third bytes (EF BC 8C, E3 80 82, EF BC 9B, 81, 9F).
    enum ClauseMarkScan: CandidateScan {
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            ((first .== splat(0xE3)) .& (third .== splat(0x82)))
                .| ((first .== splat(0xEF)) .& ((third .== splat(0x8C)) .| (third .== splat(0x9B)) .| (third .== splat(0x81))
                                                 .| (third .== splat(0x9F))))
        }
    }

    /// The scalars that change the state after the first clause, by their first and third bytes: the
    /// brackets and quotation marks of `openers` and `closers` (( ), ‘ ’ “ ”, 〈 … 〕 E3 80 88–95,
    /// （ ） ［ ］) and the clause marks.
    enum StateMarkScan: CandidateScan {
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            (first .== splat(0x28)) .| (first .== splat(0x29)) .| ClauseMarkScan.candidates(before, first, second, third)
                .| curlyQuotes(first, third) .| ((first .== splat(0xE3)) .& within(third, 0x88, 0x95))
                .| fullWidthBrackets(first, third)
        }
    }

    /// The scalars that change the state in the first clause: `StateMarkScan`'s, and 讯 and 电 (E8 AE AF,
    /// E7 94 B5), which may end a dateline.
    enum FirstClauseScan: CandidateScan {
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            StateMarkScan.candidates(before, first, second, third)
                .| ((first .== splat(0xE8)) .& (third .== splat(0xAF))) .| ((first .== splat(0xE7)) .& (third .== splat(0xB5)))
        }
    }

    static func hasClauseMark(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let end = min(r.upperBound, b.count)
        return ClauseMarkScan.first(in: b, from: r.lowerBound, to: end) { b, o in clauseMarks.contains(UTF8Scalar.decode(b, at: o).scalar) } < end
    }

    /// The Han characters that `r` starts with (or ends with, `backward`).
    static func hanRun(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, backward: Bool) -> Int {
        var count = 0
        if backward {
            var o = r.upperBound
            while o > r.lowerBound {
                let (scalar, start) = UTF8Scalar.decode(b, before: o)
                guard Scalars.isHan(scalar) else { break }
                count += 1
                o = start
            }
        } else {
            var o = r.lowerBound
            while o < r.upperBound {
                let (scalar, len) = UTF8Scalar.decode(b, at: o)
                guard Scalars.isHan(scalar) else { break }
                count += 1
                o += len
            }
        }
        return count
    }

    /// `carry` over a line without spaces. Only brackets, quotation marks, clause marks and (in the first
    /// clause) 讯 and 电 change the state: the other scalars are stepped over without decoding.
    /// The scans go mark to mark through their rounds (`next` computed a round again at each mark): the
    /// first clause's until it ends, then the other's.
    static func carry(over b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ state: inout ParagraphState, _ marks: StateMarks) {
        @inline(__always) func step(_ o: Int) -> Int {
            let (scalar, len) = UTF8Scalar.decode(b, at: o)
            let next = o + len
            // `carry` reads `nextHan` only at 讯 and 电 in the first clause: the next scalar is decoded only there.
            let v = scalar.value
            let nextHan = (v == 0x8BAF || v == 0x7535) && state.firstClause && next < r.upperBound
                && isHan(UTF8Scalar.decode(b, at: next).scalar.value)
            _ = carry(v, nextHan: nextHan, &state, marks)
            return next
        }
        var o = r.lowerBound
        if state.firstClause {
            FirstClauseScan.forEachCandidate(in: b, from: o, to: r.upperBound) { c in
                o = step(c)
                return state.firstClause ? o : r.upperBound
            }
            if state.firstClause { return }
        }
        StateMarkScan.forEachCandidate(in: b, from: o, to: r.upperBound) { step($0) }
    }

    /// A line with a space.
    private func check(_ s: UnsafeBufferPointer<UInt32>, _ off: UnsafeBufferPointer<Int>, byline: Bool, state: inout ParagraphState,
                       _ marks: StateMarks, scratch: inout Scratch,
                       into result: inout [Diagnostic]) {
        // What holds at each scalar (buffers reused from line to line).
        var at = scratch.at
        scratch.at = [] // so that `at` is unique and keeps its storage
        // Grown to the longest line so far; only the first `s.count` elements are written and read.
        if at.count < s.count {
            // At first to 128 scalars, more than most lines hold (as `LineScalars`); made anew, not appended
            // to (an append wrote an element at a time).
            let size = max(s.count, 128, 2 * at.count)
            at = .init(unsafeUninitializedCapacity: size) { at, count in
                at.initialize(repeating: (enclosed: false, firstClause: false, datelineBefore: false))
                count = size
            }
        }
        at.withUnsafeMutableBufferPointer { at in
            for (i, v) in s.enumerated() {
                // `carry` reads `nextHan` only at 讯 and 电.
                let nextHan = (v == 0x8BAF || v == 0x7535) && i + 1 < s.count && Self.isHan(s[i + 1])
                at[i] = Self.carry(v, nextHan: nextHan, &state, marks)
            }
        }
        var tokens = scratch.tokens
        scratch.tokens = []
        tokens.removeAll(keepingCapacity: true)
        defer { scratch = Scratch(at: at, tokens: tokens) }
        let clauseMarks = Self.clauseMarks
        // The last clause mark, looked for from the end (most lines end with one).
        let lastMark = s.lastIndex { clauseMarks.contains($0) } ?? -1
        var i = 0
        let n = s.count
        while i < n {
            if Self.isSpace(s[i]) { i += 1; continue }
            var j = i
            var han = 0
            var other = false
            while j < n, !Self.isSpace(s[j]) {
                if Self.isHan(s[j]) { han += 1 } else if !Self.isCJKMark(s[j]) { other = true }
                j += 1
            }
            tokens.append(Token(start: i, end: j, single: han == 1 && !other))
            i = j
        }
        // Runs of two or more single-character tokens.
        var t = 0
        while t < tokens.count {
            guard tokens[t].single else { t += 1; continue }
            var u = t
            while u + 1 < tokens.count, tokens[u + 1].single { u += 1 }
            defer { t = u + 1 }
            guard u > t else { continue }
            // Bylines pad a two-character name to the width of three (本报记者 田 鹏, ■ 李 文): a pair
            // counts here only when it opens a line that is not a byline (李 强 alone on a column line).
            if u - t + 1 == 2 && (t > 0 || byline) { continue }
            for k in t...u { tokens[k].claimed = true }
            for k in (t + 1)...u { tokens[k].spread = true }
        }
        // Running text is set solid: there a gap between two Han characters is spacing too, unless it
        // follows a dateline (本报讯 为落实) or a role (记者 张强), or separates two phrases inside
        // quotation or title marks or brackets (“科创赋能 共享深蓝”, （记者 孙明珠 戚安琪）).
        if state.prose && !byline {
            var afterRole = false
            for k in 1..<max(1, tokens.count) where !tokens[k].spread {
                let a = tokens[k - 1], b = tokens[k]
                let l = a.end - 1, r = b.start
                let wasAfterRole = afterRole
                afterRole = false
                // Tabs and no-break spaces inside a line are stray-whitespace's.
                guard (a.end..<b.start).allSatisfy({ s[$0] == 0x20 }) else { continue }
                if Self.isHan(s[l]) && Self.isHan(s[r]) {
                    if Self.endsWithRole(s, a.start, a.end) { afterRole = true; continue }
                    if wasAfterRole && a.single { continue }
                    if at[r].firstClause && at[r].datelineBefore { continue }
                    var lRun = 0, rRun = 0
                    while l - lRun >= a.start, Self.isHan(s[l - lRun]) { lRun += 1 }
                    while r + rRun < b.end, Self.isHan(s[r + rRun]) { rRun += 1 }
                    if l - lRun < 0 { lRun += state.before }
                    if r + rRun == s.count { rRun += state.after }
                    if lRun == 1 || rRun == 1 || (!at[l].enclosed && !state.phraseGaps && !(state.openEnd && l > lastMark)) {
                        tokens[k].spread = true
                    }
                } else if (tokens[k - 1].claimed || tokens[k].claimed) && Self.joins(s[l], s[r]) {
                    // A run that goes on into the next or previous word: 为中 国 式 现代化, 的“ 娘 子.
                    tokens[k].spread = true
                }
            }
        }
        // One finding per chain of spread gaps.
        var k = 1
        while k < tokens.count {
            guard tokens[k].spread else { k += 1; continue }
            var last = k
            // A chain goes on through one-character tokens only: 中 国 式, not 轨 道，…为中 国.
            while last + 1 < tokens.count, tokens[last + 1].spread, tokens[last].single { last += 1 }
            defer { k = last + 1 }
            let first = tokens[k - 1], end = tokens[last]
            let from = first.single ? first.start : first.end - 1
            let to = end.single ? end.end : end.start + 1
            var edits: [TextEdit] = []
            var spaced = ""
            var joined = ""
            var x = from
            while x < to {
                if Self.isSpace(s[x]) {
                    var y = x
                    while y < to, Self.isSpace(s[y]) { y += 1 }
                    edits.append(TextEdit(range: off[x]..<off[y], newText: ""))
                    spaced += " "
                    x = y
                    continue
                }
                let scalar = Unicode.Scalar(s[x])!
                spaced.unicodeScalars.append(scalar)
                joined.unicodeScalars.append(scalar)
                x += 1
            }
            // Three or more characters spread one by one are certainly one text; two may be a
            // deliberate gap (a headline, a list of names).
            let safe = last > k && (k..<last).allSatisfy { tokens[$0].single }
            let fix = Fix(title: "Delete the spaces", edits: edits, applicability: safe ? .safe : .unsafe)
            result.append(diagnostic(off[from]..<off[to],
                                     "Characters spread apart by justification \"\(spaced)\": write \"\(joined)\"", fix: fix))
        }
        // A lone gap before a pause mark between Chinese characters (after an opening mark only inside
        // a run: 《 人民日报 》 is web formatting, not justification).
        for k in 1..<max(1, tokens.count) where !tokens[k].spread {
            let a = tokens[k - 1], b = tokens[k]
            let left = s[a.end - 1], right = s[b.start]
            let beforeMark = Self.pauseMarks.contains(right) && (Self.isHan(left) || Self.isCJKMark(left))
                && !Self.openingMarks.contains(left)
            guard beforeMark else { continue }
            let range = off[a.end]..<off[b.start]
            let mark = String(Unicode.Scalar(right)!)
            let fix = Fix(title: "Delete the space", edit: TextEdit(range: range, newText: ""), applicability: .safe)
            result.append(diagnostic(range, "Space before \"\(mark)\": delete it", fix: fix))
        }
    }
}
