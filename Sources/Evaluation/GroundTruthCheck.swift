import TextModel
import Proofreading

/// Checks that a generated document's ground truth describes its text: joining exactly the wrap
/// breaks restores every paragraph, furniture lines are whole, no line starts with a mark that may
/// not start a line (R13) nor does a wrapped line end with one that may not end it, layout B has a
/// blank after every line, layout C has none, and every defect's range holds its text. galley-eval
/// runs it on every document it scores and reports the problems (there should be none).
public enum GroundTruthCheck {
    public static func problems(_ g: GeneratedDocument) -> [String] {
        var out: [String] = []
        let doc = TextDocument(g.text)
        let layout = Layout(doc)
        var edits: [TextEdit] = []
        for b in g.wrapBreaks {
            guard b.upper < b.lower, b.lower < layout.lines.count else { out.append("\(g.id): bad break \(b)"); continue }
            edits.append(TextEdit(range: layout.lines[b.upper].content.upperBound..<layout.lines[b.lower].content.lowerBound, newText: ""))
            let end = layout.lines[b.upper].content.upperBound
            if Typesetter.lineEndForbidden.contains(doc.scalar(at: doc.clampToScalar(end - 1)).scalar) {
                out.append("\(g.id) line \(b.upper + 1): wrapped line ends with an opening mark")
            }
        }
        let joined = Scorer.trimmedLines(doc.applying(edits).text)
        let asIs = Scorer.trimmedLines(g.text)
        for u in g.units {
            if !Scorer.intact(u, in: joined) { out.append("\(g.id): joining the truth does not restore \(u.kind.rawValue) \(u.text.debugDescription)") }
            if u.kind != .paragraph && !Scorer.intact(u, in: asIs) { out.append("\(g.id): \(u.kind.rawValue) is not a line of its own") }
        }
        for line in layout.lines where !line.content.isEmpty {
            if Typesetter.lineStartForbidden.contains(doc.scalar(at: line.content.lowerBound).scalar) {
                out.append("\(g.id) line \(line.index + 1): starts with a mark that may not start a line")
            }
            if g.layout == .blankAfterEveryLine && !(line.index + 1 < doc.lines.count && doc.isBlank(line: line.index + 1)) {
                out.append("\(g.id) line \(line.index + 1): layout B line not followed by a blank line")
            }
        }
        if g.layout == .noBlankLines, (0..<(doc.lines.count - 1)).contains(where: { doc.isBlank(line: $0) }) {
            out.append("\(g.id): layout C has a blank line")
        }
        for d in g.defects {
            let flat = String(String.UnicodeScalarView(doc.slice(d.range).unicodeScalars.filter { $0 != "\n" }))
            if flat != d.text { out.append("\(g.id): \(d.kind) range holds \(flat.debugDescription), not \(d.text.debugDescription)") }
        }
        return out
    }
}
