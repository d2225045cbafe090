import TextModel

extension UTF8Scalar {
    /// `decode(_:at:)`'s scalar value and length for valid UTF-8 (the text model's: a surrogate's value
    /// is not replaced), with three-byte sequences (Han, CJK punctuation: most of a text) tested first.
    /// A sequence cut by the end of the bytes still decodes as U+FFFD.
    @inline(__always)
    static func decodeValid(_ bytes: UnsafeBufferPointer<UInt8>, at o: Int) -> (value: UInt32, length: Int) {
        let b0 = bytes[o]
        if b0 &- 0xE0 < 0x10, o &+ 2 < bytes.count {
            return (value3(bytes, at: o), 3)
        }
        let (scalar, length) = decode(bytes, at: o)
        return (scalar.value, length)
    }
}

/// The scalars of one line at a time and where each starts, in buffers kept from line to line that are
/// written in place (no per-scalar append) and never cleared: a line reads only what it wrote (arrays
/// grown by appending zeros wrote every element once more).
final class LineScalars {
    // One element per byte (at least one per scalar), grown to the longest line so far, and at first to
    // 256 bytes, more than most lines hold.
    private var values = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
    private var offsets = UnsafeMutableBufferPointer<Int>.allocate(capacity: 257)

    deinit {
        values.deallocate()
        offsets.deallocate()
    }

    /// Calls `body` with the scalars of `bytes[range]` and their offsets, the range's end after the
    /// last (so `offsets.count == values.count + 1`).
    func withScalars<Result>(of range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>,
                             _ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Int>) -> Result) -> Result {
        if values.count < range.count {
            let size = max(range.count, 2 * values.count)
            values.deallocate()
            offsets.deallocate()
            values = .allocate(capacity: size)
            offsets = .allocate(capacity: size + 1)
        }
        var k = 0
        var o = range.lowerBound
        while o < range.upperBound {
            let (value, length) = UTF8Scalar.decodeValid(bytes, at: o)
            values.initializeElement(at: k, to: value)
            offsets.initializeElement(at: k, to: o)
            k += 1
            o += length
        }
        offsets.initializeElement(at: k, to: range.upperBound)
        return body(UnsafeBufferPointer(rebasing: values[..<k]), UnsafeBufferPointer(rebasing: offsets[...k]))
    }
}

/// The `isInlineSpace` scalars by their first bytes (20, 09, C2) and, for three-byte ones, also their
/// third: U+2000–U+200A, U+202F (E2 80 80–8A, AF), U+205F (E2 81 9F), U+3000 (E3 80 80). By first
/// bytes alone (`Scalars.inlineSpaceBytes`) a scan stopped at every “ ” — … 、 。 《 》.
enum InlineSpaces: CandidateScan {
    @inline(__always)
    static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        (first .== splat(0x20)) .| (first .== splat(0x09)) .| (first .== splat(0xC2))
            .| ((first .== splat(0xE2)) .& (within(third, 0x80, 0x8A) .| (third .== splat(0xAF)) .| (third .== splat(0x9F))))
            .| ((first .== splat(0xE3)) .& (third .== splat(0x80)))
    }

    /// Where the first inline space (`Scalars.isInlineSpace`) of `bytes[range]` starts, or the range's
    /// end (clamped to the bytes).
    @inline(__always)
    static func first(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        first(in: bytes, from: range.lowerBound, to: min(range.upperBound, bytes.count)) { b, o in
            Scalars.isInlineSpace(UTF8Scalar.decode(b, at: o).scalar)
        }
    }

    /// Whether `bytes[range]` holds an inline space.
    @inline(__always)
    static func contained(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        first(in: bytes, range) < min(range.upperBound, bytes.count)
    }
}
