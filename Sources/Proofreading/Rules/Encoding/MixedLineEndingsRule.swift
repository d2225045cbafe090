import TextModel

/// CRLF, LF and CR line endings mixed in one file.
public struct MixedLineEndingsRule: Rule {
    public init() {}
    /// The majority style is the whole file's.
    public static let scope = RuleScope.document

    public static let description = RuleDescription(
        id: "mixed-line-endings",
        family: .encoding,
        defaultSeverity: .warning,
        summary: "A file whose lines end in more than one style (CRLF, LF, CR).",
        explanation: """
        Counts the line endings of the file (Windows CRLF, Unix LF, old Mac CR) and, when more than one \
        style occurs, reports once: the finding runs from the first to the last line ending that differs \
        from the majority style (LF wins a tie). Mixed endings come from pasting pieces of text from \
        different sources into one transcription; diff tools then show whole lines as changed, and some \
        tools count a lone CR as no line break at all, gluing two lines together. The fix converts every \
        differing ending to the majority style and is safe: only the line-break bytes change.
        """,
        nonTriggering: [
            "第一行\n第二行\n第三行\n",
            "第一行\n第二行",
        ],
        triggering: [
            "一\n二\n三↓\r\n四\n五\r\n六\n",
            "第一行\n第二行↓\r\n第三行\n",
            "第一行\n第二行↓\r第三行\n",
        ],
        corrections: [
            Correction("第一行\n第二行\r\n第三行\r第四行\n", "第一行\n第二行\n第三行\n第四行\n"),
        ]
    )

    enum Style: Int { case lf = 0, crlf, cr
        var text: String { ["\n", "\r\n", "\r"][rawValue] }
        var name: String { ["LF", "CRLF", "CR"][rawValue] }
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        // Without a CR every line ends in LF: nothing to count. (The language server runs this rule
        // over the whole document after every edit; it keeps count of the CRs itself.)
        guard context.containsCarriageReturn else { return [] }
        let (lf, crlf, cr) = doc.lineEndings()
        let counts = [lf, crlf, cr]
        guard counts.filter({ $0 > 0 }).count > 1 else { return [] }
        // The majority; LF wins ties, then CRLF.
        var majority = Style.lf
        for style in [Style.crlf, .cr] where counts[style.rawValue] > counts[majority.rawValue] { majority = style }
        let lines = doc.lines
        var edits: [TextEdit] = []
        var differing = [0, 0, 0]
        for l in 0..<(lines.count - 1) {
            let end = lines.contentEnds[l], next = lines.starts[l + 1]
            let style: Style = next - end == 2 ? .crlf : (doc.bytes[end] == 0x0D ? .cr : .lf)
            if style != majority {
                edits.append(TextEdit(range: end..<next, newText: majority.text))
                differing[style.rawValue] += 1
            }
        }
        guard let first = edits.first, let last = edits.last else { return [] }
        let others = [Style.lf, .crlf, .cr].filter { differing[$0.rawValue] > 0 }
            .map { "\(differing[$0.rawValue]) \($0.name)" }.joined(separator: " and ")
        return [diagnostic(first.range.lowerBound..<last.range.upperBound,
                           "Mixed line endings: \(others) among \(counts[majority.rawValue]) \(majority.name); convert every line ending to \(majority.name)",
                           fix: Fix(title: "Convert line endings to \(majority.name)", edits: edits, applicability: .safe))]
    }
}
