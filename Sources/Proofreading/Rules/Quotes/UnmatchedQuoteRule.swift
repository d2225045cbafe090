import TextModel

/// A quotation mark without a partner in its logical paragraph (or multi-paragraph quotation).
public struct UnmatchedQuoteRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "unmatched-quote",
        family: .quotes,
        defaultSeverity: .warning,
        summary: "A quotation mark that opens and never closes, or closes and never opened.",
        explanation: """
        Pairs “” and ‘’ (with the straight " and ' as members of the same families, and 「」『』 each with \
        its own closer) over each logical paragraph, so a quotation cut by a column wrap is still one \
        quotation. A quotation set as several paragraphs opens each paragraph with “ and closes only the \
        last with ” (STYLE-RULES R5): an unclosed “ is accepted when the next paragraph starts with “, unless that “ opens a \
        short quoted term (“十四五”期间: closed within 16 characters, not after the end of a sentence). The \
        rule reports the unpaired mark itself, with a related location: where an unclosed quotation most \
        likely should have closed (just before the next opening mark of the same kind at the same level, \
        `“…“…”`, otherwise the end of the paragraph), or, for a closing mark without an opener, the start \
        of the paragraph. Two quotations that cross (“…‘…”…’) are reported once, on the inner opener. An \
        unpaired mark in a transcription is usually a dropped or misread character, or a paragraph split \
        in the wrong place, and it garbles who said what. ’ inside or right after a Latin word is an \
        apostrophe and is skipped. A “ nested in a closed “…” is not this rule's finding but \
        quote-nesting's. There is no fix: only a person can tell where the missing mark belongs.
        """,
        nonTriggering: [
            "他说：“我们一定做到。”",
            "他说：“我们\n一定做到。”\n",
            "“第一段内容。\n\n“第二段内容。”\n",
            "“‘紊’是什么意思？”",
            "他说：“你的ID don’t用了。”",
            "奋勇战“疫”，同心守“沪”。",
        ],
        triggering: [
            "党旗所指，行之所向。↓“党员，就是要在关键时刻站出来，“我愿意接受最关键时期的考验。”这是誓言。",
            "↓“第一段内容。\n\n第二段内容。\n",
            "他们开展↓“清零行动。\n\n“十四五”期间，全区加快发展。\n",
            "做到守土有责、守土尽责。↓”朱莺表示。",
            "他说：“以↓‘爱桃浦、更靠谱”的精神。",
            "“甲↓‘乙”丙’。",
        ],
        corrections: []
    )

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let marks = context.quotes.pairing.marks
        var result: [Diagnostic] = []
        for m in marks {
            // Made only for a finding: most marks are paired.
            var mark: String { String(m.scalar) }
            switch m.status {
            case .unclosed(let expected):
                let closer = Self.closer(for: m.scalar)
                var message = "Unclosed \(mark): close the quotation with \(closer)"
                var related = [RelatedLocation(range: expected..<expected, message: "the quotation should close here")]
                if m.continues >= 0 {
                    var first = m.continues
                    while marks[first].continues >= 0 { first = marks[first].continues }
                    message += " (the quotation runs on from an earlier paragraph)"
                    related.append(RelatedLocation(range: marks[first].range, message: "the quotation starts here"))
                }
                result.append(diagnostic(m.range, message, related: related))
            case .stray(let expected):
                let opener = Self.opener(for: m.scalar)
                result.append(diagnostic(m.range, "\(mark) without an opening \(opener): add \(opener) where the quotation starts, or delete \(mark)",
                                         related: [RelatedLocation(range: expected..<expected, message: "the paragraph starts here")]))
            case .crossed(let partner) where m.isOpener:
                let p = marks[partner]
                result.append(diagnostic(m.range, "\(mark)…\(String(p.scalar)) crosses another quotation: close \(mark) inside it",
                                         related: [RelatedLocation(range: p.range, message: "the crossing \(String(p.scalar)) is here")]))
            default:
                break
            }
        }
        return result
    }

    static func closer(for s: Unicode.Scalar) -> String {
        switch s {
        case "“", "\"": return "”"
        case "‘", "'": return "’"
        case "「": return "」"
        case "『": return "』"
        default: return String(s)
        }
    }

    static func opener(for s: Unicode.Scalar) -> String {
        switch s {
        case "”", "\"": return "“"
        case "’", "'": return "‘"
        case "」": return "「"
        case "』": return "『"
        default: return String(s)
        }
    }
}
