#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appending text to byte buffers (output formats, JSON): whole runs, not byte by byte.
extension Array where Element == UInt8 {
    /// A literal's bytes (appending `"…".utf8` goes through the generic sequence path).
    @inline(__always) public mutating func appendLiteral(_ s: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A string's UTF-8 bytes in one copy.
    @inline(__always) public mutating func appendUTF8(_ s: String) {
        var s = s
        s.withUTF8 { append(contentsOf: $0) }
    }

    /// An integer in decimal digits, without making a String (positions: most of what output holds).
    @inline(__always) public mutating func appendDecimal(_ n: Int) {
        if n >= 0 && n < 10 { append(UInt8(truncatingIfNeeded: n) &+ 0x30); return }
        if n < 0 { append(0x2D) }
        let v = n.magnitude
        var divisor: UInt = 1
        while divisor <= v / 10 { divisor *= 10 }
        var rest = v
        while divisor > 0 {
            append(UInt8(truncatingIfNeeded: rest / divisor) &+ 0x30)
            rest %= divisor
            divisor /= 10
        }
    }
}

extension String {
    /// Whether the text holds a CR or an LF (two `memchr`s over its bytes).
    public var containsLineBreak: Bool {
        var s = self
        return s.withUTF8 { b in
            guard let base = b.baseAddress, b.count > 0 else { return false }
            return memchr(base, 0x0A, b.count) != nil || memchr(base, 0x0D, b.count) != nil
        }
    }
}
