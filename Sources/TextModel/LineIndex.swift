/// Where each line starts and where its content ends, in UTF-8 offsets. Lines end at LF, CRLF or a
/// lone CR. A text of n terminators has n + 1 lines (the last may be empty), as in LSP.
public struct LineIndex: Sendable, Equatable {
    /// Offset of the first byte of each line. Never empty: `starts[0] == 0`.
    public private(set) var starts: [Int]
    /// Offset just past the content of each line (before its terminator).
    public private(set) var contentEnds: [Int]
    /// Total length of the text in bytes.
    public private(set) var length: Int

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        var ends: [Int] = []
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                ends.append(i); starts.append(i + 1)
            } else if b == 0x0D {
                ends.append(i)
                if i + 1 < n && bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        ends.append(n)
        self.starts = starts
        self.contentEnds = ends
        self.length = n
    }

    public var count: Int { starts.count }

    /// The line that holds `offset` (clamped into the text). An offset inside a CRLF belongs to the
    /// line the CRLF ends.
    public func line(containing offset: Int) -> Int {
        let o = min(max(offset, 0), length)
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Byte range of a line's content, without its terminator.
    public func contentRange(of line: Int) -> Range<Int> {
        let l = min(max(line, 0), starts.count - 1)
        return starts[l]..<contentEnds[l]
    }

    /// Byte range of a line including its terminator.
    public func fullRange(of line: Int) -> Range<Int> {
        let l = min(max(line, 0), starts.count - 1)
        return starts[l]..<(l + 1 < starts.count ? starts[l + 1] : length)
    }
}
