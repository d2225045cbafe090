import TextModel

/// What a line of a transcription is, as far as re-joining goes.
public enum LineKind: String, Sendable {
    case blank
    /// Running text (possibly a wrapped piece of a sentence).
    case prose
    /// A headline or sub-headline: short or wider than the column, no sentence-final punctuation.
    case headline
    /// `■本报记者 唐玮婕`, `本报记者 宋宁华`.
    case byline
    /// Photo captions and credits: `本报记者 赵立荣摄`, `制图：冯晓瑜`, `▲…`.
    case caption
    /// `▼ 下转第六版`, `（下转第2、3版）`, `详见第2-4版`.
    case jumpLine
    /// `1. 湖滨街道,…`.
    case listItem
}

/// What a neighbour's check reads of a section's layout: each line's kind and where its content
/// starts (relative to the section). Five bytes a line, kept by the server with every section.
public struct LineShapes: Sendable {
    let kinds: [LineKind]
    let contentStarts: [Int32]
    var count: Int { kinds.count }

    /// Nil for a text too long for 32-bit offsets (its layout is then made when it is read).
    init?(_ layout: Layout) {
        guard layout.document.count <= Int(Int32.max) else { return nil }
        kinds = layout.lines.map(\.kind)
        contentStarts = layout.lines.map { Int32(truncatingIfNeeded: $0.content.lowerBound) }
    }
}

/// One line with the measurements the layout analysis uses.
public struct LineInfo: Sendable {
    public var index: Int
    /// The line's content without leading and trailing white space (empty range for a blank line).
    public var content: Range<Int>
    /// The line starts with white space (a paragraph indent, R22).
    public var indented: Bool
    /// Display width (CJK 2, Latin and digits 1; justification spaces 0; the indent counts).
    public var width: Int
    public var kind: LineKind
    /// Characters besides white space (0 for a blank line): furniture is short.
    var letters = 0
}

/// A line break (with any blank lines around it) that falls inside a sentence: the two lines should
/// be one. `range` runs from the end of the upper line's content to the start of the lower line's.
public struct WrapJoin: Sendable {
    public var upperLine: Int
    public var lowerLine: Int
    public var range: Range<Int>
    /// What replaces `range`: nothing, or a space between two Latin words (STYLE-RULES R14).
    public var separator: String
    public var blankLines: Int
    /// `safe` where the evidence is unambiguous, `unsafe` where a person should look.
    public var confidence: Applicability
    /// Why the analysis joined.
    public var cause: WrapReason
    /// Why the analysis joined, for the diagnostic message.
    public var reason: String { cause.text }
}

/// Why the analysis joined two lines (a value, not a text: a section has hundreds of joins).
public enum WrapReason: Hashable, Sendable {
    case forbiddenStart(Unicode.Scalar)
    case cutQuotation
    /// A headline's line ends with a pause mark.
    case endsWith(Unicode.Scalar)
    case paragraphGoesOn(Unicode.Scalar)
    case stopsWithoutEnd
    case fullAtSentenceEnd
    case cutNumber
    case sentenceGoesOn(Unicode.Scalar)
    case full
    case nextDidNotFit
    case shorterThanColumn

    public var text: String {
        switch self {
        case .forbiddenStart(let s): return "the next line starts with “\(s)”, which may not start a line"
        case .cutQuotation: return "a quotation or bracket is cut by the break"
        case .endsWith(let s): return "the line ends with “\(s)”"
        case .paragraphGoesOn(let s): return "the line ends with “\(s)” and the paragraph goes on below"
        case .stopsWithoutEnd: return "the line stops without a sentence end and the paragraph goes on below"
        case .fullAtSentenceEnd: return "the line is full and ends a sentence at the margin; the paragraph may go on"
        case .cutNumber: return "a number is cut by the break"
        case .sentenceGoesOn(let s): return "the line ends with “\(s)”, the sentence goes on"
        case .full: return "the line is full and does not end a sentence"
        case .nextDidNotFit: return "the line is full: what the next line starts with did not fit after it"
        case .shorterThanColumn: return "the line does not end a sentence, though it is shorter than the column"
        }
    }

    /// Every reason the analysis gives, in the order of `index`: a line may not start with a mark
    /// of `lineStartForbidden`, and the lines that go on end with a mark of `pauseMarkList`.
    static let all: [WrapReason] = [.cutQuotation, .stopsWithoutEnd, .fullAtSentenceEnd, .cutNumber, .full,
                                    .nextDidNotFit, .shorterThanColumn]
        + forbidden.map { .forbiddenStart($0) }
        + pauses.flatMap { [.endsWith($0), .paragraphGoesOn($0), .sentenceGoesOn($0)] }
    private static let forbidden = Array(LineFeatures.lineStartForbiddenMarks.unicodeScalars)
    private static let pauses = Array(LineFeatures.pauseMarkList.unicodeScalars)

    /// Where the reason is in `all` (nil for one that is not: a scalar outside those sets).
    var index: Int? {
        let marked = 7 + WrapReason.forbidden.count
        switch self {
        case .cutQuotation: return 0
        case .stopsWithoutEnd: return 1
        case .fullAtSentenceEnd: return 2
        case .cutNumber: return 3
        case .full: return 4
        case .nextDidNotFit: return 5
        case .shorterThanColumn: return 6
        case .forbiddenStart(let s): return WrapReason.forbidden.firstIndex(of: s).map { 7 + $0 }
        case .endsWith(let s): return WrapReason.pauses.firstIndex(of: s).map { marked + 3 * $0 }
        case .paragraphGoesOn(let s): return WrapReason.pauses.firstIndex(of: s).map { marked + 3 * $0 + 1 }
        case .sentenceGoesOn(let s): return WrapReason.pauses.firstIndex(of: s).map { marked + 3 * $0 + 2 }
        }
    }
}

/// A paragraph as the text means it: the lines that wrap joins connect. Quote and bracket pairing
/// runs over these, so a quotation cut by a column wrap is still one quotation.
public struct LogicalParagraph: Sendable {
    public var lines: ParagraphLines
    /// Content range of each line, in order; the text between segments is a line break to skip.
    public var segments: ParagraphSegments
    public var range: Range<Int> { segments.first!.lowerBound..<segments.last!.upperBound }
}

/// Elements of one array that all the paragraphs of a layout share, indexed from 0 (an array each
/// was an allocation and a free per paragraph: 77,000 of them in a 20 MB text).
public struct SharedSlice<Element: Sendable>: RandomAccessCollection, Sendable {
    let all: [Element]
    let range: Range<Int>

    init(_ all: [Element], _ range: Range<Int>) {
        self.all = all
        self.range = range
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { range.count }
    public subscript(i: Int) -> Element { all[range.lowerBound + i] }
}

/// The lines of a logical paragraph.
public typealias ParagraphLines = SharedSlice<Int>
/// The content range of each line of a logical paragraph.
public typealias ParagraphSegments = SharedSlice<Range<Int>>

/// Layout analysis of a whole document: classifies lines, finds wrap joins and builds logical
/// paragraphs. Shared by `broken-wrap` (which reports the joins) and the pairing rules.
///
/// The transcriptions come in four layouts (seeds 000–004): single-spaced columns with blank lines
/// between paragraphs; a blank line after every line; no blank lines at all; one paragraph per line.
/// The analysis does not pick one for the document: around each line it measures the local column
/// width (the usual width of lines that do not end a sentence) and whether blank lines carry meaning
/// there (they do not where nearly every line is followed by one), then decides each break from the
/// two lines' ends, widths and furniture patterns.
public final class Layout {
    public let document: TextDocument
    // The arrays are written only while the layout is built (by `init`, on one thread) and read
    // after: no access can overlap, so they go without the run-time exclusivity check (a check
    // per access was a tenth of the analysis).
    @exclusivity(unchecked) public private(set) var lines: [LineInfo] = []
    @exclusivity(unchecked) public private(set) var joins: [WrapJoin] = []
    @exclusivity(unchecked) public private(set) var paragraphs: [LogicalParagraph] = []
    /// The content ranges the paragraphs' segments view (`LogicalParagraph.segments` is a slice of
    /// it): a walk over every paragraph reads its segments here, through a pointer, where a
    /// paragraph copied out of `paragraphs` retained and released its two arrays.
    @exclusivity(unchecked) private(set) var paragraphContents: [Range<Int>] = []

    /// Non-blank lines, in order.
    @exclusivity(unchecked) var features: [LineFeatures] = []
    /// Blank lines before each non-blank line.
    @exclusivity(unchecked) var gapBefore: [Int] = []
    /// Block (run of adjacent non-blank lines) of each non-blank line.
    @exclusivity(unchecked) var block: [Int] = []
    @exclusivity(unchecked) var blockRanges: [Range<Int>] = []
    @exclusivity(unchecked) var spaced: [Bool] = []
    @exclusivity(unchecked) var longLines: [Bool] = []
    @exclusivity(unchecked) var widthBack: [Int] = []
    @exclusivity(unchecked) var widthForward: [Int] = []

    public init(_ document: TextDocument) {
        self.document = document
        measureLines()
        measureRegions()
        findHeadlines()     // measures columns once with every line
        measureColumns()    // and again without the headlines it found
        offers = []
        findJoins()
        buildParagraphs()
    }

    /// The layouts of consecutive sections joined into the layout of their joined text (`document`).
    /// Each section's text ends with a line break, so its last (empty) line is the next one's first.
    /// As in a layout of its own, the paragraphs are views of one array of lines and one of their
    /// contents, parallel to `features`: a paragraph's `lines.range` indexes the features.
    init(joining parts: [Layout], in document: TextDocument) {
        self.document = document
        var byteOffset = 0, lineOffset = 0
        var paragraphRanges: [(LogicalParagraph, Range<Int>)] = []
        for (n, part) in parts.enumerated() {
            let lineCount = n == parts.count - 1 ? part.lines.count : part.lines.count - 1
            let shift = { (r: Range<Int>) in (r.lowerBound + byteOffset)..<(r.upperBound + byteOffset) }
            for var line in part.lines[0..<lineCount] {
                line.index += lineOffset
                line.content = shift(line.content)
                lines.append(line)
            }
            // (A section's features are its non-blank lines': the empty last line has none.)
            let featureOffset = features.count
            for var f in part.features {
                f.line += lineOffset
                f.content = shift(f.content)
                f.effectiveEnd += byteOffset
                features.append(f)
            }
            for var join in part.joins {
                join.upperLine += lineOffset
                join.lowerLine += lineOffset
                join.range = shift(join.range)
                joins.append(join)
            }
            for paragraph in part.paragraphs {
                let r = paragraph.lines.range
                paragraphRanges.append((paragraph, (r.lowerBound + featureOffset)..<(r.upperBound + featureOffset)))
            }
            byteOffset += part.document.count
            lineOffset += lineCount
        }
        let allLines = features.map(\.line), contents = features.map(\.content)
        paragraphContents = contents
        paragraphs = paragraphRanges.map { paragraph, range in
            var joined = paragraph
            joined.lines = ParagraphLines(allLines, range)
            joined.segments = ParagraphSegments(contents, range)
            return joined
        }
    }

    /// The measurements behind a line's decisions, for debugging the analysis on real text.
    public func measurements(ofLine line: Int) -> String {
        guard let k = features.firstIndex(where: { $0.line == line }) else { return "" }
        let f = features[k]
        return "gap\(gapBefore[k]) \(spaced[k] ? "spaced " : "")\(longLines[k] ? "long " : "")col \(widthBack[k])/\(widthForward[k])"
            + (f.terminal ? " end" : "") + (f.pause ? " pause" : "") + (f.openAtEnd ? " open" : "")
            + (f.letterSpaced ? " spaced-letters" : "") + (f.phraseGap ? " phrase-gap" : "")
    }

    // MARK: Measuring

    private func measureLines() {
        let doc = document
        let lineCount = doc.lines.count
        // Built in locals and stored once: appending to a class's arrays checks exclusive access each
        // time. The arrays of a line each are written in place (an append checked the count against
        // the capacity each time).
        var features: [LineFeatures] = [], gapBefore: [Int] = [], block: [Int] = []
        var blockRanges: [Range<Int>] = []
        blockRanges.reserveCapacity(lineCount / 2 + 1)
        var scratch: [Unicode.Scalar] = []
        scratch.reserveCapacity(248)
        let starts = doc.lines.starts, ends = doc.lines.contentEnds
        let marks = LineFeatures.lineMarks
        let lines = [LineInfo](unsafeUninitializedCapacity: lineCount) { lines, lineTotal in
            features = [LineFeatures](unsafeUninitializedCapacity: lineCount) { features, featureCount in
                gapBefore = [Int](unsafeUninitializedCapacity: lineCount) { gapBefore, gapCount in
                    block = [Int](unsafeUninitializedCapacity: lineCount) { block, blockCount in
                        doc.bytes.withUnsafeBufferPointer { bytes in
                            var gap = 0, blockStart = 0
                            for l in 0..<lineCount {
                                var lo = starts[l], hi = ends[l]
                                var indent = 0
                                // Inline spaces start with 20, 09, C2, E2 or E3: other lines are not decoded.
                                while lo < hi, case let b = bytes[lo], b == 0x20 || b == 0x09 || b == 0xC2 || b == 0xE2 || b == 0xE3,
                                      case let (s, n) = UTF8Scalar.decode(bytes, at: lo), Scalars.isInlineSpace(s) {
                                    indent += s.value == 0x3000 ? 2 : 1
                                    lo += n
                                }
                                while hi > lo {
                                    // Nor do they end with an ASCII byte other than 20 and 09, or a sequence led by E4–EF.
                                    let b = bytes[hi - 1]
                                    if b < 0x80 ? b != 0x20 && b != 0x09 : hi - lo >= 3 && bytes[hi - 3] >= 0xE4 { break }
                                    var start = hi - 1
                                    while start > lo && UTF8Scalar.isContinuation(bytes[start]) { start -= 1 }
                                    if Scalars.isInlineSpace(UTF8Scalar.decode(bytes, at: start).scalar) { hi = start } else { break }
                                }
                                if hi == lo {
                                    lines.initializeElement(at: l, to: LineInfo(index: l, content: lo..<lo, indented: false, width: 0, kind: .blank))
                                    gap += 1
                                    continue
                                }
                                let f = LineFeatures(bytes: bytes, line: l, content: lo..<hi, indent: indent, marks: marks, scratch: &scratch)
                                lines.initializeElement(at: l, to: LineInfo(index: l, content: lo..<hi, indented: f.indented, width: f.width,
                                                                             kind: f.kind, letters: f.scalarCount - f.innerSpaces))
                                // A blank line ends the block before; the last block ends with the lines.
                                let k = featureCount
                                if gap > 0 && k > 0 {
                                    blockRanges.append(blockStart..<k)
                                    blockStart = k
                                }
                                block.initializeElement(at: k, to: blockRanges.count)
                                features.initializeElement(at: k, to: f)
                                gapBefore.initializeElement(at: k, to: k == 0 ? 0 : gap)
                                featureCount = k + 1
                                gap = 0
                            }
                            if featureCount > 0 { blockRanges.append(blockStart..<featureCount) }
                        }
                        blockCount = featureCount
                    }
                    gapCount = featureCount
                }
            }
            lineTotal = lineCount
        }
        self.lines = lines
        self.features = features
        self.gapBefore = gapBefore
        self.block = block
        self.blockRanges = blockRanges
    }

    /// Where blank lines carry no meaning (a blank after nearly every line), and where lines are
    /// whole paragraphs (long, unwrapped). Counted over a window that slides along the lines.
    private func measureRegions() {
        let n = features.count
        var spaced = [Bool](repeating: false, count: n)
        var longLines = [Bool](repeating: false, count: n)
        let radius = 8
        // Lines k - radius ... k + radius: those after a single blank line (the first line's gap is
        // 0), prose lines, and prose lines of 45 characters and more.
        var single = 0, prose = 0, long = 0
        // Read and written through pointers (no bounds checks in the window's loop).
        features.withUnsafeBufferPointer { features in gapBefore.withUnsafeBufferPointer { gapBefore in
            spaced.withUnsafeMutableBufferPointer { spaced in longLines.withUnsafeMutableBufferPointer { longLines in
                @inline(__always) func count(_ m: Int, _ d: Int) {
                    // (Line counts and indices stay far from overflow: wrapping arithmetic here.)
                    if gapBefore[m] == 1 { single &+= d }
                    if features[m].kind == .prose {
                        prose &+= d
                        if features[m].width >= 90 { long &+= d }
                    }
                }
                for m in 0..<min(n, radius) { count(m, 1) }
                for k in 0..<n {
                    if k &+ radius < n { count(k &+ radius, 1) }
                    if k &- radius &- 1 >= 0 { count(k &- radius &- 1, -1) }
                    let lo = max(1, k &- radius), hi = min(n &- 1, k &+ radius)
                    if hi >= lo {
                        let total = hi &- lo &+ 1
                        spaced[k] = total >= 3 && single &* 4 >= total &* 3
                    }
                    // Lines of 45 characters and more are no column's: where a quarter of the lines
                    // are that long, each line is a whole paragraph.
                    longLines[k] = prose > 0 && long &* 4 >= prose
                }
            } }
        } }
        self.spaced = spaced
        self.longLines = longLines
    }

    private func isOpenProse(_ f: LineFeatures) -> Bool {
        f.kind == .prose && !f.terminal
    }

    private static let noOffer = -1

    /// The column search: the usual width of full lines before and after a line, the most common
    /// width among nearby prose lines that do not end a sentence (those are nearly all full in a
    /// justified column). It steps along a chain of the lines that offer something as they were
    /// when it was made: a width (prose that does not end a sentence) or a stop (bylines, captions
    /// and jump lines end a story: the next one may be set differently). (Consecutive reads, no
    /// chase from line to line; a block's edge is a bound on the count. Widths, counts and line
    /// indices stay far from overflow: wrapping arithmetic.)
    private struct ColumnSearch {
        static let take = 6
        /// A stop: farther than any jump from a width.
        static let stop = Int.min / 4
        /// How many lines, and links in the chain.
        let n, length: Int
        /// Each link's line and offer; how many links in a row up to it lie in its block, counted
        /// from the chain's start and from its end; for each line, the links of the lines before it.
        let chain, links, runBack, runForward, linksBefore: UnsafeMutablePointer<Int>
        /// The samples of a search.
        let found: UnsafeMutablePointer<Int>
        let spaced: UnsafeBufferPointer<Bool>

        /// The column before line k.
        @inline(__always)
        func back(_ k: Int) -> Int {
            typical(samples(from: linksBefore[k] &- 1, step: -1, run: runBack, sameBlock: !spaced[k]))
        }

        /// The column after line k.
        @inline(__always)
        func forward(_ k: Int) -> Int {
            typical(samples(from: linksBefore[k &+ 1], step: 1, run: runForward, sameBlock: !spaced[k]))
        }

        /// The first line a search back from line k may read: that of the seventh link before it
        /// (one more than it takes), 0 if there are fewer.
        @inline(__always)
        func reachBack(_ k: Int) -> Int {
            let p = linksBefore[k] &- ColumnSearch.take &- 1
            return p >= 0 ? chain[p] : 0
        }

        /// The last line a search forward from line k may read (n - 1 if there are fewer links).
        @inline(__always)
        func reachForward(_ k: Int) -> Int {
            let p = linksBefore[k &+ 1] &+ ColumnSearch.take
            return p < length ? chain[p] : n &- 1
        }

        /// Up to `take` widths from the links `start`, `start + step`, … (none if `start` is outside
        /// the chain), into `found`; how many of them equal the first. Where blank lines separate
        /// paragraphs, a block is one column: once a sample is found, the search stops at the block's
        /// edge (`run` links) so the next column's width does not leak in. A jump in width is another
        /// column: it stops there too.
        @inline(__always)
        private func samples(from start: Int, step: Int, run: UnsafeMutablePointer<Int>, sameBlock: Bool) -> (count: Int, same: Int) {
            guard start >= 0 && start < length, case let first = links[start], first != ColumnSearch.stop else { return (0, 0) }
            found[0] = first
            let available = step > 0 ? length &- start : start &+ 1
            let limit = min(ColumnSearch.take, available, sameBlock ? run[start] : ColumnSearch.take)
            var count = 1, same = 1
            let jump = max(6, first / 2)
            while count < limit {
                let w = links[start &+ step &* count]
                // |w - first| > jump as one unsigned compare (abs branched on the difference's
                // sign, which is not predictable; a stop's difference wraps far above 2 * jump).
                if UInt(bitPattern: w &- first &+ jump) > UInt(bitPattern: 2 &* jump) { break }
                found[count] = w
                count &+= 1
                // (Without a branch: whether a width equals the first is not predictable.)
                same &+= Int(unsafeBitCast(w == first, to: UInt8.self))
            }
            return (count, same)
        }

        @inline(__always)
        private func typical(_ samples: (count: Int, same: Int)) -> Int {
            let (count, same) = samples
            guard count > 0 else { return 0 }
            // A width held by more than half the samples is the most common (most often the
            // nearest line's).
            if same * 2 > count { return found[0] }
            // Justified lines share one width; digits and Latin make a few narrower, so take the
            // most common width, and among equals the wider; where all differ, the median.
            // Sorted (the widths are few and mostly equal), the most common is the longest run.
            // The six slots sort in registers by a sorting network (empty slots sort last).
            var w = (found[0], found[1], count > 2 ? found[2] : Int.max, count > 3 ? found[3] : Int.max,
                     count > 4 ? found[4] : Int.max, count > 5 ? found[5] : Int.max)
            @inline(__always) func order(_ a: inout Int, _ b: inout Int) { (a, b) = (min(a, b), max(a, b)) }
            order(&w.1, &w.2); order(&w.4, &w.5); order(&w.0, &w.2); order(&w.3, &w.5)
            order(&w.0, &w.1); order(&w.3, &w.4); order(&w.2, &w.5); order(&w.0, &w.3)
            order(&w.1, &w.4); order(&w.2, &w.4); order(&w.1, &w.3); order(&w.2, &w.3)
            var best = w.0, bestCount = 1, run = 1
            // (Without branches: whether sorted neighbours are equal is not predictable.)
            @inline(__always) func step(_ x: Int, _ previous: Int) {
                run = run &* Int(unsafeBitCast(x == previous, to: UInt8.self)) &+ 1
                let longest = run >= bestCount
                best = longest ? x : best
                bestCount = longest ? run : bestCount
            }
            step(w.1, w.0)
            if count > 2 { step(w.2, w.1) }
            if count > 3 { step(w.3, w.2) }
            if count > 4 { step(w.4, w.3) }
            if count > 5 { step(w.5, w.4) }
            if bestCount >= 2 { return best }
            switch count / 2 {
            case 1: return w.1
            case 2: return w.2
            default: return w.3
            }
        }
    }

    /// What each line offered the last column measure (a width, `ColumnSearch.stop` or `noOffer`).
    @exclusivity(unchecked) private var offers: [Int] = []

    /// The column before and after every line (see `ColumnSearch`). Measured again (after the
    /// headlines are found), only the searches that may read a line whose offer changed are redone.
    private func measureColumns() {
        let n = features.count
        let offers = [Int](unsafeUninitializedCapacity: n) { offers, count in
            features.withUnsafeBufferPointer { features in
                for m in 0..<n {
                    offers.initializeElement(at: m, to: Layout.isolated(features[m]) ? ColumnSearch.stop
                        : isOpenProse(features[m]) && !features[m].phraseGap ? features[m].width : Layout.noOffer)
                }
            }
            count = n
        }
        // Lines whose offer changed since the last measure, counted up to each line; the first and
        // the last of them (no search back from a line before the first, nor forward from one after
        // the last, reads a change). (Finding headlines only takes offers away: a search that reads
        // no changed line now read none before, and reads the same links.)
        let again = self.offers.count == n
        var firstChanged = 0, lastChanged = n - 1
        if again {
            // No offer changed (no headline found): every width stands.
            guard let first = offers.indices.first(where: { offers[$0] != self.offers[$0] }) else { return }
            firstChanged = first
            lastChanged = offers.indices.last { offers[$0] != self.offers[$0] }!
        }
        // Measuring again updates the last measure's arrays, taken out of the layout (so not copied
        // at the first write).
        var widthBack = [Int](repeating: 0, count: again ? 0 : n), widthForward = widthBack
        if again {
            swap(&widthBack, &self.widthBack)
            swap(&widthForward, &self.widthForward)
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 5 * n + 1 + ColumnSearch.take + (again ? n + 1 : 0)) { scratch in
            let chain = scratch.baseAddress!, links = chain + n, runBack = links + n, runForward = runBack + n
            let linksBefore = runForward + n, found = linksBefore + n + 1, changedBefore = found + ColumnSearch.take
            if again {
                changedBefore[0] = 0
                for m in 0..<n { changedBefore[m &+ 1] = changedBefore[m] &+ (offers[m] != self.offers[m] ? 1 : 0) }
            }
            var length = 0
            block.withUnsafeBufferPointer { block in
                var lastBlock = -1, run = 0
                for m in 0..<n {
                    linksBefore[m] = length
                    if offers[m] != Layout.noOffer {
                        chain[length] = m
                        links[length] = offers[m]
                        run = block[m] == lastBlock ? run &+ 1 : 1
                        lastBlock = block[m]
                        runBack[length] = run
                        length &+= 1
                    }
                }
                linksBefore[n] = length
            }
            // (A link after which a block starts, or the last, ends a run.)
            var k = length &- 1, run = 0
            while k >= 0 {
                run = k &+ 1 < length && runBack[k &+ 1] > 1 ? run &+ 1 : 1
                runForward[k] = run
                k &-= 1
            }
            spaced.withUnsafeBufferPointer { spaced in
                let columns = ColumnSearch(n: n, length: length, chain: chain, links: links, runBack: runBack,
                                           runForward: runForward, linksBefore: linksBefore, found: found, spaced: spaced)
                // Next to a line that offers nothing (a sentence end), a line searches as its neighbour
                // does: same first link to look at, same blank-line rule.
                // (Written through pointers: an array captured by the closures is checked for a copy at each write.)
                widthBack.withUnsafeMutableBufferPointer { widthBack in
                    for k in firstChanged..<n {
                        if k > 0 && linksBefore[k] == linksBefore[k &- 1] && spaced[k] == spaced[k &- 1] {
                            widthBack[k] = widthBack[k &- 1]
                        } else if !again || changedBefore[k] > changedBefore[columns.reachBack(k)] {
                            widthBack[k] = columns.back(k)
                        }
                    }
                }
                widthForward.withUnsafeMutableBufferPointer { widthForward in
                    for k in stride(from: lastChanged, through: 0, by: -1) {
                        if k &+ 1 < n && linksBefore[k &+ 2] == linksBefore[k &+ 1] && spaced[k] == spaced[k &+ 1] {
                            widthForward[k] = widthForward[k &+ 1]
                        } else if !again || changedBefore[columns.reachForward(k) &+ 1] > changedBefore[k &+ 1] {
                            widthForward[k] = columns.forward(k)
                        }
                    }
                }
            }
        }
        self.widthBack = widthBack
        self.widthForward = widthForward
        self.offers = offers
    }

    // MARK: Headlines

    /// Headlines and sub-headlines (R21): lines with no sentence end that are not pieces of a
    /// column: wider or much shorter than the column around them, set with phrase gaps, or standing
    /// alone right before a story's dateline. Newspapers print them before or after their story.
    private func findHeadlines() {
        // A first column estimate, before headlines are known, to tell short and wide lines.
        measureColumns()
        for members in blockRanges {
            guard members.count <= 3, let lastIndex = members.last else { continue }
            let r = members, firstIndex = members.lowerBound
            // (Asked of the array before the lines are copied out: most blocks stop here.)
            if features[lastIndex].terminal || features[firstIndex].startsDateline || features[firstIndex].attribution { continue }
            let first = features[firstIndex], last = features[lastIndex]
            if members.contains(where: { features[$0].hasSentenceEnd || features[$0].kind != .prose }) { continue }
            // A lone line with a clause break is cut text when the next line's first word would not
            // have fitted after it, counting characters (`从9月单月看，CPI同比上涨` / `2.8%，…`),
            // and allowing for a lost two-character indent.
            // A line wider than the column or ending with a dash is a headline all the same.
            // So is a lone line inside a sentence before a number that did not fit (`直接持有公` /
            // `司` / `25,984,902股`).
            let startsAfterEnd = r.lowerBound == 0 || features[r.lowerBound - 1].terminal || features[r.lowerBound - 1].kind != .prose
            if members.count == 1 && !first.hasDash && r.upperBound < features.count
                && (first.innerPause || (!startsAfterEnd && Scalars.isASCIIDigit(features[r.upperBound].first))) {
                let column = max(widthBack[firstIndex], widthForward[lastIndex])
                if first.width <= column + 2 && 2 * (first.scalarCount + 2 + features[r.upperBound].leadLength) > column { continue }
            }
            if longLines[firstIndex] { continue }   // judged line by line below
            let back = widthBack[firstIndex], forward = widthForward[lastIndex]
            if members.count >= 2 && spaced[firstIndex] {
                // Where every line is followed by a blank line, adjacent lines stand out: a headline
                // block unless every line fits the column (a piece of text set without blanks).
                let column = max(back, forward)
                let short = members.contains { m in
                    !features[m].letterSpaced && features[m].width < column - max(2, column / 7)
                }
                if short || members.contains(where: { outOfColumn($0, back: back, forward: forward) || features[$0].phraseGap }) {
                    markHeadline(members)
                }
                continue
            }
            let beforeStory = r.upperBound < features.count && features[r.upperBound].startsDateline
            // Where every line has a blank after it, a lone line that starts a paragraph, does not
            // end a sentence and falls more than three characters short of the column is a sub-headline
            // (a first line that lost its two-character indent is two short). A column set by counting
            // characters makes a line with digits look short: count them as characters, unless the
            // line ends with a figure (`同比上涨0.5%`), as headlines stating a result do.
            let shortOpening = spaced[firstIndex] && startsAfterEnd && members.count == 1 && !first.letterSpaced
                && (Scalars.isHan(first.last) ? max(first.width, first.charWidth) : first.width)
                    < min(back == 0 ? forward : back, forward == 0 ? back : forward) - 6
            // An introduction (`央视网消息（新闻联播）：`) on its own line ends a paragraph too.
            let afterIntro = r.lowerBound > 0 && (features[r.lowerBound - 1].last == "：" || features[r.lowerBound - 1].last == ":")
            let plainOpening = (startsAfterEnd || afterIntro) && members.count == 1 && plainHeadline(firstIndex)
            // Two or three lines that start a paragraph and all stop short of a sentence end are a
            // piece of a column only if every line but the first (which may have lost its indent)
            // has the column's width.
            // The block's own lines are the best measure of its column: they must agree.
            let widest = members.reduce(0) { max($0, features[$1].width) }
            let spread = max(2, widest / 10)
            // (The last line may be short where the paragraph goes on after a blank line.)
            let offColumn = members.count >= 2 && startsAfterEnd && members.dropLast().contains { m in
                features[m].width < widest - spread - (m == firstIndex ? 4 : 0)
            }
            // Where blank lines separate paragraphs, a lone line that starts a paragraph and stops
            // without a sentence end (and without a pause or an open quotation) is a headline.
            let column = max(back, forward)
            let loneLine = !spaced[firstIndex] && members.count == 1 && startsAfterEnd && !first.pause
                && !first.openAtEnd && !first.letterSpaced
                && column > 0 && (first.width > column + 2 || first.width < column - 4)
            let signal = members.contains { outOfColumn($0, back: back, forward: forward) }
                || offColumn || loneLine
                || (!spaced[firstIndex] && members.contains { features[$0].phraseGap })
                || shortOpening || plainOpening
                || (beforeStory && startsAfterEnd)
            if signal && (members.count >= 2 || !last.pause) && !last.openAtEnd { markHeadline(members) }
        }
        // One paragraph per line: a line without a sentence end is a headline or a caption, unless it
        // holds a clause break and no phrase gap or dash: `针对下一阶段工作,章燕强` is a piece of a
        // paragraph; `静安区 2天，200万件，` and `…远征——…开幕` are headlines.
        for k in features.indices where longLines[k] && features[k].kind == .prose {
            let f = features[k]
            if f.terminal || f.hasSentenceEnd || f.startsDateline || f.attribution { continue }
            // A line that stops at a comma is a paragraph cut there, even with no clause break before.
            let clause = f.innerPause || f.last == "，" || f.last == "," || f.last == "；"
            if f.innerSpace || !clause || f.hasDash || f.first == "【" { markHeadline(k...k) }
        }
        // Inside a long block (no blank lines at all), a headline is a line that starts after a
        // sentence end, does not end one, and does not fit the column.
        for k in features.indices where features[k].kind == .prose && !longLines[k] && !spaced[k] {
            let f = features[k]
            if f.terminal || f.hasSentenceEnd || f.startsDateline || f.attribution || f.openAtEnd || f.pause { continue }
            guard k == 0 || features[k - 1].terminal || features[k - 1].kind != .prose else { continue }
            if blockRanges[block[k]].count <= 3 { continue }
            // (Plain lines only where blank lines are missing altogether: in a paragraph block a
            // sentence ending at the margin is followed by such a line.)
            let blockless = blockRanges[block[k]].count >= 30
            if outOfColumn(k, back: widthBack[k], forward: widthForward[k]) || f.phraseGap || (blockless && plainHeadline(k)) {
                markHeadline(k...k)
            }
        }
        lines.withUnsafeMutableBufferPointer { lines in
            for f in features { lines[f.line].kind = f.kind }
        }
    }

    /// A line without any punctuation that is wider than the story's column below it, or whose
    /// opening the next line repeats (`华南国家植物园…` / `华南国家植物园成立`), or that is wider
    /// than the next line when that one goes on (a story's first line that lost its indent; a
    /// paragraph's first line is the narrower). The caller checks that it starts after an end.
    private func plainHeadline(_ k: Int) -> Bool {
        let f = features[k]
        guard !f.punctuated, !f.letterSpaced, f.width >= 20, k + 1 < features.count else { return false }
        let next = features[k + 1], forward = widthForward[k]
        let echoed = Scalars.isHan(f.opening.0) && next.opening == f.opening
        let overNext = !next.terminal && f.width >= next.width + 2 && f.scalarCount > next.scalarCount
        return (forward > 0 && f.width > forward) || echoed || overNext
    }

    private func markHeadline<Members: Collection<Int>>(_ members: Members) {
        // A line without Han characters (`4319`, `16.8`) is a piece of a number, not a headline.
        guard members.allSatisfy({ features[$0].hasHan }) else { return }
        for m in members { features[m].kind = .headline }
    }

    /// Wider than the column, or much shorter than it (a justified column line is full). Where a
    /// blank follows every line, line lengths vary more (punctuation is compressed unevenly).
    private func outOfColumn(_ k: Int, back: Int, forward: Int) -> Bool {
        let f = features[k]
        let column = max(back, forward)
        if column == 0 || f.letterSpaced { return false }
        let narrow = min(back == 0 ? column : back, forward == 0 ? column : forward)
        let spare = spaced[k] ? max(6, column / 4) : max(4, column / 6)
        // Short means shorter than a first line that lost its two-character indent, by a margin.
        let short = f.width * 5 < narrow * 3 && f.width < narrow - 4 - max(2, narrow / 5)
        return f.width > column + spare || short
    }

    // MARK: Joins

    private static func isolated(_ f: LineFeatures) -> Bool {
        f.kind == .byline || f.kind == .caption || f.kind == .jumpLine
    }

    private func findJoins() {
        guard features.count >= 2 else { return }
        // Built in a local and stored once, as the lines' arrays are (the decisions read the last
        // join from it).
        var joins: [WrapJoin] = []
        joins.reserveCapacity(features.count - 1)
        // The decisions read the measures through pointers (no bounds check per read; nothing
        // changes them here).
        features.withUnsafeBufferPointer { features in gapBefore.withUnsafeBufferPointer { gapBefore in
            spaced.withUnsafeBufferPointer { spaced in longLines.withUnsafeBufferPointer { longLines in
                widthBack.withUnsafeBufferPointer { widthBack in widthForward.withUnsafeBufferPointer { widthForward in
                    let measures = Measures(features: features, gapBefore: gapBefore, spaced: spaced, longLines: longLines,
                                            widthBack: widthBack, widthForward: widthForward)
                    for k in 1..<features.count {
                        let upper = features[k - 1], lower = features[k]
                        guard let (confidence, cause) = Layout.decide(measures, upper: k - 1, lower: k,
                                                                      lastJoined: joins.last?.lowerLine) else { continue }
                        let a = upper.last, b = lower.first
                        let separator = Scalars.isASCIILetter(a) && Scalars.isASCIILetter(b) ? " " : ""
                        joins.append(WrapJoin(upperLine: upper.line, lowerLine: lower.line,
                                              range: upper.effectiveEnd..<lower.content.lowerBound,
                                              separator: separator, blankLines: gapBefore[k],
                                              confidence: confidence, cause: cause))
                    }
                } }
            } }
        } }
        self.joins = joins
    }

    /// What the join decisions read of the layout.
    private struct Measures {
        let features: UnsafeBufferPointer<LineFeatures>
        let gapBefore: UnsafeBufferPointer<Int>
        let spaced, longLines: UnsafeBufferPointer<Bool>
        let widthBack, widthForward: UnsafeBufferPointer<Int>
    }

    static let unitStarts: Set<UInt32> = Set("日月年号时分秒万亿元个名人家件项次岁米吨%％".unicodeScalars.map(\.value))

    /// Whether the break between two adjacent non-blank lines is inside a sentence. (Inlined into
    /// `findJoins`, its one caller, which has the two lines' features at hand.)
    @inline(__always)
    private static func decide(_ m: Measures, upper u: Int, lower l: Int, lastJoined: Int?) -> (Applicability, WrapReason)? {
        let upper = m.features[u], lower = m.features[l]
        let gap = m.gapBefore[l]
        if Layout.isolated(upper) || Layout.isolated(lower) { return nil }
        if upper.effectiveEnd < upper.content.upperBound { return nil }   // a jump marker ends the story here
        if lower.startsForbidden && !lower.startsParagraph {
            return (.safe, .forbiddenStart(lower.first))
        }
        if lower.startsParagraph { return nil }
        // Two or more blank lines are a deliberate break; only a forbidden line start crosses them.
        if gap >= 2 { return nil }
        let headlines = upper.kind == .headline || lower.kind == .headline
        if headlines {
            // Inside a headline block only a visibly cut phrase is joined.
            guard upper.kind == .headline, lower.kind == .headline || upper.pause else { return nil }
            if upper.openAtEnd { return (.unsafe, .cutQuotation) }
            if upper.pause && gap == 0 && upper.last != "：" && upper.last != ":" {
                return (.unsafe, .endsWith(upper.last))
            }
            return nil
        }
        // A list item goes on below only when it visibly breaks off.
        if upper.kind == .listItem && !(upper.pause || upper.openAtEnd) { return nil }
        let isSpaced = m.spaced[l]
        let back = m.widthBack[u], forward = m.widthForward[u]
        let wide = max(back, forward)
        let narrow = min(back == 0 ? wide : back, forward == 0 ? wide : forward)

        // (A lower line of 45 characters and more is a whole paragraph too: no column holds it; so is
        // a headline set apart right before such a paragraph, after a dateline's colon.)
        let beforeWhole = (upper.last == "：" || upper.last == ":")
            && l + 1 < m.features.count && m.gapBefore[l + 1] > 0 && m.features[l + 1].width >= 90
        if m.longLines[u] || upper.width >= 90 || lower.width >= 90 || beforeWhole {
            // One paragraph per line: a paragraph cut where a column or page ended goes on below.
            guard !upper.terminal, !upper.leadIn, lower.kind == .prose else { return nil }
            // A colon at the end of a whole paragraph introduces what follows (a list, a quotation).
            if upper.last == "：" || upper.last == ":" { return nil }
            if upper.openAtEnd { return (.safe, .cutQuotation) }
            if upper.pause { return (.safe, .paragraphGoesOn(upper.last)) }
            // A shorter line that stops without a pause is a headline as often as a piece of a
            // paragraph; leaving it keeps `fix` idempotent on text it has already joined.
            guard upper.width >= 60 else { return nil }
            return (.unsafe, .stopsWithoutEnd)
        }

        if upper.terminal {
            // A sentence ended at the line's end. It is a paragraph end unless the line is full,
            // and a blank line after it is a paragraph break where blank lines mean something.
            if gap > 0 && !isSpaced { return nil }
            // Full: what the next line starts with would not have fitted after it. Where a blank
            // follows every line, widths vary by a character or two, so ask for the full width.
            let hang = 2 * max(1, upper.trailingMarks)
            // A paragraph's first line may have lost its two-character indent.
            let firstLine = u == 0 || lastJoined != upper.line
            let lostIndent = firstLine && !upper.indented && !lower.terminal ? 4 : 0
            // A long first word (a number, `《东`) that would not have fitted makes a line full too.
            let full = isSpaced
                ? (max(upper.width, upper.charWidth) + lostIndent >= narrow - 1
                    || (lower.leadWidth >= 4 && upper.width + lower.leadWidth > wide)) && upper.width <= wide + hang
                : upper.width + lower.leadWidth > wide
            guard wide > 0, full || upper.letterSpaced else { return nil }
            // A paragraph's first line is two characters short where the transcription lost the
            // print indent (R22): then the paragraph ended at the margin.
            // (Not counting a mark that hangs past the margin: `这背后，`.)
            let lowerWidth = isSpaced ? lower.width - 2 * lower.trailingMarks : lower.width
            if !lower.terminal && lowerWidth <= wide - 3 && !lower.letterSpaced { return nil }
            return (.unsafe, .fullAtSentenceEnd)
        }
        let confident = gap == 0 || isSpaced
        if upper.openAtEnd { return (.safe, .cutQuotation) }
        if Scalars.isASCIIDigit(upper.last) && (Scalars.isASCIIDigit(lower.first) || Layout.unitStarts.contains(lower.first.value)) {
            return (.safe, .cutNumber)
        }
        if upper.pause {
            // A colon that ends a short line, or a line before a blank that separates paragraphs,
            // introduces what follows (a list, a quotation); it does not cut a sentence.
            if upper.last == "：" || upper.last == ":" {
                guard confident, upper.width >= narrow - max(2, narrow / 7) else { return nil }
            }
            return (confident ? .safe : .unsafe, .sentenceGoesOn(upper.last))
        }
        // A paragraph's first line may have lost its two-character indent.
        let startsParagraph = u == 0 || m.gapBefore[u] > 0 || m.features[u - 1].terminal || upper.startsParagraph
        let tolerance = max(2, narrow / 7) + (startsParagraph ? 4 : 0)
        if upper.letterSpaced || upper.startsDateline || narrow == 0 || upper.width >= narrow - tolerance {
            return (confident ? .safe : .unsafe, .full)
        }
        // Shorter than the column but not a headline: most likely still a wrap; let a person look.
        // Before a blank line that separates paragraphs, a short line ends its paragraph.
        guard confident else { return nil }
        if upper.width + lower.leadWidth > narrow {
            return (.safe, .nextDidNotFit)
        }
        guard upper.width * 5 >= narrow * 3 else { return nil }
        return (.unsafe, .shorterThanColumn)
    }

    // MARK: Paragraphs

    private func buildParagraphs() {
        // A paragraph is a run of non-blank lines, each but the last joined to the next; joins come
        // in line order. The paragraphs' lines and segments are views of one array each, filled in
        // one pass that notes where each paragraph ends.
        let n = features.count
        var paragraphs: [LogicalParagraph] = []
        paragraphs.reserveCapacity(n - joins.count)
        var ends: [Int] = []
        ends.reserveCapacity(n - joins.count)
        var contents: [Range<Int>] = []
        let lines = [Int](unsafeUninitializedCapacity: n) { lines, lineCount in
            contents = [Range<Int>](unsafeUninitializedCapacity: n) { contents, contentCount in
                features.withUnsafeBufferPointer { features in joins.withUnsafeBufferPointer { joins in
                    var j = 0
                    for k in 0..<n {
                        let line = features[k].line
                        lines.initializeElement(at: k, to: line)
                        contents.initializeElement(at: k, to: features[k].content)
                        while j < joins.count && joins[j].upperLine < line { j &+= 1 }
                        if k == n &- 1 || j == joins.count || joins[j].upperLine != line { ends.append(k) }
                    }
                } }
                contentCount = n
            }
            lineCount = n
        }
        var a = 0
        for b in ends {
            paragraphs.append(LogicalParagraph(lines: ParagraphLines(lines, a..<(b &+ 1)),
                                               segments: ParagraphSegments(contents, a..<(b &+ 1))))
            a = b &+ 1
        }
        self.paragraphs = paragraphs
        paragraphContents = contents
    }
}
