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

    /// An integer in decimal digits, without making a String.
    @inline(__always) public mutating func appendDecimal(_ n: Int) {
        if n < 0 { append(0x2D) }
        appendWritten(room: 20) { $0.appendDecimal(Int(n.magnitude)) }
    }

    /// Room for `n` more bytes, grown geometrically: a big part appended and then small ones after
    /// it is not copied again for them, and many appends in a row are not each copied again.
    @inline(__always) public mutating func reserveRoom(_ n: Int) {
        if capacity - count < n { reserveCapacity(Swift.max(2 * capacity, count + n)) }
    }

    /// What `body` writes through a `ByteWriter` given room for `room` bytes, appended.
    @inline(__always) public mutating func appendWritten(room: Int, _ body: (inout ByteWriter) -> Void) {
        // Large room (a long JSON string, such as a fix-all edit's new text, has room for six times
        // its bytes) is written uninitialized and copied, not zeroed first.
        if room > 1 << 14 {
            append(contentsOf: [UInt8](unsafeUninitializedCapacity: room) { buffer, written in
                var w = ByteWriter(buffer)
                body(&w)
                written = w.count
            })
            return
        }
        let start = count
        append(contentsOf: repeatElement(0, count: room))
        let written = withUnsafeMutableBufferPointer { buffer -> Int in
            var w = ByteWriter(UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            body(&w)
            return w.count
        }
        removeLast(room - written)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// How many times `byte` occurs, found by `memchr` (many bytes at a time).
    public func count(of byte: UInt8) -> Int {
        guard let base = baseAddress else { return 0 }
        var n = 0, i = 0
        while i < count, let p = memchr(base + i, Int32(byte), count - i) {
            n += 1
            i = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return n
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
