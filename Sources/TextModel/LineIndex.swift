import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where each line starts and where its content ends, in UTF-8 offsets. Lines end at LF, CRLF or a
/// lone CR. A text of n terminators has n + 1 lines (the last may be empty), as in LSP.
public struct LineIndex: Sendable, Equatable {
    /// Offset of the first byte of each line. Never empty: `starts[0] == 0`.
    public private(set) var starts: [Int]
    /// Offset just past the content of each line (before its terminator).
    public private(set) var contentEnds: [Int]
    /// Total length of the text in bytes.
    public private(set) var length: Int
    /// Whether the text holds a CR, when the scan that made this index found out on its way (a big
    /// text's, scanned in pieces), so a rule need not look again; nil otherwise (a small text, an
    /// index cut from another or edited). Not part of equality: it says nothing of the lines.
    public private(set) var holdsCarriageReturn: Bool? = nil

    public static func == (a: LineIndex, b: LineIndex) -> Bool {
        a.length == b.length && a.starts == b.starts && a.contentEnds == b.contentEnds
    }

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count >= Self.parallelLength {
            (starts, contentEnds, holdsCarriageReturn) = Self.scanInPieces(bytes, validating: false)!
        } else {
            var starts = [0]
            var ends: [Int] = []
            Self.scanTerminators(bytes, in: 0..<bytes.count, ends: &ends, starts: &starts)
            ends.append(bytes.count)
            (self.starts, contentEnds) = (starts, ends)
        }
        length = bytes.count
    }

    /// The index of `bytes` when they are well-formed UTF-8 (see `UTF8Validation`), nil when not. A
    /// big text's pieces are validated in the pass that counts their lines, each while it is in the
    /// cache (a pass of its own read 20 MB once more and waited for all cores once more).
    public init?(validating bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count >= Self.parallelLength {
            guard let scan = Self.scanInPieces(bytes, validating: true) else { return nil }
            self.init(starts: scan.starts, contentEnds: scan.ends, length: bytes.count)
            holdsCarriageReturn = scan.carriageReturn
        } else {
            guard UTF8Validation.firstInvalid(in: bytes) == nil else { return nil }
            self.init(bytes)
        }
    }

    /// From this length on, a text is scanned in pieces on all cores (a 20 MB file's index took
    /// 20 ms on one, while the other had nothing to do yet).
    static let parallelLength = 4 << 20

    /// `scanTerminators` over the whole text, one piece per 1 MB on all cores: the pieces' lines
    /// are counted first, then written where they belong in arrays allocated once (arrays per piece,
    /// joined after, touched 7,000 more pages of memory on a 20 MB file than they saved). The lines'
    /// starts (the first is 0) and content ends (the last is the text's end), and whether the text
    /// holds a CR. `validating`: nil when a piece is not well-formed UTF-8.
    static func scanInPieces(_ bytes: UnsafeBufferPointer<UInt8>, validating: Bool) -> (starts: [Int], ends: [Int], carriageReturn: Bool)? {
        let pieceLength = 1 << 20
        let count = (bytes.count + pieceLength - 1) / pieceLength
        // Each piece starts at a byte that starts a sequence (so a valid text is valid piece by piece,
        // and an invalid one is not) and not at the LF of a CRLF (the piece before sees it).
        var cuts = [Int](repeating: bytes.count, count: count + 1)
        cuts[0] = 0
        for k in 1..<max(1, count) {
            var c = k * pieceLength
            while c < bytes.count, c < k * pieceLength + 3, UTF8Scalar.isContinuation(bytes[c]) { c += 1 }
            if c < bytes.count, bytes[c - 1] == 0x0D, bytes[c] == 0x0A { c += 1 }
            cuts[k] = c
        }
        func piece(_ k: Int) -> Range<Int> { cuts[k]..<cuts[k + 1] }
        var firsts = [Int](repeating: 0, count: count + 1)
        // Whether each piece holds a CR, looked for once (the second scan knows), and whether it is
        // well-formed.
        var withCR = [Bool](repeating: false, count: count)
        var valid = [Bool](repeating: true, count: count)
        firsts.withUnsafeMutableBufferPointer { firsts in
            withCR.withUnsafeMutableBufferPointer { withCR in
                valid.withUnsafeMutableBufferPointer { valid in
                    let firsts = firsts, withCR = withCR, valid = valid
                    DispatchQueue.concurrentPerform(iterations: count) { k in
                        let range = piece(k)
                        if validating && UTF8Validation.firstInvalid(in: UnsafeBufferPointer(rebasing: bytes[range])) != nil {
                            valid[k] = false
                            return
                        }
                        var n = 0
                        withCR[k] = !range.isEmpty && memchr(bytes.baseAddress! + range.lowerBound, 0x0D, range.count) != nil
                        scanTerminators(bytes, in: range, withCR: withCR[k]) { _, _ in n += 1 }
                        firsts[k + 1] = n
                    }
                }
            }
            for k in 0..<count { firsts[k + 1] += firsts[k] }
        }
        guard !valid.contains(false) else { return nil }
        let total = firsts[count]
        // Each element written once, on the core that scans its piece: not zeroed first on one core.
        var ends: [Int] = []
        let starts = [Int](unsafeUninitializedCapacity: total + 1) { s, startCount in
            ends = [Int](unsafeUninitializedCapacity: total + 1) { e, endCount in
                let s = s, e = e
                s[0] = 0
                e[total] = bytes.count
                DispatchQueue.concurrentPerform(iterations: count) { k in
                    var at = firsts[k]
                    scanTerminators(bytes, in: piece(k), withCR: withCR[k]) { end, start in
                        e[at] = end
                        s[at + 1] = start
                        at += 1
                    }
                }
                endCount = total + 1
            }
            startCount = total + 1
        }
        return (starts, ends, withCR.contains(true))
    }

    /// Appends, for every line terminator that starts in `range`, where the line before it ends and
    /// where the next line starts (a CRLF is one terminator, even across the end of `range`).
    static func scanTerminators(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, ends: inout [Int], starts: inout [Int]) {
        scanTerminators(bytes, in: range) { end, start in ends.append(end); starts.append(start) }
    }

    /// Calls `line(end, start)` for every line terminator that starts in `range`, in order: where the
    /// line before it ends and where the next line starts. `withCR`: whether `range` holds a CR, when
    /// the caller knows.
    @inline(__always)
    static func scanTerminators(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, withCR: Bool? = nil,
                                _ line: (Int, Int) -> Void) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        // Text without CR (nearly all of it): each LF, found sixteen bytes at a time.
        if !(withCR ?? (memchr(base + range.lowerBound, 0x0D, range.count) != nil)) {
            forEach(0x0A, in: bytes, range) { at in line(at, at + 1) }
            return
        }
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if b == 0x0A {
                line(i, i + 1)
            } else if b == 0x0D {
                let end = i
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                line(end, i + 1)
            }
            i += 1
        }
    }

    /// Calls `body(offset)` for every byte of `range` equal to `value`, in order. Sixteen bytes are
    /// compared at a time and their matches read from a bit mask: a line is some 40 bytes, and a
    /// `memchr` call per line cost more than its search.
    @inline(__always)
    static func forEach(_ value: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Int) -> Void) {
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let wanted = SIMD16<UInt8>(repeating: value)
        var i = range.lowerBound
        while i &+ 16 <= range.upperBound {
            // Bit k: byte i + k matches.
            var found = laneBits(raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) .== wanted)
            while found != 0 {
                body(i &+ found.trailingZeroBitCount)
                found &= found &- 1
            }
            i &+= 16
        }
        while i < range.upperBound {
            if base[i] == value { body(i) }
            i &+= 1
        }
    }

    init(starts: [Int], contentEnds: [Int], length: Int) {
        self.starts = starts
        self.contentEnds = contentEnds
        self.length = length
    }

    public var count: Int { starts.count }

    /// Updates the index after `old` (a range of the previous text) was replaced by `insertedCount`
    /// bytes; `bytes` is the new text. Rescans from the line before the edit to the line after it
    /// (a CR and an LF on either side of the edit may meet) and shifts the lines after.
    mutating func replace(_ old: Range<Int>, insertedCount: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        let delta = insertedCount - old.count
        holdsCarriageReturn = nil
        let a = max(0, line(containing: old.lowerBound) - 1)
        let b = min(starts.count - 1, line(containing: old.upperBound) + 1)
        let regionStart = starts[a]
        let regionEnd = (b + 1 < starts.count ? starts[b + 1] : length) + delta
        var newStarts: [Int] = []
        var newEnds: [Int] = []
        Self.scanTerminators(bytes, in: regionStart..<regionEnd, ends: &newEnds, starts: &newStarts)
        let last = b == starts.count - 1
        if last { newEnds.append(regionEnd) }
        // Lines a...b are replaced: their ends, and the starts that follow them.
        let startsTail = last ? starts.count : b + 2
        starts.replaceSubrange((a + 1)..<startsTail, with: newStarts)
        contentEnds.replaceSubrange(a...b, with: newEnds)
        let firstShifted = a + 1 + newStarts.count
        if delta != 0 {
            starts.withUnsafeMutableBufferPointer { s in
                for k in firstShifted..<s.count { s[k] &+= delta }
            }
            let firstEnd = a + newEnds.count
            contentEnds.withUnsafeMutableBufferPointer { e in
                for k in firstEnd..<e.count { e[k] &+= delta }
            }
        }
        length += delta
    }

    /// The line that holds `offset` (clamped into the text). An offset inside a CRLF belongs to the
    /// line the CRLF ends.
    public func line(containing offset: Int) -> Int {
        let o = min(max(offset, 0), length)
        return starts.withUnsafeBufferPointer { s in
            // A binary search over a big text's lines waits on a cache miss per step. Lines are
            // about equally long: the line where the average puts the offset is near, so steps
            // doubling from it bracket the line, and a search within the bracket ends it.
            let n = s.count
            let guess = length == 0 ? 0 : min(n - 1, Int(Double(o) / Double(length) * Double(n - 1)))
            // s[lo] <= o, and hi == n or s[hi] > o (s[0] == 0).
            var lo = guess, hi = guess, step = 1
            if s[guess] <= o {
                while lo + step < n && s[lo + step] <= o { lo += step; step *= 2 }
                hi = min(n, lo + step)
            } else {
                while hi - step > 0 && s[hi - step] > o { hi -= step; step *= 2 }
                lo = max(0, hi - step)
            }
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if s[mid] <= o { lo = mid } else { hi = mid }
            }
            return lo
        }
    }

    /// Byte range of a line's content, without its terminator.
    public func contentRange(of line: Int) -> Range<Int> {
        let l = min(max(line, 0), starts.count - 1)
        return starts[l]..<contentEnds[l]
    }

    /// Byte range of a line including its terminator.
    public func fullRange(of line: Int) -> Range<Int> {
        let l = min(max(line, 0), starts.count - 1)
        return starts[l]..<(l + 1 < starts.count ? starts[l + 1] : length)
    }
}
