import TextModel

/// The candidates of a `CandidateScan` in a layout's paragraphs, found by one scan of the whole text:
/// a scan per paragraph read every paragraph's segments (an array each, a cache miss on a big text),
/// while most paragraphs hold no candidate.
enum ParagraphCandidates {
    /// Per lane, whether `before` (the byte before a scalar) may precede a segment's start: a line
    /// break, or the last byte of an indent (20, 09; C2 A0, E2 80 80–E2 81 9F and E3 80 80 end in
    /// 80–8A, 9F, A0, AF). For scans whose candidates count at a segment's start whatever precedes.
    @inline(__always)
    static func mayStartSegment(_ before: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        (before .< SIMD16(repeating: 0x80)) .| ((before &- SIMD16(repeating: 0x80)) .<= SIMD16(repeating: 0x0A))
            .| (before .== SIMD16(repeating: 0x9F)) .| (before .== SIMD16(repeating: 0xA0)) .| (before .== SIMD16(repeating: 0xAF))
    }

    /// Calls `candidate(p, segment, offset)` for each candidate, in text order, that starts in a
    /// segment of paragraph `p` (candidates between segments are passed over); it returns whether to
    /// go on with the paragraph's later candidates. `done(p)` follows the last call for `p`.
    @inline(__always)
    static func forEach<Scan: CandidateScan>(_: Scan.Type, in layout: Layout, _ bytes: UnsafeBufferPointer<UInt8>,
                                             candidate: (Int, Range<Int>, Int) -> Bool, done: (Int) -> Void) {
        let paragraphs = layout.paragraphs
        let starts = layout.document.lines.starts
        let end = bytes.count
        // Where the line after paragraph `p`'s last line starts: its candidates lie before. (Its lines
        // are `features[range]`, read by index: the paragraph's lines copied out retained their array.)
        let features = layout.features
        func limit(_ p: Int) -> Int {
            let next = features[paragraphs[p].lines.range.upperBound - 1].line + 1
            return next < starts.count ? starts[next] : end
        }
        // The paragraph of the last candidate, where its lines end, its segments (read only once it
        // has a candidate) and the one the candidates have reached; whether it had a candidate.
        var p = -1, pEnd = 0
        var segments = ParagraphSegments([], 0..<0), k = 0
        var called = false
        Scan.forEachCandidate(in: bytes, from: 0, to: end) { c in
            if c >= pEnd {
                if called { done(p); called = false }
                repeat { p += 1 } while p < paragraphs.count && limit(p) <= c
                // Past the last paragraph: nothing more to call.
                guard p < paragraphs.count else { return end }
                pEnd = limit(p)
                segments = paragraphs[p].segments
                k = 0
            }
            while k < segments.count && segments[k].upperBound <= c { k += 1 }
            var from = c &+ UTF8Scalar.sequenceLength(lead: bytes[c])
            if k < segments.count && segments[k].lowerBound <= c {
                called = true
                if !candidate(p, segments[k], c) { from = pEnd }
            }
            return from
        }
        if called { done(p) }
    }
}
