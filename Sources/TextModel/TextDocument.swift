/// A zero-based position: a line and a column counted in one encoding's code units.
public struct LineColumn: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static func < (a: LineColumn, b: LineColumn) -> Bool {
        a.line != b.line ? a.line < b.line : a.column < b.column
    }
    public var description: String { "\(line):\(column)" }
}

/// Positions of a text, however it is stored (whole, or the language server's open text kept in
/// sections): what converting LSP positions needs.
public protocol TextPositions {
    /// The text's length in bytes.
    var length: Int { get }
    /// The byte at an offset inside the text.
    func byte(at offset: Int) -> UInt8
    func positions(of offsets: [Int], in encoding: PositionEncoding) -> [LineColumn]
    func offset(of position: LineColumn, in encoding: PositionEncoding) -> Int
}

/// An immutable text: its UTF-8 bytes and line index. Every offset in galley is a UTF-8 byte offset
/// into `bytes`; conversion to lines and columns in UTF-8, UTF-16 or scalars happens here and only here.
/// Any `String` is valid input; positions out of range clamp, they never trap.
public struct TextDocument: Sendable, TextPositions {
    public private(set) var bytes: TextBytes
    public private(set) var lines: LineIndex

    public init(_ text: String) {
        self.init(bytes: TextBytes(copying: text.utf8))
    }

    /// `bytes` must be valid UTF-8 (what `String.utf8` gives); invalid bytes are still handled without
    /// crashing, as U+FFFD of one byte each.
    public init(bytes: [UInt8]) {
        self.init(bytes: TextBytes(bytes))
    }

    public init(bytes: TextBytes) {
        self.bytes = bytes
        self.lines = bytes.withUnsafeBufferPointer { LineIndex($0) }
    }

    /// The document of `bytes` when they are well-formed UTF-8, nil when not (validated as the lines
    /// are indexed: see `LineIndex(validating:)`).
    public init?(validating bytes: TextBytes) {
        guard let lines = bytes.withUnsafeBufferPointer({ LineIndex(validating: $0) }) else { return nil }
        self.init(bytes: bytes, lines: lines)
    }

    /// The bytes of `range` as a text of its own (see `TextBytes.part`: borrowed bytes are not
    /// copied). A range from a line start to a line start (or the end), as sections are, has its line
    /// index cut from this one, not scanned again.
    public func section(_ range: Range<Int>) -> TextDocument {
        let part = bytes.part(range)
        let lo = range.lowerBound, hi = range.upperBound
        let first = lines.line(containing: lo)
        let toEnd = hi == count
        let end = toEnd ? lines.count : lines.line(containing: hi)
        guard lines.starts[first] == lo, toEnd || lines.starts[end] == hi else { return TextDocument(bytes: part) }
        // Up to a line start, the text ends with a line break: its last line is the empty one after.
        let extra = !toEnd || first == end ? 1 : 0
        // Each array allocated at its size and written once (a copy and an append grew it again).
        func shifted(_ from: [Int]) -> [Int] {
            [Int](unsafeUninitializedCapacity: end - first + extra) { out, initialized in
                from.withUnsafeBufferPointer { from in
                    for l in first..<end { out[l - first] = from[l] &- lo }
                }
                if extra == 1 { out[end - first] = hi - lo }
                initialized = end - first + extra
            }
        }
        let index = LineIndex(starts: shifted(lines.starts), contentEnds: shifted(lines.contentEnds), length: part.count)
        return TextDocument(bytes: part, lines: index)
    }

    private init(bytes: TextBytes, lines: LineIndex) {
        self.bytes = bytes
        self.lines = lines
    }

    /// Texts one after another, each but the last ending with a line break and none but the first
    /// starting with an LF (so no CR and LF meet at a seam): the line index is joined, not rebuilt.
    public init(joining parts: [TextDocument]) {
        var starts: [Int] = [], ends: [Int] = []
        var offset = 0
        for (n, part) in parts.enumerated() {
            let last = n == parts.count - 1
            // A part's last line is the empty one after its final line break: the next part's first.
            let lineCount = last ? part.lines.count : part.lines.count - 1
            for l in 0..<lineCount {
                starts.append(part.lines.starts[l] + offset)
                ends.append(part.lines.contentEnds[l] + offset)
            }
            offset += part.count
        }
        self.bytes = TextBytes(joining: parts.map(\.bytes))
        self.lines = LineIndex(starts: starts, contentEnds: ends, length: offset)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var count: Int { bytes.count }
    public var length: Int { bytes.count }
    public func byte(at offset: Int) -> UInt8 { bytes[offset] }
    public var isEmpty: Bool { bytes.isEmpty }

    /// The text of a byte range, clamped and widened to scalar boundaries.
    public func slice(_ range: Range<Int>) -> String {
        let r = clampToScalars(range)
        return String(decoding: bytes[r], as: UTF8.self)
    }

    /// Clamp an offset into the text and move it back to the start of the scalar that holds it.
    public func clampToScalar(_ offset: Int) -> Int {
        var o = min(max(offset, 0), bytes.count)
        var steps = 0
        while o > 0, o < bytes.count, UTF8Scalar.isContinuation(bytes[o]), steps < 3 { o -= 1; steps += 1 }
        return o
    }

    public func clampToScalars(_ range: Range<Int>) -> Range<Int> {
        let lo = clampToScalar(range.lowerBound)
        let hi = max(lo, clampToScalar(range.upperBound))
        return lo..<hi
    }

    /// The scalar that starts at `offset` and its length in bytes.
    @inlinable @inline(__always)
    public func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int) {
        bytes.withUnsafeBufferPointer { UTF8Scalar.decode($0, at: offset) }
    }

    // MARK: Offsets and positions

    /// Position of a byte offset as (line, column) with the column in `encoding` units. An offset
    /// inside a scalar counts from that scalar's start; an offset inside a CRLF is the end of its line.
    public func position(of offset: Int, in encoding: PositionEncoding) -> LineColumn {
        let o = clampToScalar(offset)
        let line = lines.line(containing: o)
        let start = lines.starts[line]
        let end = min(o, lines.contentEnds[line])
        return LineColumn(line: line, column: units(from: start, to: end, in: encoding))
    }

    /// Byte offset of a (line, column) position in `encoding` units. A line past the end clamps to the
    /// end of the text; a column past the line's end clamps to the line's end (LSP's rule); a column
    /// inside a scalar (half a surrogate pair, the middle of a UTF-8 sequence) moves back to its start.
    public func offset(of position: LineColumn, in encoding: PositionEncoding) -> Int {
        if position.line < 0 { return 0 }
        if position.line >= lines.count { return bytes.count }
        let start = lines.starts[position.line]
        let end = lines.contentEnds[position.line]
        if position.column <= 0 { return start }
        if encoding == .utf8 {
            return clampToScalar(min(start + position.column, end))
        }
        var o = start
        var col = 0
        while o < end {
            let w = UTF8Scalar.units(ofLead: bytes[o], in: encoding)
            if col + w > position.column { break }
            col += w
            o += UTF8Scalar.sequenceLength(lead: bytes[o])
        }
        return min(o, end)
    }

    /// Number of `encoding` units in bytes[from..<to] (both on scalar boundaries).
    public func units(from: Int, to: Int, in encoding: PositionEncoding) -> Int {
        if encoding == .utf8 { return max(0, to - from) }
        return bytes.withUnsafeBufferPointer { Self.units($0, from: from, to: to, in: encoding) }
    }

    /// Scalars (or UTF-16 units) in b[from..<to]: every byte that is not a continuation byte counts
    /// one, a lead byte of four bytes one more in UTF-16. Eight bytes at a time, the last few too.
    @inline(__always)
    static func units(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, in encoding: PositionEncoding) -> Int {
        guard from < to, let base = b.baseAddress else { return 0 }
        if encoding == .utf8 { return to - from }
        precondition(from >= 0 && to <= b.count)
        let raw = UnsafeRawPointer(base)
        var n = to &- from
        var o = from
        // A loop per encoding: the test stays out of the loop.
        if encoding == .utf16 {
            while o &+ 8 <= to { n &-= excess(raw.loadUnaligned(fromByteOffset: o, as: UInt64.self), utf16: true); o &+= 8 }
        } else {
            // Scalars (most columns): per-byte tallies of continuation bytes, summed by one multiply
            // per 31 words at most (the sum of the lanes stays below 256). The words are counted
            // down: a bound on the offset took more work to set up than the few words of a column.
            let low: UInt64 = 0x0101_0101_0101_0101
            var words = (to &- o) &>> 3
            while words > 0 {
                var run = min(words, 31)
                words &-= run
                var continuations: UInt64 = 0
                repeat {
                    let x = raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)
                    continuations &+= ((x & ~(x &<< 1)) &>> 7) & low
                    o &+= 8
                    run &-= 1
                } while run > 0
                n &-= Int(truncatingIfNeeded: (continuations &* low) &>> 56)
            }
        }
        guard o < to else { return n }
        if to >= 8 {
            // The word that ends at `to`, the bytes before `o` shifted out: zeros count as neither.
            let x = raw.loadUnaligned(fromByteOffset: to &- 8, as: UInt64.self).littleEndian &>> UInt64(8 &* (8 &- (to &- o)))
            return n &- excess(x, utf16: encoding == .utf16)
        }
        while o < to {
            if UTF8Scalar.isContinuation(base[o]) { n &-= 1 } else if encoding == .utf16 && base[o] >= 0xF0 { n &+= 1 }
            o &+= 1
        }
        return n
    }

    /// Of eight bytes: the continuation bytes (10xxxxxx), less the lead bytes of four (11110xxx) in
    /// UTF-16. Per-byte flags summed by a multiply (the baseline target has no popcount instruction).
    @inline(__always)
    static func excess(_ x: UInt64, utf16: Bool) -> Int {
        let low: UInt64 = 0x0101_0101_0101_0101
        var n = Int(truncatingIfNeeded: ((((x & ~(x &<< 1)) &>> 7) & low) &* low) &>> 56)
        if utf16 { n &-= Int(truncatingIfNeeded: ((((x & (x &<< 1) & (x &<< 2) & (x &<< 3)) &>> 7) & low) &* low) &>> 56) }
        return n
    }

    /// Positions for many offsets in one pass, in any order. They are taken as they come (findings
    /// come sorted by start, their ends, edits and related locations a little after): a step back
    /// within a line counts that line again from its start. When that adds up to more than twice the
    /// text (many offsets out of order on long lines), they are sorted, so each line is walked once.
    public func positions(of offsets: [Int], in encoding: PositionEncoding) -> [LineColumn] {
        [LineColumn](unsafeUninitializedCapacity: offsets.count) { result, initialized in
            let budget = 2 * bytes.count + 64 * offsets.count
            if !walk(to: offsets, order: nil, in: encoding, budget: budget, into: result) {
                let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
                _ = walk(to: offsets, order: order, in: encoding, budget: .max, into: result)
            }
            initialized = offsets.count
        }
    }

    /// Writes the position of `offsets[i]` to `result[i]`, for every i in `order` (or in index order);
    /// false when the bytes counted exceed `budget`.
    private func walk(to offsets: [Int], order: [Int]?, in encoding: PositionEncoding, budget: Int,
                      into result: UnsafeMutableBufferPointer<LineColumn>) -> Bool {
        let lines = self.lines
        return bytes.withUnsafeBufferPointer { b in
            lines.starts.withUnsafeBufferPointer { starts in
                lines.contentEnds.withUnsafeBufferPointer { ends in
                    var line = -1, lineStart = 0, walked = 0, col = 0
                    var counted = 0
                    for k in offsets.indices {
                        let i = order?[k] ?? k
                        var o = min(max(offsets[i], 0), b.count)
                        var steps = 0
                        while o > 0, o < b.count, UTF8Scalar.isContinuation(b[o]), steps < 3 { o -= 1; steps += 1 }
                        var l = line
                        if l < 0 || o < starts[max(l - 1, 0)] {
                            l = lines.line(containing: o)
                        } else if o < lineStart {
                            l -= 1
                        } else {
                            // Offsets mostly stay on the line before or move a few lines on: step, then search.
                            var hops = 0
                            while l + 1 < starts.count, starts[l + 1] <= o, hops < 8 { l += 1; hops += 1 }
                            if hops == 8 { l = lines.line(containing: o) }
                        }
                        if l != line { line = l; lineStart = starts[l]; walked = lineStart; col = 0 }
                        let target = min(o, ends[l])
                        if target < walked { walked = lineStart; col = 0 }
                        counted += target - walked
                        if counted > budget { return false }
                        col += Self.units(b, from: walked, to: target, in: encoding)
                        walked = target
                        (result.baseAddress! + i).initialize(to: LineColumn(line: l, column: col))
                    }
                    return true
                }
            }
        }
    }

    // MARK: Lines and blocks

    /// The content of a line without its terminator.
    public func lineText(_ line: Int) -> String { slice(lines.contentRange(of: line)) }

    /// True when a line holds nothing but white space.
    public func isBlank(line: Int) -> Bool {
        let r = lines.contentRange(of: line)
        var o = r.lowerBound
        while o < r.upperBound {
            let (s, n) = scalar(at: o)
            if !Scalars.isInlineSpace(s) { return false }
            o += n
        }
        return true
    }

    /// Blocks: maximal runs of non-blank lines, separated by blank lines (as line ranges).
    public func blocks() -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start: Int? = nil
        for l in 0..<lines.count {
            if isBlank(line: l) {
                if let s = start { result.append(s..<l); start = nil }
            } else if start == nil {
                start = l
            }
        }
        if let s = start { result.append(s..<lines.count) }
        return result
    }

    /// The terminator style(s) the text uses.
    public func lineEndings() -> (lf: Int, crlf: Int, cr: Int) {
        var lf = 0, crlf = 0, cr = 0
        for l in 0..<(lines.count - 1) {
            let end = lines.contentEnds[l]
            let next = lines.starts[l + 1]
            if next - end == 2 { crlf += 1 } else if bytes[end] == 0x0D { cr += 1 } else { lf += 1 }
        }
        return (lf, crlf, cr)
    }

    // MARK: Edits

    /// A new document with the edits applied (see `TextEdit.apply`).
    public func applying(_ edits: [TextEdit]) -> TextDocument {
        TextDocument(bytes: bytes.withUnsafeBufferPointer { TextEdit.apply(edits, to: $0) })
    }

    /// Replaces one range in place (clamped onto scalar boundaries) and returns the range that was
    /// replaced. The bytes move once and only the lines around the edit are scanned again, so an
    /// edit costs a `memmove`, not a rebuild. (The language server keeps an open text in sections,
    /// see `CheckedDocument`: an edit there moves one section's bytes.)
    @discardableResult
    public mutating func replace(_ range: Range<Int>, with newText: String) -> Range<Int> {
        let lo = clampToScalar(range.lowerBound)
        let hi = max(lo, clampToScalar(range.upperBound))
        let inserted = Array(newText.utf8)
        bytes.replaceSubrange(lo..<hi, with: inserted)
        bytes.withUnsafeBufferPointer { lines.replace(lo..<hi, insertedCount: inserted.count, in: $0) }
        return lo..<hi
    }
}
