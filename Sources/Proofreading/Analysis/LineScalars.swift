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

/// The scalars of one line at a time and where each starts, in arrays kept from line to line that are
/// written in place (no per-scalar append).
struct LineScalars {
    private var values: [UInt32] = []
    private var offsets: [Int] = []

    /// Calls `body` with the scalars of `bytes[range]` and their offsets, the range's end after the
    /// last (so `offsets.count == values.count + 1`).
    mutating func withScalars<Result>(of range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>,
                                      _ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Int>) -> Result) -> Result {
        // One element per byte (at least one per scalar), grown to the longest line so far.
        if values.count < range.count { values.append(contentsOf: repeatElement(0, count: range.count - values.count)) }
        if offsets.count <= range.count { offsets.append(contentsOf: repeatElement(0, count: range.count + 1 - offsets.count)) }
        return values.withUnsafeMutableBufferPointer { values in
            offsets.withUnsafeMutableBufferPointer { offsets in
                var k = 0
                var o = range.lowerBound
                while o < range.upperBound {
                    let (value, length) = UTF8Scalar.decodeValid(bytes, at: o)
                    values[k] = value
                    offsets[k] = o
                    k += 1
                    o += length
                }
                offsets[k] = range.upperBound
                return body(UnsafeBufferPointer(rebasing: values[..<k]), UnsafeBufferPointer(rebasing: offsets[...k]))
            }
        }
    }
}
