import TextModel

/// What the wrap analysis reads off one non-blank line: its ends, its width, and the furniture
/// patterns of STYLE-RULES R21–R24. Computed once per line; only the line's first and last few
/// dozen scalars are looked at beyond the width count, so a 50 MB line costs one pass.
struct LineFeatures {
    // (Words first, then scalars, then flags: packed so, a line takes 128 bytes, not 144; the
    // passes over the lines read less memory.)
    var line: Int
    var content: Range<Int>
    /// Content end without a trailing jump marker (`… ▼ 下转第六版`).
    var effectiveEnd: Int
    /// Display width including the indent; spaces next to CJK count 0 (justification, not text).
    var width: Int
    /// Width counting every character as a Chinese one: a column set by counting characters fills
    /// up by this measure (digits and Latin letters make such a line look short).
    var charWidth: Int
    /// Closing and final marks at the end (`》。` is 2): they may hang past the margin.
    var trailingMarks: Int = 0
    /// Width of what the line starts with that a typesetter keeps whole: a number or Latin word,
    /// an opening mark with the character after it, or one character.
    var leadWidth: Int
    /// The same in characters (a column may be set by counting characters, digits included).
    var leadLength: Int = 1
    var scalarCount: Int
    /// White space characters between the line's first and last characters.
    var innerSpaces = 0
    var first: Unicode.Scalar
    var last: Unicode.Scalar
    /// The first two scalars: a story's first line often repeats its headline's subject.
    var opening: (Unicode.Scalar, Unicode.Scalar) = (" ", " ")
    var indented: Bool
    /// Ends a sentence: 。！？… (possibly followed by closing quotes or brackets).
    var terminal: Bool
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
    var startsDateline: Bool
    /// A gap between two multi-character phrases (`增强大局意识 强化责任担当`): a headline's layout.
    var phraseGap: Bool
    /// Ends with `——`: a lead-in to what follows (a sub-headline), not a cut sentence.
    var leadIn: Bool = false
    /// Holds `——` somewhere (headlines join a title and a subtitle with it).
    var hasDash: Bool = false
    /// White space between two characters of the line.
    var innerSpace: Bool
    /// Starts with `——`: an attribution under a quotation, which wraps like prose.
    var attribution: Bool

    static let terminalMarkList = "。！？!?…"
    static let terminalMarks = ScalarSet(terminalMarkList)
    static let closerList = "”’）》」』〉】〕)\"'"
    static let closers = ScalarSet(closerList)
    static let pauseMarkList = "，、；：,;:"
    static let openerList = "“‘（《「『〈【〔("
    static let lineStartForbiddenMarks = "，。、；：？！”’）》〉】〕」』,;:?!)"
    static let lineStartForbidden = ScalarSet(lineStartForbiddenMarks)
    static let headlineMarkList = "·“”‘’《》"
    static let bulletList = "■□●○◆◇★☆▲△▶►•"
    static let asciiPunctuationList = ",;:!?()\""
    static let listNumberEnds = ScalarSet(".．、)）")
    static let chineseDigits = ScalarSet("一二三四五六七八九十")
    static let pageRangeMarks = ScalarSet("一二三四五六七八九十-－—~～至、")

    /// What a line may start with if it is furniture, a list item or a dateline: lines starting
    /// otherwise (and not ending as `mayEndFurniture`) are prose, decided without a scalar array.
    static let mayStartFurniture = "■□●○◆◇★☆▲△▶►•详转图本特见新通记央中人0123456789一二三四五六七八九十（("
    /// Jump markers end with 版, 页 or a bracket; photo credits with 摄.
    static let mayEndFurniture = "版页）)摄"

    /// The marks read for every line, one bit each in a table over the BMP (none is an astral
    /// scalar): the caller reads the global once and passes the pointers. A lookup reads first a
    /// bit set of the scalars with any mark (8 KB, its Han part stays in the cache; the 128 KB
    /// table's Han entries, read at most lines' ends, missed it) and the table only for those.
    /// Allocated once, never freed, like the sets.
    struct LineMarks {
        static let headline: UInt16 = 1 << 0, ascii: UInt16 = 1 << 1, mayStart: UInt16 = 1 << 2, mayEnd: UInt16 = 1 << 3
        static let closer: UInt16 = 1 << 4, opener: UInt16 = 1 << 5, terminal: UInt16 = 1 << 6, pause: UInt16 = 1 << 7
        static let forbidden: UInt16 = 1 << 8, bullet: UInt16 = 1 << 9
        /// A dateline's first letter, and its second.
        static let datelineFirst: UInt16 = 1 << 10, datelineSecond: UInt16 = 1 << 11
        /// A reporter's title's first letter.
        static let titleFirst: UInt16 = 1 << 12
        let table: UnsafePointer<UInt16>
        let marked: UnsafePointer<UInt64>
        /// Sixteen bytes FF, then sixteen 00: sixteen read at `16 - n` set the first n lanes (one
        /// load, not a compare of lane numbers with a broadcast count).
        let laneMasks: UnsafeRawPointer

        /// The marks of `s`, one bit each.
        @inline(__always)
        func of(_ s: Unicode.Scalar) -> UInt16 {
            let v = Int(s.value)
            guard v < 0x10000 else { return 0 }
            // An unmarked scalar reads the entry of U+0000 (no mark): no branch on the bit.
            let hit = Int(truncatingIfNeeded: marked[v &>> 6] &>> UInt64(v & 63)) & 1
            return table[v & (0 &- hit)]
        }

        @inline(__always)
        func contains(_ s: Unicode.Scalar, _ mark: UInt16) -> Bool { of(s) & mark != 0 }
    }
    static let lineMarks: LineMarks = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x10000)
        table.initialize(repeating: 0, count: 0x10000)
        let marked = UnsafeMutablePointer<UInt64>.allocate(capacity: 0x10000 / 64)
        marked.initialize(repeating: 0, count: 0x10000 / 64)
        let lists = [(headlineMarkList, LineMarks.headline), (asciiPunctuationList, LineMarks.ascii),
                     (mayStartFurniture, LineMarks.mayStart), (mayEndFurniture, LineMarks.mayEnd), (closerList, LineMarks.closer),
                     (openerList, LineMarks.opener), (terminalMarkList, LineMarks.terminal), (pauseMarkList, LineMarks.pause),
                     (lineStartForbiddenMarks, LineMarks.forbidden), (bulletList, LineMarks.bullet),
                     (String(datelines.compactMap(\.first)), LineMarks.datelineFirst),
                     (String(datelines.map { $0.dropFirst().first! }), LineMarks.datelineSecond),
                     (String(String.UnicodeScalarView(reporterTitles.compactMap(\.first))), LineMarks.titleFirst)]
        for (list, mark) in lists {
            for s in list.unicodeScalars {
                table[Int(s.value)] |= mark
                marked[Int(s.value) >> 6] |= 1 << UInt64(s.value & 63)
            }
        }
        let laneMasks = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 16)
        laneMasks.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 16)
        (laneMasks + 16).initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        return LineMarks(table: table, marked: marked, laneMasks: UnsafeRawPointer(laneMasks))
    }()

    /// `bytes` is the whole document (valid UTF-8); `content` is trimmed of white space and not empty.
    /// `text` is scratch space, filled only for lines that may be furniture (few).
    init(bytes: UnsafeBufferPointer<UInt8>, line: Int, content: Range<Int>, indent: Int, marks: LineMarks,
         scratch text: inout [Unicode.Scalar]) {
        self.line = line
        self.content = content
        self.indented = indent > 0
        let lo = content.lowerBound, hi = content.upperBound
        var hasHan = false, punctuated = false
        var width = indent
        var charWidth = indent
        var o = lo
        var count = 0
        var prev: Unicode.Scalar = " "
        var pendingSpaces = 0
        var sentenceEnd = false
        var pauses = 0
        var dash = false
        var depth = 0
        var spacedSingles = 0, tokens = 0, tokenLength = 0
        var phraseGap = false, previousToken = 0, gapOpen = false, innerSpace = false
        var mentionsPicture = false     // 图, as in 制图 and 供图
        var innerSpaces = 0
        // The run below reads four bytes at a time for a three-byte character that starts before
        // this: it ends inside the line, and the fourth byte inside the document.
        let lastStart = min(hi, bytes.count &- 1) &- 2
        let raw = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped)
        /// Notes a run of `length` bytes that the run below reads: `ascii` letters and digits, the
        /// rest three-byte characters, `marks` of them 、。， and `quotes` of them “”.
        @inline(__always) func addRun(length: Int, ascii: Int, marks: Int, quotes: Int) {
            // (Wrapping arithmetic, as for the counts below: widths and counts of a line stay
            // far from overflow.)
            let wide = (length &- ascii) / 3, run = wide &+ ascii
            width &+= 2 &* wide &+ ascii
            charWidth &+= 2 &* run
            tokenLength &+= wide &+ 2 &* ascii
            count &+= run
            if wide > marks + quotes { hasHan = true }
            if marks > 0 { punctuated = true }
        }
        /// `prev` after a run that ends at `o`: it is only asked whether it is Han, CJK or a dash,
        /// so any character of its kind will do. (A run's marks start with E2, E3 or EF, its Han
        /// characters with E4–E9.)
        @inline(__always) func kind(before o: Int) -> Unicode.Scalar {
            bytes[o &- 1] < 0x80 ? "0" : bytes[o &- 3] &- 0xE4 <= 5 ? "\u{4E00}" : "、"
        }
        // Most lines hold nothing but what the run reads, most others start so: counted sixteen
        // bytes at a time without a branch per character (leaving the run at each mark was
        // mispredicted). (The rounds read up to 18 bytes past the line's end: inside the document.)
        var wholeRun = false
        if hi &+ 18 <= bytes.count {
            let plain = LineFeatures.plainCounts(raw, from: lo, to: hi, laneMasks: marks.laneMasks)
            wholeRun = plain.end == hi
            if plain.end > lo {
                addRun(length: plain.end &- lo, ascii: plain.ascii, marks: plain.marks, quotes: plain.quotes)
                depth = plain.depth
                sentenceEnd = plain.sentenceEnd
                pauses = plain.commas
                mentionsPicture = plain.picture
                o = plain.end
                if o < hi { prev = kind(before: o) }    // (read only by the loop below)
            }
        }
        while o < hi {
            if pendingSpaces == 0 {
                // A run of Han characters U+4E00–U+9FFF (E4 B8 80–E9 BF BF), the commonest marks 、。，
                // (E3 80 81, E3 80 82, EF BC 8C), quotes “” (E2 80 9C, E2 80 9D), ASCII letters and
                // digits after another character: most of the text, read off the bytes with what the
                // general case below would note. CJK characters take two columns, ASCII ones one.
                // A character's bytes read as one number (E4 B8 80 as E4B880) keep the order of the
                // scalars, so a Han character is one range test: one branch, taken but at the marks
                // (testing the lead byte first mispredicted on E4 and on 图's E5).
                let runStart = o
                var marks = 0, quotes = 0, ascii = 0
                // (Noted in a variable of the run's own: the line's flag lives on the stack, and a
                // load and store of it at each Han character made a chain through memory.)
                var picture = false
                while o < lastStart {
                    let key = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)) &>> 8
                    if key &- 0xE4B880 <= 0xE9BFBF &- 0xE4B880 {
                        picture = picture || key == 0xE59BBE
                        o &+= 3
                        continue
                    }
                    let mark = key &- 0xE38081      // 、 0, 。 1
                    if mark <= 1 || key == 0xEFBC8C {
                        sentenceEnd = sentenceEnd || mark == 1
                        pauses &+= key == 0xEFBC8C ? 1 : 0
                        marks &+= 1
                    } else if key &- 0xE2809C <= 1 {
                        // Quotes open and close a quotation; they are not punctuation to `punctuated`.
                        depth = key == 0xE2809C ? depth &+ 1 : max(0, depth &- 1)
                        quotes &+= 1
                    } else {
                        let b0 = key &>> 16
                        guard b0 &- 0x30 < 10 || (b0 | 0x20) &- 0x61 < 26 else { break }
                        ascii &+= 1
                        o &+= 1
                        continue
                    }
                    o &+= 3
                }
                mentionsPicture = mentionsPicture || picture
                if o > runStart {
                    addRun(length: o &- runStart, ascii: ascii, marks: marks, quotes: quotes)
                    prev = kind(before: o)
                    continue
                }
            }
            let (s, n) = UTF8Scalar.decode(bytes, at: o)
            let v = s.value
            if Scalars.isInlineSpace(s) {
                pendingSpaces += 1
                innerSpaces += 1
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
                // The common Chinese marks (、。“”，：（） …) are wide CJK punctuation: known without the
                // general tests.
                let wideMark = (v > 0x3000 && v < 0x303F && v != 0x3007) || (v >= 0xFF01 && v <= 0xFF0F)
                    || (v >= 0xFF1A && v <= 0xFF20) || (v >= 0x2018 && v <= 0x201D)
                width &+= wideMark ? 2 : Scalars.displayWidth(s)
                charWidth &+= 2
                tokenLength &+= wideMark || (v >= 0xB7 && Scalars.isCJK(s)) ? 1 : 2     // (none below U+00B7)
                if v == 0x3002 || v == 0xFF01 || v == 0xFF1F { sentenceEnd = true }
                if !hasHan && !wideMark && Scalars.isHan(s) { hasHan = true }
                if v == 0x56FE { mentionsPicture = true }
                if v == 0xFF0C || v == 0x2C || v == 0xFF1B { pauses += 1 }
                if !punctuated && !marks.contains(s, LineMarks.headline) && (wideMark || Scalars.isCJKPunctuation(s) || marks.contains(s, LineMarks.ascii)) {
                    punctuated = true
                }
                if v == 0x2014 && prev == "—" { dash = true }
                if v == 0x201C || v == 0x300A || v == 0xFF08 || v == 0x2018 || v == 0x300C || v == 0x3010 { depth += 1 }
                if v == 0x201D || v == 0x300B || v == 0xFF09 || v == 0x2019 || v == 0x300D || v == 0x3011 { depth = max(0, depth - 1) }
                prev = s
            }
            count &+= 1
            o &+= n
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
        self.innerSpaces = innerSpaces
        self.letterSpaced = tokens >= 2 && spacedSingles * 2 >= tokens
        // The patterns below read the line's ends as the scalars a very long line keeps: the
        // first 48 and those in its last 200 bytes (the middle of a paragraph says nothing).
        let ends = LineEnds(bytes: bytes, content: content, plain: wholeRun)
        let (first, firstLength) = ends.decode(at: lo)
        let second = count >= 2 ? ends.decode(at: lo + firstLength).scalar : " "
        self.first = first
        if count >= 2 { opening = (first, second) }

        var end = hi
        var kind = LineKind.prose
        var startsDateline = false
        var listNumber = 0
        let lineLast = !wholeRun ? ends.scalar(before: hi)!
            : bytes[hi - 1] < 0x80 ? (scalar: Unicode.Scalar(bytes[hi - 1]), at: hi - 1) : (scalar: ends.decode(at: hi - 3).scalar, at: hi - 3)
        // (The marks of the first and last scalars are read once: the stores between lookups
        // would have them read again.)
        let firstMarks = marks.of(first)
        let mayBeFurniture = firstMarks & LineMarks.mayStart != 0 || marks.contains(lineLast.scalar, LineMarks.mayEnd)
            || (count <= 40 && mentionsPicture)
        if mayBeFurniture { (end, startsDateline, listNumber) = LineFeatures.readPatterns(ends, marks: marks, into: &text) }
        self.effectiveEnd = end
        self.startsDateline = startsDateline

        // The line's last scalars (before a jump marker).
        let (last, lastAt) = end == hi ? lineLast : ends.scalar(before: end)!
        self.last = last
        var lastMarks: UInt16 = 0, terminal = false
        var before: (scalar: Unicode.Scalar, at: Int)? = nil
        // A Han character U+4E00–U+9FFF (most lines' end) has none of the marks below.
        if last.value &- 0x4E00 > 0x9FFF &- 0x4E00 {
            lastMarks = marks.of(last)
            // The scalar before it is read only where a mark ends the line (`》。`, `——`).
            let markEnd = Scalars.isCJKPunctuation(last)
            if markEnd { before = ends.scalar(before: lastAt) }
            var k = (last, lastAt)
            while marks.contains(k.0, LineMarks.closer), let previous = ends.scalar(before: k.1) { k = previous }
            if markEnd && lastMarks & LineMarks.opener == 0 {
                let mark = before.map(\.scalar) ?? " "
                self.trailingMarks = Scalars.isCJKPunctuation(mark) && !marks.contains(mark, LineMarks.opener) ? 2 : 1
            }
            terminal = marks.contains(k.0, LineMarks.terminal)
        }
        self.terminal = terminal
        self.pause = lastMarks & LineMarks.pause != 0
        self.openAtEnd = lastMarks & LineMarks.opener != 0 || depth > 0
        self.startsForbidden = firstMarks & LineMarks.forbidden != 0
        self.hasSentenceEnd = sentenceEnd
        self.innerPause = pauses > (last == "，" || last == "," || last == "；" ? 1 : 0)
        self.hasDash = dash
        self.leadIn = last == "—" && before?.scalar == "—"

        // A number or Latin word at the start is kept whole.
        var lead = 0
        if first.value < 0x80 { _ = ends.firstKept { c in
            if Scalars.isASCIIDigit(c) || Scalars.isASCIILetter(c) || (lead > 0 && (c == "." || c == "%" || c == ",")) {
                lead += 1
                return false
            }
            return true
        } }
        var leadLength = lead
        if lead == 0 {
            lead = Scalars.displayWidth(first)
            leadLength = 1
            if firstMarks & LineMarks.opener != 0, count > 1 { lead += Scalars.displayWidth(second); leadLength = 2 }
        }
        self.leadWidth = lead
        self.leadLength = leadLength
        self.attribution = first == "—" && second == "—"
        self.innerSpace = innerSpace
        if mayBeFurniture {
            kind = LineFeatures.furniture(text, count: count, terminal: terminal, listNumber: listNumber, mentionsPicture: mentionsPicture, marks: marks)
        }
        self.phraseGap = phraseGap && !letterSpaced && !startsDateline && kind == .prose
        self.kind = kind
        self.startsParagraph = indent > 0 || startsDateline || firstMarks & LineMarks.bullet != 0 || first == "【"
            || listNumber > 0 || kind != .prose
    }

    /// Where the line's start made only of Han characters U+4E00–U+9FFF, the marks 、。，, the quotes
    /// “” and ASCII letters and digits ends (`hi` for most lines), and what `init` notes of it: its
    /// ASCII characters, its marks, how many of them are ，, its quotes, the quotations open at its
    /// end, whether 。 and 图 are there. Reads 18 bytes past `hi`.
    @inline(__always)
    static func plainCounts(_ raw: UnsafeRawPointer, from lo: Int, to hi: Int, laneMasks: UnsafeRawPointer)
        -> (end: Int, ascii: Int, marks: Int, commas: Int, quotes: Int, depth: Int, sentenceEnd: Bool, picture: Bool) {
        @inline(__always) func splat(_ b: UInt8) -> SIMD16<UInt8> { SIMD16(repeating: b) }
        @inline(__always) func within(_ v: SIMD16<UInt8>, _ lo: UInt8, _ hi: UInt8) -> SIMDMask<SIMD16<Int8>> {
            (v &- splat(lo)) .<= splat(hi &- lo)
        }
        @inline(__always) func bytes(_ m: SIMDMask<SIMD16<Int8>>) -> SIMD16<UInt8> { unsafeBitCast(m, to: SIMD16<UInt8>.self) }
        /// The first `n` lanes (0...16) set.
        @inline(__always) func first(_ n: Int) -> SIMD16<UInt8> {
            laneMasks.loadUnaligned(fromByteOffset: 16 &- n, as: SIMD16<UInt8>.self)
        }
        // Per lane counts, two to a lane, one in each half (a lane counts to 15 rounds at most
        // before it is summed), and the lanes that are 。 (bit 0) or 图 (bit 1). (Three vectors, not
        // six: the loop kept several of six on the stack, loaded and stored each round.)
        var ascii = 0, marks = 0, commas = 0, quotes = 0, depth = 0, hanCount = 0
        var asciiHanLanes = SIMD16<UInt8>(), markCommaLanes = asciiHanLanes, endPicture = asciiHanLanes
        @inline(__always) func sum(_ v: SIMD16<UInt8>) -> Int {
            let w = unsafeBitCast(v, to: SIMD2<UInt64>.self)
            // Each byte at most 15: the eight bytes of a word add up in its top byte.
            return Int(truncatingIfNeeded: (w[0] &* 0x0101_0101_0101_0101) &>> 56 &+ (w[1] &* 0x0101_0101_0101_0101) &>> 56)
        }
        var c = lo, rounds = 0
        @inline(__always) func sumLanes() {
            ascii &+= sum(asciiHanLanes & splat(0x0F)); hanCount &+= sum(asciiHanLanes &>> 4)
            marks &+= sum(markCommaLanes & splat(0x0F)); commas &+= sum(markCommaLanes &>> 4)
            (asciiHanLanes, markCommaLanes, rounds) = (SIMD16(), SIMD16(), 0)
        }
        while c < hi {
            let b0 = raw.loadUnaligned(fromByteOffset: c, as: SIMD16<UInt8>.self)
            let b1 = raw.loadUnaligned(fromByteOffset: c &+ 1, as: SIMD16<UInt8>.self)
            let b2 = raw.loadUnaligned(fromByteOffset: c &+ 2, as: SIMD16<UInt8>.self)
            let length = min(16, hi &- c)
            var inLine = first(length)
            let letter = within(b0, 0x30, 0x39) .| within(b0 | splat(0x20), 0x61, 0x7A)
            let han = (within(b0, 0xE5, 0xE9) .| ((b0 .== splat(0xE4)) .& (b1 .>= splat(0xB8))))
                .& within(b1, 0x80, 0xBF) .& within(b2, 0x80, 0xBF)
            let mark = (b0 .== splat(0xE3)) .& (b1 .== splat(0x80)) .& within(b2, 0x81, 0x82)
            let comma = (b0 .== splat(0xEF)) .& (b1 .== splat(0xBC)) .& (b2 .== splat(0x8C))
            let quote = (b0 .== splat(0xE2)) .& (b1 .== splat(0x80)) .& within(b2, 0x9C, 0x9D)
            let continuation = (b0 & splat(0xC0)) .== splat(0x80)
            // The first lane that is none of these (a scalar's first byte) ends the start read here.
            let other = unsafeBitCast(inLine & ~bytes(letter .| han .| mark .| comma .| quote .| continuation), to: SIMD2<UInt64>.self)
            var plain = length
            if other[0] | other[1] != 0 {
                plain = other[0] != 0 ? other[0].trailingZeroBitCount &>> 3 : 8 &+ other[1].trailingZeroBitCount &>> 3
                inLine &= first(plain)
            }
            asciiHanLanes &+= inLine & (bytes(letter) & splat(0x01) | bytes(han) & splat(0x10))
            markCommaLanes &+= inLine & (bytes(mark .| comma) & splat(0x01) | bytes(comma) & splat(0x10))
            endPicture |= inLine & (bytes(mark .& (b2 .== splat(0x82))) & splat(1)
                | bytes((b0 .== splat(0xE5)) .& (b1 .== splat(0x9B)) .& (b2 .== splat(0xBE))) & splat(2))
            // Quotes open and close a quotation in order (a closing one with none open closes
            // nothing): walked one by one, in the few rounds that hold any.
            let quoteWords = unsafeBitCast(inLine & bytes(quote) & splat(1), to: SIMD2<UInt64>.self)
            if quoteWords[0] | quoteWords[1] != 0 {
                for half in 0..<2 {
                    var word = quoteWords[half]
                    while word != 0 {
                        let k = c &+ 8 &* half &+ word.trailingZeroBitCount &>> 3
                        depth = raw.load(fromByteOffset: k &+ 2, as: UInt8.self) == 0x9C ? depth &+ 1 : max(0, depth &- 1)
                        quotes &+= 1
                        word &= word &- 1
                    }
                }
            }
            c &+= plain
            rounds &+= 1
            if plain < length { break }
            // (The last rounds are summed after the loop: a test for the line's end here was one
            // more branch mispredicted at most lines' end.)
            if rounds == 15 { sumLanes() }
        }
        sumLanes()
        @inline(__always) func any(_ bit: UInt8) -> Bool {
            let w = unsafeBitCast(endPicture & splat(bit), to: SIMD2<UInt64>.self)
            return w[0] | w[1] != 0
        }
        // Each of those characters is three bytes, the last two read as continuation bytes above:
        // any other continuation byte is invalid UTF-8 (as is a character cut by the line's end),
        // which is read a character at a time as before.
        if c &- lo &- ascii != 3 &* (hanCount &+ marks &+ quotes) { return (lo, 0, 0, 0, 0, 0, false, false) }
        return (c, ascii, marks, commas, quotes, depth, any(1), any(2))
    }

    // MARK: Patterns

    /// The kept scalars of a line that may be furniture, into `text`; where a trailing jump marker
    /// (furniture, not the end of the sentence) starts; whether a dateline starts the line; the
    /// length of a list number at its start.
    @inline(never)
    static func readPatterns(_ ends: LineEnds, marks: LineMarks, into text: inout [Unicode.Scalar]) -> (end: Int, dateline: Bool, listNumber: Int) {
        text.removeAll(keepingCapacity: true)
        // Decoded into a buffer on the stack and appended at once (an append a scalar was checked
        // for a copy each time). A line keeps at most 48 + 200 scalars.
        withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: 248) { kept in
            // (Counted with wrapping arithmetic: offsets and counts stay far from overflow.)
            var p = ends.content.lowerBound, c = 0, k = 0
            while p < ends.content.upperBound {
                // A plain line's scalars start at every byte but continuation bytes: past the first
                // 48, the scalars up to the last 200 bytes are skipped, not decoded.
                if c == 48 && ends.plain && ends.content.upperBound &- p >= 200 {
                    p = ends.content.upperBound &- 199
                    while UTF8Scalar.isContinuation(ends.bytes[p]) { p &+= 1 }
                }
                let (s, n) = ends.decode(at: p)
                if ends.keeps(p, index: c) {
                    kept[k] = s
                    k &+= 1
                }
                c &+= 1
                p &+= n
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: kept[..<k]))
        }
        var end = ends.content.upperBound
        if let jump = jumpSuffixStart(text), jump > 0 {
            var kept = 0
            end = ends.firstKept { _ in kept += 1; return kept > jump }
            while let (s, at) = ends.scalar(before: end), Scalars.isInlineSpace(s) { end = at }
        }
        return (end, startsDateline(text, marks: marks), listNumberLength(text))
    }

    static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    static func hasPrefix(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar]) -> Bool { matches(s, at: 0, p) }

    /// `p` occurs in `s` at `i`.
    @inline(__always)
    static func matches(_ s: [Unicode.Scalar], at i: Int, _ p: [Unicode.Scalar]) -> Bool {
        guard i + p.count <= s.count else { return false }
        for k in p.indices where s[i + k] != p[k] { return false }
        return true
    }

    static func contains(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar]) -> Bool {
        guard let f = p.first else { return !s.isEmpty }
        for i in s.indices where s[i] == f && matches(s, at: i, p) { return true }
        return false
    }

    static func lastIndex(of p: [Unicode.Scalar], in s: [Unicode.Scalar]) -> Int? {
        guard let f = p.first else { return s.isEmpty ? nil : s.count - 1 }
        for i in s.indices.reversed() where s[i] == f && matches(s, at: i, p) { return i }
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

    static let jumpMarkers = ["▼", "（下转", "(下转", "（上接", "(上接", "下转第", "上接第"].map(scalars)
    static let seeFurther = scalars("详见第")

    /// Where a trailing jump marker (`▼ 下转第六版`, `（下转第2版）`) starts, if the line ends with one.
    static func jumpSuffixStart(_ s: [Unicode.Scalar]) -> Int? {
        guard let last = s.last, last == "版" || last == "页" || last == "）" || last == ")" else { return nil }
        for marker in jumpMarkers {
            if let i = lastIndex(of: marker, in: s), s.count - i <= 12 { return i }
        }
        // 详见第6-8版: only page numbers may follow, since prose refers to pages too.
        if last == "版", let i = lastIndex(of: seeFurther, in: s), s.count - i <= 12,
           s[(i + 3)..<(s.count - 1)].allSatisfy({ Scalars.isASCIIDigit($0) || pageRangeMarks.contains($0) }),
           s.count - i > 4 {
            return i
        }
        return nil
    }

    /// How a news story's first paragraph opens (R22–R24): never a headline.
    static let datelines = ["本报讯", "新华社", "央视网", "中新网", "中新社", "人民网", "中国经济网", "本报北京", "本报上海"]
    static let datelineScalars: [[Unicode.Scalar]] = datelines.map(scalars)

    /// A dateline cut by a narrow column (`本 报` / `讯 为落实`) still starts a story.
    static func startsDateline(_ text: [Unicode.Scalar], marks: LineMarks) -> Bool {
        // Both tests below need the first letter to start a dateline: most lines stop there. The
        // first few letters are enough: the longest dateline has 5 (a count of 8 stands for "more").
        guard let f = text.first(where: { !Scalars.isInlineSpace($0) }), marks.contains(f, LineMarks.datelineFirst) else { return false }
        var letterCount = 0, second: Unicode.Scalar = " "
        for c in text where !Scalars.isInlineSpace(c) {
            letterCount += 1
            if letterCount == 2 { second = c }
            if letterCount == 8 { break }
        }
        // The whole dateline, or (two letters at least) the start of one cut off by the line's end.
        // (Most lines that start so go on with a letter no dateline has second.)
        guard letterCount >= 2, marks.contains(second, LineMarks.datelineSecond) else { return false }
        return datelineScalars.contains { word in
            // (The first letters differ for most words: no walk then.)
            guard word[0] == f else { return false }
            var i = 0
            for c in text where !Scalars.isInlineSpace(c) {
                if i == min(letterCount, word.count) { break }
                if c != word[i] { return false }
                i += 1
            }
            return true
        }
    }

    static let reporterTitles = ["本报记者", "本报通讯员", "本报特约记者", "特约记者", "见习记者", "新华社记者", "通讯员", "记者", "本报评论员"].map(scalars)
    static let transferTo = scalars("转第"), picturePrefix = scalars("图为")
    static let creditMarks = ["制图：", "制图:", "供图"].map(scalars)

    /// Bylines, captions, jump lines and list items, told apart by their look (R23, R24). `listNumber`
    /// is `listNumberLength(s)`; `mentionsPicture` whether the line holds 图 (as every credit mark and
    /// 图为 do).
    static func furniture(_ s: [Unicode.Scalar], count: Int, terminal: Bool, listNumber: Int, mentionsPicture: Bool,
                          marks: LineMarks) -> LineKind {
        guard count <= 40 else { return .prose }
        var t = s[...]
        while let f = t.first, marks.contains(f, LineMarks.bullet) || Scalars.isInlineSpace(f) { t = t.dropFirst() }
        let body = t.startIndex == s.startIndex ? s : Array(t)
        if let j = jumpSuffixStart(body), j == 0 { return .jumpLine }
        // (The prefixes asked of the lines that start with their first letter.)
        if (body.first == "详" && hasPrefix(body, seeFurther)) || (body.first == "转" && hasPrefix(body, transferTo) && body.last == "版") {
            return .jumpLine
        }
        // Photo credits and captions.
        if body.last == "摄" && count <= 30 { return .caption }
        if mentionsPicture && (creditMarks.contains(where: { contains(body, $0) }) || hasPrefix(body, picturePrefix))
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
        // (Most lines start with none of the titles' first letters.)
        if let f = body.first, marks.contains(f, LineMarks.titleFirst) {
            for title in reporterTitles where hasPrefix(body, title) {
                let rest = body.dropFirst(title.count)
                let spaced = rest.first.map(Scalars.isInlineSpace) ?? false
                if isNames(rest) && (spaced || title.count >= 4) && !terminal { return .byline }
            }
        }
        if let f = s.first, marks.contains(f, LineMarks.bullet), body.count <= 8, isNames(body[...]) { return .byline }
        if listNumber > 0 && !terminal && count <= 40 && s.count > 2 { return .listItem }
        return .prose
    }
}

/// The scalars of a line that the patterns read: all of a line up to 48 scalars; of a longer one
/// the first 48 and those in its last 200 bytes. Read off the bytes without an array.
struct LineEnds {
    let bytes: UnsafeBufferPointer<UInt8>
    let content: Range<Int>
    /// The line holds only ASCII letters and digits and three-byte characters (the run read it
    /// whole, as most lines): its scalars are read without the general decoding.
    let plain: Bool

    @inline(__always)
    func decode(at o: Int) -> (scalar: Unicode.Scalar, length: Int) {
        guard plain else { return UTF8Scalar.decode(bytes, at: o) }
        return bytes[o] < 0x80 ? (Unicode.Scalar(bytes[o]), 1) : (Unicode.Scalar(UTF8Scalar.value3(bytes, at: o)) ?? "\u{FFFD}", 3)
    }

    @inline(__always)
    func keeps(_ o: Int, index: Int) -> Bool { index < 48 || content.upperBound - o < 200 }

    /// The kept scalar before offset `o`, and where it starts.
    @inline(__always)
    func scalar(before o: Int) -> (scalar: Unicode.Scalar, at: Int)? {
        // Near the end (where the patterns look) every scalar is kept, and most are three bytes
        // long (Han): those are read here, the rest by the call.
        if o - content.lowerBound >= 3 && content.upperBound - o < 196 && bytes[o - 3] & 0xF0 == 0xE0
            && UTF8Scalar.isContinuation(bytes[o - 2]) && UTF8Scalar.isContinuation(bytes[o - 1]) {
            return (Unicode.Scalar(UTF8Scalar.value3(bytes, at: o - 3)) ?? "\u{FFFD}", o - 3)
        }
        return scalarScanning(before: o)
    }

    @inline(never)
    private func scalarScanning(before o: Int) -> (scalar: Unicode.Scalar, at: Int)? {
        if o > content.lowerBound && content.upperBound - o < 196 {
            var s = o - 1
            while s > content.lowerBound && UTF8Scalar.isContinuation(bytes[s]) { s -= 1 }
            return (UTF8Scalar.decode(bytes, at: s).scalar, s)
        }
        return keptScalar(before: o)
    }

    private func keptScalar(before o: Int) -> (scalar: Unicode.Scalar, at: Int)? {
        var o = o
        while o > content.lowerBound {
            var s = o - 1
            while s > content.lowerBound && UTF8Scalar.isContinuation(bytes[s]) { s -= 1 }
            if content.upperBound - s < 200 || isAmongFirst48(s) { return (UTF8Scalar.decode(bytes, at: s).scalar, s) }
            o = s
        }
        return nil
    }

    /// The scalar at `o` is one of the line's first 48 (counted only deep inside a long line).
    private func isAmongFirst48(_ o: Int) -> Bool {
        if o - content.lowerBound < 48 { return true }
        var index = 0
        for p in content.lowerBound..<o where !UTF8Scalar.isContinuation(bytes[p]) {
            index += 1
            if index >= 48 { return false }
        }
        return true
    }

    /// Where the first kept scalar for which `stop` holds starts (the content's end if none).
    @inline(__always)
    func firstKept(where stop: (Unicode.Scalar) -> Bool) -> Int {
        var o = content.lowerBound, index = 0
        while o < content.upperBound {
            let (s, n) = UTF8Scalar.decode(bytes, at: o)
            if keeps(o, index: index) && stop(s) { return o }
            index += 1
            o += n
        }
        return content.upperBound
    }
}
