#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes into memory sized beforehand: one bounds check per write, no uniqueness check.
/// Inlinable: the output formats write a few pieces per finding, hundreds of thousands of findings.
public struct ByteWriter {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    @usableFromInline let capacity: Int
    @usableFromInline var written = 0

    /// Bytes written so far.
    @inlinable public var count: Int { written }

    public init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!
        capacity = buffer.count
    }

    @inlinable public mutating func append(_ byte: UInt8) {
        precondition(written < capacity)
        base[written] = byte
        written &+= 1
    }

    @inlinable public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        precondition(bytes.count <= capacity &- written)
        memcpy(base + written, from, bytes.count)
        written &+= bytes.count
    }

    /// Drops what was written from `start` on.
    public mutating func rewind(to start: Int) {
        precondition(start <= written)
        written = start
    }

    /// Bytes written before, once more.
    @inlinable public mutating func appendAgain(_ range: Range<Int>) {
        append(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    @inlinable public mutating func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A string's UTF-8 bytes, read in place when it has them in one run (native strings do).
    /// Disfavoured: a literal argument is a `StaticString`, its bytes at hand without a retain.
    @_disfavoredOverload
    @inlinable public mutating func append(_ s: String) {
        Self.withUTF8(s) { append($0) }
    }

    /// `body` given a string's UTF-8 bytes: where the string keeps them when they are in one run
    /// (native strings, but a small one's are copied to the stack), else a copy.
    @inlinable public static func withUTF8(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if s.utf8.withContiguousStorageIfAvailable(body) == nil {
            Array(s.utf8).withUnsafeBufferPointer(body)
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; the rest as UTF-8.
    public mutating func appendJSONString(_ s: String) {
        Self.withUTF8(s) { appendJSONString(utf8: $0) }
    }

    /// A JSON string literal of UTF-8 bytes.
    public mutating func appendJSONString(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { append("\"\""); return }
        precondition(6 * bytes.count + 2 <= capacity - written)
        var at = written
        base[at] = 0x22
        at += 1
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i < bytes.count {
            var end = bytes.count
            if i + 8 <= bytes.count {
                // Eight bytes at once when none needs escaping (below 0x20, '"', '\' or DEL).
                let x = UnsafeRawPointer(from + i).loadUnaligned(as: UInt64.self)
                if (x &- 0x20 &* ones) & ~x & high == 0 && !(x ^ (0x22 &* ones)).hasZeroByte
                    && !(x ^ (0x5C &* ones)).hasZeroByte && !(x ^ (0x7F &* ones)).hasZeroByte {
                    UnsafeMutableRawPointer(base + at).storeBytes(of: x, as: UInt64.self)
                    i += 8
                    at += 8
                    continue
                }
                end = i + 8
            }
            while i < end {
                let b = from[i]
                switch b {
                case 0x22, 0x5C: base[at] = 0x5C; base[at + 1] = b; at += 2
                case 0x0A: base[at] = 0x5C; base[at + 1] = 0x6E; at += 2
                case 0x0D: base[at] = 0x5C; base[at + 1] = 0x72; at += 2
                case 0x09: base[at] = 0x5C; base[at + 1] = 0x74; at += 2
                case 0..<0x20, 0x7F:
                    base[at] = 0x5C; base[at + 1] = 0x75; base[at + 2] = 0x30; base[at + 3] = 0x30
                    base[at + 4] = Self.hexDigit(b >> 4); base[at + 5] = Self.hexDigit(b & 0xF)
                    at += 6
                default: base[at] = b; at += 1
                }
                i += 1
            }
        }
        base[at] = 0x22
        written = at + 1
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    /// A non-negative integer in decimal digits.
    @inlinable public mutating func appendDecimal(_ n: Int) {
        precondition(n >= 0)
        let pairs = Self.digitPairs.utf8Start
        // Columns are mostly one or two digits.
        if n < 100 {
            if n < 10 {
                append(UInt8(truncatingIfNeeded: n) &+ 0x30)
            } else {
                precondition(2 <= capacity &- written)
                base[written] = pairs[2 &* n]
                base[written &+ 1] = pairs[2 &* n &+ 1]
                written &+= 2
            }
            return
        }
        if n < 100_000_000 && capacity &- written >= 8 {
            appendEightDigitsAtMost(UInt64(truncatingIfNeeded: n))
            return
        }
        var digits = 3
        var power = 1000
        while n >= power && digits < 18 { power &*= 10; digits &+= 1 }
        if n >= power { digits &+= 1 }
        precondition(digits <= capacity &- written)
        var rest = n
        var at = written &+ digits
        // Two digits per division, from the end.
        while rest >= 10 {
            let pair = rest % 100
            rest /= 100
            at &-= 2
            base[at] = pairs[2 &* pair]
            base[at &+ 1] = pairs[2 &* pair &+ 1]
        }
        if at > written { base[written] = UInt8(truncatingIfNeeded: rest) &+ 0x30 }
        written &+= digits
    }

    /// `n` (100 to 99,999,999) in decimal, its eight digits made at once in one word (lanes of four,
    /// two, then one digit: a multiply and a shift divide every lane) and stored whole, the leading
    /// zeros shifted out: no loop, no division (line numbers of a big file have six digits).
    @inlinable mutating func appendEightDigitsAtMost(_ n: UInt64) {
        // Lanes in printing order, the first in the low bits (stored little-endian).
        let fours = n / 10_000 | (n % 10_000) << 32
        let hundreds = ((fours &* 10_486) &>> 20) & 0x0000_007F_0000_007F
        let twos = hundreds | (fours &- hundreds &* 100) << 16
        let tens = ((twos &* 103) &>> 10) & 0x000F_000F_000F_000F
        let ones = tens | (twos &- tens &* 10) << 8
        // Leading zeros are the low zero bytes (n > 0 has a non-zero digit).
        let zeros = ones.trailingZeroBitCount & ~7
        UnsafeMutableRawPointer(base + written).storeBytes(of: ((ones | 0x3030_3030_3030_3030) &>> UInt64(zeros)).littleEndian,
                                                           as: UInt64.self)
        written &+= 8 &- zeros &>> 3
    }

    /// Computed: a literal is two constants, where a stored global is read through a once-check.
    @inlinable static var digitPairs: StaticString {
        """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """
    }

    /// Whether the bytes from `start` on hold a CR or an LF.
    public func containsLineBreak(from start: Int) -> Bool {
        memchr(base + start, 0x0A, written - start) != nil || memchr(base + start, 0x0D, written - start) != nil
    }
}

extension UInt64 {
    /// Whether any of the eight bytes is zero (a word of text tested at once).
    @inline(__always) public var hasZeroByte: Bool { (self &- 0x0101_0101_0101_0101) & ~self & 0x8080_8080_8080_8080 != 0 }
}
