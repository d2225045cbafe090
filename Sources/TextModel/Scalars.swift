/// Classes of characters that the rules and the layout analysis need. Work on scalars, never on
/// `Character`: grapheme breaking is slow and no rule needs it.
public enum Scalars {
    /// Han ideographs (BMP blocks, compatibility ideographs and the astral extensions B–H) and 〇.
    @inlinable @inline(__always)
    public static func isHan(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x3007 { return false }
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || v == 0x3007
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0x20000 && v <= 0x323AF)
    }

    /// Full-width and CJK punctuation, including the curly quotes, the ellipsis and the dash that
    /// Chinese text sets as wide characters (STYLE-RULES R14).
    @inlinable @inline(__always)
    public static func isCJKPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v >= 0x3000 && v <= 0x303F && v != 0x3007) || (v >= 0xFF01 && v <= 0xFF0F)
            || (v >= 0xFF1A && v <= 0xFF20) || (v >= 0xFF3B && v <= 0xFF40) || (v >= 0xFF5B && v <= 0xFF65)
            || (v >= 0x2018 && v <= 0x201F) || v == 0x2026 || v == 0x2014 || v == 0x2015 || v == 0x00B7
            || v == 0x2E3A || (v >= 0xFE10 && v <= 0xFE1F) || (v >= 0xFE30 && v <= 0xFE4F)
    }

    /// Han or CJK punctuation: the characters that make a context "Chinese".
    @inlinable @inline(__always)
    public static func isCJK(_ s: Unicode.Scalar) -> Bool { isHan(s) || isCJKPunctuation(s) }

    @inlinable @inline(__always)
    public static func isASCIIDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    @inlinable @inline(__always)
    public static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value | 0x20
        return v >= 0x61 && v <= 0x7A
    }

    /// Horizontal white space inside a line: space, tab, NBSP, the ideographic space and the other
    /// Unicode spaces. Line terminators are not included.
    @inlinable @inline(__always)
    public static func isInlineSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0xA0, 0x3000, 0x2000...0x200A, 0x202F, 0x205F: return true
        default: return false
        }
    }

    /// Display width in a column: CJK and full-width forms 2, Latin letters and digits 1,
    /// combining marks and controls 0. The curly quotes, … and — count 2 because Chinese fonts set
    /// them wide (East Asian Width "Ambiguous", STYLE-RULES R14).
    @inlinable @inline(__always)
    public static func displayWidth(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        // Most characters of a transcription are in the main Han block: answered inline.
        if v >= 0x4E00 && v <= 0x9FFF { return 2 }
        return displayWidth(ofOther: v)
    }

    @usableFromInline
    static func displayWidth(ofOther v: UInt32) -> Int {
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return v == 0xB7 ? 2 : 1 }
        if v >= 0x300 && v <= 0x36F { return 0 }
        if v == 0x200B || v == 0x200C || v == 0x200D || v == 0x2060 || v == 0xFEFF { return 0 }
        if (v >= 0x2018 && v <= 0x201D) || v == 0x2026 || v == 0x2014 || v == 0x2015 || v == 0x2E3A { return 2 }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0x303E) || (v >= 0x3041 && v <= 0x33FF)
            || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xA000 && v <= 0xA4CF)
            || (v >= 0xAC00 && v <= 0xD7A3) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F)
            || (v >= 0xFF00 && v <= 0xFF60) || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1FAFF)
            || (v >= 0x20000 && v <= 0x3FFFD) || v == 0x25A0 || v == 0x25BC || v == 0x25B2 {
            return 2
        }
        return 1
    }
}

/// A fixed set of scalars for hot loops: a bitmap over the BMP (8 KB), a short list for the rest.
/// `Set<UInt32>` hashes on every lookup and `String.unicodeScalars.contains` decodes the whole
/// string; this is one load and a mask. The storage is allocated once and never freed, so a lookup
/// retains nothing: sets are constants (`static let`), and threads checking files side by side do
/// not contend on a shared reference count. Do not make one per call.
public struct ScalarSet: @unchecked Sendable {
    @usableFromInline let bits: UnsafePointer<UInt64>
    @usableFromInline let astral: UnsafeBufferPointer<UInt32>

    public init(_ members: String) {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        bits.initialize(repeating: 0, count: 1024)
        var astral: [UInt32] = []
        for s in members.unicodeScalars {
            let v = s.value
            if v < 0x10000 { bits[Int(v >> 6)] |= 1 << UInt64(v & 63) } else { astral.append(v) }
        }
        let stored = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: astral.count)
        _ = stored.initialize(from: astral)
        self.bits = UnsafePointer(bits)
        self.astral = UnsafeBufferPointer(stored)
    }

    @inlinable @inline(__always)
    public func contains(_ v: UInt32) -> Bool {
        if v < 0x10000 { return bits[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 }
        return astral.contains(v)
    }

    @inlinable @inline(__always)
    public func contains(_ s: Unicode.Scalar) -> Bool { contains(s.value) }
}

/// Byte values that may start a scalar: ASCII bytes and lead bytes only, never continuation bytes
/// (80–BF), so a member byte always starts a scalar and is told without decoding. (Scans for
/// candidates go through `CandidateScan`.) Stored like `ScalarSet`: a constant, allocated once,
/// never freed; copy it to a local before a hot loop.
public struct ByteSet: @unchecked Sendable {
    /// Per byte: 1 for a member, else 0.
    @usableFromInline let member: UnsafePointer<UInt8>

    public init(_ members: [UInt8]) {
        let member = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        member.initialize(repeating: 0, count: 256)
        for b in members {
            precondition(!UTF8Scalar.isContinuation(b), "a continuation byte never starts a scalar")
            member[Int(b)] = 1
        }
        self.member = UnsafePointer(member)
    }

    /// The ASCII members given as text, and lead bytes.
    public init(ascii: String, leads: [UInt8] = []) {
        self.init(Array(ascii.utf8) + leads)
    }

    @inlinable @inline(__always)
    public func contains(_ b: UInt8) -> Bool { member[Int(b)] != 0 }
}

extension Scalars {
    /// First bytes of every `isInlineSpace` scalar (20, 09, C2 A0, E2 80 80–E2 81 9F, E3 80 80).
    public static let inlineSpaceBytes = ByteSet(ascii: " \t", leads: [0xC2, 0xE2, 0xE3])
}

extension UTF8Scalar {
    /// The scalar that ends at `offset` and where it starts (at most three continuation bytes back).
    @inlinable @inline(__always)
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, before offset: Int) -> (scalar: Unicode.Scalar, start: Int) {
        let o = start(before: offset, in: bytes)
        return (decode(bytes, at: o).scalar, o)
    }

    /// Where the scalar that ends at `offset` starts (at most three continuation bytes back).
    @inlinable @inline(__always)
    public static func start(before offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var o = offset - 1
        var steps = 0
        while o > 0, isContinuation(bytes[o]), steps < 3 { o -= 1; steps += 1 }
        return o
    }
}
