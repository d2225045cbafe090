import TextModel

/// Page furniture left in the story: jump lines, page footers, photo captions and credits, outlet boilerplate.
public struct LayoutLeftoverRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "layout-leftover",
        family: .layout,
        defaultSeverity: .information,
        summary: "Jump lines, page footers, photo captions and credits, and outlet boilerplate left in the text.",
        explanation: """
        Finds what the printed page adds around a story (STYLE-RULES R23): jump lines such as ▼ 下转第六版, \
        （下转第2、3版）, （上接第一版） and 详见第2-4版, on a line of their own or at the end of a prose line; \
        page footers (第 3 页, - 3 -); photo captions and credits (本报记者 赵立荣摄, 制图：冯晓瑜, lines \
        starting with ▲); and the outlet's channel list (上城发布微博, 上城发布客户端). In a transcription \
        they interrupt the running text, and a jump line in the middle of a sentence keeps the two halves \
        apart. Jump lines and footers are information with an unsafe fix that deletes the line with its \
        line break, or only the marker when it ends a prose line: the reference is lost, which a person \
        should accept. Captions and boilerplate are hints without a fix: a caption belongs next to its \
        photo, and only a person can decide whether to keep it.
        """,
        nonTriggering: [
            "本报讯（记者 张强）4月6日上午，浦东新区召开会议，部署下一步工作。",
            "他说，第一版的内容要在第二版继续。",
            "全区共有3页申请材料需要补充，请于今天提交。",
            "上城发布微博、微信和客户端同步推出专题报道，欢迎读者关注。",
            "有关报道详见第三版和第四版",
        ],
        triggering: [
            "几天的抗疫故事。\n↓▼ 下转第六版\n",
            "情防控要求落实到换届选举全过程。\n↓(下转第2、3版)\n",
            "新闻提要\n\n↓详见第2-4版\n",
            "几天的抗疫故事。↓ ▼ 下转第六版\n",
            "与惯例”。↓详见第6-8版\n\nAI生成的数学证明",
            "北京逝世，享年84岁。↓（下转第6、7版）\n",
            "几天的抗疫故事。\n↓第 3 页\n",
            "几天的抗疫故事。\n↓- 3 -\n",
            "↓上城发布微博\n\n↓上城发布客户端\n\n新闻提要\n",
            "几天的抗疫故事。\n\n↓▲临时党支部吸纳汇聚更多红色力量\n",
            "几天的抗疫故事。\n\n↓党员志愿者们不辞辛劳送菜忙。 本报记者 赵立荣摄\n",
        ],
        corrections: [
            Correction("几天的抗疫故事。\n▼ 下转第六版\n", "几天的抗疫故事。\n", unsafe: true),
            Correction("几天的抗疫故事。 ▼ 下转第六版\n在浦东新区", "几天的抗疫故事。\n在浦东新区", unsafe: true),
            Correction("几天的抗疫故事。\n第 3 页\n", "几天的抗疫故事。\n", unsafe: true),
        ]
    )

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        let layout = context.layout
        var result: [Diagnostic] = []
        func deletion(_ range: Range<Int>, _ message: String, _ title: String) -> Diagnostic {
            diagnostic(range, message, fix: Fix(title: title, edit: TextEdit(range: range, newText: ""), applicability: .unsafe))
        }
        var scalars: [Unicode.Scalar] = []     // of a short line, reused
        for info in layout.lines where info.kind != .blank {
            // The line's text is made only for a finding: most lines have none.
            var shown: String { Self.shorten(doc.slice(info.content)) }
            var whole: Range<Int> { doc.lines.fullRange(of: info.index) }
            switch info.kind {
            case .jumpLine:
                result.append(deletion(whole, "Jump line \"\(shown)\" is page furniture: delete it and join the story to its continuation", "Delete the jump line"))
                continue
            case .caption:
                result.append(diagnostic(info.content, "Photo caption or credit \"\(shown)\" inside the story: move it next to its photo or delete it", severity: .hint))
                continue
            default:
                break
            }
            // Footers and boilerplate are short (12 characters besides spaces); a jump marker ends
            // with 版, 页 or a bracket. Other lines are skipped without decoding them into an array.
            guard !info.content.isEmpty else { continue }
            if info.letters > 12 {
                // The last byte of 版 (E7 89 88), 页 (E9 A1 B5), ） (EF BC 89) or ) rules out most lines undecoded.
                let lastByte = doc.bytes[info.content.upperBound - 1]
                guard info.kind == .prose, lastByte == 0x88 || lastByte == 0xB5 || lastByte == 0x89 || lastByte == 0x29 else { continue }
                let lastScalar = doc.scalar(at: doc.clampToScalar(info.content.upperBound - 1)).scalar
                if !Self.mayEndJump(lastScalar) { continue }
            } else {
                // A short line is a footer only if it starts with 第 or a dash, boilerplate only if it
                // ends as a channel name does, a jump marker only if it ends with 版, 页 or a bracket:
                // most short lines (a paragraph's last) are none, and are not decoded into an array.
                let lastScalar = doc.scalar(at: doc.clampToScalar(info.content.upperBound - 1)).scalar
                if !Self.mayEndJump(lastScalar) && !Self.channelEnds.contains(lastScalar) && !Self.mayStartFooter(doc, info.content) {
                    continue
                }
            }
            scalars.removeAll(keepingCapacity: true)
            var o = info.content.lowerBound
            while o < info.content.upperBound { let (s, n) = doc.scalar(at: o); scalars.append(s); o += n }
            if Self.isFooter(scalars) {
                result.append(deletion(whole, "Page footer \"\(shown)\" is page furniture: delete it", "Delete the page footer"))
            } else if Self.isBoilerplate(scalars) {
                result.append(diagnostic(info.content, "Outlet boilerplate \"\(shown)\" is not part of the story: delete it", severity: .hint))
            } else if info.kind == .prose, let j = LineFeatures.jumpSuffixStart(scalars), j > 0 {
                // A jump marker at the end of a prose line: delete it with the white space before it.
                var k = j
                while k > 0, Scalars.isInlineSpace(scalars[k - 1]) { k -= 1 }
                guard k > 0 else { continue }
                var start = info.content.lowerBound
                for _ in 0..<k { start += doc.scalar(at: start).length }
                let range = start..<doc.lines.contentRange(of: info.index).upperBound
                // The marker read from the bytes: a view made from the scalars was built one at a time.
                var markerStart = start
                for _ in k..<j { markerStart += doc.scalar(at: markerStart).length }
                let marker = doc.slice(markerStart..<info.content.upperBound)
                result.append(deletion(range, "Jump line \"\(marker)\" at the end of the line is page furniture: delete it", "Delete the jump marker"))
            }
        }
        return result
    }

    static func shorten(_ text: String) -> String {
        // Cut in the text itself: a view made from an array of scalars was built a scalar at a time.
        let v = text.unicodeScalars
        guard let cut = v.index(v.startIndex, offsetBy: 18, limitedBy: v.endIndex),
              v.index(cut, offsetBy: 3, limitedBy: v.endIndex) != nil else { return text }
        return String(v[..<cut]) + "…"
    }

    /// `第 3 页`, `第3页 共8页`, `- 3 -`, `— 12 —`: a page number alone on its line.
    static func isFooter(_ s: [Unicode.Scalar]) -> Bool {
        // Most short lines are told apart by their first character.
        guard let f = s.first(where: { !Scalars.isInlineSpace($0) }), f == "第" || isDash(f.value) else { return false }
        let t = s.filter { !Scalars.isInlineSpace($0) }
        guard !t.isEmpty, t.count <= 12 else { return false }
        func digits(_ x: ArraySlice<Unicode.Scalar>) -> Bool {
            !x.isEmpty && x.count <= 4 && x.allSatisfy { Scalars.isASCIIDigit($0) || ($0.value >= 0xFF10 && $0.value <= 0xFF19) }
        }
        if let f = t.first, let l = t.last, isDash(f.value), isDash(l.value) {
            var body = t[...]
            while let f = body.first, isDash(f.value) { body = body.dropFirst() }
            while let l = body.last, isDash(l.value) { body = body.dropLast() }
            return digits(body)
        }
        // 第N页, optionally followed by 共M页 or /M.
        guard t.first == "第", let p = t.firstIndex(of: "页"), digits(t[1..<p]) else { return false }
        let rest = t[(p + 1)...]
        if rest.isEmpty { return true }
        if rest.first == "共", rest.last == "页" { return digits(rest.dropFirst().dropLast()) }
        if rest.first == "/" { return digits(rest.dropFirst()) }
        return false
    }

    /// Whether the line's first scalar besides spaces is 第 or a dash, as `isFooter` needs.
    static func mayStartFooter(_ doc: TextDocument, _ content: Range<Int>) -> Bool {
        var o = content.lowerBound
        while o < content.upperBound {
            let (s, n) = doc.scalar(at: o)
            if !Scalars.isInlineSpace(s) { return s == "第" || isDash(s.value) }
            o += n
        }
        return false
    }

    /// Whether a line that ends with `s` may end with a jump marker (see `LineFeatures.jumpSuffixStart`).
    static func mayEndJump(_ s: Unicode.Scalar) -> Bool { s == "版" || s == "页" || s == "）" || s == ")" }

    static func isDash(_ v: UInt32) -> Bool { v == 0x2D || v == 0x2013 || v == 0x2014 || v == 0x2015 || v == 0xFF0D }

    /// `上城发布微博`, `上城发布微信`, `上城发布客户端`: an outlet's channel name alone on a short line.
    static let channels = ["微博", "微信", "客户端", "公众号", "抖音号", "视频号", "头条号"].map(LineFeatures.scalars)
    /// The last characters of `channels`, compared one by one: a short line ends with any Han
    /// character, whose bit in a `ScalarSet` table was a cache miss.
    static let channelEnds = Array(Set(channels.map { $0.last! }))
    static func isBoilerplate(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count <= 12, s.allSatisfy(Scalars.isHan) else { return false }
        return channels.contains { s.count >= $0.count + 2 && s.suffix($0.count).elementsEqual($0) }
    }
}
