import TextModel

/// Puts defects for the non-layout rules into paragraph texts, only where the source has the
/// material (a date, a quotation, a bracket pair…), at most one per paragraph and none closer than
/// 300 characters to another, and records each one.
enum Injector {
    typealias S = [Unicode.Scalar]

    struct Candidate {
        var kind: String
        var rule: String
        /// Replacement of `range` (scalar offsets in the paragraph) by `replacement`.
        var range: Range<Int>
        var replacement: S
        /// The defect's range in the new text.
        var marked: Range<Int>
    }

    /// Every injected kind, both sets, in table order.
    static let kinds: [(kind: String, rule: String)] = firstSetKinds + secondSetKinds

    static func kinds(of set: InjectionSet) -> [(kind: String, rule: String)] {
        set == .first ? firstSetKinds : secondSetKinds
    }

    static let firstSetKinds: [(kind: String, rule: String)] = [
        ("full-width-digits", "numeral-width"),
        ("space-after-number", "numeral-spacing"),
        ("space-before-number", "numeral-spacing"),
        ("chinese-date-among-arabic", "numeral-style"),
        ("year-with-ling", "numeral-style"),
        ("digit-with-qian", "numeral-style"),
        ("missing-closing-quote", "unmatched-quote"),
        ("missing-opening-quote", "unmatched-quote"),
        ("inner-quotes-double", "quote-nesting"),
        ("corner-quotes", "quote-nesting"),
        ("missing-closing-paren", "unmatched-bracket"),
        ("missing-closing-title-mark", "unmatched-bracket"),
    ]

    static func isDigit(_ s: Unicode.Scalar) -> Bool { Scalars.isASCIIDigit(s) }
    /// Characters that make a digit run part of something larger (a decimal, a code, a Latin word).
    static func glued(_ s: Unicode.Scalar) -> Bool {
        Scalars.isASCIIDigit(s) || Scalars.isASCIILetter(s) || ".,:/-%".unicodeScalars.contains(s)
    }

    /// Digit runs not glued to letters, decimals or separators: (start, end).
    static func digitRuns(_ s: S) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < s.count {
            if isDigit(s[i]) {
                var j = i
                while j < s.count, isDigit(s[j]) { j += 1 }
                let before = i > 0 ? s[i - 1] : " "
                let after = j < s.count ? s[j] : " "
                if !glued(before) && !glued(after) { runs.append(i..<j) }
                i = j
            } else { i += 1 }
        }
        return runs
    }

    /// Arabic dates: `2022年4月8日`, `4月8日` (month 1–12, day 1–31), as scalar ranges.
    static func dates(_ s: S) -> [(range: Range<Int>, year: Int?, month: Int, day: Int)] {
        var out: [(Range<Int>, Int?, Int, Int)] = []
        let runs = digitRuns(s)
        func value(_ r: Range<Int>) -> Int { s[r].reduce(0) { $0 * 10 + Int($1.value - 0x30) } }
        for (k, r) in runs.enumerated() where r.upperBound < s.count && s[r.upperBound] == "月" {
            guard k + 1 < runs.count, runs[k + 1].lowerBound == r.upperBound + 1,
                  runs[k + 1].upperBound < s.count, s[runs[k + 1].upperBound] == "日" else { continue }
            let m = value(r), d = value(runs[k + 1])
            guard (1...12).contains(m), (1...31).contains(d), r.count <= 2, runs[k + 1].count <= 2 else { continue }
            if k > 0, runs[k - 1].count == 4, runs[k - 1].upperBound + 1 == r.lowerBound, s[runs[k - 1].upperBound] == "年" {
                out.append((runs[k - 1].lowerBound..<(runs[k + 1].upperBound + 1), value(runs[k - 1]), m, d))
            } else {
                out.append((r.lowerBound..<(runs[k + 1].upperBound + 1), nil, m, d))
            }
        }
        return out
    }

    /// 4000米 → 4千米 is 4 kilometres, correct (R19 concerns 千 as a multiplier, not the prefix 千米, 千克…).
    static let unitsAfterQian: Set<Unicode.Scalar> = Set("米克瓦伏帕焦卡兆赫牛".unicodeScalars)

    static func chineseDigits(_ n: Int, zero: String) -> String {
        String(n).unicodeScalars.map { $0 == "0" ? zero : Generator.chineseDigits[Int($0.value - 0x30)] }.joined()
    }

    /// Every place in `s` where `kind` can be injected.
    static func candidates(_ kind: String, rule: String, in s: S, documentHasOtherArabicDate: Bool) -> [Candidate] {
        if secondSetKinds.contains(where: { $0.kind == kind }) { return secondSetCandidates(kind, rule: rule, in: s) }
        var out: [Candidate] = []
        func add(_ range: Range<Int>, _ rep: String, marked: Range<Int>) {
            out.append(Candidate(kind: kind, rule: rule, range: range, replacement: Array(rep.unicodeScalars), marked: marked))
        }
        switch kind {
        case "full-width-digits":
            for r in digitRuns(s) where r.count <= 8 {
                let rep = String(String.UnicodeScalarView(s[r].map { Unicode.Scalar($0.value - 0x30 + 0xFF10)! }))
                add(r, rep, marked: r)
            }
        case "space-after-number":
            for r in digitRuns(s) where r.upperBound < s.count && Scalars.isHan(s[r.upperBound]) {
                add(r.upperBound..<r.upperBound, " ", marked: r.upperBound..<(r.upperBound + 1))
            }
        case "space-before-number":
            for r in digitRuns(s) where r.lowerBound > 0 && Scalars.isHan(s[r.lowerBound - 1])
                && r.upperBound < s.count && Scalars.isHan(s[r.upperBound]) {
                add(r.lowerBound..<r.lowerBound, " ", marked: r.lowerBound..<(r.lowerBound + 1))
            }
        case "chinese-date-among-arabic":
            guard documentHasOtherArabicDate else { break }
            for d in dates(s) {
                var rep = ""
                if let y = d.year { rep += chineseDigits(y, zero: "〇") + "年" }
                rep += Generator.chineseNumber(d.month) + "月" + Generator.chineseNumber(d.day) + "日"
                add(d.range, rep, marked: d.range.lowerBound..<(d.range.lowerBound + rep.unicodeScalars.count))
            }
        case "year-with-ling":
            for r in digitRuns(s) where r.count == 4 && r.upperBound < s.count && s[r.upperBound] == "年"
                && s[r].contains("0") && (s[r.lowerBound] == "1" || s[r.lowerBound] == "2") {
                let y = s[r].reduce(0) { $0 * 10 + Int($1.value - 0x30) }
                let rep = chineseDigits(y, zero: "零")
                add(r, rep, marked: r.lowerBound..<(r.lowerBound + 4))
            }
        case "digit-with-qian":
            for r in digitRuns(s) where r.count == 4 && s[r.lowerBound] != "0"
                && s[(r.lowerBound + 1)..<r.upperBound].allSatisfy({ $0 == "0" })
                && r.upperBound < s.count && Scalars.isHan(s[r.upperBound]) && s[r.upperBound] != "年"
                && !unitsAfterQian.contains(s[r.upperBound]) {
                add(r, String(s[r.lowerBound]) + "千", marked: r.lowerBound..<(r.lowerBound + 2))
            }
        case "missing-closing-quote", "missing-opening-quote", "corner-quotes":
            for (open, close) in pairs(s, open: "“", close: "”", allowInner: false) where close - open <= 120 {
                if kind == "missing-closing-quote" {
                    add(close..<(close + 1), "", marked: open..<close)
                } else if kind == "missing-opening-quote" {
                    add(open..<(open + 1), "", marked: open..<close)
                } else {
                    let inner = String(String.UnicodeScalarView(s[(open + 1)..<close]))
                    add(open..<(close + 1), "「" + inner + "」", marked: open..<(close + 1))
                }
            }
        case "inner-quotes-double":
            for (open, close) in pairs(s, open: "“", close: "”", allowInner: true) {
                for (a, b) in pairs(Array(s[(open + 1)..<close]), open: "‘", close: "’", allowInner: false) {
                    let lo = open + 1 + a, hi = open + 1 + b
                    let inner = String(String.UnicodeScalarView(s[(lo + 1)..<hi]))
                    add(lo..<(hi + 1), "“" + inner + "”", marked: lo..<(hi + 1))
                }
            }
        case "missing-closing-paren":
            for (open, close) in pairs(s, open: "（", close: "）", allowInner: false) where close - open <= 120 {
                add(close..<(close + 1), "", marked: open..<close)
            }
        case "missing-closing-title-mark":
            for (open, close) in pairs(s, open: "《", close: "》", allowInner: false) where close - open <= 120 {
                add(close..<(close + 1), "", marked: open..<close)
            }
        default:
            break
        }
        return out
    }

    /// Matched pairs of a mark in a paragraph whose marks of that kind balance and never nest;
    /// `allowInner: false` also rejects pairs holding other quotes or brackets.
    static func pairs(_ s: S, open: Unicode.Scalar, close: Unicode.Scalar, allowInner: Bool) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var stack: Int? = nil
        let others: Set<Unicode.Scalar> = Set("“”‘’（）《》「」『』()\"".unicodeScalars)
        var clean = true
        for (i, c) in s.enumerated() {
            if c == open {
                if stack != nil { return [] }
                stack = i; clean = true
            } else if c == close {
                guard let o = stack else { return [] }
                if clean || allowInner { out.append((o, i)) }
                stack = nil
            } else if stack != nil && others.contains(c) {
                clean = false
            }
        }
        return stack == nil ? out : []
    }

    /// Injects into the paragraphs of `units`; returns what was injected, and for each unit (by its
    /// new index) the length of a tail the renderer must keep on the paragraph's last line.
    static func inject(into units: inout [GeneratedUnit], _ rng: inout SplitMix64,
                       set: InjectionSet = .first) -> Injection {
        // Global scalar offset of each unit (units joined by one separator) for the spacing rule.
        var starts: [Int] = []
        var o = 0
        for u in units { starts.append(o); o += u.text.unicodeScalars.count + 1 }
        // A Chinese-numeral date is only a style defect among Arabic ones: the document needs another.
        let totalDates = units.reduce(0) { $0 + dates(Array($1.text.unicodeScalars)).count }
        var used: [Range<Int>] = []
        var touched = Set<Int>()
        var defects: [PendingDefect] = []
        var tails: [Int: Int] = [:]
        // Lines of furniture to insert after a paragraph: (paragraph, unit, defect scalars, kind, rule).
        var inserts: [(after: Int, unit: GeneratedUnit, marked: Range<Int>, kind: String, rule: String)] = []
        // The second set's file-level defects (`injectText`) get their room first: a BOM at the
        // start, CRLF line ends after a unit.
        var bom = false
        var crlfAfter: Int? = nil
        if set == .second {
            if rng.chance(0.3) { bom = true; used.append(0..<1) }
            if rng.chance(0.6), units.count > 1 {
                let ui = rng.int(below: units.count - 1)
                crlfAfter = ui
                used.append((starts[ui + 1] - 1)..<starts[ui + 1])
            }
        }
        for _ in 0..<3 {
            for (kind, rule) in rng.shuffled(kinds(of: set).filter({ !textLevelKinds.contains($0.kind) })) {
                var options: [(Int, Candidate)] = []
                for (ui, u) in units.enumerated() where u.kind == .paragraph && !touched.contains(ui) {
                    let s = Array(u.text.unicodeScalars)
                    for c in candidates(kind, rule: rule, in: s, documentHasOtherArabicDate: totalDates > 1) {
                        var g = (starts[ui] + c.range.lowerBound)..<(starts[ui] + max(c.range.upperBound, c.marked.upperBound))
                        // A line of its own goes after the paragraph.
                        if lineKinds.contains(kind) { g = (starts[ui] + s.count)..<(starts[ui] + s.count + c.replacement.count + 20) }
                        if used.contains(where: { g.lowerBound < $0.upperBound + 310 && $0.lowerBound < g.upperBound + 310 }) { continue }
                        if kind == "missing-closing-quote", ui + 1 < units.count, units[ui + 1].text.hasPrefix("“") { continue }
                        options.append((ui, c))
                    }
                }
                guard !options.isEmpty else { continue }
                let picked = rng.pick(options)
                let ui = picked.0
                var c = picked.1
                var s = Array(units[ui].text.unicodeScalars)
                if let line = furnitureLine(kind, source: s, candidate: c, &rng) {
                    // A line of its own after the paragraph.
                    var u = units[ui]
                    u.kind = line.kind
                    u.text = String(String.UnicodeScalarView(line.text))
                    u.parts = [u.text]
                    inserts.append((ui, u, line.marked, kind, rule))
                    used.append((starts[ui] + s.count)..<(starts[ui] + s.count + line.text.count + 20))
                    touched.insert(ui)
                    continue
                }
                if kind == "jump-line-at-line-end" {
                    c.replacement = jumpLineText(&rng, atLineEnd: true)
                    c.marked = c.range.lowerBound..<(c.range.lowerBound + c.replacement.count)
                    tails[ui] = c.replacement.count
                }
                let original = String(String.UnicodeScalarView(s[c.range]))
                s.replaceSubrange(c.range, with: c.replacement)
                units[ui].text = String(String.UnicodeScalarView(s))
                units[ui].parts = [units[ui].text]
                used.append((starts[ui] + c.range.lowerBound)..<(starts[ui] + max(c.range.upperBound, c.marked.upperBound)))
                touched.insert(ui)
                defects.append(PendingDefect(kind: kind, rule: rule, unit: ui, scalars: c.marked, original: original))
            }
        }
        guard !inserts.isEmpty else { return Injection(defects: defects, tails: tails, bom: bom, crlfAfterUnit: crlfAfter) }
        // Put the inserted lines in and renumber the units.
        var out: [GeneratedUnit] = []
        var newIndex: [Int: Int] = [:]
        var newTails: [Int: Int] = [:]
        var inserted: [PendingDefect] = []
        for (ui, u) in units.enumerated() {
            newIndex[ui] = out.count
            if let t = tails[ui] { newTails[out.count] = t }
            out.append(u)
            for ins in inserts where ins.after == ui {
                inserted.append(PendingDefect(kind: ins.kind, rule: ins.rule, unit: out.count, scalars: ins.marked, original: ""))
                out.append(ins.unit)
            }
        }
        for k in defects.indices { defects[k].unit = newIndex[defects[k].unit]! }
        defects += inserted
        units = out
        return Injection(defects: defects, tails: newTails, bom: bom, crlfAfterUnit: crlfAfter.map { newIndex[$0]! })
    }

    /// What `inject` did to the units, and what it left for `injectText`.
    struct Injection {
        var defects: [PendingDefect]
        /// Unit index → scalars at the end of a paragraph that stay on its last line.
        var tails: [Int: Int]
        var bom: Bool
        /// CRLF line ends start after the last line of this unit.
        var crlfAfterUnit: Int?
    }
}
