/// An `ignore` glob of `.galley.json`, matched against paths relative to the configuration's folder.
/// `*` matches within one path segment, `?` one character (not `/`), `**` any number of segments
/// (also none). A pattern without `/` matches a name at any depth (as in .gitignore); a leading `/`
/// anchors it to the configuration's folder. A pattern that matches a folder matches all it holds.
public struct Glob: Equatable {
    public let pattern: String
    private let segments: [[Unicode.Scalar]]

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        while p.hasSuffix("/") { p.removeLast() }
        let anchored = p.hasPrefix("/")
        var segs = p.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        if !anchored && segs.count == 1 { segs.insert(Array("**".unicodeScalars), at: 0) }
        segments = segs
    }

    /// True when `relativePath` (segments separated by `/`) or one of its parent folders matches.
    public func matches(_ relativePath: String) -> Bool {
        let path = relativePath.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        if segments.isEmpty { return false }
        for count in stride(from: path.count, through: 1, by: -1) where match(0, path[0..<count], 0) {
            return true
        }
        return false
    }

    private static let doubleStar = Array("**".unicodeScalars)

    /// Does `segments[si...]` match `path[index...]`? (`index` is an index of the slice.)
    private func match(_ si: Int, _ path: ArraySlice<[Unicode.Scalar]>, _ index: Int) -> Bool {
        var si = si, index = index
        while si < segments.count {
            if segments[si] == Self.doubleStar {
                // Try every number of segments for `**`, fewest first.
                for k in index...path.endIndex where match(si + 1, path, k) { return true }
                return false
            }
            guard index < path.endIndex, Self.matchSegment(segments[si], path[index]) else { return false }
            si += 1
            index += 1
        }
        return index == path.endIndex
    }

    /// `*` and `?` inside one segment: the classic linear-backtracking wildcard match.
    static func matchSegment(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0
        var star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == s[si]) && p[pi] != "*" {
                pi += 1; si += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = si; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
