import TextModel

/// A run of text printed twice close together: a line the extractor repeated, or a pull quote.
public struct DuplicateFragmentRule: Rule {
    public init() {}
    /// The earlier copy may stand in the section before.
    public static let scope = RuleScope.sectionAndPrevious

    public static let description = RuleDescription(
        id: "duplicate-fragment",
        family: .duplicates,
        defaultSeverity: .information,
        summary: "A run of 12 or more characters that appears again within about 2,000 characters.",
        explanation: """
        Compares the text with white space and line breaks removed and finds runs of at least \
        \(minimumLength) characters that occur again at most \(maximumDistance) characters further on \
        (a rolling hash over the characters, each candidate verified, so the rule is linear in the length \
        of the text). Each maximal repeated run is one finding on the later copy, with a related location \
        on the earlier one. Text appears twice in a transcription when the extractor re-reads a column \
        fragment or when the page's pull quotes (■ …) repeat sentences of the story; the reader reads the \
        same words twice, or a sentence breaks off in the middle. Clean news text repeats names, titles \
        and whole sentences too, so a run is reported only when it is printed twice in a row (the later copy \
        starts where the earlier one ends; a clause mark between them only when the same mark opens the \
        earlier copy, so 形成了X。X，… is rhetoric), or when the layout cut one copy out: a pull quote \
        (the copy opens a line after a bullet), or a run of \(cutLength) or more characters whose copy \
        stops at a line end in mid-sentence or fills whole lines. Not reported: copies inside headlines, \
        a headline quoted in the story (播发《…》), a title line printed again as the next line, and characters of formulas that occur three or more \
        times (央视网消息（新闻联播）：) do not count towards the length, except in a run printed twice in a \
        row or a pull quote, which need only \(minimumDistinct) different characters. A pull quote gets an unsafe fix \
        that deletes its lines: the text survives in the story, but a person should check it. Otherwise \
        there is no fix: only a person can tell which copy is the stray one.
        """,
        nonTriggering: [
            "新冠肺炎疫情防控工作。新冠肺炎疫情防控形势。",
            "央视网消息（新闻联播）：今天上午召开会议。\n\n央视网消息（新闻联播）：国务院新闻办公室发布。",
            "哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈",
            "形成了习近平总书记关于党的建设的重要思想。习近平总书记关于党的建设的重要思想，博大精深、内涵丰富。",
            "十四届全国人大四次会议在京闭幕\n十四届全国人大四次会议在京闭幕\n批准政府工作报告。",
        ],
        triggering: [
            "今年以来，脱贫地区农民收↓今年以来，脱贫地区农民收入保持较快增长。",
            "人民大会堂、外交部，各省、自治区、直辖市党委和政府所在地，↓各省、自治区、直辖市党委和政府所在地，香港特别行政区下半旗志哀。",
            "在小区，章燕一行检查小区封控情况，为大家加油鼓劲。她说，人大代表换届选举工作是全区人民政治生活中的一件大事，大家要将疫\n\n基层防疫“小门”，筑牢安全屏障，守护了城市安全和居民健康。\n\n她向现场的社区工作人员表示慰问。↓她说，人大代表换届选举工作是全区人民政治生活中的一件大事，大家要将疫\n\n情防控要求落实到换届选举全过程。",
            "群防群控的合力。李强叮嘱区里负责同志\n\n要把更多资源力量下沉到基层一线，全力服\n\n务保障封控小区群众的基本生活和应急就\n\n医等需求，及时解决群众急难问题，共同构\n\n筑疫情防控坚强防线。\n\n↓■ 要把更多资源力量下沉到基层一线，全力服务保障封控小区群众的基本生\n活和应急就医等需求，及时解决群众急难问题，共同构筑疫情防控坚强防线\n",
        ],
        corrections: [
            Correction("群防群控的合力。李强叮嘱区里负责同志\n\n要把更多资源力量下沉到基层一线，全力服\n\n务保障封控小区群众的基本生活和应急就\n\n医等需求，及时解决群众急难问题，共同构\n\n筑疫情防控坚强防线。\n\n■ 要把更多资源力量下沉到基层一线，全力服务保障封控小区群众的基本生\n活和应急就医等需求，及时解决群众急难问题，共同构筑疫情防控坚强防线\n", "群防群控的合力。李强叮嘱区里负责同志\n\n要把更多资源力量下沉到基层一线，全力服\n\n务保障封控小区群众的基本生活和应急就\n\n医等需求，及时解决群众急难问题，共同构\n\n筑疫情防控坚强防线。\n\n", unsafe: true),
        ]
    )

    static let minimumLength = 12
    static let minimumHan = 10
    static let cutLength = 20
    static let maximumDistance = 2000
    /// Characters (not white space) that may stand between two copies printed in a row.
    static let maximumGap = 2
    /// Different characters a run printed twice in a row must have (not a refrain like 哈哈哈).
    static let minimumDistinct = 6

    /// Marks that may stand before a pull quote on its line.
    static func isBullet(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x25A0, 0x25A1, 0x25CF, 0x25CB, 0x25C6, 0x25C7, 0x25B2, 0x25B3, 0x25BC, 0x2605, 0x2606, 0x2022, 0x00B7, 0x25B6, 0x25BA: return true
        default: return false
        }
    }

    static func isWord(_ v: UInt32) -> Bool {
        Scalars.isHan(Unicode.Scalar(v) ?? " ") || (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A)
    }

    struct Run { var later: Range<Int>; var earlier: Range<Int> }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        let k = Self.minimumLength
        // The text without white space: scalar values and where they start.
        var values: [UInt32] = []
        var starts: [Int] = []
        values.reserveCapacity(doc.count / 3)
        starts.reserveCapacity(doc.count / 3)
        var o = 0
        while o < doc.count {
            let (s, n) = doc.scalar(at: o)
            if !(Scalars.isInlineSpace(s) || s == "\n" || s == "\r") {
                values.append(s.value); starts.append(o)
            }
            o += n
        }
        let n = values.count
        guard n >= 2 * k else { return [] }
        // Where character x ends (not kept per character: 8 bytes each on a 20 MB file).
        func end(_ x: Int) -> Int { starts[x] + doc.scalar(at: starts[x]).length }

        // Rabin–Karp: the hash of every window of k characters, the last window start seen for each hash.
        let base: UInt64 = 1_000_003
        var power: UInt64 = 1
        for _ in 0..<(k - 1) { power = power &* base }
        var hash: UInt64 = 0
        for i in 0..<k { hash = hash &* base &+ UInt64(values[i]) }
        // How often each window hash occurs at all: a run whose windows recur three times is a refrain.
        // The table also keeps the last window start seen for each hash. Window hashes are rolled
        // again where needed rather than kept (8 bytes a character on a big file).
        @inline(__always) func roll(_ h: UInt64, from x: Int) -> UInt64 {
            (h &- UInt64(values[x]) &* power) &* base &+ UInt64(values[x + k])
        }
        func windowHash(at x: Int) -> UInt64 {
            var h: UInt64 = 0
            for d in 0..<k { h = h &* base &+ UInt64(values[x + d]) }
            return h
        }
        var table = WindowTable(expected: n - k + 1)
        do {
            var h = hash
            for i in 0...(n - k) {
                table.bump(h)
                if i + k < n { h = roll(h, from: i) }
            }
        }
        func same(_ a: Int, _ b: Int, _ length: Int) -> Bool {
            for d in 0..<length where values[a + d] != values[b + d] { return false }
            return true
        }
        // A title or quotation that closes right after one copy: the other copy, ending at its line's
        // end, is the headline being quoted (播发《…》), not a fragment.
        func closesQuote(_ x: Int) -> Bool { x < n && Self.closers.contains(values[x]) }
        var runs: [Run] = []
        var reportedEnd = 0      // later copies are reported up to here (character index)
        var i = 0
        var h = hash             // the hash of window i
        while i <= n - k {
            let slot = table.slot(of: h)
            let j = table.last[slot]
            if i >= reportedEnd, j >= 0, i - j >= k, i - j <= Self.maximumDistance, same(i, j, k) {
                // Grow the match to the maximal run: forward while the copies agree and do not overlap,
                // back over at most k characters (a longer agreement would have matched earlier).
                var length = k
                while i + length < n, j + length < i, values[j + length] == values[i + length] { length += 1 }
                var back = 0
                // The later copy never reaches back into the earlier one.
                while back < k, i - back - 1 >= reportedEnd, i - back - 1 >= j + length, j - back - 1 >= 0,
                      values[i - back - 1] == values[j - back - 1] { back += 1 }
                var ls = i - back, es = j - back
                let le = i + length, ee = j + length
                // A run starts with a word, not with the mark that ends the sentence before it.
                while ls < le - k, !Self.isWord(values[ls]) { ls += 1; es += 1 }
                // Characters covered by a refrain window (one that occurs three times or more, such as
                // 央视网消息（新闻联播）：) do not count: only the rest of the run must be long enough.
                var novel = 0
                var refrainUntil = ls
                var rh = ls <= le - k ? windowHash(at: ls) : 0
                for x in ls..<le {
                    if x <= le - k {
                        if table.count(of: rh) >= 3 { refrainUntil = x + k }
                        if x < le - k { rh = roll(rh, from: x) }
                    }
                    if x >= refrainUntil, Self.isWord(values[x]) { novel += 1 }
                }
                let run = Run(later: starts[ls]..<end(le - 1), earlier: starts[es]..<end(ee - 1))
                // Printed twice in a row (the later copy starts where the earlier one ends, past at most
                // a mark or two), or pulled out as a quote: the extractor or the page repeated the text,
                // which clean text never does with a clause of this length. Here a refrain counts in
                // full (a title repeated in the lead may be repeated again), but a run of a few
                // characters over and over (哈哈哈…) does not.
                var words = 0
                var seen = Set<UInt32>()
                for x in ls..<le where Self.isWord(values[x]) { words += 1; seen.insert(values[x]) }
                // A clause mark between the copies is rhetoric (形成了X。X，博大精深…) unless the same mark
                // stands before the earlier copy: then the repeated unit is the whole clause (，X，X).
                let gap = values[ee..<max(ee, ls)]
                let gapOK = !gap.contains(where: Self.clauseMarks.contains) || (gap.count == 1 && es > 0 && values[es - 1] == gap.first)
                let adjacent = ls - ee <= Self.maximumGap && gapOK && !titleTwice(run, context.document)
                let strong = words >= Self.minimumHan && seen.count >= Self.minimumDistinct
                    && (adjacent || pulledOut(run.later, context.document) || pulledOut(run.earlier, context.document))
                if !inHeadline(run.later, context) && !inHeadline(run.earlier, context)
                    && (strong || (novel >= Self.minimumHan
                        && ((cutByLayout(run.later, novel: novel, context.document) && !closesQuote(ee))
                            || (cutByLayout(run.earlier, novel: novel, context.document) && !closesQuote(le))))) {
                    runs.append(run)
                }
                reportedEnd = le
            }
            table.last[slot] = i
            if i + k < n { h = roll(h, from: i) }
            i += 1
        }
        return runs.map { report($0, doc) }
    }

    /// A copy that the layout cut out: a pull quote (its line opens with a bullet and it runs to the
    /// end of a line), or, when it is long enough (`cutLength` characters), a copy that stops at a line
    /// end in mid-sentence (a column fragment read twice) or fills whole lines. Clean text repeats
    /// names and stock sentences too, but inside running lines.
    func cutByLayout(_ range: Range<Int>, novel: Int, _ doc: TextDocument) -> Bool {
        let lines = doc.lines
        let first = lines.line(containing: range.lowerBound), last = lines.line(containing: range.upperBound - 1)
        guard onlyFurniture(range.upperBound..<lines.contentEnds[last], doc) else { return false }
        if isPullQuote(range, doc) { return true }
        guard novel >= Self.cutLength else { return false }
        let lastScalar = doc.scalar(at: doc.clampToScalar(range.upperBound - 1)).scalar
        if !Self.sentenceEnds.contains(lastScalar.value) { return true }
        return onlyFurniture(lines.starts[first]..<range.lowerBound, doc)
    }

    /// A pull quote running to the end of its line.
    func pulledOut(_ range: Range<Int>, _ doc: TextDocument) -> Bool {
        let lines = doc.lines
        let last = lines.line(containing: range.upperBound - 1)
        return onlyFurniture(range.upperBound..<lines.contentEnds[last], doc) && isPullQuote(range, doc)
    }

    /// A line without a sentence end printed again as a whole line right after: a title repeated
    /// above its story (十四届全国人大四次会议在京闭幕 twice), which news pages do on purpose.
    func titleTwice(_ run: Run, _ doc: TextDocument) -> Bool {
        let lines = doc.lines
        let e = lines.line(containing: run.earlier.upperBound - 1)
        let first = lines.line(containing: run.later.lowerBound), last = lines.line(containing: run.later.upperBound - 1)
        guard first == last, onlyFurniture(run.earlier.upperBound..<lines.contentEnds[e], doc),
              onlyFurniture(lines.starts[first]..<run.later.lowerBound, doc),
              onlyFurniture(run.later.upperBound..<lines.contentEnds[last], doc) else { return false }
        let lastScalar = doc.scalar(at: doc.clampToScalar(run.later.upperBound - 1)).scalar
        return !Self.sentenceEnds.contains(lastScalar.value)
    }

    /// The copy starts its line, after a bullet: `■ 面对由奥密克戎…`.
    func isPullQuote(_ range: Range<Int>, _ doc: TextDocument) -> Bool {
        let lines = doc.lines
        let start = lines.starts[lines.line(containing: range.lowerBound)]
        guard onlyFurniture(start..<range.lowerBound, doc) else { return false }
        var o = start
        while o < range.lowerBound {
            let (s, n) = doc.scalar(at: o)
            if Self.isBullet(s) { return true }
            o += n
        }
        return false
    }

    static let clauseMarks = ScalarSet("。！？；，、：.!?;,:")
    static let closers = ScalarSet("》”」』〉")
    static let sentenceEnds = ScalarSet("。！？；…”’）」』.!?;)\"'")

    func onlyFurniture(_ range: Range<Int>, _ doc: TextDocument) -> Bool {
        var o = range.lowerBound
        while o < range.upperBound {
            let (s, n) = doc.scalar(at: o)
            if !(Scalars.isInlineSpace(s) || Self.isBullet(s)) { return false }
            o += n
        }
        return true
    }

    /// A copy inside headline lines: a headline repeated in the lead or quoted in the story.
    func inHeadline(_ range: Range<Int>, _ context: RuleContext) -> Bool {
        let lines = context.document.lines
        let first = lines.line(containing: range.lowerBound), last = lines.line(containing: range.upperBound - 1)
        guard last < context.layout.lines.count else { return false }
        // A line opened by a bullet (■ …) is a pull quote, whatever its shape.
        let opening = context.layout.lines[first].content.lowerBound
        if opening < context.document.count, Self.isBullet(context.document.scalar(at: opening).scalar) { return false }
        return (first...last).allSatisfy { context.layout.lines[$0].kind == .headline || context.layout.lines[$0].kind == .blank }
    }

    func report(_ run: Run, _ doc: TextDocument) -> Diagnostic {
        let text = doc.slice(run.later).unicodeScalars.filter { !Scalars.isInlineSpace($0) && $0 != "\n" && $0 != "\r" }
        let characters = text.count
        let shown = characters <= 16 ? String(String.UnicodeScalarView(text)) : String(String.UnicodeScalarView(text.prefix(14))) + "…"
        // How far back, in lines (not a line number: the check runs on a section of the file).
        let back = doc.lines.line(containing: run.later.lowerBound) - doc.lines.line(containing: run.earlier.lowerBound)
        let distance = back == 0 ? "earlier on the same line" : back == 1 ? "on the line above" : "\(back) lines above"
        let related = [RelatedLocation(range: run.earlier, message: "The earlier copy")]
        let message = "\"\(shown)\" (\(characters) characters) repeats the text \(distance): delete the stray copy"
        // Whole lines: from the first line's start (white space and a bullet before) to the last line's end.
        let lines = doc.lines
        let firstLine = lines.line(containing: run.later.lowerBound)
        let lastLine = lines.line(containing: run.later.upperBound - 1)
        if isPullQuote(run.later, doc),
           onlyFurniture(run.later.upperBound..<lines.contentEnds[lastLine], doc),
           !(lines.starts[firstLine]..<lines.fullRange(of: lastLine).upperBound).overlaps(run.earlier) {
            let whole = lines.starts[firstLine]..<lines.fullRange(of: lastLine).upperBound
            return diagnostic(whole, message + " (these lines)", related: related,
                              fix: Fix(title: "Delete the repeated lines", edits: [TextEdit(range: whole, newText: "")], applicability: .unsafe))
        }
        return diagnostic(run.later, message, related: related)
    }
}

/// Window hash → (occurrences up to 3, last window start): open addressing with linear probing.
/// A `Dictionary` hashed every window twice and held two tables; this holds one, grown as distinct
/// windows come (a file made of repeats stays small).
struct WindowTable {
    private(set) var keys: [UInt64]
    /// 0 marks an empty slot.
    private(set) var counts: [UInt8]
    var last: [Int]
    private var used = 0
    private var shift: UInt64

    /// Sized for `expected` distinct windows up to 2^16 (a small file never grows the table; a big
    /// one made of repeats stays small).
    init(expected: Int) {
        var bits: UInt64 = 10
        while bits < 16 && (1 << bits) * 3 < expected * 4 { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        counts = [UInt8](repeating: 0, count: 1 << bits)
        last = [Int](repeating: -1, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func home(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The slot that holds `h`, or the empty slot where it would go.
    @inline(__always)
    func slot(of h: UInt64) -> Int {
        let mask = keys.count - 1
        var i = home(h)
        while counts[i] != 0 && keys[i] != h { i = (i + 1) & mask }
        return i
    }

    func count(of h: UInt64) -> UInt8 { counts[slot(of: h)] }

    /// One more occurrence of `h` (counted up to 3).
    mutating func bump(_ h: UInt64) {
        let i = slot(of: h)
        if counts[i] == 0 {
            keys[i] = h
            counts[i] = 1
            used += 1
            if used * 4 > keys.count * 3 { grow() }
        } else if counts[i] < 3 {
            counts[i] += 1
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts, oldLast = last
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        counts = [UInt8](repeating: 0, count: size)
        last = [Int](repeating: -1, count: size)
        shift -= 1
        for i in oldKeys.indices where oldCounts[i] != 0 {
            let j = slot(of: oldKeys[i])
            keys[j] = oldKeys[i]
            counts[j] = oldCounts[i]
            last[j] = oldLast[i]
        }
    }
}
