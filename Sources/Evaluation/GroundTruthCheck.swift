import TextModel

/// Checks that a generated document's ground truth describes its text: joining exactly the wrap
/// breaks restores every paragraph, furniture lines are whole, no line starts with a mark that may
/// not start a line (R13) nor does a wrapped line end with one that may not end it, layout B has a
/// blank after every line, layout C has none, and every defect's range holds its text. galley-eval
/// runs it on every document it scores and reports the problems (there should be none).
public enum GroundTruthCheck {
    /// A line's content without surrounding white space (its own measure, independent of the
    /// layout analysis under test).
    public static func content(_ doc: TextDocument, line: Int) -> Range<Int> {
        let r = doc.lines.contentRange(of: line)
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, case let (s, n) = doc.scalar(at: lo), Scalars.isInlineSpace(s) { lo += n }
        while hi > lo, Scalars.isInlineSpace(doc.scalar(at: doc.clampToScalar(hi - 1)).scalar) { hi = doc.clampToScalar(hi - 1) }
        return lo..<hi
    }

    public static func problems(_ g: GeneratedDocument) -> [String] {
        var out: [String] = []
        // A BOM (an injected defect) belongs to the file, not to the first line: the layout checks
        // look at the text without it; the defect check below uses the text as is.
        let doc = TextDocument(g.text.hasPrefix("\u{FEFF}") ? String(g.text.unicodeScalars.dropFirst()) : g.text)
        var edits: [TextEdit] = []
        for b in g.wrapBreaks {
            guard b.upper < b.lower, b.lower < doc.lines.count else { out.append("\(g.id): bad break \(b)"); continue }
            edits.append(TextEdit(range: content(doc, line: b.upper).upperBound..<content(doc, line: b.lower).lowerBound, newText: ""))
            let end = content(doc, line: b.upper).upperBound
            if Typesetter.lineEndForbidden.contains(doc.scalar(at: doc.clampToScalar(end - 1)).scalar) {
                out.append("\(g.id) line \(b.upper + 1): wrapped line ends with an opening mark")
            }
        }
        let joined = Scorer.trimmedLines(doc.applying(edits).text)
        let asIs = Scorer.trimmedLines(doc.text)
        for u in g.units {
            if !Scorer.intact(u, in: joined) { out.append("\(g.id): joining the truth does not restore \(u.kind.rawValue) \(u.text.debugDescription)") }
            if u.kind != .paragraph && !Scorer.intact(u, in: asIs) { out.append("\(g.id): \(u.kind.rawValue) is not a line of its own") }
        }
        for l in 0..<doc.lines.count {
            let c = content(doc, line: l)
            if c.isEmpty { continue }
            if Typesetter.lineStartForbidden.contains(doc.scalar(at: c.lowerBound).scalar) {
                out.append("\(g.id) line \(l + 1): starts with a mark that may not start a line")
            }
            if g.layout == .blankAfterEveryLine && !(l + 1 < doc.lines.count && doc.isBlank(line: l + 1)) {
                out.append("\(g.id) line \(l + 1): layout B line not followed by a blank line")
            }
        }
        if g.layout == .noBlankLines, (0..<(doc.lines.count - 1)).contains(where: { doc.isBlank(line: $0) }) {
            out.append("\(g.id): layout C has a blank line")
        }
        let raw = TextDocument(g.text)
        for d in g.defects {
            let flat = String(String.UnicodeScalarView(raw.slice(d.range).unicodeScalars.filter { $0 != "\n" && $0 != "\r" }))
            if flat != d.text { out.append("\(g.id): \(d.kind) range holds \(flat.debugDescription), not \(d.text.debugDescription)") }
        }
        return out
    }
}
