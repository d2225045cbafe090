#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Decoding UTF-8 at a byte offset. The text model stores valid UTF-8 (it is built from `String`),
/// but every function here still answers for any byte sequence, so no input can crash a caller.
public enum UTF8Scalar {
    /// The scalar that starts at `offset` and its length in bytes. A stray continuation byte or a
    /// truncated sequence decodes as U+FFFD of length 1.
    @inlinable @inline(__always)
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let b0 = bytes[offset]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let count = bytes.count
        if b0 & 0xE0 == 0xC0, offset + 1 < count {
            let v = (UInt32(b0 & 0x1F) << 6) | UInt32(bytes[offset + 1] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 2)
        }
        if b0 & 0xF0 == 0xE0, offset + 2 < count {
            return (Unicode.Scalar(value3(bytes, at: offset)) ?? "\u{FFFD}", 3)
        }
        if b0 & 0xF8 == 0xF0, offset + 3 < count {
            let v = (UInt32(b0 & 0x07) << 18) | (UInt32(bytes[offset + 1] & 0x3F) << 12)
                | (UInt32(bytes[offset + 2] & 0x3F) << 6) | UInt32(bytes[offset + 3] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
        }
        return ("\u{FFFD}", 1)
    }

    /// The value of the three-byte sequence at `offset` (Han and CJK punctuation: most of a text),
    /// its bytes not checked: for callers that know a lead byte of three starts it.
    @inlinable @inline(__always)
    public static func value3(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
        UInt32(bytes[offset] & 0x0F) << 12 | UInt32(bytes[offset &+ 1] & 0x3F) << 6 | UInt32(bytes[offset &+ 2] & 0x3F)
    }

    /// Length in bytes of the sequence that a lead byte starts (1 for anything that is not a lead byte).
    @inlinable @inline(__always)
    public static func sequenceLength(lead b0: UInt8) -> Int {
        if b0 < 0xC0 { return 1 }
        if b0 < 0xE0 { return 2 }
        if b0 < 0xF0 { return 3 }
        return 4
    }

    @inlinable @inline(__always)
    public static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// Width of a scalar in the given encoding's code units.
    @inlinable @inline(__always)
    public static func units(ofLead b0: UInt8, in encoding: PositionEncoding) -> Int {
        switch encoding {
        case .utf8: return sequenceLength(lead: b0)
        case .utf16: return b0 >= 0xF0 ? 2 : 1
        case .utf32: return 1
        }
    }
}

/// How columns are counted: LSP's three position encodings. The CLI counts in scalars (`utf32`).
public enum PositionEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"
}

/// One bit per lane of a mask, bit k for lane k. x86-64 has an instruction for it; elsewhere the
/// lanes' low bits are gathered by a multiply.
@inlinable @inline(__always)
public func laneBits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
    #if arch(x86_64)
    return UInt32(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(mask, to: __m128i.self)))
    #else
    let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
    @inline(__always) func bits(_ lanes: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ((lanes & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) &>> 56)
    }
    return bits(words[0]) | bits(words[1]) &<< 8
    #endif
}

/// A pre-scan of UTF-8 text for scalars told by their first byte and, for a scalar of three bytes,
/// also by its third, sixteen offsets at a time with SIMD compares. In Chinese text E2, E3 and EF start
/// most punctuation (a scalar in eight): a scan by first bytes alone (`ByteSet`) stops at every mark,
/// and tests a byte at a time; this one passes over the marks a rule does not look for.
public protocol CandidateScan {
    /// For each of sixteen offsets, whether the scalar there may be one looked for, from its first byte
    /// (`first`), the second and third (the bytes one and two further on) and the byte before it
    /// (`before`: 0 at the start of the text). Only a byte that starts a scalar (ASCII or a lead byte,
    /// never 80–BF) may be marked. Every scalar looked for must be marked; a marked one need not be one
    /// (callers test it exactly). The lanes a scan does not read are never loaded.
    static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>,
                           _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>>
}

extension CandidateScan {
    /// Sixteen copies of a byte, for the compares of `candidates` (`.==` with a scalar operand is
    /// compiled a lane at a time).
    @inlinable @inline(__always)
    public static func splat(_ b: UInt8) -> SIMD16<UInt8> { SIMD16(repeating: b) }

    /// Per lane, whether the scalar is ‘ ’ “ ” (E2 80 98, 99, 9C, 9D: the third byte 98 with bits 0 and 2
    /// free), told by its first and third bytes.
    @inlinable @inline(__always)
    public static func curlyQuotes(_ first: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        (first .== splat(0xE2)) .& ((third & splat(0xFA)) .== splat(0x98))
    }

    /// Per lane, whether the scalar is （ ） ［ ］ (EF BC 88, 89, BB, BD), told by its first and third bytes.
    @inlinable @inline(__always)
    public static func fullWidthBrackets(_ first: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        (first .== splat(0xEF)) .& (within(third, 0x88, 0x89) .| (third .== splat(0xBB)) .| (third .== splat(0xBD)))
    }

    /// Per lane, whether `v` is in `lo...hi`.
    @inlinable @inline(__always)
    public static func within(_ v: SIMD16<UInt8>, _ lo: UInt8, _ hi: UInt8) -> SIMDMask<SIMD16<Int8>> {
        (v &- splat(lo)) .<= splat(hi &- lo)
    }

    /// The candidates among the sixteen offsets from `i`, one bit each (bit k: offset i + k). Lanes
    /// past the text read zeros.
    @inlinable @inline(__always)
    static func candidateBits(_ bytes: UnsafeBufferPointer<UInt8>, _ base: UnsafeRawPointer, at i: Int) -> UInt32 {
        let before: SIMD16<UInt8>, first: SIMD16<UInt8>, second: SIMD16<UInt8>, third: SIMD16<UInt8>
        if i >= 1 && i &+ 18 <= bytes.count {
            before = base.loadUnaligned(fromByteOffset: i &- 1, as: SIMD16<UInt8>.self)
            first = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            second = base.loadUnaligned(fromByteOffset: i &+ 1, as: SIMD16<UInt8>.self)
            third = base.loadUnaligned(fromByteOffset: i &+ 2, as: SIMD16<UInt8>.self)
        } else {
            // The first or the last bytes of the text, copied into zeros (a candidate past the end
            // is past `end`): `pad` holds the bytes from `i - 1` on.
            var pad = (SIMD16<UInt8>(), SIMD16<UInt8>())
            let lo = max(i &- 1, 0), hi = min(i &+ 18, bytes.count)
            withUnsafeMutableBytes(of: &pad) { p in
                p.baseAddress!.advanced(by: lo &- (i &- 1)).copyMemory(from: base + lo, byteCount: hi &- lo)
            }
            (before, first, second, third) = withUnsafeBytes(of: pad) { p in
                (p.loadUnaligned(fromByteOffset: 0, as: SIMD16<UInt8>.self), p.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self),
                 p.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self), p.loadUnaligned(fromByteOffset: 3, as: SIMD16<UInt8>.self))
            }
        }
        return laneBits(candidates(before, first, second, third))
    }

    /// The first offset in `from..<end` (a scalar boundary) where a candidate starts, or `end`.
    @inlinable @inline(__always)
    public static func next(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int {
        // An empty text has no base address.
        guard from < end, let start = bytes.baseAddress else { return end }
        var i = from
        while i < end {
            // A round may read past `end` (a line's scan reads into the next line): a candidate
            // there is not returned.
            let bits = candidateBits(bytes, UnsafeRawPointer(start), at: i)
            if bits != 0 { return min(i &+ bits.trailingZeroBitCount, end) }
            i &+= 16
        }
        return end
    }

    /// Calls `visit` with each candidate in `from..<end` (a scalar boundary), in order; `visit`
    /// returns where the scan goes on, a scalar boundary past the candidate. The candidates of a
    /// round that come after it are taken from the same round (calling `next` again computed the
    /// round again at each candidate: in Chinese text a mark every few characters). The rounds that
    /// read no byte outside the text go in a loop of their own, without `candidateBits`' test for
    /// padding (ten instructions a round of sixty).
    @inlinable @inline(__always)
    public static func forEachCandidate(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, _ visit: (Int) -> Int) {
        guard from < end, let start = bytes.baseAddress else { return }
        let base = UnsafeRawPointer(start)
        // Rounds from 1 to here read bytes i - 1 ..< i + 18, all inside the text.
        let unpadded = min(end, bytes.count &- 17)
        var i = from
        while i < end {
            if i >= 1 && i < unpadded {
                repeat {
                    let bits = laneBits(candidates(base.loadUnaligned(fromByteOffset: i &- 1, as: SIMD16<UInt8>.self),
                                                   base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self),
                                                   base.loadUnaligned(fromByteOffset: i &+ 1, as: SIMD16<UInt8>.self),
                                                   base.loadUnaligned(fromByteOffset: i &+ 2, as: SIMD16<UInt8>.self)))
                    guard let following = visitRound(bits, at: i, to: end, visit) else { return }
                    i = following
                } while i < unpadded
            } else {
                guard let following = visitRound(candidateBits(bytes, base, at: i), at: i, to: end, visit) else { return }
                i = following
            }
        }
    }

    /// Visits the candidates of the round at `i` (`bits`, bit k for offset i + k) before `end`, and
    /// returns where the next round starts, or nil when a candidate lies at or past `end`.
    @inlinable @inline(__always)
    static func visitRound(_ bits: UInt32, at i: Int, to end: Int, _ visit: (Int) -> Int) -> Int? {
        var bits = bits
        while bits != 0 {
            let o = i &+ bits.trailingZeroBitCount
            if o >= end { return nil }
            let resume = visit(o)
            if resume &- i >= 16 { return resume }
            // (Wrapping shift: `resume` is past `o`, so 1...15.)
            bits &= UInt32.max &<< UInt32(truncatingIfNeeded: resume &- i)
        }
        return i &+ 16
    }

    /// The first offset in `from..<end` where a scalar starts whose bytes `match` accepts (given the
    /// bytes and the offset of a candidate), or `end`.
    @inlinable @inline(__always)
    public static func first(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int,
                             where match: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Int {
        var found = end
        forEachCandidate(in: bytes, from: from, to: end) { o in
            if match(bytes, o) {
                found = o
                return end
            }
            return o &+ UTF8Scalar.sequenceLength(lead: bytes[o])
        }
        return found
    }
}
