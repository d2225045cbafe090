/// Checking that bytes are well-formed UTF-8 (the CLI's input; the text model assumes it).
public enum UTF8Validation {
    /// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
    /// forms, surrogates and values above U+10FFFF are ill-formed), or nil when all of `b` is valid.
    public static func firstInvalid(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        guard let base = b.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        func word(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
        var i = 0, plainFrom = 0
        while i < n {
            if i >= plainFrom {
                let at = i
                i = plainRun(raw, from: i, to: n)
                // A block that stops at once (at a two- or four-byte sequence, say) is not read
                // again as a block for sixteen bytes: text in other scripts goes on as before.
                if i == at { plainFrom = i &+ 16 }
            }
            // ASCII eight bytes at a time, up to the first byte that is not (the blocks' runs of
            // three-byte sequences cover the rest). Anything else goes a sequence at a time.
            while i + 8 <= n {
                let high = word(i) & 0x8080_8080_8080_8080
                if high == 0 { i += 8; continue }
                i += high.trailingZeroBitCount >> 3
                break
            }
            guard i < n else { break }
            let b0 = b[i]
            if b0 < 0x80 { i += 1; continue }
            // Han and CJK punctuation (lead bytes E1–EC, any continuation bytes): most of a text.
            if b0 &- 0xE1 < 12, i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 { i += 3; continue }
            let length: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF // allowed range of the second byte
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; hi = 0x9F
            case 0xF0: length = 4; lo = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; hi = 0x8F
            default: return i
            }
            if i + length > n { return i }
            if b[i + 1] < lo || b[i + 1] > hi { return i }
            var k = 2
            while k < length {
                if b[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += length
        }
        return nil
    }

    /// From `start`, where a sequence starts: where the run of ASCII and of three-byte sequences led
    /// by E1–EC, EE or EF (any two continuation bytes make a valid sequence after those: Han and CJK
    /// punctuation, most of a text) ends, read sixteen bytes at a time; the end is where a sequence
    /// starts. In a block, the continuation bytes must be exactly those the leads before them call for.
    @inline(__always)
    static func plainRun(_ raw: UnsafeRawPointer, from start: Int, to n: Int) -> Int {
        var i = start
        // Continuation bytes the block before calls for at this one's first two lanes (bit 0, bit 1).
        var carry: UInt32 = 0
        while i &+ 16 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let high = laneBits(v .>= SIMD16(repeating: 0xC0))
            let leads = laneBits((v & SIMD16(repeating: 0xF0)) .== SIMD16(repeating: 0xE0)
                .& (v .!= SIMD16(repeating: 0xE0)) .& (v .!= SIMD16(repeating: 0xED)))
            let continuations = laneBits((v & SIMD16(repeating: 0xC0)) .== SIMD16(repeating: 0x80))
            guard high & ~leads == 0, continuations == (leads << 1 | leads << 2 | carry) & 0xFFFF else { break }
            // A lead in lane 15 calls for two bytes of the next block, one in lane 14 for one.
            carry = leads >> 15 != 0 ? 3 : leads >> 14 & 1
            i &+= 16
        }
        // Back to the start of a sequence the next block would have finished.
        return carry == 3 ? i &- 1 : carry == 1 ? i &- 2 : i
    }
}
