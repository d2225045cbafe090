import TextModel

/// What the wrap analysis reads off one non-blank line: its ends, its width, and the furniture
/// patterns of STYLE-RULES R21–R24. Computed once per line; only the line's first and last few
/// dozen scalars are looked at beyond the width count, so a 50 MB line costs one pass.
struct LineFeatures {
    var line: Int
    var content: Range<Int>
    /// Content end without a trailing jump marker (`… ▼ 下转第六版`).
    var effectiveEnd: Int
    var indented: Bool
    /// Display width including the indent; spaces next to CJK count 0 (justification, not text).
    var width: Int
    /// Width counting every character as a Chinese one: a column set by counting characters fills
    /// up by this measure (digits and Latin letters make such a line look short).
    var charWidth: Int
    var first: Unicode.Scalar
    var last: Unicode.Scalar
    /// Ends a sentence: 。！？… (possibly followed by closing quotes or brackets).
    var terminal: Bool
    /// Closing and final marks at the end (`》。` is 2): they may hang past the margin.
    var trailingMarks: Int = 0
    /// Ends with a pause mark ，、；： (the sentence goes on).
    var pause: Bool
    /// Ends with an opening mark, or with a quotation or bracket opened on this line still open.
    var openAtEnd: Bool
    /// Starts with a mark that may not start a line (R13): the break before it is a wrap.
    var startsForbidden: Bool
    /// Starts a paragraph by its look: indent, `■`, a list number, `本报讯`, `【`.
    var startsParagraph: Bool
    var kind: LineKind
    /// Characters spread by justification (`督 查 工`): such a line is full by construction.
    var letterSpaced: Bool
    /// Holds a Han character (a headline always does; `4319` cut off a number does not).
    var hasHan = false
    /// Holds 。！？ somewhere (a headline never does).
    var hasSentenceEnd: Bool
    /// Holds a clause break ，,； before its last character (a headline may list with 、).
    var innerPause: Bool
    /// Holds a punctuation mark other than quotes, title marks and a name's middle dot: most
    /// headlines hold none.
    var punctuated = false
    /// The first two scalars: a story's first line often repeats its headline's subject.
    var opening: (Unicode.Scalar, Unicode.Scalar) = (" ", " ")
    var startsDateline: Bool
    /// A gap between two multi-character phrases (`增强大局意识 强化责任担当`): a headline's layout.
    var phraseGap: Bool
    /// Width of what the line starts with that a typesetter keeps whole: a number or Latin word,
    /// an opening mark with the character after it, or one character.
    var leadWidth: Int
    /// The same in characters (a column may be set by counting characters, digits included).
    var leadLength: Int = 1
    /// Ends with `——`: a lead-in to what follows (a sub-headline), not a cut sentence.
    var leadIn: Bool = false
    /// Holds `——` somewhere (headlines join a title and a subtitle with it).
    var hasDash: Bool = false
    /// White space between two characters of the line.
    var innerSpace: Bool
    /// Starts with `——`: an attribution under a quotation, which wraps like prose.
    var attribution: Bool
    var scalarCount: Int

    static let terminalMarks = ScalarSet("。！？!?…")
    static let closers = ScalarSet("”’）》」』〉】〕)\"'")
    static let pauseMarks = ScalarSet("，、；：,;:")
    static let openers = ScalarSet("“‘（《「『〈【〔(")
    static let lineStartForbidden = ScalarSet("，。、；：？！”’）》〉】〕」』,;:?!)")
    static let headlineMarks = ScalarSet("·“”‘’《》")
    static let bullets = ScalarSet("■□●○◆◇★☆▲△▶►•")
    static let asciiPunctuation = ScalarSet(",;:!?()\"")
    static let listNumberEnds = ScalarSet(".．、)）")
    static let chineseDigits = ScalarSet("一二三四五六七八九十")
    static let pageRangeMarks = ScalarSet("一二三四五六七八九十-－—~～至、")

    init(document doc: TextDocument, line: Int, content: Range<Int>, indent: Int) {
        self.line = line
        self.content = content
        self.indented = indent > 0
        // Scalars of the line; a very long line keeps only its two ends for patterns: at most the
        // first 48 scalars and those in the last 200 bytes. They are written straight into the
        // array's storage (appending per scalar cost more than the rest of the scan).
        let capacity = min(content.count, 248)
        var hasHan = false, punctuated = false
        var width = indent
        var charWidth = indent
        var o = content.lowerBound
        var count = 0
        var prev: Unicode.Scalar = " "
        var pendingSpaces = 0
        var sentenceEnd = false
        var pauses = 0
        var dash = false
        var depth = 0
        var spacedSingles = 0, tokens = 0, tokenLength = 0
        var phraseGap = false, previousToken = 0, gapOpen = false, innerSpace = false
        let text = [Unicode.Scalar](unsafeUninitializedCapacity: capacity) { stored, kept in
        kept = 0
        while o < content.upperBound {
            let (s, n) = doc.scalar(at: o)
            if Scalars.isInlineSpace(s) {
                pendingSpaces += 1
                if tokenLength > 0 {
                    tokens += 1
                    if tokenLength == 1 { spacedSingles += 1 }
                    if gapOpen && tokenLength >= 3 { phraseGap = true }
                    gapOpen = false
                    previousToken = tokenLength
                    tokenLength = 0
                }
            } else {
                if pendingSpaces > 0 {
                    // A gap after a phrase of three or more characters (checked again when the next
                    // token ends): `浦东新区 加大…`, not a title and a name `记者 张强`.
                    gapOpen = previousToken >= 3 && Scalars.isHan(prev) && (Scalars.isHan(s) || s == "“")
                    innerSpace = true
                    // Spaces between two Latin characters are text; next to CJK they are justification.
                    if !(Scalars.isCJK(prev) || Scalars.isCJK(s)) { width += pendingSpaces }
                    pendingSpaces = 0
                }
                width += Scalars.displayWidth(s)
                charWidth += 2
                if Scalars.isCJK(s) { tokenLength += 1 } else { tokenLength += 2 }
                let v = s.value
                if v == 0x3002 || v == 0xFF01 || v == 0xFF1F { sentenceEnd = true }
                if !hasHan && Scalars.isHan(s) { hasHan = true }
                if v == 0xFF0C || v == 0x2C || v == 0xFF1B { pauses += 1 }
                if !punctuated && !LineFeatures.headlineMarks.contains(v) && (Scalars.isCJKPunctuation(s) || LineFeatures.asciiPunctuation.contains(v)) {
                    punctuated = true
                }
                if v == 0x2014 && prev == "—" { dash = true }
                if v == 0x201C || v == 0x300A || v == 0xFF08 || v == 0x2018 || v == 0x300C || v == 0x3010 { depth += 1 }
                if v == 0x201D || v == 0x300B || v == 0xFF09 || v == 0x2019 || v == 0x300D || v == 0x3011 { depth = max(0, depth - 1) }
                prev = s
            }
            if count < 48 || content.upperBound - o < 200 { stored[kept] = s; kept += 1 }
            count += 1
            o += n
        }
        }
        self.hasHan = hasHan
        self.punctuated = punctuated
        if tokenLength > 0 {
            tokens += 1
            if tokenLength == 1 { spacedSingles += 1 }
            if gapOpen && tokenLength >= 3 { phraseGap = true }
        }
        self.width = width
        self.charWidth = charWidth
        self.scalarCount = count
        self.letterSpaced = tokens >= 2 && spacedSingles * 2 >= tokens
        self.first = text.first ?? " "
        if text.count >= 2 { opening = (text[0], text[1]) }

        // A trailing jump marker is furniture, not the end of the sentence.
        var end = content.upperBound
        var tail = text
        if let jump = LineFeatures.jumpSuffixStart(text), jump > 0 {
            // Offsets of the kept scalars, walked again only for a line with a jump marker.
            var offsets: [Int] = []
            var p = content.lowerBound, c = 0
            while p < content.upperBound {
                let n = doc.scalar(at: p).length
                if c < 48 || content.upperBound - p < 200 { offsets.append(p) }
                c += 1
                p += n
            }
            end = offsets[jump]
            tail = Array(text[..<jump])
            while let l = tail.last, Scalars.isInlineSpace(l) { tail.removeLast(); end = offsets[tail.count] }
        }
        self.effectiveEnd = end
        self.last = tail.last ?? " "
        var k = tail.count - 1
        while k > 0, LineFeatures.closers.contains(tail[k].value) { k -= 1 }
        var marks = 0
        while marks < tail.count, marks < 2,
              Scalars.isCJKPunctuation(tail[tail.count - 1 - marks]) && !LineFeatures.openers.contains(tail[tail.count - 1 - marks].value) {
            marks += 1
        }
        self.trailingMarks = marks
        self.terminal = k >= 0 && LineFeatures.terminalMarks.contains(tail[k].value)
        self.pause = LineFeatures.pauseMarks.contains(last.value)
        self.openAtEnd = LineFeatures.openers.contains(last.value) || depth > 0
        self.startsForbidden = LineFeatures.lineStartForbidden.contains(first.value)
        self.hasSentenceEnd = sentenceEnd
        self.innerPause = pauses > (last == "，" || last == "," || last == "；" ? 1 : 0)
        self.hasDash = dash
        self.leadIn = tail.count >= 2 && tail[tail.count - 1] == "—" && tail[tail.count - 2] == "—"
        // A dateline cut by a narrow column (`本 报` / `讯 为落实`) still starts a story.
        // Both tests below need the first letter to start a dateline: most lines stop there. The
        // first few letters are enough: the longest dateline has 5 (a count of 8 stands for "more").
        var letters: [Unicode.Scalar] = []
        if let f = text.first(where: { !Scalars.isInlineSpace($0) }), LineFeatures.datelineStarts.contains(f) {
            for c in text where !Scalars.isInlineSpace(c) {
                letters.append(c)
                if letters.count == 8 { break }
            }
        }
        self.startsDateline = !letters.isEmpty && LineFeatures.datelineScalars.contains { word in
            (letters.count >= word.count && letters[..<word.count].elementsEqual(word))
                || (letters.count >= 2 && letters.count < word.count && word.starts(with: letters))
        }
        var lead = 0
        for c in text {
            if Scalars.isASCIIDigit(c) || Scalars.isASCIILetter(c) || (lead > 0 && (c == "." || c == "%" || c == ",")) {
                lead += 1
            } else { break }
        }
        var leadLength = lead
        if lead == 0, let c = text.first {
            lead = Scalars.displayWidth(c)
            leadLength = 1
            if LineFeatures.openers.contains(c.value), text.count > 1 { lead += Scalars.displayWidth(text[1]); leadLength = 2 }
        }
        self.leadWidth = lead
        self.leadLength = leadLength
        self.attribution = LineFeatures.hasPrefix(text, "——")
        self.innerSpace = innerSpace
        let kind = LineFeatures.furniture(text, count: count, terminal: terminal)
        self.phraseGap = phraseGap && !letterSpaced && !startsDateline && kind == .prose
        self.kind = kind
        self.startsParagraph = indent > 0 || startsDateline || LineFeatures.bullets.contains(first.value) || first == "【"
            || LineFeatures.listNumberLength(text) > 0 || kind != .prose
    }

    // MARK: Patterns

    static func hasPrefix(_ s: [Unicode.Scalar], _ p: String) -> Bool { matches(s, at: 0, p) }

    /// `p` occurs in `s` at `i` (no arrays made: this runs for every line).
    @inline(__always)
    static func matches(_ s: [Unicode.Scalar], at i: Int, _ p: String) -> Bool {
        var k = i
        for c in p.unicodeScalars {
            if k >= s.count || s[k] != c { return false }
            k += 1
        }
        return true
    }

    static func contains(_ s: [Unicode.Scalar], _ p: String) -> Bool { firstIndex(of: p, in: s) != nil }

    static func firstIndex(of p: String, in s: [Unicode.Scalar]) -> Int? {
        guard let f = p.unicodeScalars.first else { return s.isEmpty ? nil : 0 }
        for i in s.indices where s[i] == f && matches(s, at: i, p) { return i }
        return nil
    }

    /// `1. `, `12、`, `(3)`, `（三）`, `一、` at the start of a line; 0 when none.
    static func listNumberLength(_ s: [Unicode.Scalar]) -> Int {
        var i = 0
        while i < s.count, Scalars.isASCIIDigit(s[i]) { i += 1 }
        if i > 0, i <= 3, i < s.count, listNumberEnds.contains(s[i]) {
            // `3.6万` is a decimal, not a list number.
            if i + 1 < s.count, Scalars.isASCIIDigit(s[i + 1]) { return 0 }
            return i + 1
        }
        i = 0
        while i < s.count, chineseDigits.contains(s[i]) { i += 1 }
        if i > 0, i <= 3, i < s.count, s[i] == "、" { return i + 1 }
        if s.count >= 3, s[0] == "（" || s[0] == "(" {
            var j = 1
            while j < s.count, Scalars.isASCIIDigit(s[j]) || chineseDigits.contains(s[j]) { j += 1 }
            if j > 1, j <= 4, j < s.count, s[j] == "）" || s[j] == ")" { return j + 1 }
        }
        return 0
    }

    /// Where a trailing jump marker (`▼ 下转第六版`, `（下转第2版）`) starts, if the line ends with one.
    static func jumpSuffixStart(_ s: [Unicode.Scalar]) -> Int? {
        guard let last = s.last, last == "版" || last == "页" || last == "）" || last == ")" else { return nil }
        for marker in ["▼", "（下转", "(下转", "（上接", "(上接", "下转第", "上接第"] {
            if let i = lastIndex(of: marker, in: s), s.count - i <= 12 { return i }
        }
        // 详见第6-8版: only page numbers may follow, since prose refers to pages too.
        if last == "版", let i = lastIndex(of: "详见第", in: s), s.count - i <= 12,
           s[(i + 3)..<(s.count - 1)].allSatisfy({ Scalars.isASCIIDigit($0) || pageRangeMarks.contains($0) }),
           s.count - i > 4 {
            return i
        }
        return nil
    }

    static func lastIndex(of p: String, in s: [Unicode.Scalar]) -> Int? {
        guard let f = p.unicodeScalars.first else { return s.isEmpty ? nil : s.count - 1 }
        for i in s.indices.reversed() where s[i] == f && matches(s, at: i, p) { return i }
        return nil
    }

    /// How a news story's first paragraph opens (R22–R24): never a headline.
    static let datelines = ["本报讯", "新华社", "央视网", "中新网", "中新社", "人民网", "中国经济网", "本报北京", "本报上海"]
    static let datelineScalars: [[Unicode.Scalar]] = datelines.map { Array($0.unicodeScalars) }
    static let datelineStarts = ScalarSet(String(String.UnicodeScalarView(datelines.compactMap(\.unicodeScalars.first))))

    static let reporterTitles = ["本报记者", "本报通讯员", "本报特约记者", "特约记者", "见习记者", "新华社记者", "通讯员", "记者", "本报评论员"]

    /// Bylines, captions, jump lines and list items, told apart by their look (R23, R24).
    static func furniture(_ s: [Unicode.Scalar], count: Int, terminal: Bool) -> LineKind {
        guard count <= 40 else { return .prose }
        var t = s[...]
        while let f = t.first, bullets.contains(f.value) || Scalars.isInlineSpace(f) { t = t.dropFirst() }
        let body = t.startIndex == s.startIndex ? s : Array(t)
        if let j = jumpSuffixStart(body), j == 0 { return .jumpLine }
        if hasPrefix(body, "详见第") || (hasPrefix(body, "转第") && body.last == "版") { return .jumpLine }
        // Photo credits and captions.
        if body.last == "摄" && count <= 30 { return .caption }
        if contains(body, "制图：") || contains(body, "制图:") || contains(body, "供图") || hasPrefix(body, "图为")
            || s.first == "▲" || s.first == "△" {
            return .caption
        }
        // Bylines: a reporter's title and one or more names, nothing else. A name may be spread
        // by justification (`田 鹏`); a bullet and a bare name (`■ 李 文`) is a byline too.
        func isNames(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
            let parts = rest.split(whereSeparator: { $0 == "、" || $0 == "，" })
            return !parts.isEmpty && parts.allSatisfy { part in
                let names = part.split(whereSeparator: Scalars.isInlineSpace)
                let han = names.reduce(0) { $0 + $1.count }
                let spread = names.count > 1 && names.allSatisfy { $0.count == 1 }
                let each = names.allSatisfy { $0.count >= 2 && $0.count <= 4 }
                return names.allSatisfy { $0.allSatisfy(Scalars.isHan) } && (each || (spread && han >= 2 && han <= 4))
            }
        }
        for title in reporterTitles where hasPrefix(body, title) {
            let rest = body.dropFirst(title.unicodeScalars.count)
            let spaced = rest.first.map(Scalars.isInlineSpace) ?? false
            if isNames(rest) && (spaced || title.unicodeScalars.count >= 4) && !terminal { return .byline }
        }
        if let f = s.first, bullets.contains(f.value), body.count <= 8, isNames(body[...]) { return .byline }
        if listNumberLength(s) > 0 && !terminal && count <= 40 && s.count > 2 { return .listItem }
        return .prose
    }
}
