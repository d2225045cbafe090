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
