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
/// A noncopyable struct, not a class: Swift 6.3's optimizer promoted a local instance of the class to
/// the stack, dropped the store of its header and still called `swift_deallocClassInstance` on it,
/// which read stack garbage as the retain count and crashed the release build (numeral-spacing, in the
/// language server). A struct has no header to lose.
struct LineScalars: ~Copyable {
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
    mutating func withScalars<Result>(of range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>,
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
