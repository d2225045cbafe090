import Foundation
import TextModel

/// White space at line ends, tabs and no-break spaces inside lines, and paragraph indents of mixed forms.
public struct StrayWhitespaceRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "stray-whitespace",
        family: .spacing,
        defaultSeverity: .warning,
        summary: "Trailing white space, white space on empty lines, tabs and no-break spaces inside a line, mixed paragraph indents.",
        explanation: """
        Finds white space the page does not show: spaces, tabs or ideographic spaces at the end of a line \
        or on a line with nothing else (safe fix: delete them), no-break spaces U+00A0 copied from web pages \
        (safe fix: an ordinary space, whose place is then letter-spacing's or numeral-spacing's business) \
        and tabs inside a line, usually a table or an extractor's column gap (unsafe fix: one space). Leading \
        white space is a paragraph indent (STYLE-RULES R22), which the layout analysis reads as a paragraph \
        break, so a single indented line is not reported, whatever the indent is made of; when the first \
        lines of the prose paragraphs of one document are indented with U+3000 some of the time and not at \
        all (or with other spaces) the rest of the time, the first paragraph that differs from the majority \
        is reported once (when the minority is at least two paragraphs and a fifth of them), as \
        information, without a fix. Spaces between Chinese characters or between \
        digits and Chinese are not this rule's: see letter-spacing and numeral-spacing.
        """,
        nonTriggering: [
            " 伟大的事业孕育伟大的精神，伟大的精神推动伟大的事业。",
            "新华社北京12月31日电  新年前夕，国家主席发表新年贺词。",
            "本报讯（记者 张强）当前，上海正面临挑战。\n\n区领导参加。",
        ],
        triggering: [
            "几天的抗疫故事。↓  \n在浦东新区各封控小区。",
            "几天的抗疫故事。↓\t\n在浦东新区各封控小区。",
            "几天的抗疫故事。\n↓   \n在浦东新区各封控小区。",
            "核酸检测↓\u{00A0}工作",
            "Omicron↓\u{00A0}BA.2",
            "项目↓\t数量",
            "本报讯 为落实疫情防控要求，浦东新区全力保障封控小区群众的基本生活。\n\n连日来，一线党员干部变身“大白”，贴心保障全封闭管理小区。\n\n↓\u{3000}\u{3000}章燕一行还来到老浙大社区投票站，检查投票现场疫情防控工作。\n\n区领导占仁义、王文硕等参加了检查。\n\n\u{3000}\u{3000}她向现场的社区工作人员和志愿者表示慰问。\n",
        ],
        corrections: [
            Correction("几天的抗疫故事。  \n在浦东新区各封控小区。 \t", "几天的抗疫故事。\n在浦东新区各封控小区。"),
            Correction("几天的抗疫故事。\n   \n在浦东", "几天的抗疫故事。\n\n在浦东"),
            Correction("核酸检测\u{00A0}工作", "核酸检测 工作"),
            Correction("项目\t数量", "项目 数量", unsafe: true),
        ]
    )

    /// Where the first byte `x` (followed by `y`, if given) is at or after `from`, or the end of `b`.
    static func find(_ x: UInt8, then y: UInt8?, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var o = from
        while o < b.count, let p = memchr(b.baseAddress! + o, Int32(x), b.count - o) {
            let i = UnsafeRawPointer(b.baseAddress!).distance(to: p)
            guard let y else { return i }
            if i + 1 < b.count && b[i + 1] == y { return i }
            o = i + 1
        }
        return b.count
    }

    /// Whether the non-empty line `r` ends with white space. Most lines end with a mark: told from
    /// their last bytes.
    static func endsWithSpace(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let last = b[r.upperBound - 1]
        if last < 0x80 { return last == 0x20 || last == 0x09 }
        // The other spaces end with A0 (C2 A0), 80–8A or AF (E2 80 80–8A, E2 80 AF, E3 80 80) or 9F
        // (E2 81 9F): a line that ends otherwise is not decoded.
        guard last <= 0x8A || last == 0xA0 || last == 0xAF || last == 0x9F else { return false }
        return Scalars.isInlineSpace(UTF8Scalar.decode(b, before: r.upperBound).scalar)
    }

    static func describe(_ run: [Unicode.Scalar]) -> String {
        var parts: [String] = []
        func add(_ count: Int, _ one: String, _ many: String) {
            if count == 1 { parts.append(one) } else if count > 1 { parts.append("\(count) \(many)") }
        }
        add(run.filter { $0 == " " }.count, "a space", "spaces")
        add(run.filter { $0 == "\t" }.count, "a tab", "tabs")
        add(run.filter { $0.value == 0xA0 }.count, "a no-break space", "no-break spaces")
        add(run.filter { $0.value == 0x3000 }.count, "an ideographic space", "ideographic spaces")
        add(run.filter { $0 != " " && $0 != "\t" && $0.value != 0xA0 && $0.value != 0x3000 }.count, "a Unicode space", "Unicode spaces")
        return parts.joined(separator: " and ")
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        var result: [Diagnostic] = []
        // The first tab and the first no-break space at or after the line being looked at (or the end
        // of the text), each found by a `memchr` that goes on from line to line.
        var tab = -1, noBreakSpace = -1
        for l in 0..<doc.lines.count {
            let r = doc.lines.contentRange(of: l)
            guard !r.isEmpty else { continue }
            // Only a line that ends with white space (an empty one does too), or holds a tab or a no-break
            // space (bytes 09, C2 A0), can have a finding: an indent alone is none.
            doc.bytes.withUnsafeBufferPointer { b in
                if tab < r.lowerBound { tab = Self.find(0x09, then: nil, in: b, from: r.lowerBound) }
                if noBreakSpace < r.lowerBound { noBreakSpace = Self.find(0xC2, then: 0xA0, in: b, from: r.lowerBound) }
            }
            if min(tab, noBreakSpace) >= r.upperBound && !doc.bytes.withUnsafeBufferPointer({ Self.endsWithSpace($0, r) }) {
                continue
            }
            // The line's scalars (lines are short; this keeps the scan simple and linear overall).
            var scalars: [(Unicode.Scalar, Int)] = []
            var o = r.lowerBound
            while o < r.upperBound {
                let (s, n) = doc.scalar(at: o)
                scalars.append((s, o))
                o += n
            }
            var lead = 0
            while lead < scalars.count, Scalars.isInlineSpace(scalars[lead].0) { lead += 1 }
            if lead == scalars.count {
                result.append(diagnostic(r, "White space on an empty line (\(Self.describe(scalars.map(\.0)))): delete it",
                                         fix: Fix(title: "Delete the white space", edit: TextEdit(range: r, newText: ""), applicability: .safe)))
                continue
            }
            var trail = scalars.count
            while trail > lead, Scalars.isInlineSpace(scalars[trail - 1].0) { trail -= 1 }
            // Inside the line: maximal white-space runs that hold a tab or a no-break space.
            var k = lead
            while k < trail {
                guard Scalars.isInlineSpace(scalars[k].0) else { k += 1; continue }
                var e = k
                while e < trail, Scalars.isInlineSpace(scalars[e].0) { e += 1 }
                let run = scalars[k..<e].map(\.0)
                let tabs = run.contains("\t")
                if tabs || run.contains(where: { $0.value == 0xA0 }) {
                    let range = scalars[k].1..<scalars[e].1
                    if tabs {
                        result.append(diagnostic(range, "Tab inside a line (\(Self.describe(run))): write one space, or lay the table out again",
                                                 fix: Fix(title: "Replace with one space", edit: TextEdit(range: range, newText: " "), applicability: .unsafe)))
                    } else {
                        // One ordinary space per no-break space: the gap stays as wide as it was.
                        var edits: [TextEdit] = []
                        for i in k..<e where scalars[i].0.value == 0xA0 {
                            edits.append(TextEdit(range: scalars[i].1..<(scalars[i].1 + 2), newText: " "))
                        }
                        result.append(diagnostic(range, "No-break space U+00A0 (\(Self.describe(run))): write an ordinary space",
                                                 fix: Fix(title: "Replace with an ordinary space", edits: edits, applicability: .safe)))
                    }
                }
                k = e
            }
            if trail < scalars.count {
                let range = scalars[trail].1..<r.upperBound
                result.append(diagnostic(range, "Trailing white space (\(Self.describe(scalars[trail...].map(\.0)))): delete it",
                                         fix: Fix(title: "Delete the trailing white space", edit: TextEdit(range: range, newText: ""), applicability: .safe)))
            }
        }
        result.append(contentsOf: indentMix(context))
        return result.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Paragraph indents: U+3000 on some prose paragraphs, none (or other spaces) on others.
    func indentMix(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        let layout = context.layout
        // The prose paragraphs' first lines, counted by their start, and the first line of each form
        // (an array of them grew by appends on every section).
        var ideographic = 0, other = 0
        var firstIdeographic = -1, firstOther = -1
        for paragraph in layout.paragraphs {
            guard let l = paragraph.lines.first, l < layout.lines.count, layout.lines[l].kind == .prose else { continue }
            let lineStart = doc.lines.starts[l]
            if lineStart < doc.count && doc.scalar(at: lineStart).scalar.value == 0x3000 {
                if ideographic == 0 { firstIdeographic = l }
                ideographic += 1
            } else {
                if other == 0 { firstOther = l }
                other += 1
            }
        }
        // One or two odd starts are usually the layout analysis misreading a headline or a wrap, not
        // a mix: the minority must be at least two paragraphs and a fifth of them.
        guard min(ideographic, other) >= 2, min(ideographic, other) * 5 >= ideographic + other else { return [] }
        // Report the first paragraph of the minority form (U+3000 wins a tie: it is the standard form).
        let minorityIdeographic = ideographic < other
        let firstLine = minorityIdeographic ? firstIdeographic : firstOther
        let info = layout.lines[firstLine]
        let lineStart = doc.lines.starts[firstLine]
        let range: Range<Int>
        let message: String
        if minorityIdeographic {
            range = lineStart..<info.content.lowerBound
            message = "Paragraph indents mixed: \(ideographic) of \(ideographic + other) paragraphs start with U+3000, the others not; indent all paragraphs alike"
        } else {
            let end = info.content.lowerBound + doc.scalar(at: info.content.lowerBound).length
            range = lineStart..<end
            message = "Paragraph indents mixed: this paragraph is not indented with U+3000 U+3000 like \(ideographic) of \(ideographic + other) others; indent all paragraphs alike"
        }
        return [diagnostic(range, message, severity: .information)]
    }
}
