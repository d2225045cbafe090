/// A line-based unified diff (`--- a/path`, `+++ b/path`, `@@ -l,n +l,n @@` hunks with 3 lines of
/// context). Lines keep their terminators, so a CRLF or a missing final newline shows as it is
/// (with GNU diff's "\ No newline at end of file" marker). The line matching is Myers' O(ND)
/// algorithm in its linear-space form (middle snake, divide and conquer), so memory stays linear.
/// O(ND) is quadratic when a fix touches a line in every paragraph of a 20 MB file (D grows with
/// N), so large regions are first cut at lines that occur once in each text (patience diff's
/// anchors) and Myers runs between the anchors; small regions get Myers' shortest script. A large
/// region without anchors (a file made of repeated text) is diffed greedily: Myers' forward search
/// commits to a run of equal lines, or after `window` edits to the furthest point reached (GNU
/// diff's "too expensive" heuristic), so the cost stays about linear and the diff stays valid.
public enum UnifiedDiff {
    public enum Operation: Equatable { case equal, delete, insert }

    /// The edit script between two line lists: (operation, index in old or new).
    /// `exactLimit`: regions with at most this many lines (old + new) get Myers' shortest script
    /// directly; larger ones are cut at unique common lines first.
    public static func script<T: Hashable>(_ old: [T], _ new: [T], exactLimit: Int = 2000) -> [(Operation, Int)] {
        // Compare small integers rather than whole lines.
        var ids: [T: Int] = [:]
        let a = old.map { line -> Int in if let id = ids[line] { return id }; ids[line] = ids.count; return ids.count - 1 }
        let b = new.map { line -> Int in if let id = ids[line] { return id }; ids[line] = ids.count; return ids.count - 1 }
        var keptA = [Bool](repeating: false, count: a.count)
        var keptB = [Bool](repeating: false, count: b.count)
        var matcher = Myers(a: a, b: b, exactLimit: exactLimit)
        matcher.diff(0, a.count, 0, b.count, &keptA, &keptB)
        var result: [(Operation, Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count && !keptA[i] { result.append((.delete, i)); i += 1; continue }
            if j < b.count && !keptB[j] { result.append((.insert, j)); j += 1; continue }
            result.append((.equal, i)); i += 1; j += 1
        }
        return result
    }

    /// Lines with their terminators (LF, CRLF or CR); the last may have none.
    public static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                if bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                result.append(bytes[start...i])
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    /// The unified diff of two texts, or "" when they are equal.
    public static func diff(old: [UInt8], new: [UInt8], oldName: String, newName: String, context: Int = 3) -> String {
        if old == new { return "" }
        let a = lines(old), b = lines(new)
        let ops = script(a, b)
        var out: [UInt8] = Array("--- \(oldName)\n+++ \(newName)\n".utf8)
        func emit(_ mark: UInt8, _ line: ArraySlice<UInt8>) {
            out.append(mark)
            out.append(contentsOf: line)
            if line.last != 0x0A && line.last != 0x0D { out.append(contentsOf: Array("\n\\ No newline at end of file\n".utf8)) }
        }
        // Positions in ops of the changes; a hunk runs from a change minus context to a change plus
        // context, merging changes closer than 2 * context equal lines.
        let changes = ops.indices.filter { ops[$0].0 != .equal }
        // Old and new lines before each position of the script (for the hunk headers).
        var oldBefore = [0], newBefore = [0]
        for (op, _) in ops {
            oldBefore.append(oldBefore.last! + (op == .insert ? 0 : 1))
            newBefore.append(newBefore.last! + (op == .delete ? 0 : 1))
        }
        var c = 0
        while c < changes.count {
            var last = c
            while last + 1 < changes.count && changes[last + 1] - changes[last] - 1 <= 2 * context { last += 1 }
            let from = max(0, changes[c] - context)
            let to = min(ops.count, changes[last] + context + 1)
            let oldStart = oldBefore[from], newStart = newBefore[from]
            let oldCount = oldBefore[to] - oldStart, newCount = newBefore[to] - newStart
            // An empty side is numbered by the line before it (as GNU diff does).
            let oldLabel = oldCount == 0 ? oldStart : oldStart + 1
            let newLabel = newCount == 0 ? newStart : newStart + 1
            out.append(contentsOf: Array("@@ -\(oldLabel),\(oldCount) +\(newLabel),\(newCount) @@\n".utf8))
            for k in from..<to {
                switch ops[k].0 {
                case .equal: emit(0x20, a[ops[k].1])
                case .delete: emit(0x2D, a[ops[k].1])
                case .insert: emit(0x2B, b[ops[k].1])
                }
            }
            c = last + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Myers' algorithm, linear-space variant: find the middle snake of the shortest edit path, mark it
/// as common, and recurse on both sides.
private struct Myers {
    let a: [Int], b: [Int]
    let exactLimit: Int
    var forward: [Int] = [], backward: [Int] = []

    init(a: [Int], b: [Int], exactLimit: Int) {
        self.a = a
        self.b = b
        self.exactLimit = exactLimit
        let size = 2 * (a.count + b.count) + 4
        forward = [Int](repeating: 0, count: size)
        backward = [Int](repeating: 0, count: size)
    }

    mutating func diff(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int, _ keptA: inout [Bool], _ keptB: inout [Bool]) {
        var aLo = aLo, aHi = aHi, bLo = bLo, bHi = bHi
        while aLo < aHi && bLo < bHi && a[aLo] == b[bLo] { keptA[aLo] = true; keptB[bLo] = true; aLo += 1; bLo += 1 }
        while aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1] { keptA[aHi - 1] = true; keptB[bHi - 1] = true; aHi -= 1; bHi -= 1 }
        if aLo == aHi || bLo == bHi { return }
        if (aHi - aLo) + (bHi - bLo) > exactLimit, let anchors = uniqueAnchors(aLo, aHi, bLo, bHi) {
            var i = aLo, j = bLo
            for (x, y) in anchors {
                diff(i, x, j, y, &keptA, &keptB)
                keptA[x] = true
                keptB[y] = true
                i = x + 1
                j = y + 1
            }
            diff(i, aHi, j, bHi, &keptA, &keptB)
            return
        }
        if (aHi - aLo) + (bHi - bLo) > exactLimit {
            greedy(aLo, aHi, bLo, bHi, &keptA, &keptB)
            return
        }
        // No snake can only mean a bug; then this region is reported as all changed, never looped on.
        guard let (x, y, u, v) = middleSnake(aLo, aHi, bLo, bHi) else { return }
        for k in 0..<(u - x) { keptA[x + k] = true; keptB[y + k] = true }
        diff(aLo, x, bLo, y, &keptA, &keptB)
        diff(u, aHi, v, bHi, &keptA, &keptB)
    }

    /// Lines that occur exactly once in each region, as (old, new) index pairs, reduced to the
    /// longest run increasing in both (patience sorting, O(k log k)); nil when there are none.
    func uniqueAnchors(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> [(Int, Int)]? {
        var inA: [Int: Int] = [:], inB: [Int: Int] = [:]   // line id -> index, or -1 when repeated
        for i in aLo..<aHi { inA[a[i]] = inA[a[i]] == nil ? i : -1 }
        for j in bLo..<bHi { inB[b[j]] = inB[b[j]] == nil ? j : -1 }
        var pairs: [(Int, Int)] = []
        for i in aLo..<aHi where inA[a[i]] == i {
            if let j = inB[a[i]], j >= 0 { pairs.append((i, j)) }
        }
        if pairs.isEmpty { return nil }
        // Longest increasing subsequence of the new-side indices (pairs are in old-side order).
        var tails: [Int] = []              // index into pairs of the smallest tail of each length
        var previous = [Int](repeating: -1, count: pairs.count)
        for (k, pair) in pairs.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if pairs[tails[mid]].1 < pair.1 { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[k] = tails[lo - 1] }
            if lo == tails.count { tails.append(k) } else { tails[lo] = k }
        }
        var result: [(Int, Int)] = []
        var k = tails.last!
        while k >= 0 { result.append(pairs[k]); k = previous[k] }
        return result.reversed()
    }

    /// Forward Myers from the start of the region, committing to a prefix of the path whenever a
    /// snake of `sync` equal lines is found, the end is reached, or `window` edits were spent.
    mutating func greedy(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int, _ keptA: inout [Bool], _ keptB: inout [Bool]) {
        let window = 100, sync = 3
        let offset = window + 1
        var v = [Int](repeating: 0, count: 2 * window + 3)
        // trace[d] = v[-d...d] (as v was before step d+1), stored flat: step d starts at d * d.
        var trace: [Int] = []
        var i = aLo, j = bLo
        while i < aHi && j < bHi {
            if a[i] == b[j] { keptA[i] = true; keptB[j] = true; i += 1; j += 1; continue }
            let n = aHi - i, m = bHi - j
            trace.removeAll(keepingCapacity: true)
            v[offset + 1] = 0
            var end: (x: Int, y: Int, d: Int)? = nil
            search: for d in 0...window {
                var best: (x: Int, y: Int) = (-1, -1)
                var k = -d
                while k <= d {
                    var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                    var y = x - k
                    let x0 = x
                    while x < n && y >= 0 && y < m && a[i + x] == b[j + y] { x += 1; y += 1 }
                    v[offset + k] = x
                    // Only points inside the region count (paths past its edges are Myers' scratch work).
                    if x <= n && y >= 0 && y <= m {
                        if (x == n && y == m) || (x - x0 >= sync && d > 0) { end = (x, y, d); break search }
                        if x + y > best.x + best.y { best = (x, y) }
                    }
                    k += 2
                }
                if d == window && best.x >= 0 { end = (best.x, best.y, d) }
                trace.append(contentsOf: v[(offset - d)...(offset + d)])
            }
            guard let (ex, ey, ed) = end else { break } // Cannot happen; the rest is reported as changed.
            // Walk the path back to the start, marking its diagonal moves as equal lines.
            // The (d-1)-path on diagonal k' is at trace[(d-1)^2 + (d-1) + k'].
            var x = ex, y = ey
            for d in stride(from: ed, through: 0, by: -1) {
                let k = x - y
                var prevX = 0, prevY = 0
                if d > 0 {
                    let base = (d - 1) * (d - 1) + (d - 1)
                    let prevK = (k == -d || (k != d && trace[base + k - 1] < trace[base + k + 1])) ? k + 1 : k - 1
                    prevX = trace[base + prevK]
                    prevY = prevX - prevK
                }
                while x > prevX && y > prevY { x -= 1; y -= 1; keptA[i + x] = true; keptB[j + y] = true }
                x = prevX
                y = prevY
            }
            i += ex
            j += ey
        }
    }

    /// The middle snake from (x, y) to (u, v), in absolute indices.
    mutating func middleSnake(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> (Int, Int, Int, Int)? {
        let n = aHi - aLo, m = bHi - bLo
        let delta = n - m
        let odd = delta & 1 != 0
        let maxD = (n + m + 1) / 2
        let offset = maxD + 1
        for i in 0...(2 * maxD + 2) { forward[i] = 0; backward[i] = 0 }
        for d in 0...maxD {
            var k = -d
            while k <= d {
                var x = (k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1]))
                    ? forward[offset + k + 1] : forward[offset + k - 1] + 1
                var y = x - k
                let x0 = x, y0 = y
                while x < n && y < m && a[aLo + x] == b[bLo + y] { x += 1; y += 1 }
                forward[offset + k] = x
                let kr = delta - k
                if odd && kr >= -(d - 1) && kr <= d - 1 && x + backward[offset + kr] >= n {
                    return (aLo + x0, bLo + y0, aLo + x, bLo + y)
                }
                k += 2
            }
            k = -d
            while k <= d {
                var x = (k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1]))
                    ? backward[offset + k + 1] : backward[offset + k - 1] + 1
                var y = x - k
                let x0 = x, y0 = y
                while x < n && y < m && a[aHi - 1 - x] == b[bHi - 1 - y] { x += 1; y += 1 }
                backward[offset + k] = x
                let kf = delta - k
                if !odd && kf >= -d && kf <= d && x + forward[offset + kf] >= n {
                    return (aHi - x, bHi - y, aHi - x0, bHi - y0)
                }
                k += 2
            }
        }
        return nil // Not reached: a path of at most n + m steps always exists.
    }
}
