import TextModel

/// Zero-width characters, soft hyphens and control characters inside the text, and a byte-order mark.
public struct InvisibleCharacterRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "invisible-character",
        family: .encoding,
        defaultSeverity: .warning,
        summary: "Zero-width spaces and joiners, word joiners, U+FEFF, soft hyphens and control characters inside the text.",
        explanation: """
        Finds characters that take no room on the page: the zero-width space, non-joiner and joiner \
        (U+200B–U+200D), the word joiner U+2060, U+FEFF inside the text, the soft hyphen U+00AD and C0/C1 \
        control characters other than tab, line feed and carriage return; a run of them is one finding. \
        A byte-order mark (U+FEFF as the very first character of the file) is reported as information: it \
        is harmless to most tools but ends up inside the first line when files are joined. Copying from web \
        pages and PDF extractors leaves these characters behind; they split words for search, break the \
        matching of names and numbers, and are invisible to the person proofreading. The fix deletes them \
        and is safe: none of them carries text. A zero-width joiner between two emoji (a family or \
        profession emoji sequence) is legitimate and left alone.
        """,
        nonTriggering: [
            "本报讯（记者 张强）4月6日上午，浦东新区。",
            "志愿者👩\u{200D}⚕️在社区忙碌。",
            "列\t表\n第二行\r\n第三行",
        ],
        triggering: [
            "↓\u{FEFF}本报讯 为落实疫情防控要求。",
            "核酸↓\u{200B}检测",
            "浦东↓\u{200B}\u{200C}新区",
            "防控↓\u{00AD}工作",
            "上海↓\u{0007}市",
            "第↓\u{0085}二版",
            "一↓\u{2060}线",
        ],
        corrections: [
            Correction("\u{FEFF}本报讯", "本报讯"),
            Correction("核酸\u{200B}检测\u{00AD}工作", "核酸检测工作"),
            Correction("上海\u{0007}\u{001B}市", "上海市"),
            Correction("志愿者👩\u{200D}⚕️在社区\u{200D}忙碌", "志愿者👩\u{200D}⚕️在社区忙碌"),
        ]
    )

    /// Whether the scalar at `o` (C0 controls but tab, LF and CR; DEL; C2, E2 or EF) may be invisible, told by
    /// its bytes: U+0080–U+009F and U+00AD (C2 80–9F, C2 AD), U+200B–U+200D and U+2060 (E2 80 8B–8D,
    /// E2 81 A0), U+FEFF (EF BB BF); the ASCII members all are.
    @inline(__always)
    static func mayBeInvisible(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        switch b[o] {
        case 0xC2:
            return o + 1 < b.count && (b[o + 1] <= 0x9F || b[o + 1] == 0xAD)
        case 0xE2:
            guard o + 2 < b.count else { return false }
            return (b[o + 1] == 0x80 && b[o + 2] >= 0x8B && b[o + 2] <= 0x8D) || (b[o + 1] == 0x81 && b[o + 2] == 0xA0)
        case 0xEF:
            return o + 2 < b.count && b[o + 1] == 0xBB && b[o + 2] == 0xBF
        default:
            return true
        }
    }

    /// Whether the scalar at `o` may be an `isInvisible` one, told by its bytes: the C0 controls but tab, LF
    /// and CR, DEL, and `mayBeInvisible`'s C2, E2 and EF sequences. The quotation marks' walk finds them
    /// (`QuotePairing.invisible`): its scan marks them by their first and third bytes.
    @inline(__always)
    static func isCandidate(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        switch b[o] {
        case 0x00..<0x20: return b[o] != 0x09 && b[o] != 0x0A && b[o] != 0x0D
        case 0x7F: return true
        case 0xC2, 0xE2, 0xEF: return mayBeInvisible(b, o)
        default: return false
        }
    }

    static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F...0x9F: return true
        case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return true
        default: return false
        }
    }

    /// Pictographs, their variation selector and skin-tone modifiers: what a ZWJ sequence joins.
    static func isEmojiPart(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v == 0xFE0F || (v >= 0x1F000 && v <= 0x1FAFF) || (v >= 0x2600 && v <= 0x27BF)
            || (v >= 0x2300 && v <= 0x23FF) || (v >= 0x2B00 && v <= 0x2BFF)
    }

    static func name(_ v: UInt32) -> String {
        switch v {
        case 0x200B: return "zero-width space"
        case 0x200C: return "zero-width non-joiner"
        case 0x200D: return "zero-width joiner"
        case 0x2060: return "word joiner"
        case 0xFEFF: return "zero-width no-break space U+FEFF"
        case 0x00AD: return "soft hyphen"
        default:
            let hex = String(v, radix: 16, uppercase: true)
            return "control character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        let n = doc.count
        var result: [Diagnostic] = []
        var o = 0
        // A byte-order mark: the first three bytes EF BB BF.
        if context.startsFile, n >= 3, doc.bytes[0] == 0xEF, doc.bytes[1] == 0xBB, doc.bytes[2] == 0xBF {
            result.append(diagnostic(0..<3, "Byte-order mark (U+FEFF) at the start of the file: delete it",
                                     fix: Fix(title: "Delete the byte-order mark", edit: TextEdit(range: 0..<3, newText: ""),
                                              applicability: .safe),
                                     severity: .information))
            o = 3
        }
        // The last visible scalar ends here (-1: none yet; it counts as a line break).
        var visibleEnd = -1
        var runStart = -1
        var runNames: [String] = []
        func close(at end: Int) {
            guard runStart >= 0 else { return }
            var seen = Set<String>()
            let names = runNames.filter { seen.insert($0).inserted }
            result.append(diagnostic(runStart..<end, "Invisible \(names.joined(separator: ", ")): delete it",
                                     fix: Fix(title: "Delete the invisible character", edit: TextEdit(range: runStart..<end, newText: ""),
                                              applicability: .safe)))
            runStart = -1
            runNames = []
        }
        // The scalars that may be invisible, found by the quotation marks' walk (`QuotePairing.invisible`).
        let candidates = context.quotes.invisible
        var next = 0
        doc.bytes.withUnsafeBufferPointer { b in
            while o < n {
                // Outside a run, step over the scalars that cannot be invisible without decoding them.
                if runStart < 0 {
                    let from = o
                    while next < candidates.count && candidates[next] < o { next += 1 }
                    o = next < candidates.count ? candidates[next] : n
                    if o > from { visibleEnd = o }
                    guard o < n else { break }
                }
                let (s, len) = UTF8Scalar.decode(b, at: o)
                var invisible = Self.isInvisible(s.value)
                if invisible, s.value == 0x200D, o + len < n {
                    let previous = visibleEnd < 0 ? "\n" : UTF8Scalar.decode(b, at: doc.clampToScalar(visibleEnd - 1)).scalar
                    if Self.isEmojiPart(previous), Self.isEmojiPart(UTF8Scalar.decode(b, at: o + len).scalar) {
                        invisible = false
                    }
                }
                if invisible {
                    if runStart < 0 { runStart = o }
                    runNames.append(Self.name(s.value))
                } else {
                    close(at: o)
                    visibleEnd = o + len
                }
                o += len
            }
        }
        close(at: n)
        return result
    }
}
