import TextModel

/// Paired quotation marks of the wrong level or form: “ inside “…”, corner brackets. (Straight quotes
/// in Chinese text are punctuation-width's: one defect, one finding.)
public struct QuoteNestingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "quote-nesting",
        family: .quotes,
        defaultSeverity: .warning,
        summary: "A quotation pair of the wrong level (“ inside “…”) or form (「」『』).",
        explanation: """
        Mainland horizontal text quotes with “” outside and ‘’ inside, and a third level goes back to “” \
        (STYLE-RULES R4); the corner brackets 「」『』 belong to vertical and Hong Kong/Taiwan setting. \
        The rule pairs the marks of each logical paragraph (as \
        unmatched-quote does, multi-paragraph quotations included) and reports one finding per pair, its \
        range covering the pair: a “…” nested in a closed “…” (write ‘…’), a ‘…’ nested in ‘…’ (write “…”), \
        and a 「…」 or 『…』 pair. A straight " counts as a double mark and a straight ' as a single one, so \
        only their level is judged here: their width is punctuation-width's finding. A ‘…’ (or '…') at \
        the outer level is left alone, as it is usually the inner quotation of one whose opening the layout put \
        in another paragraph. Nesting inside a quotation that never closes is not judged: that is \
        unmatched-quote's finding, and only it reports a mark without a partner. Mixed-up levels make it \
        hard to see who is quoting whom. The fix rewrites both marks of the pair to the curly form of \
        the level its nesting calls for; it is unsafe because the pairing can be wrong when another mark \
        is missing nearby.
        """,
        nonTriggering: [
            "他说：“‘紊’是什么意思？”",
            "他说：“我们要确保‘不漏一户、不落一人’，做到‘应检尽检’。”",
            "“甲说：‘乙说“好”。’”",
            "He said \"yes\" and left.",
            "他说：\"紊\"是什么意思？",
            "他说：“以'爱桃浦'的精神。”",
            "他的ID是Tom's。",
            "党旗所指，“党员，就是要站出来，“我愿意接受考验。”这是誓言。",
        ],
        triggering: [
            "他说：“我们要确保↓“不漏一户”。”",
            "“甲说：‘乙说↓‘好’。’”",
            "他说：↓「↓『紊』是什么意思？」",
        ],
        corrections: [
            Correction("他说：“我们要确保“不漏一户”。”", "他说：“我们要确保‘不漏一户’。”", unsafe: true),
            Correction("“甲说：‘乙说‘好’。’”", "“甲说：‘乙说“好”。’”", unsafe: true),
            Correction("他说：「『紊』是什么意思？」", "他说：“‘紊’是什么意思？”", unsafe: true),
            Correction("他说：\"紊\"是什么意思？", "他说：\"紊\"是什么意思？", unsafe: true),
            Correction("He said \"yes\" and left.", "He said \"yes\" and left.", unsafe: true),
        ]
    )

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let pairing = context.quotes.pairing
        let marks = pairing.marks
        let closed = pairing.closedOpeners()
        var suppressed = Array(repeating: false, count: marks.count)
        var inner = Array(repeating: false, count: marks.count)
        var result: [Diagnostic] = []
        for (i, m) in marks.enumerated() where m.isOpener {
            if m.parent >= 0 {
                suppressed[i] = suppressed[m.parent] || !closed[m.parent]
                inner[i] = !inner[m.parent]
            } else {
                // A curly ‘…’ at the outer level keeps its level (see the explanation).
                inner[i] = m.scalar == "‘" || m.scalar == "'"
            }
            guard !suppressed[i], closed[i] else { continue }
            let wantOpen: Unicode.Scalar = inner[i] ? "‘" : "“"
            let wantClose: Unicode.Scalar = inner[i] ? "’" : "”"
            switch m.status {
            case .paired(let c):
                let closer = marks[c]
                // Straight marks count by family: a width-only defect is punctuation-width's.
                guard Self.family(m.scalar) != Self.family(wantOpen) || Self.family(closer.scalar) != Self.family(wantClose)
                else { continue }
                var edits: [TextEdit] = []
                if m.scalar != wantOpen { edits.append(TextEdit(range: m.range, newText: String(wantOpen))) }
                if closer.scalar != wantClose { edits.append(TextEdit(range: closer.range, newText: String(wantClose))) }
                let message = Self.message(m.scalar, closer.scalar, inner: inner[i], nested: m.parent >= 0)
                result.append(diagnostic(m.range.lowerBound..<closer.range.upperBound, message,
                                         related: [RelatedLocation(range: closer.range, message: "the closing mark of the pair")],
                                         fix: Fix(title: "Write \(wantOpen)…\(wantClose)", edits: edits, applicability: .unsafe)))
            case .continued:
                // The opening mark of a non-final paragraph of a multi-paragraph quotation.
                guard Self.family(m.scalar) != Self.family(wantOpen) else { continue }
                let message = Self.message(m.scalar, m.scalar, inner: inner[i], nested: m.parent >= 0)
                result.append(diagnostic(m.range, message,
                                         fix: Fix(title: "Write \(wantOpen)", edit: TextEdit(range: m.range, newText: String(wantOpen)),
                                                  applicability: .unsafe)))
            default:
                break
            }
        }
        return result
    }

    private static func message(_ open: Unicode.Scalar, _ close: Unicode.Scalar, inner: Bool, nested: Bool) -> String {
        let want = inner ? "‘…’" : "“…”"
        let have = "\(open)…\(close)"
        if "「」『』".unicodeScalars.contains(open) || "「」『』".unicodeScalars.contains(close) {
            return "Corner brackets \(have) are for vertical or Hong Kong/Taiwan text: write \(want)"
        }
        return inner
            ? "A quotation inside “…” takes the inner marks: write \(want)"
            : "A quotation inside ‘…’ goes back to the outer marks: write \(want)"
    }

    /// The level a mark stands for, whatever its width: 0 double (“ ” "), 1 single (‘ ’ '), 2 corner forms.
    private static func family(_ s: Unicode.Scalar) -> Int {
        switch s {
        case "“", "”", "\"": return 0
        case "‘", "’", "'": return 1
        default: return 2
        }
    }
}
