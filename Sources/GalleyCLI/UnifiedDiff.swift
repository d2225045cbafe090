/// A line-based unified diff (`--- a/path`, `+++ b/path`, `@@ -l,n +l,n @@` hunks with 3 lines of
/// context). Lines keep their terminators, so a CRLF or a missing final newline shows as it is
/// (with GNU diff's "\ No newline at end of file" marker). The line matching is Myers' O(ND)
/// algorithm in its linear-space form (middle snake, divide and conquer): memory stays linear even
/// when a fix touches thousands of lines.
public enum UnifiedDiff {
    public enum Operation: Equatable { case equal, delete, insert }

    /// The edit script between two line lists: (operation, index in old or new).
    public static func script<T: Hashable>(_ old: [T], _ new: [T]) -> [(Operation, Int)] {
        // Compare small integers rather than whole lines.
        var ids: [T: Int] = [:]
        let a = old.map { line -> Int in if let id = ids[line] { return id }; ids[line] = ids.count; return ids.count - 1 }
        let b = new.map { line -> Int in if let id = ids[line] { return id }; ids[line] = ids.count; return ids.count - 1 }
        var keptA = [Bool](repeating: false, count: a.count)
        var keptB = [Bool](repeating: false, count: b.count)
        var matcher = Myers(a: a, b: b)
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
    var forward: [Int] = [], backward: [Int] = []

    init(a: [Int], b: [Int]) {
        self.a = a
        self.b = b
        let size = 2 * (a.count + b.count) + 4
        forward = [Int](repeating: 0, count: size)
        backward = [Int](repeating: 0, count: size)
    }

    mutating func diff(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int, _ keptA: inout [Bool], _ keptB: inout [Bool]) {
        var aLo = aLo, aHi = aHi, bLo = bLo, bHi = bHi
        while aLo < aHi && bLo < bHi && a[aLo] == b[bLo] { keptA[aLo] = true; keptB[bLo] = true; aLo += 1; bLo += 1 }
        while aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1] { keptA[aHi - 1] = true; keptB[bHi - 1] = true; aHi -= 1; bHi -= 1 }
        if aLo == aHi || bLo == bHi { return }
        // No snake can only mean a bug; then this region is reported as all changed, never looped on.
        guard let (x, y, u, v) = middleSnake(aLo, aHi, bLo, bHi) else { return }
        for k in 0..<(u - x) { keptA[x + k] = true; keptB[y + k] = true }
        diff(aLo, x, bLo, y, &keptA, &keptB)
        diff(u, aHi, v, bHi, &keptA, &keptB)
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
