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
            // A short line that ends a sentence before a blank line ends its paragraph.
            "记者在现场看到。\n\n第二段开始。\n",
            // A two-layer headline printed after its story, then the next story's dateline (seed 000).
            "议以视频的形式在各街镇设分会场。\n\n增强大局意识 强化责任担当\n青浦区召开新冠肺炎疫情防控工作例会\n\n本报讯（记者 张强）当前，上海正面临挑战。\n",
            // A byline and a jump line.
            "任务，确保方舱医院顺利运行。\n■本报记者 唐玮婕\n",
            "记者昨天采访了几名志愿者。\n▼ 下转第六版\n",
            // List items each start a line.
            "1. 湖滨街道,沈彦,13906509846\n2. 清波街道,贾晔唯,15805710678\n",
            // A photo credit.
            "党员志愿者们不辞辛劳送菜忙。 本报记者 赵立荣摄\n超市工作人员正把蔬果装入食材包中。\n",
            // One paragraph per line: a headline above its paragraph.
            "浦东新区 加大对特殊群体关爱保障力度\n\n浦东新区民政局党组书记、局长周小平表示，要全面贯彻落实全市领导干部大会精神，按照市委、区委决策部署，筑牢民政领域疫情防控底线。\n\n本报记者 宋宁华\n",
        ],
        triggering: [
            // Single-spaced column (seed 000): full lines that do not end a sentence.
            "上海正面临着常态化防控以来疫情↓\n形势最为严峻复杂的挑战。青浦市↓\n场监管局坚持党建引领。\n",
            // A blank line inside a sentence (seed 000 lines 27–29).
            "守、带头参与隔离酒店和核酸检测↓\n支援，凝聚起上下一心、齐心战↓\n\n“疫”的强大合力。全局281名党员↓\n干部亮身份、见行动。\n",
            // A blank line after every line, a narrow column, a letter-spaced line (seed 001).
            "行举行座↓\n\n谈。\n\n李 强↓\n\n代表市委、↓\n\n市政府，对↓\n\n督查组一↓\n\n行来沪督↓\n\n查指导。\n",
            // A number cut by the wrap (seed 004).
            "疫情防控工作推进到哪里，党组↓\n\n织力量就覆盖到哪里。截至3月21↓\n\n日，上海各区共抽调机关、企事业单位↓\n\n党员干部近6万人下沉基层一线。\n",
            // A line that starts with a mark that may not start a line (R13).
            "他说↓\n，上海坚决贯彻。\n",
            // One paragraph per line, split at a comma across a blank line (seed 002 lines 67–69).
            "金卫峰强调，首先，区绿化市容局必须扛起特殊责任，坚决推动市委、区委关于疫情防控的各项决策部署落地落实。局党组充分发挥履职担责的主体作用，启动应急预案，成立工作专班，形成工作合力，统筹协调作业力量，↓\n\n统一调度管理资源，保障做好涉疫垃圾转运、生活垃圾清运、道路清扫保洁等工作。\n",
        ],
        corrections: [
            Correction("上海正面临着常态化防控以来疫情\n形势最为严峻复杂的挑战。青浦市\n场监管局坚持党建引领。\n",
                       "上海正面临着常态化防控以来疫情形势最为严峻复杂的挑战。青浦市场监管局坚持党建引领。\n"),
            Correction("行举行座\n\n谈。\n\n李 强\n\n代表市委、\n\n市政府，对\n\n督查组一\n\n行来沪督\n\n查指导。\n",
                       "行举行座谈。\n\n李 强代表市委、市政府，对督查组一行来沪督查指导。\n"),
            Correction("他说\n，上海坚决贯彻。\n", "他说，上海坚决贯彻。\n"),
            // Across a blank line in a single-spaced column the join is unsafe: a person should look.
            Correction("守、带头参与隔离酒店和核酸检测\n支援，凝聚起上下一心、齐心战\n\n“疫”的强大合力。全局281名党员\n干部亮身份、见行动。\n",
                       "守、带头参与隔离酒店和核酸检测支援，凝聚起上下一心、齐心战“疫”的强大合力。全局281名党员干部亮身份、见行动。\n",
                       unsafe: true),
            // Two Latin words cut by the wrap keep a space.
            Correction("采用了 Omicron\nvariant 的说法，并在报道中沿\n用至今。\n", "采用了 Omicron variant 的说法，并在报道中沿用至今。\n"),
        ]
    )

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let joins = context.layout.joins
        let messages = Self.messages
        // The findings are written in place into copies of one: a finding built and appended was
        // copied and the original destroyed, which cost more than the rest of the rule.
        var result = Array(repeating: Diagnostic(ruleID: Self.description.id, severity: .warning, range: 0..<0, message: ""),
                           count: joins.count)
        // The joins are read in place, and the message is a literal where it can be: a string copied
        // out of an array or a join is retained (a runtime call per finding), a literal is not.
        result.withUnsafeMutableBufferPointer { result in
            joins.withUnsafeBufferPointer { joins in
                for i in joins.indices {
                    let range = joins[i].range, confidence = joins[i].confidence, blank = joins[i].blankLines > 0
                    result[i].severity = confidence == .safe ? .warning : .information
                    result[i].range = range
                    if let literal = Self.literalMessages(joins[i].cause) {
                        result[i].message = blank ? literal.blank : literal.line
                    } else {
                        result[i].message = joins[i].cause.index.map { blank ? messages[$0].blank : messages[$0].line }
                            ?? Self.message(joins[i].cause, joins[i].blankLines)
                    }
                    result[i].fix = Fix(title: "Join the lines", edit: TextEdit(range: range, newText: joins[i].separator),
                                        applicability: confidence)
                }
            }
        }
        return result
    }

    static func message(_ cause: WrapReason, _ blankLines: Int) -> String {
        blankLines > 0 ? "Blank line inside a sentence: \(cause.text)" : "Line break inside a sentence: \(cause.text)"
    }

    /// Every message, made once (in the order of `WrapReason.index`): a section has hundreds of
    /// joins and few reasons.
    static let messages = WrapReason.all.map { cause in literalMessages(cause) ?? (line: message(cause, 0), blank: message(cause, 1)) }

    /// The messages of the commonest reasons (786 of the seeds' 789 findings), written out:
    /// a literal string is not reference counted, where one made at run time, shared by every
    /// section, was retained and released by both cores for each finding. (A test checks that
    /// they read as `message` makes them.)
    static func literalMessages(_ cause: WrapReason) -> (line: String, blank: String)? {
        switch cause {
        case .full: ("Line break inside a sentence: the line is full and does not end a sentence",
                     "Blank line inside a sentence: the line is full and does not end a sentence")
        case .cutQuotation: ("Line break inside a sentence: a quotation or bracket is cut by the break",
                             "Blank line inside a sentence: a quotation or bracket is cut by the break")
        case .sentenceGoesOn("，"): ("Line break inside a sentence: the line ends with “，”, the sentence goes on",
                                    "Blank line inside a sentence: the line ends with “，”, the sentence goes on")
        case .sentenceGoesOn("、"): ("Line break inside a sentence: the line ends with “、”, the sentence goes on",
                                    "Blank line inside a sentence: the line ends with “、”, the sentence goes on")
        case .stopsWithoutEnd: ("Line break inside a sentence: the line stops without a sentence end and the paragraph goes on below",
                                "Blank line inside a sentence: the line stops without a sentence end and the paragraph goes on below")
        case .fullAtSentenceEnd: ("Line break inside a sentence: the line is full and ends a sentence at the margin; the paragraph may go on",
                                  "Blank line inside a sentence: the line is full and ends a sentence at the margin; the paragraph may go on")
        case .cutNumber: ("Line break inside a sentence: a number is cut by the break",
                          "Blank line inside a sentence: a number is cut by the break")
        default: nil
        }
    }
}
