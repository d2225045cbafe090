import TextModel

/// A line break inside a sentence, left by a narrow newspaper column or by the extractor.
public struct BrokenWrapRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "broken-wrap",
        family: .layout,
        defaultSeverity: .warning,
        summary: "A line break (or blank line) inside a sentence of Chinese prose.",
        explanation: """
        Newspaper columns are 5 to 20 characters wide, and a transcription keeps their hard line breaks, \
        sometimes with blank lines in the middle of a sentence. The rule measures each block's column width \
        (display width: CJK 2, Latin letters and digits 1), and joins a line to the next when the line is \
        full and does not end a sentence, when the next line starts with a mark that may not start a line \
        (，。、；：？！”’）》, STYLE-RULES R13), or when a number or a quotation is cut. It does not join \
        headlines, bylines, captions, list items, jump lines, or a short line that ends a sentence. The fix \
        removes the break with nothing in between (a space only between two Latin words, R14). It is safe \
        where the evidence is unambiguous and unsafe (severity information) where a person should look, \
        such as a full line that ends a sentence exactly at the margin.
        """,
        nonTriggering: [
            "记者在现场看到。\n\n第二段开始。\n",
        ],
        triggering: [
            "记者在↓\n现场看到。\n",
        ],
        corrections: [
            Correction("记者在\n现场看到。\n", "记者在现场看到。\n", unsafe: true),
        ]
    )

    public func check(_ context: RuleContext) -> [Diagnostic] {
        context.layout.joins.map { join in
            let fix = Fix(title: "Join the lines", edits: [TextEdit(range: join.range, newText: join.separator)],
                          applicability: join.confidence)
            let message = join.blankLines > 0
                ? "Blank line inside a sentence: \(join.reason)"
                : "Line break inside a sentence: \(join.reason)"
            return diagnostic(join.range, message, fix: fix,
                              severity: join.confidence == .safe ? .warning : .information)
        }
    }
}
