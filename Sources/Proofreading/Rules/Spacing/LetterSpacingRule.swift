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
        single Han character (full-width punctuation may cling to it: 说 ，上 海, 的“ 娘 子), one finding per \
        run, and a lone space before ，。、；：？！ after a Chinese character (工作 ，). A run of two counts \
        only at the start of a line that is not a byline, because bylines pad a two-character name to \
        the width of three (本报记者 田 鹏, ■ 李 文). Spaces that separate words are left alone: the dateline gap (本报讯 为落实, 新华社北京\
        12月31日电  新年前夕), a role and a name (记者 张强), headline phrases (守正创新  开拓奋进), English \
        phrases, and any space next to a digit (numeral-spacing's). The fix deletes the spaces; it is safe \
        for a run of three or more single characters and for a space before punctuation, unsafe for a run \
        of two (李 强 could be a deliberate gap in a headline or a list of names).
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
        ],
        triggering: [
            "\n ↓本 报\n讯 为落实党中央",
            "派出督查组赴10个省份开展\n↓督 查 工\n作。",
            "谈。\n↓李 强\n代表市委、",
            "他\n↓说 ，上 海\n坚决贯彻",
            "配\n↓药 送 菜 又 常 常 客 串 快 递 的“ 娘 子\n军”",
            "疫情防控工作↓ ，要咬紧牙关",
        ],
        corrections: [
            Correction("开展\n督 查 工\n作。", "开展\n督查工\n作。"),
            Correction("他\n说 ，上 海\n坚决", "他\n说，上海\n坚决"),
            Correction("配\n药 送 菜 又 常 常 客 串 快 递 的“ 娘 子\n军”", "配\n药送菜又常常客串快递的“娘子\n军”"),
            Correction("疫情防控工作 ，要咬紧牙关", "疫情防控工作，要咬紧牙关"),
            Correction("谈。\n李 强\n代表", "谈。\n李 强\n代表"),
            Correction("谈。\n李 强\n代表", "谈。\n李强\n代表", unsafe: true),
        ]
    )

    /// Punctuation that never takes a space before it in Chinese text.
    static let pauseMarks = Set("，。、；：？！".unicodeScalars.map(\.value))
    /// Opening marks that never take a space after them.
    static let openingMarks = Set("“‘（《".unicodeScalars.map(\.value))

    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool { Scalars.isInlineSpace(Unicode.Scalar(v) ?? "x") }
    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool { Scalars.isHan(Unicode.Scalar(v) ?? "x") }
    @inline(__always)
    static func isCJKMark(_ v: UInt32) -> Bool {
        let s = Unicode.Scalar(v) ?? "x"
        return Scalars.isCJKPunctuation(s) && !Scalars.isInlineSpace(s)
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        var result: [Diagnostic] = []
        var s: [UInt32] = []
        var off: [Int] = []
        for line in 0..<doc.lines.count {
            let r = doc.lines.contentRange(of: line)
            s.removeAll(keepingCapacity: true)
            off.removeAll(keepingCapacity: true)
            var o = r.lowerBound
            var sawSpace = false
            while o < r.upperBound {
                let (scalar, len) = doc.scalar(at: o)
                s.append(scalar.value)
                off.append(o)
                if Scalars.isInlineSpace(scalar) { sawSpace = true }
                o += len
            }
            off.append(r.upperBound)
            guard sawSpace else { continue }
            let kind = line < context.layout.lines.count ? context.layout.lines[line].kind : .prose
            check(s, off, byline: kind == .byline || kind == .caption, into: &result)
        }
        return result
    }

    /// A token: a maximal run of non-space scalars, `[start, end)` in scalar indices.
    private struct Token { var start: Int; var end: Int; var single: Bool }

    private func check(_ s: [UInt32], _ off: [Int], byline: Bool, into result: inout [Diagnostic]) {
        var tokens: [Token] = []
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
        var claimed = Array(repeating: false, count: tokens.count)
        // Runs of two or more single-character tokens.
        var t = 0
        while t < tokens.count {
            guard tokens[t].single else { t += 1; continue }
            var u = t
            while u + 1 < tokens.count, tokens[u + 1].single { u += 1 }
            defer { t = u + 1 }
            guard u > t else { continue }
            let count = u - t + 1
            // Bylines pad a two-character name to the width of three (本报记者 田 鹏, ■ 李 文): a pair
            // counts only when it opens a line that is not a byline (李 强 alone on a column line).
            if count == 2 && (t > 0 || byline) { continue }
            var edits: [TextEdit] = []
            var spaced = ""
            var joined = ""
            for k in t...u {
                claimed[k] = true
                if k > t {
                    edits.append(TextEdit(range: off[tokens[k - 1].end]..<off[tokens[k].start], newText: ""))
                    spaced += " "
                }
                for x in tokens[k].start..<tokens[k].end {
                    let scalar = Unicode.Scalar(s[x])!
                    spaced.unicodeScalars.append(scalar)
                    joined.unicodeScalars.append(scalar)
                }
            }
            let safe = count >= 3
            let fix = Fix(title: "Delete the spaces", edits: edits, applicability: safe ? .safe : .unsafe)
            result.append(diagnostic(off[tokens[t].start]..<off[tokens[u].end],
                                     "Characters spread apart by justification \"\(spaced)\": write \"\(joined)\"", fix: fix))
        }
        // A lone gap before a pause mark between Chinese characters (after an opening mark only inside
        // a run: 《 人民日报 》 is web formatting, not justification).
        for k in 1..<max(1, tokens.count) where !(claimed[k - 1] && claimed[k]) {
            let a = tokens[k - 1], b = tokens[k]
            let left = s[a.end - 1], right = s[b.start]
            let beforeMark = Self.pauseMarks.contains(right) && (Self.isHan(left) || Self.isCJKMark(left))
                && !Self.openingMarks.contains(left)
            guard beforeMark else { continue }
            let range = off[a.end]..<off[b.start]
            let mark = String(Unicode.Scalar(right)!)
            let fix = Fix(title: "Delete the space", edits: [TextEdit(range: range, newText: "")], applicability: .safe)
            result.append(diagnostic(range, "Space before \"\(mark)\": delete it", fix: fix))
        }
    }
}
