import TextModel

/// A bracket or title mark without a partner in its logical paragraph, or two pairs that cross.
public struct UnmatchedBracketRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "unmatched-bracket",
        family: .quotes,
        defaultSeverity: .warning,
        summary: "A bracket or book-title mark that opens and never closes, closes and never opened, or crosses another pair.",
        explanation: """
        Pairs （） 《》 〈〉 【】 〔〕 ［］ 〖〗 and the ASCII ( ) [ ] over each logical paragraph, so a note cut \
        by a column wrap is still one note. ASCII and full-width forms are one family: ( closes with ） or ), \
        so `(内容` is reported here, and the width itself is punctuation-width's business. The rule reports \
        the unpaired mark with a related location: the end of the paragraph (or the closer of the pair \
        around it) for a mark that never closes, the start of the paragraph for one that never opened; two \
        pairs that cross (（《）》) are reported once, on the inner opener. In a transcription an unpaired \
        bracket is usually a character lost or misread by OCR, or a byline such as （记者 张强） cut by the \
        layout, and a title mark left open swallows the rest of the sentence into the title. A closing ) \
        or ） after a short label at the start of a line or after 、，：； (list markers 1) a) 二）) and \
        brackets inside a URL are not marks. There is no fix: only a person can tell where the missing \
        mark belongs.
        """,
        nonTriggering: [
            "本报讯（记者 张强）当前，上海正面临挑战。",
            "本报讯 （记者 张\n强） 4月6日上午。\n",
            "伊泰能源(上海)有限公司捐赠。",
            "《〈中国工人〉发刊词》",
            "国发〔2011〕3号",
            "措施如下：\n1) 加强管控；2) 做好保障。\n",
            "详见 https://example.com/wiki/A_(b) 页面。",
        ],
        triggering: [
            "本报讯↓（记者 张强 当前，上海正面临挑战。",
            "本报讯 记者 张强↓） 当前，上海正面临挑战。",
            "门。↓《关于尽快梳理“漏检”人员的建议等信息被采纳。",
            "措施↓)加强管控。",
            "（甲↓《乙）丙》。",
        ],
        corrections: []
    )

    enum Kind: Int, CaseIterable { case paren = 0, book, angle, lenticular, tortoise, square, whiteLenticular }

    /// The pre-scan for a paragraph's brackets: the marks `classify` knows, by their first and third
    /// bytes: ( ) [ ], 〈 … 〗 (E3 80 88–97), （ ） ［ ］.
    enum Brackets: CandidateScan {
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            (first .== splat(0x28)) .| (first .== splat(0x29)) .| (first .== splat(0x5B)) .| (first .== splat(0x5D))
                .| ((first .== splat(0xE3)) .& within(third, 0x88, 0x97)) .| fullWidthBrackets(first, third)
        }
    }

    /// Whether the scalar at `o` (a candidate of `Brackets`) is one that `classify` knows,
    /// told by its bytes: 〈〉《》 E3 80 88–8B, 【】 E3 80 90–91, 〔〕〖〗 E3 80 94–97, （） EF BC 88–89,
    /// ［］ EF BC BB, BD; the ASCII members all are.
    @inline(__always)
    static func isBracket(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        guard b[o] >= 0x80 else { return true }
        guard o + 2 < b.count else { return false }
        let b1 = b[o + 1], b2 = b[o + 2]
        if b[o] == 0xE3 {
            return b1 == 0x80 && ((b2 >= 0x88 && b2 <= 0x8B) || b2 == 0x90 || b2 == 0x91 || (b2 >= 0x94 && b2 <= 0x97))
        }
        // The quotation marks' walk passes every E2 here too (⼈ is E2 BC 88).
        return b[o] == 0xEF && b1 == 0xBC && (b2 == 0x88 || b2 == 0x89 || b2 == 0xBB || b2 == 0xBD)
    }

    /// First bytes of the scalars `matters` accepts: ASCII, E3 and EF (brackets), E4 and E5 (一 … 十).
    static let walkBytes = ByteSet((0...0x7F).map { UInt8($0) } + [0xE3, 0xE4, 0xE5, 0xEF])

    /// The scalars the walk of a paragraph looks at: ASCII (URLs, list labels, brackets), the brackets,
    /// and the Chinese numerals of list labels. Any other scalar only ends a label run and a URL.
    static func matters(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 || classify(s) != nil || labelClass(s) == 3
    }

    /// `matters`, told by the bytes of a scalar whose first byte is a member of `walkBytes`.
    @inline(__always)
    static func matters(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        switch b[o] {
        case 0xE3, 0xEF: return isBracket(b, o)
        case 0xE4, 0xE5:
            // 一二三五七九 are E4 B8–BA, 四六八十 E5 85, 8D, 9B: other second bytes are no label.
            guard o + 1 < b.count else { return false }
            switch (b[o], b[o + 1]) {
            case (0xE4, 0xB8...0xBA), (0xE5, 0x85), (0xE5, 0x8D), (0xE5, 0x9B):
                return labelClass(UTF8Scalar.decode(b, at: o).scalar) == 3
            default: return false
            }
        default: return true
        }
    }

    static func classify(_ s: Unicode.Scalar) -> (kind: Kind, opener: Bool)? {
        switch s {
        case "（", "(": return (.paren, true)
        case "）", ")": return (.paren, false)
        case "《": return (.book, true)
        case "》": return (.book, false)
        case "〈": return (.angle, true)
        case "〉": return (.angle, false)
        case "【": return (.lenticular, true)
        case "】": return (.lenticular, false)
        case "〔": return (.tortoise, true)
        case "〕": return (.tortoise, false)
        case "［", "[": return (.square, true)
        case "］", "]": return (.square, false)
        case "〖": return (.whiteLenticular, true)
        case "〗": return (.whiteLenticular, false)
        default: return nil
        }
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        var p = MarkPairing(classes: Kind.allCases.count)
        // Pairing is per paragraph: one without brackets (most; the quotation marks' walk noted them)
        // changes nothing and is skipped.
        let bracketed = context.quotes.bracketed
        for (pi, paragraph) in context.layout.paragraphs.enumerated() {
            guard let first = paragraph.segments.first, bracketed[pi] else { continue }
            p.beginParagraph(at: first.lowerBound)
            // A run of list-label characters (1, a, iv, 二) and whether what precedes it allows a list marker.
            var labelLength = 0
            var labelClass = 0
            var labelAllowed = false
            // Inside a URL: brackets are part of the address (balanced ones, as in `wiki/A_(b)`).
            var inURL = false
            var urlDepth = 0
            // The walk gives only the scalars that can change the state (`matters`): a run of the others
            // (Han) ends a label run and a URL, as each of them would.
            SegmentWalk.forEach(doc, segments: paragraph.segments, from: first.lowerBound, where: Walk.self) { item in
                // `matters` of the scalar before, told by its bytes (`walkBytes` holds the first byte of all it accepts).
                if item.previousEnd >= 0, case let o = UTF8Scalar.start(before: item.previousEnd, in: item.bytes),
                   !(Self.walkBytes.contains(item.bytes[o]) && Self.matters(item.bytes, o)) {
                    inURL = false
                    labelLength = 0
                }
                let s = item.scalar
                if item.atSegmentStart { inURL = false }
                if !inURL, (s == "h" || s == "w"), Self.startsURL(doc, at: item.offset) { inURL = true; urlDepth = 0 }
                if inURL {
                    if s.value > 0x20 && s.value < 0x7F {
                        if s == "(" || s == "[" { urlDepth += 1; return }
                        if s == ")" || s == "]" {
                            if urlDepth > 0 { urlDepth -= 1; return }
                            inURL = false
                        } else {
                            return
                        }
                    } else {
                        inURL = false
                    }
                }
                let lc = Self.labelClass(s)
                defer {
                    if lc > 0 {
                        if labelLength > 0 && labelClass == lc && !item.atSegmentStart {
                            labelLength += 1
                        } else {
                            labelLength = 1
                            labelClass = lc
                            labelAllowed = item.atSegmentStart || item.previous.map(Self.allowsListMarker) ?? true
                        }
                    } else {
                        labelLength = 0
                    }
                }
                guard let (kind, opener) = Self.classify(s) else { return }
                if opener {
                    p.open(item.range, s, class: kind.rawValue)
                } else {
                    if kind == .paren, !p.isOpen(kind.rawValue), labelAllowed, (1...3).contains(labelLength) { return }
                    p.close(item.range, s, class: kind.rawValue)
                }
            }
            p.endParagraph(at: paragraph.segments.last!.upperBound)
        }
        let marks = p.marks
        var result: [Diagnostic] = []
        for m in marks {
            // Made only for a finding: most marks are paired.
            var mark: String { String(m.scalar) }
            switch m.status {
            case .unclosed(let expected):
                let closer = Self.partner(of: m.scalar)
                result.append(diagnostic(m.range, "Unclosed “\(mark)”: add “\(closer)” where the bracketed text ends",
                                         related: [RelatedLocation(range: expected..<expected, message: "“\(mark)” should close by here")]))
            case .stray(let expected):
                let opener = Self.partner(of: m.scalar)
                result.append(diagnostic(m.range, "“\(mark)” without an opening “\(opener)”: add “\(opener)” where the bracketed text starts, or delete “\(mark)”",
                                         related: [RelatedLocation(range: expected..<expected, message: "the paragraph starts here")]))
            case .crossed(let partner) where m.isOpener:
                let other = marks[partner]
                result.append(diagnostic(m.range, "“\(mark)…\(String(other.scalar))” crosses another bracket pair: close “\(mark)” inside it",
                                         related: [RelatedLocation(range: other.range, message: "the crossing “\(String(other.scalar))” is here")]))
            default:
                break
            }
        }
        return result
    }

    static func partner(of s: Unicode.Scalar) -> String {
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [("（", "）"), ("(", ")"), ("《", "》"), ("〈", "〉"), ("【", "】"),
                                                         ("〔", "〕"), ("［", "］"), ("[", "]"), ("〖", "〗")]
        for (o, c) in pairs {
            if s == o { return String(c) }
            if s == c { return String(o) }
        }
        return String(s)
    }

    /// 1 digits, 2 Latin letters, 3 Chinese numerals, 0 anything else.
    static func labelClass(_ s: Unicode.Scalar) -> Int {
        if Scalars.isASCIIDigit(s) { return 1 }
        if Scalars.isASCIILetter(s) { return 2 }
        switch s {
        case "一", "二", "三", "四", "五", "六", "七", "八", "九", "十": return 3
        default: break
        }
        return 0
    }

    /// What may stand before a list label: white space or a separating mark.
    static func allowsListMarker(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "、", "，", "：", "；", "。", ",", ":", ";": return true
        default: return Scalars.isInlineSpace(s)
        }
    }

    static func startsURL(_ doc: TextDocument, at offset: Int) -> Bool {
        for prefix in ["https://", "http://", "www."] {
            let p = Array(prefix.utf8)
            if offset + p.count <= doc.count, doc.bytes[offset..<(offset + p.count)].elementsEqual(p) { return true }
        }
        return false
    }
}

extension UnmatchedBracketRule {
    /// The walk's test: `matters`.
    enum Walk: ScalarBytesTest {
        @inline(__always)
        static func accepts(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool { matters(b, o) }

        /// The scalars `matters` may accept, by their first and third bytes: ASCII, the brackets, and
        /// 一二三五七九 (E4 B8 80, 89, 83, E4 BA 8C, 94, E4 B9 9D), 四六八十 (E5 9B 9B, 85 AD, 85 AB, 8D 81).
        /// A walk by first bytes alone (`walkBytes`) stopped at two Han characters in five.
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            let e4 = (third .== splat(0x80)) .| (third .== splat(0x83)) .| (third .== splat(0x89)) .| (third .== splat(0x8C))
                .| (third .== splat(0x94)) .| (third .== splat(0x9D))
            let e5 = (third .== splat(0x81)) .| (third .== splat(0x9B)) .| (third .== splat(0xAB)) .| (third .== splat(0xAD))
            return (first .< splat(0x80)) .| Brackets.candidates(before, first, second, third)
                .| ((first .== splat(0xE4)) .& e4) .| ((first .== splat(0xE5)) .& e5)
        }
    }
}
