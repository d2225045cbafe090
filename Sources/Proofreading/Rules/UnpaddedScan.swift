import TextModel

extension CandidateScan {
    /// `forEachCandidate` (the same calls, in order) with the rounds that read no byte outside the text
    /// in a loop of their own: `forEachCandidate` asks at each round whether to pad it (ten
    /// instructions a round of sixty).
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
}
