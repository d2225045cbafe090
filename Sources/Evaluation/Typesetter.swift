import TextModel

/// Wraps a paragraph into column lines the way a newspaper typesetter does (STYLE-RULES R13):
/// a line never starts with ，。、；：？！”’）》 (such a mark hangs at the end of the line before, at most
/// two of them; otherwise a character is pushed down), never ends with “‘（《, never splits —— or ……,
/// keeps a Latin word or an Arabic number whole (except that `cutNumbers` lets the extractor cut a
/// number now and then), and never starts or ends a line with a space. The lines are slices of the
/// paragraph: joining them with nothing in between gives the paragraph back exactly.
public struct Typesetter {
    /// Column width in characters (Chinese characters per line).
    public var width: Int
    /// Measure by display width (CJK 2, Latin and digits 1; the limit is `2 * width`) instead of by
    /// counting characters.
    public var byDisplayWidth: Bool

    public init(width: Int, byDisplayWidth: Bool) {
        self.width = max(1, width)
        self.byDisplayWidth = byDisplayWidth
    }

    public static let lineStartForbidden: Set<Unicode.Scalar> = Set("，。、；：？！”’）》〉】〕".unicodeScalars)
    public static let lineEndForbidden: Set<Unicode.Scalar> = Set("“‘（《〈【〔".unicodeScalars)

    struct Token {
        var scalars: [Unicode.Scalar]
        var width: Int
        var isSpace: Bool { scalars.count == 1 && Scalars.isInlineSpace(scalars[0]) }
        var startsForbidden: Bool { Typesetter.lineStartForbidden.contains(scalars[0]) }
        var endsForbidden: Bool { Typesetter.lineEndForbidden.contains(scalars[scalars.count - 1]) }
    }

    var limit: Int { byDisplayWidth ? 2 * width : width }

    func measure(_ s: Unicode.Scalar) -> Int { byDisplayWidth ? Scalars.displayWidth(s) : 1 }

    /// Atoms the typesetter never splits: a run of ASCII letters/digits/signs (a Latin word or a
    /// number, unless `rng` decides to let the extractor cut this number), —— and ……, or one character.
    func tokenize(_ text: [Unicode.Scalar], cutNumbers: Double, rng: inout SplitMix64) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func isWordScalar(_ s: Unicode.Scalar) -> Bool {
            s.value > 0x20 && s.value < 0x7F && s != "(" && s != ")" && s != "\"" && s != "'"
        }
        while i < text.count {
            let s = text[i]
            if isWordScalar(s) {
                var j = i
                while j < text.count, isWordScalar(text[j]) { j += 1 }
                let run = Array(text[i..<j])
                let allDigits = run.allSatisfy { Scalars.isASCIIDigit($0) }
                let w = run.reduce(0) { $0 + measure($1) }
                if w > limit || (allDigits && run.count >= 2 && rng.chance(cutNumbers)) {
                    for c in run { tokens.append(Token(scalars: [c], width: measure(c))) }
                } else {
                    tokens.append(Token(scalars: run, width: w))
                }
                i = j
            } else if (s == "—" || s == "…"), i + 1 < text.count, text[i + 1] == s {
                tokens.append(Token(scalars: [s, s], width: 2 * measure(s)))
                i += 2
            } else {
                tokens.append(Token(scalars: [s], width: measure(s)))
                i += 1
            }
        }
        return tokens
    }

    /// The paragraph as lines. `cutNumbers` is the chance that a number of two or more digits may be
    /// cut (the extractor does that sometimes; a typesetter does not). `firstLineIndent` is the
    /// indent of the first line in characters (the caller adds the indent itself).
    public func wrap(_ text: String, cutNumbers: Double, firstLineIndent: Int = 0, rng: inout SplitMix64) -> [String] {
        let tokens = tokenize(Array(text.unicodeScalars), cutNumbers: cutNumbers, rng: &rng)
        var lines: [String] = []
        var i = 0
        let n = tokens.count
        // A break before token j (i < j < n) is allowed when neither side breaks R13 or puts a space
        // at a line edge.
        func valid(_ j: Int, from start: Int) -> Bool {
            j > start && j < n && !tokens[j].startsForbidden && !tokens[j - 1].endsForbidden
                && !tokens[j].isSpace && !tokens[j - 1].isSpace
        }
        while i < n {
            var j = i
            // An indented first line (R22) has that much less room.
            var w = lines.isEmpty ? min(firstLineIndent * (byDisplayWidth ? 2 : 1), limit - 1) : 0
            while j < n, w + tokens[j].width <= limit { w += tokens[j].width; j += 1 }
            if j == i { j = i + 1 }
            if j < n && !valid(j, from: i) {
                var chosen: Int? = nil
                // Hanging punctuation: one or two closing marks may stay on this line past the margin.
                var k = j
                while k < n, k - j < 2, tokens[k].startsForbidden {
                    k += 1
                    if k == n || valid(k, from: i) { chosen = k; break }
                }
                if chosen == nil {
                    // Otherwise push characters down to the next line.
                    var b = j - 1
                    while b > i, !valid(b, from: i) { b -= 1 }
                    if b > i { chosen = b }
                }
                if chosen == nil {
                    var f = j + 1
                    while f < n, !valid(f, from: i) { f += 1 }
                    chosen = f
                }
                j = min(chosen!, n)
            }
            var line = String.UnicodeScalarView()
            for t in tokens[i..<j] { line.append(contentsOf: t.scalars) }
            lines.append(String(line))
            i = j
        }
        return lines
    }

    /// Width of a line in this typesetter's measure.
    public func measure(_ line: String) -> Int { line.unicodeScalars.reduce(0) { $0 + measure($1) } }
}
