import TextModel

/// Builds documents that look like the real transcriptions in `seeds/` from clean corpus articles,
/// keeping the ground truth: which line breaks lie inside a paragraph, the original text of every
/// paragraph and piece of furniture, and (for the injected set) where each defect was put.
/// Everything is drawn from a `SplitMix64` seeded by (seed, layout, document index), so a document
/// does not depend on how many others are generated or in which order.
public struct Generator: Sendable {
    public let articles: [Article]
    public let seed: UInt64

    public init(articles: [Article], seed: UInt64) {
        precondition(!articles.isEmpty, "the corpus has no articles")
        self.articles = articles
        self.seed = seed
    }

    /// Synthetic names for bylines and captions (no corpus text).
    static let surnames = Array("张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高宋唐顾潘").map(String.init)
    static let givenNames = Array("强丽明华伟芳军敏静磊洋艳勇杰娟涛超霞平刚玮婕宁双舜彦晶").map(String.init)
    static let places = ["东湖", "西城", "南山", "北园", "清河", "望江", "长桥", "新港", "金沙", "石桥"]
    static let chineseDigits = Array("〇一二三四五六七八九").map(String.init)

    static func name(_ rng: inout SplitMix64) -> String {
        var s = rng.pick(surnames) + rng.pick(givenNames)
        if rng.chance(0.4) { s += rng.pick(givenNames) }
        return s
    }

    static func byline(_ rng: inout SplitMix64) -> String {
        let who = rng.pick(["本报记者", "本报记者", "本报通讯员", "特约记者"])
        let prefix = rng.pick(["", "", "■", "■ "])
        return prefix + who + " " + name(&rng)
    }

    static func caption(_ rng: inout SplitMix64) -> String {
        switch rng.int(below: 3) {
        case 0: return "本报记者 " + name(&rng) + "摄"
        case 1: return "制图：" + name(&rng)
        default: return "■ 本报记者 " + name(&rng) + " 摄"
        }
    }

    static func chineseNumber(_ n: Int) -> String {
        let d = chineseDigits
        if n < 10 { return d[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : d[n % 10]) }
        return d[n / 10] + "十" + (n % 10 == 0 ? "" : d[n % 10])
    }

    static func jumpLine(_ rng: inout SplitMix64) -> String {
        let page = rng.int(in: 2...8)
        switch rng.int(below: 3) {
        case 0: return "▼ 下转第" + chineseNumber(page) + "版"
        case 1: return "（下转第\(page)版）"
        default: return "（上接第" + chineseNumber(page - 1) + "版）"
        }
    }

    static func dateline(_ rng: inout SplitMix64) -> String {
        let role = rng.pick(["记者", "记者", "首席记者", "通讯员"])
        return rng.chance(0.3) ? "本报讯 （\(role) \(name(&rng))） " : "本报讯（\(role) \(name(&rng))）"
    }

    static func listItems(_ rng: inout SplitMix64) -> [String] {
        (1...rng.int(in: 3...6)).map { i in
            var phone = "1" + String(rng.pick([3, 5, 8]))
            for _ in 0..<9 { phone += String(rng.int(below: 10)) }
            return "\(i). \(rng.pick(places))街道，\(name(&rng))，\(phone)"
        }
    }

    /// A short corpus line without sentence-final punctuation (or a closing colon) is a headline.
    static func isSubheading(_ line: String) -> Bool {
        let s = Array(line.unicodeScalars)
        guard let last = s.last, s.count <= 40 else { return false }
        return !Renderer.endsSentence(line) && !"：:，；”）".unicodeScalars.contains(last)
    }

    /// Splits a headline into two lines at a space, or after about half of it.
    static func splitHeadline(_ h: String, _ rng: inout SplitMix64) -> [String] {
        let s = Array(h.unicodeScalars)
        if let space = s.indices.dropFirst().dropLast().first(where: { s[$0] == " " }) {
            let a = String(String.UnicodeScalarView(s[..<space]))
            let b = String(String.UnicodeScalarView(s[(space + 1)...]))
            if !a.isEmpty && !b.isEmpty && !b.hasPrefix(" ") { return [a, b] }
        }
        guard s.count >= 6 else { return [h] }
        let mid = s.count / 2 + rng.int(in: -1...1)
        for k in [mid, mid - 1, mid + 1, mid - 2, mid + 2] where k > 1 && k < s.count - 1 {
            if !Typesetter.lineStartForbidden.contains(s[k]) && !Typesetter.lineEndForbidden.contains(s[k - 1])
                && !Scalars.isInlineSpace(s[k]) && !Scalars.isInlineSpace(s[k - 1])
                && !(Scalars.isASCIIDigit(s[k]) && Scalars.isASCIIDigit(s[k - 1])) {
                return [String(String.UnicodeScalarView(s[..<k])), String(String.UnicodeScalarView(s[k...]))]
            }
        }
        return [h]
    }

    /// The units of one article, in reading order: headline (before or, 30%, after the story),
    /// bylines, a datelined first paragraph, captions, list items and a jump line here and there.
    func units(of article: Article, index: Int, _ rng: inout SplitMix64) -> [GeneratedUnit] {
        func unit(_ kind: UnitKind, _ text: String) -> GeneratedUnit {
            GeneratedUnit(kind: kind, text: text, parts: [text], lines: [], article: index)
        }
        var headline = unit(.headline, article.headline)
        if rng.chance(0.25) { headline.parts = Self.splitHeadline(article.headline, &rng) }
        let keep = min(article.paragraphs.count, rng.int(in: 2...8))
        var body: [GeneratedUnit] = []
        for (i, p) in article.paragraphs.prefix(keep).enumerated() {
            // News-flash articles carry the headlines of their items as lines of their own: a
            // typesetter sets those as headlines, not as wrapped prose.
            if Self.isSubheading(p) { body.append(unit(.headline, p)); continue }
            var text = p
            if i == 0 && !p.hasPrefix("央视网") && rng.chance(0.25) { text = Self.dateline(&rng) + text }
            body.append(unit(.paragraph, text))
            if i < keep - 1 {
                if rng.chance(0.04) { body.append(unit(.caption, Self.caption(&rng))) }
                if rng.chance(0.02) { body.append(contentsOf: Self.listItems(&rng).map { unit(.listItem, $0) }) }
            }
        }
        if rng.chance(0.12) { body.append(unit(.jumpLine, Self.jumpLine(&rng))) }
        var top: [GeneratedUnit] = []
        if rng.chance(0.2) { top.append(unit(.byline, Self.byline(&rng))) }
        if rng.chance(0.15) { body.append(unit(.byline, Self.byline(&rng))) }
        if rng.chance(0.06) { body.append(unit(.caption, Self.caption(&rng))) }
        return rng.chance(0.3) ? top + body + [headline] : [headline] + top + body
    }

    /// Document `index` of a layout. `inject` builds a defect set instead (layouts A and D only):
    /// `set` says which; each set has its own random streams.
    public func document(layout: LayoutStyle, index: Int, inject: Bool = false, set: InjectionSet = .first) -> GeneratedDocument {
        let offset = inject ? (set == .first ? 10 : 20) : 0
        let stream = UInt64(LayoutStyle.allCases.firstIndex(of: layout)! + offset)
        var rng = SplitMix64(seed: seed, stream: stream, index: UInt64(index))
        let count = rng.int(in: 1...4)
        var units: [GeneratedUnit] = []
        for a in 0..<count {
            units += self.units(of: articles[rng.int(below: articles.count)], index: a, &rng)
        }
        var injection = Injector.Injection(defects: [], tails: [:], bom: false, crlfAfterUnit: nil)
        if inject && set == .second {
            // Photo credits and jump lines are what `layout-leftover` looks for: here only the
            // injected ones, so that its precision means something.
            units.removeAll { $0.kind == .caption || $0.kind == .jumpLine }
        }
        if inject { injection = Injector.inject(into: &units, &rng, set: set) }
        var renderer = Renderer(layout: layout, articles: count, rng: rng)
        renderer.tails = injection.tails
        renderer.render(&units)
        let id = (inject ? (set == .first ? "I" : "J") : "") + layout.letter + "-" + String(index)
        var doc = renderer.finish(id: id, units: units, defects: injection.defects)
        if inject && set == .second {
            var textRng = SplitMix64(seed: seed, stream: stream + 100, index: UInt64(index))
            let crlfLine = injection.crlfAfterUnit.flatMap { renderer.remap[$0] }.flatMap { doc.units[$0].lines.last }
            Injector.injectText(&doc, &textRng, bom: injection.bom, crlfAfterLine: crlfLine)
        }
        return doc
    }
}

/// A defect in paragraph coordinates, before layout: unit index and scalar range in its text.
struct PendingDefect {
    var kind: String
    var rule: String
    var unit: Int
    var scalars: Range<Int>
    var original: String
}

/// Lays the units out as lines and keeps track of where each unit's text went.
struct Renderer {
    let layout: LayoutStyle
    var rng: SplitMix64
    var lines: [String] = []
    /// For each unit, its pieces: (line, scalar offset in the unit text, indent prefix of the line).
    var pieces: [[(line: Int, from: Int, indent: String)]] = []
    var widths: [Int] = []
    let byDisplayWidth: Bool
    let indent: Bool
    /// Unit index → scalars at the end of a paragraph that stay on its last line (a jump line the
    /// extractor ran into the prose).
    var tails: [Int: Int] = [:]

    init(layout: LayoutStyle, articles: Int, rng: SplitMix64) {
        var r = rng
        self.layout = layout
        byDisplayWidth = r.chance(0.5)
        let indentDraw = r.chance(0.1)
        indent = layout != .paragraphPerLine && indentDraw
        var w: [Int] = []
        for _ in 0..<articles {
            if layout == .blankAfterEveryLine {
                w.append(r.chance(0.5) ? r.int(in: 4...6) : r.int(in: 12...20))
            } else {
                w.append(r.int(in: 4...20))
            }
        }
        widths = w
        self.rng = r
    }

    static let sentenceFinal: Set<Unicode.Scalar> = Set("。！？…".unicodeScalars)

    static func endsSentence(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        guard let last = s.last else { return false }
        if sentenceFinal.contains(last) { return true }
        if "”’）".unicodeScalars.contains(last), s.count >= 2 { return sentenceFinal.contains(s[s.count - 2]) }
        return false
    }

    mutating func emit(_ line: String) -> Int { lines.append(line); return lines.count - 1 }
    mutating func blank() { lines.append("") }

    /// The lines of one unit before layout-specific spacing: wrapped paragraphs, furniture as is.
    mutating func lay(_ unit: GeneratedUnit, tail: Int = 0) -> [String]? {
        switch unit.kind {
        case .paragraph:
            if layout == .paragraphPerLine {
                if tail == 0, rng.chance(0.05), let split = splitOnce(unit.text) { return split }
                return [unit.text]
            }
            let setter = Typesetter(width: widths[unit.article], byDisplayWidth: byDisplayWidth)
            if tail > 0 {
                let s = Array(unit.text.unicodeScalars)
                var wrapped = setter.wrap(Injector.string(s[..<(s.count - tail)]), cutNumbers: 0.15, firstLineIndent: 2, rng: &rng)
                wrapped[wrapped.count - 1] += Injector.string(s[(s.count - tail)...])
                return layout == .noBlankLines ? nil : wrapped
            }
            // Print indents every paragraph by two characters (R22). A transcription keeps the indent
            // as U+3000 U+3000 (`indent`) or loses it, leaving the first line two characters short, as
            // in seeds 000 and 004.
            let wrapped = setter.wrap(unit.text, cutNumbers: 0.15, firstLineIndent: 2, rng: &rng)
            if layout == .noBlankLines {
                // Without blank lines the only paragraph signal is a short last line after a
                // sentence end; paragraphs that do not give it are left out of this layout.
                let room = byDisplayWidth ? 2 : 1
                guard Self.endsSentence(unit.text), wrapped.count >= 1,
                      setter.measure(wrapped.last!) <= setter.limit - room else { return nil }
            }
            return wrapped
        case .headline:
            return unit.parts
        default:
            return [unit.text]
        }
    }

    /// Layout D's occasional split: at a `，` or mid-sentence between two Han characters. The split
    /// is where a column or a page ended in print (seed 002 lines 67–69, 83–85, 101–103, 117–119), so
    /// the first part holds at least a column line: 12 characters or more.
    mutating func splitOnce(_ text: String) -> [String]? {
        let s = Array(text.unicodeScalars)
        let minimumFirst = 12
        guard s.count > minimumFirst + 4 else { return nil }
        let commas = s.indices.filter { $0 >= minimumFirst - 1 && $0 < s.count - 3 && s[$0] == "，" }
        var k: Int
        if !commas.isEmpty && rng.chance(0.6) {
            k = rng.pick(commas) + 1
        } else {
            let inner = s.indices.filter { $0 >= minimumFirst && $0 < s.count - 2 && Scalars.isHan(s[$0]) && Scalars.isHan(s[$0 - 1]) }
            guard !inner.isEmpty else { return nil }
            k = rng.pick(inner)
        }
        return [String(String.UnicodeScalarView(s[..<k])), String(String.UnicodeScalarView(s[k...]))]
    }

    mutating func render(_ units: inout [GeneratedUnit]) {
        var laid: [(Int, [String])] = []
        for (i, u) in units.enumerated() {
            if let l = lay(u, tail: tails[i] ?? 0) { laid.append((i, l)) }
        }
        // Leading and trailing blank lines as in seeds 002 and 003 (never in layout C).
        if layout != .noBlankLines && rng.chance(0.1) { for _ in 0..<rng.int(in: 1...4) { blank() } }
        var kept: [GeneratedUnit] = []
        var keptPieces: [[(line: Int, from: Int, indent: String)]] = []
        var previous: UnitKind? = nil
        for (i, parts) in laid {
            let unit = units[i]
            // Spacing before the unit.
            if let p = previous {
                switch layout {
                case .blankBetweenParagraphs:
                    let adjacent = (p == .listItem && unit.kind == .listItem)
                        || (unit.kind == .caption && p == .paragraph && rng.chance(0.3))
                        || (unit.kind == .byline && p == .headline && rng.chance(0.3))
                    if !adjacent { blank() }
                case .paragraphPerLine:
                    if !(p == .listItem && unit.kind == .listItem) { blank() }
                case .blankAfterEveryLine, .noBlankLines:
                    break
                }
            }
            var ps: [(line: Int, from: Int, indent: String)] = []
            var from = 0
            for (k, text) in parts.enumerated() {
                var prefix = ""
                if k == 0 && unit.kind == .paragraph && indent { prefix = "\u{3000}\u{3000}" }
                if k == 0 && unit.kind != .paragraph && rng.chance(0.1) { prefix = " " }
                if k > 0 {
                    switch layout {
                    case .blankBetweenParagraphs: if unit.kind == .paragraph && rng.chance(0.03) { blank() }
                    case .paragraphPerLine: if unit.kind == .paragraph { blank() }
                    default: break
                    }
                }
                let line = emit(prefix + text)
                ps.append((line, from, prefix))
                from += text.unicodeScalars.count
                if layout == .blankAfterEveryLine { blank() }
            }
            var u = unit
            u.lines = ps.map(\.line)
            kept.append(u)
            keptPieces.append(ps)
            previous = unit.kind
            // Keep the old index so pending defects can find their unit.
            remap[i] = kept.count - 1
        }
        if layout != .noBlankLines && rng.chance(0.3) { blank() }
        units = kept
        pieces = keptPieces
    }

    var remap: [Int: Int] = [:]

    func finish(id: String, units: [GeneratedUnit], defects: [PendingDefect]) -> GeneratedDocument {
        let text = lines.joined(separator: "\n") + "\n"
        var lineStarts: [Int] = []
        var o = 0
        for l in lines { lineStarts.append(o); o += l.utf8.count + 1 }
        var wrap: [LineBreak] = []
        var heads: [LineBreak] = []
        for u in units where u.lines.count > 1 {
            for k in 1..<u.lines.count {
                let b = LineBreak(upper: u.lines[k - 1], lower: u.lines[k])
                if u.kind == .headline { heads.append(b) } else { wrap.append(b) }
            }
        }
        var placed: [InjectedDefect] = []
        for d in defects {
            guard let ui = remap[d.unit] else { continue }
            let unitScalars = Array(units[ui].text.unicodeScalars)
            let ps = pieces[ui]
            // Byte offset in the document of scalar offset `p` of the unit; `end` picks the end of
            // the upper line for an offset that falls on a line boundary.
            func offset(_ p: Int, end: Bool) -> Int {
                var k = 0
                while k + 1 < ps.count && (end ? ps[k + 1].from < p : ps[k + 1].from <= p) { k += 1 }
                let base = lineStarts[ps[k].line] + ps[k].indent.utf8.count
                var bytes = 0
                for s in unitScalars[ps[k].from..<p] { bytes += String(s).utf8.count }
                return base + bytes
            }
            let lo = offset(d.scalars.lowerBound, end: false)
            let hi = max(lo, offset(d.scalars.upperBound, end: true))
            let slice = String(String.UnicodeScalarView(unitScalars[d.scalars]))
            placed.append(InjectedDefect(kind: d.kind, rule: d.rule, start: lo, end: hi, text: slice, original: d.original))
        }
        return GeneratedDocument(id: id, layout: layout, columnWidths: widths, byDisplayWidth: byDisplayWidth,
                                 text: text, units: units, wrapBreaks: wrap.sorted(), headlineBreaks: heads.sorted(),
                                 defects: placed)
    }
}
