import TextModel

/// Scans for rare candidates (quotation marks, numeral triggers, invisible characters) that pass
/// over the 64-byte blocks without one four rounds at a time, with one branch a block: most rounds
/// of these scans find nothing, and each paid its own test and loop.
extension CandidateScan {
    /// A scalar boundary in `from...end` at or before the first candidate at or after `from` (a
    /// scalar boundary): past the 64-byte blocks that hold none.
    @inline(__always)
    static func skipEmptyBlocks(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int {
        guard from < end, let start = bytes.baseAddress else { return from }
        var i = from
        // A round at the text's start reads a zero before it: `next` pads it.
        if i == 0 {
            let first = min(16, end)
            i = next(in: bytes, from: 0, to: first)
            if i < first { return i }
        }
        let base = UnsafeRawPointer(start)
        @inline(__always) func round(_ j: Int) -> SIMDMask<SIMD16<Int8>> {
            candidates(base.loadUnaligned(fromByteOffset: j &- 1, as: SIMD16<UInt8>.self),
                       base.loadUnaligned(fromByteOffset: j, as: SIMD16<UInt8>.self),
                       base.loadUnaligned(fromByteOffset: j &+ 1, as: SIMD16<UInt8>.self),
                       base.loadUnaligned(fromByteOffset: j &+ 2, as: SIMD16<UInt8>.self))
        }
        // The block's lanes read bytes i - 1 ..< i + 66, inside the text.
        while i &+ 64 <= end && i &+ 66 <= bytes.count {
            if laneBits(round(i) .| round(i &+ 16) .| round(i &+ 32) .| round(i &+ 48)) != 0 { break }
            i &+= 64
        }
        // Candidates start scalars: the one `i` falls in has none.
        while i > from && i < bytes.count && UTF8Scalar.isContinuation(bytes[i]) { i &-= 1 }
        return i
    }

    /// `forEachCandidate` (the same calls, in order) past the blocks without a candidate.
    @inline(__always)
    static func forEachCandidateSkipping(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, _ visit: (Int) -> Int) {
        var o = from
        while o < end {
            o = skipEmptyBlocks(in: bytes, from: o, to: end)
            guard o < end else { return }
            // The block with a candidate, to a scalar boundary, is scanned round by round.
            var window = min(o &+ 64, end)
            while window < end && UTF8Scalar.isContinuation(bytes[window]) { window &+= 1 }
            var resume = window
            forEachCandidate(in: bytes, from: o, to: window) { c in
                let r = visit(c)
                if r > resume { resume = r }
                return r
            }
            o = resume
        }
    }

    /// `forEachCandidate` (the same calls, in order) with the rounds that read no byte outside the text
    /// in a loop of their own: `forEachCandidate` asks at each round whether to pad it (ten
    /// instructions a round of sixty). For scans whose candidates are too common to skip blocks.
    @inline(__always)
    static func forEachCandidateUnpadded(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, _ visit: (Int) -> Int) {
        guard from < end, let start = bytes.baseAddress else { return }
        var i = from
        // The first round reads a zero before the text: a padded one.
        if i == 0 {
            var next = min(16, end)
            forEachCandidate(in: bytes, from: 0, to: next) { c in
                let r = visit(c)
                if r > next { next = r }
                return r
            }
            i = next
        }
        let base = UnsafeRawPointer(start)
        // Rounds that read bytes i - 1 ..< i + 18.
        let unpadded = min(end, bytes.count &- 18 &+ 1)
        while i < unpadded {
            var bits = laneBits(candidates(base.loadUnaligned(fromByteOffset: i &- 1, as: SIMD16<UInt8>.self),
                                           base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self),
                                           base.loadUnaligned(fromByteOffset: i &+ 1, as: SIMD16<UInt8>.self),
                                           base.loadUnaligned(fromByteOffset: i &+ 2, as: SIMD16<UInt8>.self)))
            var following = i &+ 16
            while bits != 0 {
                let o = i &+ bits.trailingZeroBitCount
                if o >= end { return }
                let resume = visit(o)
                if resume &- i >= 16 {
                    following = resume
                    break
                }
                bits &= UInt32.max &<< UInt32(truncatingIfNeeded: resume &- i)
            }
            i = following
        }
        // The last rounds, padded.
        forEachCandidate(in: bytes, from: i, to: end, visit)
    }

    /// `first(in:from:to:where:)` past the blocks without a candidate.
    @inline(__always)
    static func firstSkipping(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int,
                              where match: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Int {
        var found = end
        forEachCandidateSkipping(in: bytes, from: from, to: end) { o in
            if match(bytes, o) {
                found = o
                return end
            }
            return o &+ UTF8Scalar.sequenceLength(lead: bytes[o])
        }
        return found
    }
}
