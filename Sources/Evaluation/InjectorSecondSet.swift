import TextModel

/// Which rules an injected document measures. The sets go into separate documents (each its own
/// random stream), so the defects of one set never make the other's harder to find.
public enum InjectionSet: String, CaseIterable, Codable, Sendable {
    /// Numerals, quotation marks and brackets.
    case first
    /// Letter-spacing, punctuation width, duplicates, page furniture, whitespace and encoding.
    case second
}

/// The defects of the second rule set, shaped like the damage in the seeds.
extension Injector {
    static let secondSetKinds: [(kind: String, rule: String)] = [
        ("spaced-characters", "letter-spacing"),
        ("spaced-around-comma", "letter-spacing"),
        ("ascii-punctuation-paragraph", "punctuation-width"),
        ("ascii-punctuation-mark", "punctuation-width"),
        ("ascii-parentheses", "punctuation-width"),
        ("ascii-ellipsis-or-dash", "punctuation-width"),
        ("straight-quotes", "punctuation-width"),
        ("repeated-fragment", "duplicate-fragment"),
        ("pull-quote", "duplicate-fragment"),
        ("jump-line", "layout-leftover"),
        ("jump-line-at-line-end", "layout-leftover"),
        ("page-footer", "layout-leftover"),
        ("photo-credit", "layout-leftover"),
        ("boilerplate", "layout-leftover"),
        ("trailing-whitespace", "stray-whitespace"),
        ("tab-inside-line", "stray-whitespace"),
        ("nbsp", "stray-whitespace"),
        ("invisible-in-text", "invisible-character"),
        ("bom-at-start", "invisible-character"),
        ("crlf-among-lf", "mixed-line-endings"),
    ]

    /// Kinds put in after layout, into the document's bytes (`injectText`).
    static let textLevelKinds: Set<String> = ["trailing-whitespace", "bom-at-start", "crlf-among-lf"]
    /// Kinds that add a line of their own after a paragraph (`furnitureLine`).
    static let lineKinds: Set<String> = ["pull-quote", "jump-line", "page-footer", "photo-credit", "boilerplate"]

    static let asciiFor: [Unicode.Scalar: Unicode.Scalar] = [
        "，": ",", "。": ".", "；": ";", "：": ":", "？": "?", "！": "!",
    ]
    static let clauseEnds: Set<Unicode.Scalar> = Set("，。；！？：".unicodeScalars)

    /// Neither neighbour is an ASCII letter or digit: replacing the mark by ASCII cannot make a
    /// decimal, a time or a Latin token of it.
    static func freeStanding(_ s: S, _ i: Int) -> Bool {
        func alnum(_ k: Int) -> Bool { k >= 0 && k < s.count && (Scalars.isASCIIDigit(s[k]) || Scalars.isASCIILetter(s[k])) }
        return !alnum(i - 1) && !alnum(i + 1)
    }

    static func string(_ s: some Sequence<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }

    static func secondSetCandidates(_ kind: String, rule: String, in s: S) -> [Candidate] {
        var out: [Candidate] = []
        func add(_ range: Range<Int>, _ rep: S, marked: Range<Int>) {
            out.append(Candidate(kind: kind, rule: rule, range: range, replacement: rep, marked: marked))
        }
        let han = s.map(Scalars.isHan)
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < s.count && Scalars.isASCIIDigit(s[k]) }
        switch kind {
        case "spaced-characters":
            // 2–6 Han characters spread by justification; the length varies with the place.
            for i in s.indices {
                let k = 2 + (i * 7 + s.count) % 5
                guard i + k <= s.count, han[i..<(i + k)].allSatisfy({ $0 }), !isDigit(i - 1), !isDigit(i + k) else { continue }
                var rep: S = []
                for (n, c) in s[i..<(i + k)].enumerated() { if n > 0 { rep.append(" ") }; rep.append(c) }
                add(i..<(i + k), rep, marked: i..<(i + rep.count))
            }
        case "spaced-around-comma":
            // `说 ，上 海`: one or two characters, the comma glued to the next one.
            for c in s.indices where s[c] == "，" {
                let a = 1 + c % 2, b = 2
                guard c - a >= 0, c + 1 + b <= s.count, han[(c - a)..<c].allSatisfy({ $0 }),
                      han[(c + 1)..<(c + 1 + b)].allSatisfy({ $0 }), !isDigit(c - a - 1), !isDigit(c + 1 + b) else { continue }
                var rep: S = []
                for n in (c - a)..<c { if n > c - a { rep.append(" ") }; rep.append(s[n]) }
                rep += [" ", "，", s[c + 1]]
                for n in (c + 2)..<(c + 1 + b) { rep += [" ", s[n]] }
                add((c - a)..<(c + 1 + b), rep, marked: (c - a)..<(c - a + rep.count))
            }
        case "ascii-punctuation-paragraph":
            // A whole paragraph set with ASCII marks, as all of seed 003.
            var rep = s
            var first: Int? = nil, last = 0, n = 0
            for i in s.indices where freeStanding(s, i) {
                if let a = asciiFor[s[i]] { rep[i] = a } else if s[i] == "（" { rep[i] = "(" } else if s[i] == "）" { rep[i] = ")" } else { continue }
                if first == nil { first = i }
                last = i; n += 1
            }
            if let f = first, n >= 3 { add(0..<s.count, rep, marked: f..<(last + 1)) }
        case "ascii-punctuation-mark":
            for i in s.indices where i > 0 && han[i - 1] && freeStanding(s, i) {
                if let a = asciiFor[s[i]] { add(i..<(i + 1), [a], marked: i..<(i + 1)) }
            }
        case "ascii-parentheses":
            for (open, close) in pairs(s, open: "（", close: "）", allowInner: false) where close - open <= 60
                && s[(open + 1)..<close].contains(where: Scalars.isHan) {
                add(open..<(close + 1), ["("] + s[(open + 1)..<close] + [")"], marked: open..<(close + 1))
            }
        case "ascii-ellipsis-or-dash":
            for i in s.indices.dropLast() where (s[i] == "…" || s[i] == "—") && s[i + 1] == s[i] && (i == 0 || s[i - 1] != s[i]) {
                let rep: S = s[i] == "…" ? [".", ".", "."] : ["-", "-"]
                add(i..<(i + 2), rep, marked: i..<(i + rep.count))
            }
        case "straight-quotes":
            for (open, close) in pairs(s, open: "“", close: "”", allowInner: false) where close - open <= 120 {
                add(open..<(close + 1), ["\""] + s[(open + 1)..<close] + ["\""], marked: open..<(close + 1))
            }
        case "repeated-fragment":
            // A fragment printed twice where a column or page was cut (seed 003): it starts a clause
            // and ends at the clause's end or mid-word.
            let clauseStarts = [0] + s.indices.filter { clauseEnds.contains(s[$0]) }.map { $0 + 1 }
            for a in clauseStarts where a < s.count {
                var ends: [Int] = []
                if let e = s[a...].firstIndex(where: { clauseEnds.contains($0) }) { ends.append(e + 1) }
                ends.append(a + 12 + (a * 13) % 29)
                for b in ends where b - a >= 12 && b - a <= 40 && b <= s.count {
                    guard s[a..<b].filter(Scalars.isHan).count >= 10, b == s.count || !isDigit(b) || !isDigit(b - 1) else { continue }
                    add(b..<b, Array(s[a..<b]), marked: b..<(b + (b - a)))
                }
            }
        case "pull-quote":
            // A `■` pull quote repeating a sentence of the paragraph, set after it (seed 001).
            let starts = [0] + s.indices.filter { "。！？".unicodeScalars.contains(s[$0]) }.map { $0 + 1 }
            for a in starts where a < s.count {
                guard let e = s[a...].firstIndex(where: { "。！？".unicodeScalars.contains($0) }) else { continue }
                let b = e - a + 1 > 40 ? a + 30 : e + 1
                guard b - a >= 12, s[a..<b].filter(Scalars.isHan).count >= 10, !s[a..<b].contains(where: Scalars.isInlineSpace),
                      !s[a..<b].contains(where: { "“”‘’（）《》".unicodeScalars.contains($0) }) else { continue }
                add(a..<b, Array(s[a..<b]), marked: a..<b)
            }
        case "jump-line", "page-footer", "photo-credit", "boilerplate":
            add(s.count..<s.count, [], marked: s.count..<s.count)
        case "jump-line-at-line-end":
            if let last = s.last, "。！？”".unicodeScalars.contains(last) {
                add(s.count..<s.count, [], marked: s.count..<s.count)
            }
        case "tab-inside-line", "nbsp", "invisible-in-text":
            for i in s.indices.dropFirst() where han[i - 1] && han[i] {
                let c: Unicode.Scalar = kind == "tab-inside-line" ? "\t" : kind == "nbsp" ? "\u{A0}"
                    : ["\u{200B}", "\u{FEFF}", "\u{AD}", "\u{2060}"][(i * 5 + s.count) % 4]
                add(i..<i, [c], marked: i..<(i + 1))
            }
        default:
            break
        }
        return out
    }

    static func jumpLineText(_ rng: inout SplitMix64, atLineEnd: Bool) -> S {
        let page = rng.int(in: 2...8)
        var t: String
        switch rng.int(below: 5) {
        case 0: t = "▼ 下转第" + Generator.chineseNumber(page) + "版"
        case 1: t = "（下转第\(page)版）"
        case 2: t = "（上接第" + Generator.chineseNumber(page - 1) + "版）"
        case 3: t = "（下转第\(page)、\(page + 1)版）"
        default: t = "详见第\(page)-\(page + 2)版"
        }
        if atLineEnd && rng.chance(0.5) { t = " " + t }
        return Array(t.unicodeScalars)
    }

    /// For a kind that adds a line: its unit kind, text and the defect's scalars in it.
    static func furnitureLine(_ kind: String, source: S, candidate c: Candidate,
                              _ rng: inout SplitMix64) -> (kind: UnitKind, text: S, marked: Range<Int>)? {
        guard lineKinds.contains(kind) else { return nil }
        var t: S
        let unitKind: UnitKind
        switch kind {
        case "pull-quote":
            let prefix: S = rng.chance(0.6) ? ["■", " "] : ["■"]
            t = prefix + c.replacement
            return (.pullQuote, t, prefix.count..<t.count)
        case "jump-line":
            t = jumpLineText(&rng, atLineEnd: false); unitKind = .jumpLine
        case "page-footer":
            let n = rng.int(in: 1...16)
            t = Array((rng.chance(0.5) ? "第 \(n) 页" : "第\(n)页").unicodeScalars); unitKind = .pageFooter
        case "photo-credit":
            let who = rng.pick(["本报记者 ", "本报记者 ", "本报通讯员 ", "通讯员 "])
            t = Array((who + Generator.name(&rng) + (rng.chance(0.5) ? "摄" : " 摄")).unicodeScalars); unitKind = .caption
        default:
            t = Array("上城发布微博".unicodeScalars); unitKind = .boilerplate
        }
        return (unitKind, t, 0..<t.count)
    }

    /// The defects that live in the file rather than in a paragraph: a BOM and a run of CRLF line
    /// ends where `inject` left room for them (`bom`, `crlfAfterLine`: 0-based line), then
    /// trailing white space on a line. Each stays 310 characters from the others.
    static func injectText(_ doc: inout GeneratedDocument, _ rng: inout SplitMix64, bom: Bool, crlfAfterLine: Int?) {
        var bytes = Array(doc.text.utf8)
        var defects = doc.defects
        // Scalar index of each byte offset, for the spacing rule.
        var index: [Int] = []
        func reindex() {
            index = [Int](repeating: 0, count: bytes.count + 1)
            var n = 0
            for (i, b) in bytes.enumerated() { index[i] = n; if b & 0xC0 != 0x80 { n += 1 } }
            index[bytes.count] = n
        }
        reindex()
        func far(_ r: Range<Int>) -> Bool {
            defects.allSatisfy { d in
                (d.end <= r.lowerBound && index[r.lowerBound] - index[d.end] >= 310)
                    || (r.upperBound <= d.start && index[d.start] - index[r.upperBound] >= 310)
            }
        }
        func insert(_ new: [UInt8], at p: Int) {
            bytes.insert(contentsOf: new, at: p)
            for k in defects.indices where defects[k].start >= p { defects[k].start += new.count; defects[k].end += new.count }
        }
        func record(_ kind: String, _ rule: String, _ r: Range<Int>) {
            let text = String(decoding: bytes[r].filter { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
            defects.append(InjectedDefect(kind: kind, rule: rule, start: r.lowerBound, end: r.upperBound, text: text, original: ""))
            reindex()
        }
        func lineEnds() -> [Int] { bytes.indices.filter { bytes[$0] == 0x0A } }
        // A run of one to three line ends in CRLF, as where text was pasted from elsewhere; never all.
        if let line = crlfAfterLine {
            let ends = lineEnds()
            if line < ends.count {
                var run = min(rng.int(in: 1...3), ends.count - 1 - line)
                while run > 0 && !far(ends[line]..<(ends[line + run - 1] + 1)) { run -= 1 }
                if run > 0 {
                    for j in (line..<(line + run)).reversed() { insert([0x0D], at: ends[j]) }
                    record("crlf-among-lf", "mixed-line-endings", ends[line]..<(ends[line + run - 1] + run + 1))
                }
            }
        }
        if bom && far(0..<0) {
            insert([0xEF, 0xBB, 0xBF], at: 0)
            record("bom-at-start", "invisible-character", 0..<3)
        }
        // Trailing spaces or tabs after the content of a line.
        for _ in 0..<(rng.chance(0.5) ? 2 : 1) {
            let ends = lineEnds().filter { $0 > 0 && bytes[$0 - 1] != 0x0A && bytes[$0 - 1] != 0x0D && far($0..<$0) }
            guard !ends.isEmpty else { break }
            let p = rng.pick(ends)
            let ws: [UInt8] = Array(rng.pick([" ", "  ", "\t", " \t", "   "]).utf8)
            insert(ws, at: p)
            record("trailing-whitespace", "stray-whitespace", p..<(p + ws.count))
        }
        doc.text = String(decoding: bytes, as: UTF8.self)
        doc.defects = defects.sorted { $0.start < $1.start }
    }
}
