/// The base protocol's framing: `Content-Length: N\r\n` (plus optional headers such as
/// `Content-Type`), an empty line, then N bytes of JSON. A pure value fed with byte chunks of any
/// size: a message may arrive split anywhere, and one chunk may hold several messages.
public struct MessageFramer: Sendable {
    public enum Frame: Equatable, Sendable {
        /// The body of one message (not yet parsed as JSON).
        case message([UInt8])
        /// A header block that cannot be read. The framer skips ahead to the next `Content-Length`
        /// header, so one bad message does not end the session.
        case badHeader(String)
    }

    /// Header blocks longer than this without their blank line are refused (a stream of garbage
    /// must not grow the buffer forever).
    public static let maxHeaderBytes = 8192
    /// The most the framer reserves ahead for a body it has not received yet.
    static let maxReservation = 64 << 20

    private var buffer: [UInt8] = []
    private var start = 0   // bytes before `start` are consumed
    private var resyncing = false

    public init() {}

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet part of a whole message.
    public var pendingCount: Int { buffer.count - start }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        if resyncing {
            guard let at = find(Self.contentLengthLower, from: start, caseInsensitive: true) else {
                // Keep a tail that may be the beginning of a split "Content-Length".
                start = max(start, buffer.count - Self.contentLengthLower.count)
                return nil
            }
            start = at
            resyncing = false
        }
        guard let end = find(Self.crlfcrlf, from: start, caseInsensitive: false) else {
            if buffer.count - start > Self.maxHeaderBytes {
                resyncing = true
                start += 1
                return .badHeader("no end of header within \(Self.maxHeaderBytes) bytes")
            }
            return nil
        }
        let header = String(decoding: buffer[start..<end], as: UTF8.self)
        var length: Int?
        var problem: String?
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { problem = "header line without a colon: \(line)"; break }
            let name = line[..<colon].trimmingSpaces.lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces
            switch name {
            case "content-length":
                guard let n = Int(value), n >= 0 else { problem = "bad Content-Length \"\(value)\""; break }
                length = n
            case "content-type":
                break   // Accepted; the body is UTF-8 JSON whatever it says (as every client sends).
            default:
                break   // Unknown headers are ignored.
            }
            if problem != nil { break }
        }
        if problem == nil && length == nil { problem = "no Content-Length header" }
        if let problem {
            start = end + 4
            resyncing = true
            return .badHeader(problem)
        }
        let bodyStart = end + 4
        guard buffer.count - bodyStart >= length! else {
            // A long body (a 10 MB didOpen) arrives in many reads: make room once instead of
            // doubling the buffer again and again (bounded: a false length must not allocate).
            buffer.reserveCapacity(min(bodyStart + length!, start + Self.maxReservation))
            return nil
        }
        if bodyStart + length! == buffer.count && length! >= 1 << 16 {
            // A long body that ends the buffer (a big didOpen): hand the buffer itself over.
            var body = buffer
            buffer = []
            start = 0
            body.removeFirst(bodyStart)
            return .message(body)
        }
        let body = Array(buffer[bodyStart..<bodyStart + length!])
        start = bodyStart + length!
        if start == buffer.count { buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20); start = 0 }
        return .message(body)
    }

    /// All frames available now.
    public mutating func drain() -> [Frame] {
        var frames: [Frame] = []
        while let f = next() { frames.append(f) }
        return frames
    }

    /// A message body with its header, ready to write.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        frame(body, into: &out)
        return out
    }

    /// The framed message appended (a publish of hundreds of diagnostics is copied once here).
    public static func frame(_ body: [UInt8], into out: inout [UInt8]) {
        // Grown geometrically (as `reserveRoom`, which this file cannot use: the framing fuzz target
        // compiles it alone): a batch's many answers are not each copied again with the next.
        if out.capacity - out.count < body.count + 32 {
            out.reserveCapacity(max(2 * out.capacity, out.count + body.count + 32))
        }
        out.append(contentsOf: "Content-Length: \(body.count)\r\n\r\n".utf8)
        out.append(contentsOf: body)
    }

    static let crlfcrlf: [UInt8] = [13, 10, 13, 10]
    static let contentLengthLower: [UInt8] = Array("content-length".utf8)

    private func find(_ needle: [UInt8], from: Int, caseInsensitive: Bool) -> Int? {
        guard buffer.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= buffer.count {
            var ok = true
            for j in 0..<needle.count {
                var b = buffer[i + j]
                if caseInsensitive, b >= 0x41, b <= 0x5A { b += 0x20 }
                if b != needle[j] { ok = false; break }
            }
            if ok { return i }
            i += 1
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
