import TextModel

/// A document kept checked while it is edited: the language server's model of an open file.
///
/// The findings are kept per section (see `Sections`). An edit re-derives the section breaks near
/// it, re-checks the sections whose text changed, re-runs the rules that read neighbouring sections
/// in the sections beside them, and moves the rest; so the cost of an edit follows the size of the sections it touches, not
/// of the document. `diagnostics` always equals `linter.check(document)`: both run the same
/// sections through the same rules (the random-edit tests compare them).
public struct CheckedDocument: TextPositions {
    public let linter: Linter
    /// Until `check()` runs: the whole text (edited in place). After it, the text is kept in the
    /// sections, each its own bytes and line index: an edit moves the bytes of one section, not the
    /// rest of a long text, and the whole text is joined only when something asks for it.
    var whole: TextDocument?
    var sections: [Section]
    /// The line each section starts on, in the whole text.
    var firstLines: [Int] = []
    var documentFindings: [Diagnostic]
    /// CR bytes in the text, kept up to date by `replace` (the document-scope rule reads it).
    var carriageReturns = 0
    /// The whole text once joined, until the next edit (shared by copies: an edit puts in a new one).
    private var joined = Joined()

    final class Joined { var document: TextDocument? }

    /// One section: where it starts, its text and its findings, relative to its start (so moving a
    /// section moves one number, not every finding in it).
    struct Section {
        var start: Int
        var text: TextDocument
        var length: Int { text.count }
        /// Findings of the rules of each section scope (`.section`, `.sectionAndPrevious`,
        /// `.sectionAndNeighbours`), packed (a long document keeps hundreds of thousands).
        var found = [PackedDiagnostics](repeating: PackedDiagnostics(), count: 3) {
            didSet { (count, errors) = found.reduce((0, 0)) { ($0.0 + $1.count, $0.1 + $1.errors) } }
        }
        /// Facts of the neighbour rules that keep them, derived from this section's text.
        var facts: [ObjectIdentifier: Any] = [:]
        /// Kept with the findings: every publish sums them over all sections.
        private(set) var count = 0, errors = 0
        func all(shiftedBy delta: Int) -> [Diagnostic] {
            var result: [Diagnostic] = []
            for f in found { f.unpack(shiftedBy: delta, into: &result) }
            return result
        }
    }

    /// False until `check()` runs: the server opens a document first and checks it once the
    /// message that carried its text has been let go (a 10 MB text is not held twice meanwhile).
    public var isChecked: Bool { whole == nil }

    public init(_ document: TextDocument, linter: Linter, checkNow: Bool = true) {
        self.whole = document
        self.linter = linter
        sections = []
        documentFindings = []
        if checkNow { check() }
    }

    /// The whole text (joined from the sections the first time it is asked for after an edit).
    public var document: TextDocument {
        if let whole { return whole }
        if let d = joined.document { return d }
        // Each section but the last ends with a line break and none but the first starts with an
        // LF (a section starts on a line with content): the line indexes join as they are.
        let d = sections.count == 1 ? sections[0].text : TextDocument(joining: sections.map(\.text))
        joined.document = d
        return d
    }

    /// The text's length in bytes.
    public var length: Int { whole?.count ?? (sections[sections.count - 1].start + sections[sections.count - 1].length) }

    /// Checks the whole text (once; edits after that re-check what they touch).
    public mutating func check() {
        guard whole != nil else { return }
        let (starts, texts) = cutIntoSections()
        sections = starts.indices.map { i in Section(start: starts[i], text: texts[i]) }
        // Packed as each section is checked: the unpacked findings of a long text never exist at once.
        // The kept facts too: an edit anywhere then derives only its own section's again.
        let packed = linter.sectionFindings(sections: texts, starts: starts) { _, found, text in (found.map(PackedDiagnostics.init), text.keptFacts) }
        for (i, result) in packed.enumerated() {
            if let (found, facts) = result { sections[i].found = found; sections[i].facts = facts }
        }
        countLines()
    }

    /// The whole text cut into its sections' texts, and let go (on return: a 10 MB text is not held
    /// twice while it is checked). Runs the document-scope rules, which read the whole.
    private mutating func cutIntoSections() -> (starts: [Int], texts: [TextDocument]) {
        let text = whole!
        whole = nil
        // memchr, not a byte at a time: a 10 MB text took 52 M instructions when opened.
        carriageReturns = text.bytes.withUnsafeBufferPointer { $0.count(of: 0x0D) }
        documentFindings = linter.checkDocumentRules(text, containsCarriageReturn: carriageReturns > 0)
        let starts = Sections.starts(in: text)
        let texts = starts.indices.map { i in
            starts.count == 1 ? text : text.section(starts[i]..<(i + 1 < starts.count ? starts[i + 1] : text.count))
        }
        return (starts, texts)
    }

    /// `firstLines` of every section (a section but the last ends with a line break: its line
    /// index ends with the empty line that is the next section's first).
    mutating func countLines() {
        var line = 0
        firstLines = sections.map { s in defer { line += s.text.lines.count - 1 }; return line }
    }

    func end(of i: Int) -> Int { i + 1 < sections.count ? sections[i + 1].start : length }

    /// The section that holds `offset` (the last one starting at or before it).
    func section(containing offset: Int) -> Int {
        var lo = 0, hi = sections.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if sections[mid].start <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    // MARK: Positions (without joining the text)

    /// An offset clamped into the text and moved back to the start of its scalar.
    public func clampToScalar(_ offset: Int) -> Int {
        if let whole { return whole.clampToScalar(offset) }
        let o = min(max(offset, 0), length)
        let s = sections[section(containing: o)]
        return s.start + s.text.clampToScalar(o - s.start)
    }

    /// The byte at an offset inside the text, read from its section.
    public func byte(at offset: Int) -> UInt8 {
        if let whole { return whole.bytes[offset] }
        let s = sections[section(containing: offset)]
        return s.text.bytes[offset - s.start]
    }

    /// `TextDocument.positions(of:in:)` of the whole text, read from the sections' own texts.
    public func positions(of offsets: [Int], in encoding: PositionEncoding) -> [LineColumn] {
        if let whole { return whole.positions(of: offsets, in: encoding) }
        var result: [LineColumn] = []
        result.reserveCapacity(offsets.count)
        // Offsets come mostly in text order: each run of them in one section is converted by it.
        var k = 0
        while k < offsets.count {
            let i = section(containing: offsets[k])
            let s = sections[i]
            let lo = i == 0 ? Int.min : s.start, hi = i + 1 < sections.count ? sections[i + 1].start : Int.max
            var run = k + 1
            while run < offsets.count, offsets[run] >= lo, offsets[run] < hi { run += 1 }
            for p in s.text.positions(of: offsets[k..<run].map { $0 - s.start }, in: encoding) {
                result.append(LineColumn(line: p.line + firstLines[i], column: p.column))
            }
            k = run
        }
        return result
    }

    /// The byte range of a line's content (without its terminator), read from the sections' own texts.
    public func contentRange(ofLine line: Int) -> Range<Int> {
        if let whole { return whole.lines.contentRange(of: line) }
        let i = section(holdingLine: line)
        // Out of range, the section's own index clamps as the whole text's would.
        let local = sections[i].text.lines.contentRange(of: line - firstLines[i])
        return (local.lowerBound + sections[i].start)..<(local.upperBound + sections[i].start)
    }

    /// `TextDocument.offset(of:in:)` of the whole text, read from the sections' own texts.
    public func offset(of position: LineColumn, in encoding: PositionEncoding) -> Int {
        if let whole { return whole.offset(of: position, in: encoding) }
        if position.line < 0 { return 0 }
        let i = section(holdingLine: position.line)
        let local = LineColumn(line: position.line - firstLines[i], column: position.column)
        return sections[i].start + sections[i].text.offset(of: local, in: encoding)
    }

    /// The last section starting on or before `line` (a non-last section's last line, the empty one
    /// after its final line break, is the next one's first).
    func section(holdingLine line: Int) -> Int {
        var lo = 0, hi = sections.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if firstLines[mid] <= line { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    // MARK: Edits

    static let allScopes: Set<Int> = [0, 1, 2]

    /// Runs again, in each section named, the rules of the scopes named for it (indexes into
    /// `RuleScope.sectionScopes`); a section's text and layout are made once for all of them.
    mutating func recheck(_ need: [Int: Set<Int>]) {
        var texts: [Int: SectionText] = [:]
        var results: [(section: Int, scopes: Set<Int>, found: [[Diagnostic]])] = []
        do {
            // Read through a copy, written back after it is gone (else the first write copies every section).
            let list = sections
            func part(_ j: Int) -> SectionText {
                if let t = texts[j] { return t }
                let t = SectionText(document: list[j].text, start: list[j].start, facts: list[j].facts)
                texts[j] = t
                return t
            }
            for (i, which) in need.sorted(by: { $0.key < $1.key }) {
                results.append((i, which, linter.findings(which.sorted(), section: i, count: list.count, parallel: true, part: part)))
            }
        }
        for (i, which, found) in results {
            for k in which { sections[i].found[k] = PackedDiagnostics(found[k]) }
        }
        // Facts derived now stay with their sections: the next edit nearby reads them, not the text.
        for (j, t) in texts { sections[j].facts = t.keptFacts }
    }

    /// Replaces `range` with `text` and re-checks what the edit can change. Returns the range that
    /// was replaced (clamped onto scalar boundaries).
    @discardableResult
    public mutating func replace(_ range: Range<Int>, with text: String) -> Range<Int> {
        guard isChecked else { return whole!.replace(range, with: text) }
        let lo = clampToScalar(range.lowerBound)
        let old = lo..<max(lo, clampToScalar(range.upperBound))
        let first = section(containing: old.lowerBound)
        let last = section(containing: old.upperBound)
        // Breaks are re-derived in the edited sections: a break depends on the line it starts and the
        // lines before it. The section before joins them when the edit reaches the line that starts
        // the first (its break may go); the section after, when it reaches the last content line
        // before the next break (the break after the span stays put otherwise).
        let secondLine = sections[first].text.lines.count > 1 ? sections[first].start + sections[first].text.lines.starts[1] : Int.max
        let spanFirst = first > 0 && old.lowerBound < secondLine ? first - 1 : first
        let spanLast = last + 1 < sections.count && old.upperBound >= lastContentLineStart(of: last) ? last + 1 : last
        let spanStart = sections[spanFirst].start
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end(of: spanLast) - spanStart + text.utf8.count)
        for j in spanFirst...spanLast { sections[j].text.bytes.withUnsafeBufferPointer { bytes += $0 } }
        let removed = (old.lowerBound - spanStart)..<(old.upperBound - spanStart)
        var inserted = text
        carriageReturns += inserted.withUTF8 { $0.count(of: 0x0D) }
            - bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[removed]).count(of: 0x0D) }
        bytes.replaceSubrange(removed, with: text.utf8)
        let delta = text.utf8.count - old.count
        let span = TextDocument(bytes: bytes)
        let atEnd = spanLast == sections.count - 1
        // Up to a section start, the span's last line is the empty one after its final line break.
        let lineCount = atEnd ? span.lines.count : span.lines.count - 1
        // From the span's second line, which reads the first (never blank there) as the line before;
        // the span's own start stays a break. At the text's start, as a fresh check reads it.
        var starts = (spanStart == 0 ? Sections.starts(in: span, lines: 0..<lineCount)
                                     : [0] + Sections.starts(in: span, lines: min(1, lineCount)..<lineCount)).map { $0 + spanStart }
        if starts.first != spanStart { starts.insert(spanStart, at: 0) }
        let spanEnd = spanStart + span.count

        // A new section whose bytes are an old section's, untouched by the edit, keeps its findings.
        var kept: [Int: Section] = [:]
        for j in spanFirst...spanLast {
            let oldStart = sections[j].start, oldEnd = oldStart + sections[j].length
            if oldEnd <= old.lowerBound { kept[oldStart] = sections[j] }
            if oldStart >= old.upperBound { var moved = sections[j]; moved.start += delta; kept[moved.start] = moved }
        }
        var fresh: [Section] = []
        var changed: [Bool] = []
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : spanEnd
            if let s = kept[start], s.length == end - start {
                fresh.append(s)
                changed.append(false)
            } else {
                let own = starts.count == 1 ? span : span.section((start - spanStart)..<(end - spanStart))
                fresh.append(Section(start: start, text: own))
                changed.append(true)
            }
        }
        // The lines of the sections after the span move by what the span gained, read from the
        // span's sections only (not from the texts of the thousand sections after it).
        let oldLines = (spanFirst...spanLast).reduce(0) { $0 + sections[$1].text.lines.count - 1 }
        var line = firstLines[spanFirst]
        var spanLines: [Int] = []
        for f in fresh { spanLines.append(line); line += f.text.lines.count - 1 }
        let lineDelta = line - firstLines[spanFirst] - oldLines
        for k in (spanLast + 1)..<sections.count { sections[k].start += delta }
        sections.replaceSubrange(spanFirst...spanLast, with: fresh)
        firstLines.replaceSubrange(spanFirst...spanLast, with: spanLines)
        firstLines.withUnsafeMutableBufferPointer { lines in
            for k in (spanFirst + fresh.count)..<lines.count { lines[k] &+= lineDelta }
        }
        joined = Joined()
        // Re-check the changed sections; their neighbours re-run the rules that read them.
        var need: [Int: Set<Int>] = [:]
        for (n, isChanged) in changed.enumerated() where isChanged {
            let k = spanFirst + n
            need[k] = Self.allScopes
            if k + 1 < sections.count { need[k + 1, default: []].formUnion([1, 2]) }
            if k > 0 { need[k - 1, default: []].insert(2) }
        }
        recheck(need)
        // The document-scope rules find nothing in a text without a CR (see `RuleScope.document`):
        // the whole text is joined for them only when it has one.
        documentFindings = carriageReturns > 0 ? linter.checkDocumentRules(document, containsCarriageReturn: true) : []
        return old
    }

    /// Where section `i`'s last line with content starts (its start when it has none).
    func lastContentLineStart(of i: Int) -> Int {
        let text = sections[i].text
        return text.bytes.withUnsafeBufferPointer { b in
            var l = text.lines.count - 1
            while l > 0, Sections.isBlank(b, text.lines.starts[l], text.lines.contentEnds[l]) { l -= 1 }
            return sections[i].start + text.lines.starts[l]
        }
    }

    /// Every finding, in text order: the same list as `linter.check(document)`.
    public var diagnostics: [Diagnostic] {
        var all: [Diagnostic] = []
        for s in sections { all += s.all(shiftedBy: s.start) }
        all += documentFindings
        Linter.sortInTextOrder(&all)
        return all
    }

    /// The findings whose range meets `range` (touching counts), in text order: only the sections
    /// around it are unpacked.
    public func diagnostics(overlapping range: Range<Int>) -> [Diagnostic] {
        var found = documentFindings
        // From the section before: a finding of a rule that reads on may run past its section's end.
        var i = max(0, section(containing: range.lowerBound) - 1)
        while i < sections.count, sections[i].start <= range.upperBound {
            found += sections[i].all(shiftedBy: sections[i].start)
            i += 1
        }
        var result = found.filter { $0.range.lowerBound <= range.upperBound && range.lowerBound <= $0.range.upperBound }
        Linter.sortInTextOrder(&result)
        return result
    }

    /// How many findings there are in all.
    public var count: Int {
        // By index: a section's count is read in place, the section (its text, findings and facts)
        // is not copied, for each of the thousand sections of a long text on every publish.
        var n = documentFindings.count
        for i in sections.indices { n += sections[i].count }
        return n
    }

    /// At most `limit` findings, in text order: every error first, then the findings nearest to
    /// `offset` (ties in text order); and how many there are in all.
    public func diagnostics(limit: Int, nearest offset: Int) -> (kept: [Diagnostic], total: Int) {
        let (kept, total) = findings(limit: limit, nearest: offset)
        return (kept.map(\.diagnostic), total)
    }

    /// `diagnostics(limit:nearest:)` left packed: what the language server publishes. Looks only at
    /// the sections near `offset` when the errors are few, so publishing stays cheap on a long
    /// document; the findings are chosen by their heads (severity and range) where they lie, and
    /// only the chosen ones are read as findings.
    public func findings(limit: Int, nearest offset: Int) -> (kept: [PackedFinding], total: Int) {
        let total = count
        var choice = FindingChoice()
        guard total > limit else {
            choice.lists.append((PackedDiagnostics(documentFindings), 0))
            for i in sections.indices { for f in sections[i].found where f.count > 0 { choice.lists.append((f, sections[i].start)) } }
            choice.gather(choice.lists.indices) { _ in true }
            return (choice.findings(choice.textOrder(Array(choice.heads.indices))), total)
        }
        func distance(_ r: Range<Int>) -> Int {
            if r.lowerBound <= offset && offset <= r.upperBound { return 0 }
            return r.lowerBound > offset ? r.lowerBound - offset : offset - r.upperBound
        }
        // The errors of every list that has some, then the others near `offset`.
        choice.lists.append((PackedDiagnostics(documentFindings), 0))
        for i in sections.indices where sections[i].errors > 0 {
            for f in sections[i].found where f.errors > 0 { choice.lists.append((f, sections[i].start)) }
        }
        choice.gather(choice.lists.indices) { $0.severity == .error }
        let errors = Array(choice.heads.indices)
        if errors.count >= limit {
            let distances = errors.map { distance(choice.heads[$0].head.range) }
            return (choice.findings(choice.textOrder(Array(choice.order(errors, by: distances).prefix(limit)))), total)
        }
        let needed = limit - errors.count
        // Errors are taken above, skipped here. About as many as are needed are gathered, and a
        // section's more: not grown (and copied) on the way.
        choice.heads.reserveCapacity(errors.count + 2 * needed)
        var distances: [Int] = []
        distances.reserveCapacity(2 * needed)
        func gather(_ found: PackedDiagnostics, _ start: Int) {
            choice.lists.append((found, start))
            choice.gather(choice.lists.count - 1) { head in
                guard head.severity != .error else { return false }
                distances.append(distance(head.range))
                return true
            }
        }
        gather(PackedDiagnostics(documentFindings), 0)
        // Sections in order of distance from `offset`, until no further section can hold a nearer one.
        let home = section(containing: offset)
        var left = home - 1, right = home + 1
        for f in sections[home].found { gather(f, sections[home].start) }
        func sectionDistance(_ i: Int) -> Int { distance(sections[i].start..<end(of: i)) }
        var threshold = Int.max
        while left >= 0 || right < sections.count {
            let takeLeft = right >= sections.count || (left >= 0 && sectionDistance(left) <= sectionDistance(right))
            let i = takeLeft ? left : right
            if distances.count >= needed {
                if threshold == Int.max { threshold = Self.smallest(needed, of: distances) }
                if sectionDistance(i) > threshold { break }
            }
            for f in sections[i].found { gather(f, sections[i].start) }
            if takeLeft { left -= 1 } else { right += 1 }
        }
        let near = choice.nearest(needed, of: Array(errors.count..<choice.heads.count), distances: distances)
        return (choice.findings(choice.textOrder(errors + near)), total)
    }

    /// Findings to choose among, each by its list and head: nothing is reference counted while a
    /// thousand are compared and ordered, only the chosen ones become `PackedFinding`s.
    struct FindingChoice {
        /// Packed findings and the offset they are shifted by.
        var lists: [(found: PackedDiagnostics, shift: Int)] = []
        var heads: [(list: Int, at: Int, head: PackedHead)] = []

        /// The findings of the lists named whose head `keep` accepts.
        mutating func gather<S: Sequence<Int>>(_ which: S, _ keep: (PackedHead) -> Bool) {
            for l in which { gather(l, keep) }
        }

        mutating func gather(_ l: Int, _ keep: (PackedHead) -> Bool) {
            lists[l].found.forEachHead(shiftedBy: lists[l].shift) { at, head in
                if keep(head) { heads.append((l, at, head)) }
            }
        }

        func finding(_ k: Int) -> PackedFinding {
            lists[heads[k].list].found.finding(at: heads[k].at, head: heads[k].head, shiftedBy: lists[heads[k].list].shift)
        }

        func findings(_ order: [Int]) -> [PackedFinding] { order.map(finding) }

        /// The `count` of `pool` (indices into `heads`) first in order of distance, then text
        /// order (as `order(pool, by: distances).prefix(count)`), left in pool order: the distance
        /// that the count reaches is found among integers, and only the findings at exactly that
        /// distance are ordered by text.
        func nearest(_ count: Int, of pool: [Int], distances: [Int]) -> [Int] {
            guard count < pool.count else { return pool }
            guard count > 0 else { return [] }
            let reach = CheckedDocument.smallest(count, of: distances)
            var kept: [Int] = [], atReach: [Int] = []
            for i in pool.indices {
                if distances[i] < reach { kept.append(i) } else if distances[i] == reach { atReach.append(pool[i]) }
            }
            return kept.map { pool[$0] } + textOrder(atReach).prefix(count - kept.count)
        }

        /// `list` (indices into `heads`) in text order (range, then rule id), as a stable sort
        /// would leave it.
        func textOrder(_ list: [Int]) -> [Int] { order(list, by: nil) }

        /// `list` in order of `key` when given (nearest first), then in text order, as a stable
        /// sort would leave it. Sorted as integers (key, range, place in `list`); a rule id is read
        /// only between findings of one key and range, after.
        func order(_ list: [Int], by key: [Int]?) -> [Int] {
            var sorted: [(key: Int, lower: Int, upper: Int, place: Int)] = []
            sorted.reserveCapacity(list.count)
            heads.withUnsafeBufferPointer { heads in
                for (place, h) in list.enumerated() {
                    let r = heads[h].head.range
                    sorted.append((key?[place] ?? 0, r.lowerBound, r.upperBound, place))
                }
            }
            sorted.sort { a, b in (a.key, a.lower, a.upper, a.place) < (b.key, b.lower, b.upper, b.place) }
            var first = 0
            while first < sorted.count {
                var end = first + 1
                while end < sorted.count, (sorted[end].key, sorted[end].lower, sorted[end].upper) == (sorted[first].key, sorted[first].lower, sorted[first].upper) {
                    end += 1
                }
                if end - first > 1 {
                    sorted[first..<end].sort { a, b in
                        let ra = finding(list[a.place]).ruleID, rb = finding(list[b.place]).ruleID
                        return ra != rb ? ra < rb : a.place < b.place
                    }
                }
                first = end
            }
            return sorted.map { list[$0.place] }
        }
    }

    /// The `n`th smallest of `values` (`values.sorted()[n - 1]`), found by selection: one pass over
    /// what is left each round, not a sort of all.
    static func smallest(_ n: Int, of values: [Int]) -> Int {
        var v = values
        var lo = 0, hi = v.count - 1, k = n - 1
        while lo < hi {
            // Three-way partition of v[lo...hi] around the middle value: less, equal, greater.
            let pivot = v[lo + (hi - lo) / 2]
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                if v[i] < pivot { v.swapAt(lt, i); lt += 1; i += 1 } else if v[i] > pivot { v.swapAt(i, gt); gt -= 1 } else { i += 1 }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return pivot }
        }
        return v[k]
    }
}
