import TextModel

/// What became of one pairing mark (a quotation mark or a bracket) after pairing.
public enum PairStatus: Sendable, Equatable {
    /// Still on the stack (only while scanning).
    case open
    /// Paired with the mark at this index.
    case paired(Int)
    /// An opener never closed; `expectedClose` is where it should have closed (UTF-8 offset).
    case unclosed(expectedClose: Int)
    /// A closer with no opener; `expectedOpen` is where its opener should be (the paragraph start).
    case stray(expectedOpen: Int)
    /// Paired with the mark at this index across the boundary of another pair (`（《）》`).
    case crossed(Int)
    /// Multi-paragraph quotation (STYLE-RULES R5): the opener at this index, at the start of the
    /// next paragraph, continues the quotation.
    case continued(Int)
}

/// One pairing mark found in the text.
public struct PairMark: Sendable {
    public var range: Range<Int>
    public var scalar: Unicode.Scalar
    /// Marks pair only within one class (a class may hold several forms: `(` and `（`).
    public var pairClass: Int
    public var isOpener: Bool
    /// The opener that was innermost open when this opener was pushed (-1 at the outer level).
    public var parent: Int = -1
    /// Offset of the first opener of the same class pushed directly inside this one: where a
    /// quotation that is never closed most likely should have closed (`“…“…”` → before the second “).
    public var firstSameClassChild: Int = -1
    /// For an opener that continues a multi-paragraph quotation: the opener it continues.
    public var continues: Int = -1
    public var status: PairStatus = .open
}

/// Stack pairing of opening and closing marks over logical paragraphs, shared by the quote and
/// bracket rules so that they agree on which mark is unpaired. Linear time: a closer whose class is
/// not open is decided in O(1) from per-class counts, and every pushed opener is popped once.
public struct MarkPairing: Sendable {
    public private(set) var marks: [PairMark] = []
    private var stack: [Int] = []
    /// Per class (at most eight: vectors, not arrays, so that a mark pays no uniqueness check and a
    /// text no allocation for them).
    private var counts = SIMD8<Int>()
    /// The last opener of each class that a closer of another class cut off in this paragraph;
    /// a later stray closer of that class pairs with it as a crossing (one finding, not two).
    private var dangling = SIMD8<Int>(repeating: -1)
    private var paragraphStart = 0

    /// `expectedMarks`: room for the marks a text is expected to hold, so that they are not appended
    /// through a dozen doublings of the array (each a malloc and a copy).
    public init(classes: Int, expectedMarks: Int = 0) {
        precondition(classes <= SIMD8<Int>.scalarCount, "at most eight pairing classes")
        marks.reserveCapacity(expectedMarks)
        stack.reserveCapacity(16)
    }

    /// Whether a mark is still open.
    public var hasOpen: Bool { !stack.isEmpty }

    public func isOpen(_ pairClass: Int) -> Bool { counts[pairClass] > 0 }

    /// Classes of the open marks, outermost first.
    public var openClasses: [Int] { stack.map { marks[$0].pairClass } }

    public mutating func beginParagraph(at start: Int) {
        paragraphStart = start
        dangling = SIMD8(repeating: -1)
    }

    public mutating func open(_ range: Range<Int>, _ scalar: Unicode.Scalar, class c: Int) {
        var m = PairMark(range: range, scalar: scalar, pairClass: c, isOpener: true)
        if let top = stack.last {
            m.parent = top
            if marks[top].pairClass == c && marks[top].firstSameClassChild < 0 {
                marks[top].firstSameClassChild = range.lowerBound
            }
        }
        stack.append(marks.count)
        counts[c] += 1
        marks.append(m)
    }

    public mutating func close(_ range: Range<Int>, _ scalar: Unicode.Scalar, class c: Int) {
        let index = marks.count
        var m = PairMark(range: range, scalar: scalar, pairClass: c, isOpener: false)
        guard counts[c] > 0 else {
            let d = dangling[c]
            if d >= 0 {
                marks[d].status = .crossed(index)
                m.status = .crossed(d)
                dangling[c] = -1
            } else {
                m.status = .stray(expectedOpen: paragraphStart)
            }
            marks.append(m)
            return
        }
        // Openers of other classes above the partner were never closed: they should have closed
        // before this closer (or before their own first same-class child).
        while let top = stack.last, marks[top].pairClass != c {
            stack.removeLast()
            counts[marks[top].pairClass] -= 1
            marks[top].status = .unclosed(expectedClose: expected(top, default: range.lowerBound))
            dangling[marks[top].pairClass] = top
        }
        let opener = stack.removeLast()
        counts[c] -= 1
        marks[opener].status = .paired(index)
        m.status = .paired(opener)
        marks.append(m)
    }

    /// Ends a paragraph at `end`: the open marks above the outermost `carry` levels are unclosed;
    /// those levels stay open for `continueQuotation` in the next paragraph.
    public mutating func endParagraph(at end: Int, carry: Int = 0) {
        while stack.count > max(0, carry) {
            let top = stack.removeLast()
            counts[marks[top].pairClass] -= 1
            marks[top].status = .unclosed(expectedClose: expected(top, default: end))
        }
    }

    /// The opener `range` at the start of a paragraph continues the open quotation at `level`
    /// (0 = outermost), as a multi-paragraph quotation does (R5).
    public mutating func continueQuotation(level: Int, _ range: Range<Int>, _ scalar: Unicode.Scalar) {
        let old = stack[level]
        var m = PairMark(range: range, scalar: scalar, pairClass: marks[old].pairClass, isOpener: true)
        m.parent = level == 0 ? marks[old].parent : stack[level - 1]
        m.continues = old
        marks[old].status = .continued(marks.count)
        stack[level] = marks.count
        marks.append(m)
    }

    private func expected(_ opener: Int, default offset: Int) -> Int {
        let child = marks[opener].firstSameClassChild
        return child >= 0 ? min(child, offset) : offset
    }

    /// For each opener: whether it (or the paragraph that continues it) is properly closed.
    public func closedOpeners() -> [Bool] {
        var closed = Array(repeating: false, count: marks.count)
        for i in marks.indices.reversed() where marks[i].isOpener {
            switch marks[i].status {
            case .paired: closed[i] = true
            case .continued(let next): closed[i] = closed[next]
            default: break
            }
        }
        return closed
    }
}

/// A test of a scalar by its bytes for `SegmentWalk.forEach`: a type, not a closure, so that the walk
/// calls it directly (a closure was a call through a thunk at every candidate).
protocol ScalarBytesTest: CandidateScan {
    /// Whether the scalar at `o` (its first byte one of the walk's candidates) is one to visit.
    static func accepts(_ bytes: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool
}

/// Walks the scalars of a logical paragraph's segments in order, never the text between them
/// (a line break to skip), with the scalars before and after each one in the same walk.
enum SegmentWalk {
    struct Item {
        var offset: Int
        var length: Int
        var scalar: Unicode.Scalar
        /// True for the first scalar of a segment (the start of a line).
        var atSegmentStart: Bool
        /// The text, and where the scalars before and after the item end and start (-1: none), so
        /// that they are decoded only when asked for: most items need neither. Valid during `body`.
        var bytes: UnsafeBufferPointer<UInt8>
        var previousEnd: Int
        var nextStart: Int
        var range: Range<Int> { offset..<(offset + length) }
        var previous: Unicode.Scalar? { previousEnd < 0 ? nil : UTF8Scalar.decode(bytes, before: previousEnd).scalar }
        var next: Unicode.Scalar? { nextStart < 0 ? nil : UTF8Scalar.decode(bytes, at: nextStart).scalar }
    }

    /// The items for the scalars `Test` accepts (told by their bytes, see `CandidateScan.first`), and no
    /// others: the other scalars are stepped over without decoding. `previous` and `next` are the
    /// scalars next to the item in the walk, whether accepted or not.
    /// Inlined into its two callers, so that `body` is too; where it is not, it is still specialized
    /// for `Test`, which it calls directly. `passed` is called with each candidate `Test` does not
    /// accept (a scan for something else may share the walk's). `segments` is indexed from 0: a
    /// paragraph's `segments`, or a pointer to them in `Layout.paragraphContents` (no reference counting).
    @inline(__always)
    static func forEach<Test: ScalarBytesTest, Segments: RandomAccessCollection<Range<Int>>>(
                                               _ doc: TextDocument, segments: Segments, from start: Int,
                                               where _: Test.Type, passed: (UnsafeBufferPointer<UInt8>, Int) -> Void = { _, _ in },
                                               _ body: (Item) -> Void) where Segments.Index == Int {
        doc.bytes.withUnsafeBufferPointer { buf in
            // Where the walk of segment k starts and ends.
            func bounds(_ k: Int) -> (from: Int, end: Int) {
                (max(segments[k].lowerBound, start), min(segments[k].upperBound, buf.count))
            }
            guard var k = segments.firstIndex(where: { $0.upperBound > start }) else { return }
            // One scan over the segments and the line breaks between them (a scan per line paid its
            // start at every line); a candidate between segments is stepped over.
            let spanEnd = min(segments[segments.count - 1].upperBound, buf.count)
            // The end of the last segment walked so far that holds a scalar.
            var previousEnd = -1
            Test.forEachCandidate(in: buf, from: bounds(k).from, to: spanEnd) { o in
                guard Test.accepts(buf, o) else {
                    passed(buf, o)
                    return o + UTF8Scalar.sequenceLength(lead: buf[o])
                }
                while segments[k].upperBound <= o {
                    let (from, end) = bounds(k)
                    if from < end { previousEnd = end }
                    k += 1
                }
                let (from, end) = bounds(k)
                guard o >= from else { return from }
                let (s, n) = UTF8Scalar.decode(buf, at: o)
                var nextStart = -1
                if o + n < end {
                    nextStart = o + n
                } else {
                    for j in (k + 1)..<segments.count {
                        let (f, e) = bounds(j)
                        if f < e { nextStart = f; break }
                    }
                }
                body(Item(offset: o, length: n, scalar: s, atSegmentStart: o == segments[k].lowerBound, bytes: buf,
                          previousEnd: o > from ? o : previousEnd, nextStart: nextStart))
                return o + n
            }
        }
    }
}
