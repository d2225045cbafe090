import TextModel

/// One section's text and layout. The layout is computed once and shared by every context that
/// reads the section: its own, and its neighbours' look-back and look-around contexts, which join
/// the layouts of their sections (layout analysis never crosses a section break).
public final class SectionText {
    public let start: Int
    public let document: TextDocument
    public private(set) lazy var layout = Layout(document)

    public init(of document: TextDocument, _ range: Range<Int>) {
        start = range.lowerBound
        let whole = range.lowerBound == 0 && range.upperBound == document.count
        self.document = whole ? document : TextDocument(bytes: Array(document.bytes[range]))
    }
}

extension RuleScope {
    /// The section scopes, in the order `Linter.findings` returns their findings.
    static let sectionScopes: [RuleScope] = [.section, .sectionAndPrevious, .sectionAndNeighbours]

    /// The sections a rule of this scope reads for section `i` of `count`.
    func sections(around i: Int, count: Int) -> ClosedRange<Int> {
        switch self {
        case .section, .document: return i...i
        case .sectionAndPrevious: return max(0, i - 1)...i
        case .sectionAndNeighbours: return max(0, i - 1)...min(count - 1, i + 1)
        }
    }
}

extension Linter {
    /// Findings in section `i` (of `count`) of the rules of the given section scopes (indexes into
    /// `RuleScope.sectionScopes`), by scope, in offsets relative to the section's start. `part`
    /// gives the text of a section by index.
    func findings(_ scopes: [Int], section i: Int, count: Int, part: (Int) -> SectionText) -> [[Diagnostic]] {
        var result = [[Diagnostic]](repeating: [], count: RuleScope.sectionScopes.count)
        for k in scopes {
            let scope = RuleScope.sectionScopes[k]
            let chosen = rules.filter { type(of: $0.rule).scope == scope }
            guard !chosen.isEmpty else { continue }
            let read = scope.sections(around: i, count: count)
            let context: RuleContext
            var offset = 0, length = part(i).document.count
            if read.count == 1 {
                let own = part(i)
                context = RuleContext(document: own.document, configuration: configuration, startsFile: own.start == 0, layout: own.layout)
            } else {
                for j in read where j < i { offset += part(j).document.count }
                let joined = TextDocument(joining: read.map { part($0).document })
                let layout = Layout(joining: read.map { part($0).layout }, in: joined)
                context = RuleContext(document: joined, configuration: configuration, startsFile: part(read.lowerBound).start == 0, layout: layout)
            }
            // Only findings that start in the section itself (the last section keeps what starts at its end).
            let last = read.upperBound == i
            for (rule, severity) in chosen {
                for d in rule.check(context) where d.range.lowerBound >= offset && (d.range.lowerBound - offset < length || last) {
                    result[k].append(configured(d, rule: rule, severity: severity).shifted(by: -offset))
                }
            }
        }
        return result
    }
}
