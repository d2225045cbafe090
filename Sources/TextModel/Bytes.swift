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
}
