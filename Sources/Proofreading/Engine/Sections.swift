import TextModel

/// Where the engine cuts a document into sections that it checks independently: a fresh check, the
/// language server's re-check after an edit and the parallel batch check all run the rules section
/// by section, so each finding depends on its own section only and the three agree by construction.
///
/// A section starts at a line that follows a blank line after a sentence end, does not start with a
/// mark that may not start a line, and whose content hashes to one of `spacing` values. The test
/// reads only the lines around the break, so an edit moves breaks near it and nowhere else; the hash
/// spreads breaks over the text, so sections are a few dozen paragraphs long, not one each (the layout
/// analysis measures columns over neighbouring paragraphs). Text with no blank lines at all is one
/// section.
public enum Sections {
    /// One candidate break in `spacing` becomes a section start.
    static let spacing: UInt32 = 16

    /// Byte offsets where sections start, in order; always begins with 0.
    public static func starts(in document: TextDocument) -> [Int] {
        // A big text is scanned in pieces of lines on all cores (a piece looks back past its start).
        starts(in: document, pieces: document.count >= 4 << 20 ? Parallel.pieces : 1)
    }

    static func starts(in document: TextDocument, pieces: Int) -> [Int] {
        let n = document.lines.count
        guard pieces > 1, n >= pieces else { return starts(in: document, lines: 0..<n) }
        return Parallel.map(pieces) { k in starts(in: document, lines: (k * n / pieces)..<((k + 1) * n / pieces)) }.flatMap { $0 }
    }

    /// Section starts among the given lines (0 is included when line 0 is).
    public static func starts(in document: TextDocument, lines range: Range<Int>) -> [Int] {
        var result: [Int] = []
        if range.contains(0) { result.append(0) }
        var previousBlank = false
        var lastContent: Int? = nil   // the last non-blank line seen before a run of blank lines
        if range.lowerBound > 0 {
            var l = range.lowerBound - 1
            previousBlank = isBlank(document, l)
            while l >= 0, isBlank(document, l) { l -= 1 }
            lastContent = l >= 0 ? l : nil
        }
        for l in range where l > 0 {
            let blank = isBlank(document, l)
            if !blank, previousBlank, let upper = lastContent, startsSection(document, line: l, after: upper) {
                result.append(document.lines.starts[l])
            }
            if !blank { lastContent = l }
            previousBlank = blank
        }
        return result
    }

    /// Whether non-blank `line`, after blank lines that follow non-blank `upper`, starts a section.
    static func startsSection(_ doc: TextDocument, line: Int, after upper: Int) -> Bool {
        let content = doc.lines.contentRange(of: line)
        guard let first = firstScalar(doc, content), !LineFeatures.lineStartForbidden.contains(first.value),
              endsSentence(doc, doc.lines.contentRange(of: upper)) else { return false }
        // FNV-1a over the line's bytes: the same text gives the same answer on every run and machine.
        var hash: UInt32 = 2_166_136_261
        for b in doc.bytes[content] { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        return hash % spacing == 0
    }

    static func isBlank(_ doc: TextDocument, _ line: Int) -> Bool {
        let r = doc.lines.contentRange(of: line)
        guard !r.isEmpty else { return true }
        // Inline white space starts with one of these bytes; any other first byte is content.
        switch doc.bytes[r.lowerBound] {
        case 0x20, 0x09, 0xC2, 0xE2, 0xE3: return firstScalar(doc, r) == nil
        default: return false
        }
    }

    /// The first scalar that is not inline white space.
    static func firstScalar(_ doc: TextDocument, _ r: Range<Int>) -> Unicode.Scalar? {
        var o = r.lowerBound
        while o < r.upperBound {
            let (s, n) = doc.scalar(at: o)
            if !Scalars.isInlineSpace(s) { return s }
            o += n
        }
        return nil
    }

    /// The line's content ends with a sentence end, possibly followed by closing quotes or brackets.
    static func endsSentence(_ doc: TextDocument, _ r: Range<Int>) -> Bool {
        var o = r.upperBound
        while o > r.lowerBound {
            let start = doc.clampToScalar(o - 1)
            let s = doc.scalar(at: start).scalar
            if Scalars.isInlineSpace(s) || LineFeatures.closers.contains(s.value) { o = start; continue }
            return LineFeatures.terminalMarks.contains(s.value)
        }
        return false
    }
}
