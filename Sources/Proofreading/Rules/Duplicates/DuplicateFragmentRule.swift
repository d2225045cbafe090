import TextModel

/// A run of text printed twice close together: a line the extractor repeated, or a pull quote.
public struct DuplicateFragmentRule: NeighbourRule {
    public init() {}
    /// The earlier copy may stand in the section before: it reads that section's facts (only its
    /// last `maximumDistance` characters can hold a copy, and its window counts add to this one's).
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

    /// A character's code (see `Facts.codes`) is a Han character, a digit or a Latin letter.
    static func isWord(_ code: UInt32) -> Bool {
        let v = scalar(code)
        return Scalars.isHan(Unicode.Scalar(v) ?? " ") || (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A)
    }

    /// The scalar value of a character's code.
    static func scalar(_ code: UInt32) -> UInt32 {
        code < 0x11_0000 ? code : (code & 0x0F) << 12 | (code >> 2 & 0xFC0) | (code >> 16 & 0x3F)
    }

    struct Run {
        var later: Range<Int>, earlier: Range<Int>
        /// The later copy's characters (white space left out), as indexes of the scan.
        var characters: Range<Int>
    }

    /// What the rule derives from one section: its characters, its windows and how far the scan
    /// of the section read on its own reports (where a next section's scan goes on). A class: the
    /// checks of two sections read it without copying.
    public final class Facts {
        /// The characters without white space, as codes, and the byte offsets where they start. A code
        /// is the scalar value, or for U+3000–U+FFFF but the surrogates (most of a text) the three UTF-8
        /// bytes read as a little-endian number (above U+10FFFF): one load, no decoding. Equal codes
        /// are equal characters (the bytes are valid UTF-8).
        let codes: [UInt32]
        let starts: [Int32]
        /// Every window of `minimumLength` characters inside the section, by hash, each one's hash
        /// and its last earlier copy.
        let windows: WindowTable
        /// Windows whose last earlier copy in the section stands within `maximumDistance` (checked
        /// character by character), in text order: the candidates of the scan.
        let repeats: [(later: Int32, earlier: Int32)]
        /// Later copies are reported up to here by the scan of this section alone (it is the first
        /// section of the text its next section's check reads).
        let reportedEnd: Int
        /// That scan's last run when it reaches the section's end: it may go on in the next one.
        let openRun: (later: Int, earlier: Int, reportedEnd: Int)?

        init(_ document: TextDocument) {
            let k = DuplicateFragmentRule.minimumLength, distance = DuplicateFragmentRule.maximumDistance
            let capacity = document.count      // at most a character per byte
            // Written straight into their arrays (room for a character a byte): no copy at the end.
            var codes: [UInt32] = [], n = 0
            starts = [Int32](unsafeUninitializedCapacity: capacity) { starts, startCount in
                codes = [UInt32](unsafeUninitializedCapacity: capacity) { codes, codeCount in
                    codeCount = document.bytes.withUnsafeBufferPointer { Self.characters(of: $0, into: codes, starts) }
                }
                n = codes.count
                startCount = n
            }
            self.codes = codes
            var repeats: [(later: Int32, earlier: Int32)] = []
            windows = codes.withUnsafeBufferPointer { codes in
                WindowTable(codes) { x, earlier in
                    // The window's last earlier copy: a candidate when near enough.
                    if x - earlier >= k, x - earlier <= distance, (0..<k).allSatisfy({ codes[x + $0] == codes[earlier + $0] }) {
                        repeats.append((Int32(x), Int32(earlier)))
                    }
                }
            }
            self.repeats = repeats
            // The scan of the section on its own: which candidates start a run (one starting inside
            // the run before it is part of that run).
            var reportedEnd = 0
            var openRun: (later: Int, earlier: Int, reportedEnd: Int)?
            for (later, earlier) in repeats where Int(later) >= reportedEnd {
                let i = Int(later), j = Int(earlier)
                var length = k
                while i + length < n, j + length < i, codes[j + length] == codes[i + length] { length += 1 }
                if i + length == n { openRun = (i, j, reportedEnd) }
                reportedEnd = i + length
            }
            self.reportedEnd = reportedEnd
            self.openRun = openRun
        }

        /// Writes the characters of `bytes` but white space and line breaks (their codes and where
        /// they start) and returns how many there are.
        static func characters(of bytes: UnsafeBufferPointer<UInt8>, into codes: UnsafeMutableBufferPointer<UInt32>,
                               _ starts: UnsafeMutableBufferPointer<Int32>) -> Int {
            quickLeads.withUnsafeBufferPointer { quick in
                var n = 0, o = 0
                // While four bytes remain, a quick character's code is one load.
                let raw = UnsafeRawPointer(bytes.baseAddress)
                while o < bytes.count &- 3 {
                    let c: UInt32, length: Int
                    if quick[Int(bytes[o])] {
                        c = UInt32(littleEndian: raw.unsafelyUnwrapped.loadUnaligned(fromByteOffset: o, as: UInt32.self)) & 0xFF_FFFF
                        length = 3
                    } else {
                        (c, length) = character(bytes, at: o)
                    }
                    if c != blank {
                        codes[n] = c
                        starts[n] = Int32(truncatingIfNeeded: o)
                        n &+= 1
                    }
                    o &+= length
                }
                while o < bytes.count {
                    let c: UInt32, length: Int
                    if quick[Int(bytes[o])], o &+ 2 < bytes.count {
                        c = UInt32(bytes[o]) | UInt32(bytes[o &+ 1]) << 8 | UInt32(bytes[o &+ 2]) << 16
                        length = 3
                    } else {
                        (c, length) = character(bytes, at: o)
                    }
                    if c != blank {
                        codes[n] = c
                        starts[n] = Int32(truncatingIfNeeded: o)
                        n &+= 1
                    }
                    o &+= length
                }
                return n
            }
        }

        /// The code of the character at `o` (not one of `quickLeads`, but for a sequence cut short at
        /// the end) and its length; `blank`, which is left out, for any white space or line break.
        @inline(__always)
        static func character(_ bytes: UnsafeBufferPointer<UInt8>, at o: Int) -> (UInt32, Int) {
            let (s, length) = UTF8Scalar.decode(bytes, at: o)
            return (Scalars.isInlineSpace(s) || s == "\n" || s == "\r" ? blank : s.value, length)
        }

        /// The code of U+3000 (E3 80 80), which every white space character and line break gets.
        static let blank: UInt32 = 0x80_80E3

        /// Lead bytes of U+3000–U+FFFF but the surrogates (E3–EF but ED): their code is their bytes.
        static let quickLeads: [Bool] = (0...255).map { $0 >= 0xE3 && $0 <= 0xEF && $0 != 0xED }
    }

    static let hashBase: UInt64 = 1_000_003
    /// `hashBase` to the power `minimumLength - 1`: what the first character of a window weighs.
    static let firstWeight: UInt64 = (1..<minimumLength).reduce(1) { p, _ in p &* hashBase }

    /// The hash of a window moved on by one character (Rabin–Karp): `out` leaves it (nil while the
    /// window is still filling), `in` comes.
    @inline(__always)
    static func rolled(_ hash: UInt64, in v: UInt32, out: UInt32?) -> UInt64 {
        let kept = out.map { hash &- UInt64($0) &* firstWeight } ?? hash
        return kept &* hashBase &+ UInt64(v)
    }

    public func facts(of section: RuleContext) -> Facts { Facts(section.document) }

    /// The findings of the check over the previous section's text and this one's joined (a run
    /// that starts in the previous section still hides what it covers here), from their facts.
    public func check(reading: [SectionFacts<Facts>], own: Int) -> [Diagnostic] {
        let k = Self.minimumLength
        let scan = Scan(before: own > 0 ? reading[own - 1] : nil, own: reading[own])
        guard scan.count >= 2 * k else { return [] }
        let text = ReadText(reading)
        var runs: [Run] = []
        var reportedEnd = 0      // later copies are reported up to here (character index)
        if let before = scan.before {
            if let run = before.openRun {
                reportedEnd = consider(run.later, run.earlier, reportedEnd: run.reportedEnd, scan, text, into: &runs)
            } else {
                reportedEnd = before.reportedEnd
            }
        }
        // The section's windows in order: those across the seam, its own candidates, and those of
        // its first windows whose copy stands across the seam or in the previous section.
        let ownFacts = scan.own, split = scan.split
        var r = 0
        func takeRepeats(before limit: Int) {
            while r < ownFacts.repeats.count, Int(ownFacts.repeats[r].later) < limit {
                let i = split + Int(ownFacts.repeats[r].later), j = split + Int(ownFacts.repeats[r].earlier)
                r += 1
                if i >= reportedEnd { reportedEnd = consider(i, j, reportedEnd: reportedEnd, scan, text, into: &runs) }
            }
        }
        if let before = scan.before {
            // Only the previous section's last `maximumDistance` characters (and `k` more, for the
            // windows across the seam) can hold a copy: their windows' bits in a filter. Testing a bit
            // stays in the L1 cache, where a probe of the previous section's table (built a section
            // ago) misses it; a bit set by another window only costs a lookup that finds no copy near
            // enough.
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: WindowTable.filterWords) { filter in
                filter.initialize(repeating: 0)
                before.windows.mark(max(0, split - Self.maximumDistance - k)..<before.windows.count, in: filter)
                // Windows across the seam: their earlier copy is among those before them.
                for (n, window) in scan.seam.enumerated() where window.at >= reportedEnd {
                    let j = scan.lastWindow(window.hash, seamBefore: n, filter)
                    if scan.matches(window.at, j) { reportedEnd = consider(window.at, j, reportedEnd: reportedEnd, scan, text, into: &runs) }
                }
                // Those of the first windows without an earlier copy here whose hash a window before
                // them has: one of the previous section (in its table) or one across the seam (those
                // first windows are found from the seam's, in order).
                let windows = ownFacts.windows
                var seamCopies = scan.seam.compactMap { windows.first(of: $0.hash) }.sorted().makeIterator()
                var seamCopy = seamCopies.next() ?? .max
                let first = min(Self.maximumDistance, windows.count)
                var x = windows.firstMarked(in: 0..<min(first, seamCopy), filter)
                while x < first {
                    while x == seamCopy { seamCopy = seamCopies.next() ?? .max }
                    // Not inside a run reported already (most windows that pass: those of a run
                    // copied from the previous section): the repeats before it wait for the next
                    // window looked up (reportedEnd only grows, so nothing is reported otherwise).
                    if windows.earlier(x) < 0, split + x >= reportedEnd {
                        let i = split + x, j = scan.lastWindow(windows.hash(at: x), seamBefore: scan.seam.count, filter)
                        if scan.matches(i, j) {
                            takeRepeats(before: x)
                            if i >= reportedEnd { reportedEnd = consider(i, j, reportedEnd: reportedEnd, scan, text, into: &runs) }
                        }
                    }
                    x = windows.firstMarked(in: (x + 1)..<min(first, seamCopy), filter)
                }
            }
        }
        takeRepeats(before: Int.max)
        return runs.map { report($0, scan, text) }
    }

    /// The run around window `i` and its copy at window `j`: appended to `runs` when it starts in
    /// the checked section and is worth reporting. Returns where it ends (later copies are reported
    /// up to there).
    func consider(_ i: Int, _ j: Int, reportedEnd: Int, _ scan: Scan, _ text: ReadText, into runs: inout [Run]) -> Int {
        let k = Self.minimumLength, n = scan.count
        // Grow the match to the maximal run: forward while the copies agree and do not overlap,
        // back over at most k characters (a longer agreement would have matched earlier).
        var length = k
        while i + length < n, j + length < i, scan[j + length] == scan[i + length] { length += 1 }
        var back = 0
        // The later copy never reaches back into the earlier one.
        while back < k, i - back - 1 >= reportedEnd, i - back - 1 >= j + length, j - back - 1 >= 0,
              scan[i - back - 1] == scan[j - back - 1] { back += 1 }
        var ls = i - back, es = j - back
        let le = i + length, ee = j + length
        // A run starts with a word, not with the mark that ends the sentence before it.
        while ls < le - k, !Self.isWord(scan[ls]) { ls += 1; es += 1 }
        // Only a later copy in the checked section is its finding.
        guard ls >= scan.split else { return le }
        let run = Run(later: scan.start(ls)..<scan.end(le - 1, text), earlier: scan.start(es)..<scan.end(ee - 1, text), characters: ls..<le)
        // A title or quotation that closes right after one copy: the other copy, ending at its line's
        // end, is the headline being quoted (播发《…》), not a fragment.
        func closesQuote(_ x: Int) -> Bool { x < n && Self.closers.contains(Self.scalar(scan[x])) }
        // Printed twice in a row (the later copy starts where the earlier one ends, past at most
        // a mark or two), or pulled out as a quote: the extractor or the page repeated the text,
        // which clean text never does with a clause of this length. Here a refrain counts in
        // full (a title repeated in the lead may be repeated again), but a run of a few
        // characters over and over (哈哈哈…) does not.
        var words = 0
        for x in ls..<le where Self.isWord(scan[x]) { words += 1 }
        // A clause mark between the copies is rhetoric (形成了X。X，博大精深…) unless the same mark
        // stands before the earlier copy: then the repeated unit is the whole clause (，X，X).
        let gap = ee..<max(ee, ls)
        let gapOK = !gap.contains { Self.clauseMarks.contains(Self.scalar(scan[$0])) } || (gap.count == 1 && es > 0 && scan[es - 1] == scan[ee])
        let adjacent = ls - ee <= Self.maximumGap && gapOK && !titleTwice(run, text)
        let strong = words >= Self.minimumHan && scan.hasDistinctWords(ls..<le)
            && (adjacent || pulledOut(run.later, text) || pulledOut(run.earlier, text))
        // The novel characters only when they can matter (never more than the words): counted
        // once, when a copy ends its line.
        func cut() -> Bool {
            guard words >= Self.minimumHan else { return false }
            var counted: Int?
            func novel() -> Int {
                if let counted { return counted }
                let novel = novelWords(ls..<le, scan)
                counted = novel
                return novel
            }
            return (cutByLayout(run.later, novel: novel, text) && !closesQuote(ee))
                || (cutByLayout(run.earlier, novel: novel, text) && !closesQuote(le))
        }
        // The headline test last: it is the slowest, and few runs get that far.
        if (strong || cut()) && !inHeadline(run.later, text) && !inHeadline(run.earlier, text) {
            runs.append(run)
        }
        return le
    }

    /// The word characters of a run not covered by a refrain window (one that occurs three times
    /// or more, such as 央视网消息（新闻联播）：): only they must be long enough. Counted up to
    /// `cutLength`, the most a test needs.
    func novelWords(_ run: Range<Int>, _ scan: Scan) -> Int {
        let k = Self.minimumLength, le = run.upperBound
        var novel = 0
        var refrainUntil = run.lowerBound
        var hash = run.count >= k ? scan.windowHash(at: run.lowerBound) : 0
        for x in run {
            guard novel < Self.cutLength else { break }
            if x <= le - k {
                if scan.occurrences(of: hash) >= 3 { refrainUntil = x + k }
                if x < le - k { hash = Self.rolled(hash, in: scan[x + k], out: scan[x]) }
            }
            if x >= refrainUntil, Self.isWord(scan[x]) { novel += 1 }
        }
        return novel
    }

    /// The characters of the previous section (when the check reads one) and the checked one as
    /// one sequence, the way a check of their joined text reads them: the previous section's below
    /// `split`.
    struct Scan {
        let before: Facts?
        let own: Facts
        let split: Int
        let count: Int
        /// The two sections' characters, where they start and their windows (kept apart from
        /// their facts: reading them needs no reference counting).
        private let beforeCodes: [UInt32], ownCodes: [UInt32]
        private let beforeStarts: [Int32], ownStarts: [Int32]
        private let beforeWindows: WindowTable?, ownWindows: WindowTable
        /// The previous section's start relative to the checked one's.
        let beforeOffset: Int
        /// The windows that start in the previous section and end in this one.
        var seam: [(at: Int, hash: UInt64)] = []
        init(before: SectionFacts<Facts>?, own: SectionFacts<Facts>) {
            self.before = before?.facts
            self.own = own.facts
            split = before?.facts.codes.count ?? 0
            count = split + own.facts.codes.count
            beforeOffset = before?.offset ?? 0
            (beforeCodes, beforeStarts, beforeWindows) = (before?.facts.codes ?? [], before?.facts.starts ?? [], before?.facts.windows)
            (ownCodes, ownStarts, ownWindows) = (own.facts.codes, own.facts.starts, own.facts.windows)
            let k = DuplicateFragmentRule.minimumLength
            let seamWindows = max(0, split - k + 1)..<split
            seam.reserveCapacity(seamWindows.count)
            for x in seamWindows where x + k <= count { seam.append((x, windowHash(at: x))) }
        }

        @inline(__always)
        subscript(x: Int) -> UInt32 { x < split ? beforeCodes[x] : ownCodes[x - split] }

        /// Where character `x` starts, relative to the checked section's start.
        func start(_ x: Int) -> Int { x < split ? Int(beforeStarts[x]) + beforeOffset : Int(ownStarts[x - split]) }

        /// Where character `x` ends (not kept per character: 4 bytes each on a big file).
        func end(_ x: Int, _ text: ReadText) -> Int { start(x) + text.scalar(at: start(x)).length }

        func windowHash(at x: Int) -> UInt64 {
            let k = DuplicateFragmentRule.minimumLength
            if x >= split { return ownWindows.hash(at: x - split) }
            if x + k <= split, let beforeWindows { return beforeWindows.hash(at: x) }
            var h: UInt64 = 0
            for d in 0..<k { h = h &* DuplicateFragmentRule.hashBase &+ UInt64(self[x + d]) }
            return h
        }

        /// Where the last window before seam window `n` with this hash starts (-1 if none): among
        /// the seam windows, else in the previous section, looked up only when `filter` (of its last
        /// windows) passes the hash (-1 if not: the window it finds is too far).
        func lastWindow(_ hash: UInt64, seamBefore n: Int, _ filter: UnsafeMutableBufferPointer<UInt64>) -> Int {
            var m = n
            while m > 0 {
                m -= 1
                if seam[m].hash == hash { return seam[m].at }
            }
            guard WindowTable.marks(hash, filter) else { return -1 }
            return beforeWindows?.last(of: hash) ?? -1
        }

        /// The characters hold `minimumDistinct` different word characters (not a refrain like 哈哈哈).
        func hasDistinctWords(_ range: Range<Int>) -> Bool {
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: DuplicateFragmentRule.minimumDistinct) { seen in
                var count = 0
                for x in range where DuplicateFragmentRule.isWord(self[x]) && !seen[0..<count].contains(self[x]) {
                    seen[count] = self[x]
                    count += 1
                    if count == seen.count { return true }
                }
                return false
            }
        }

        /// Window `i` and its last earlier copy `j` (-1 if none) start a run: near enough, not
        /// overlapping, and the same characters (not just the same hash).
        func matches(_ i: Int, _ j: Int) -> Bool {
            let k = DuplicateFragmentRule.minimumLength
            guard j >= 0, i - j >= k, i - j <= DuplicateFragmentRule.maximumDistance else { return false }
            // Each copy inside one section (all but those across the seam): through pointers.
            if i >= split && (j >= split || j + k <= split) {
                return ownCodes.withUnsafeBufferPointer { own in
                    (j >= split ? ownCodes : beforeCodes).withUnsafeBufferPointer { other in
                        let a = i - split, b = j >= split ? j - split : j
                        return (0..<k).allSatisfy { own[a + $0] == other[b + $0] }
                    }
                }
            }
            for d in 0..<k where self[i + d] != self[j + d] { return false }
            return true
        }

        /// How often a window occurs in the joined text (3 means three times or more).
        func occurrences(of hash: UInt64) -> Int {
            var n = ownWindows.count(of: hash) + (beforeWindows?.count(of: hash) ?? 0)
            for window in seam where window.hash == hash { n += 1 }
            return min(n, 3)
        }
    }

    /// The sections a check reads as one text: byte offsets relative to the checked section's
    /// start, lines numbered as in their joined text (each section but the last ends with a line
    /// break, and its last, empty, line is the next one's first).
    struct ReadText {
        let parts: [(offset: Int, context: RuleContext)]
        /// The joined number of each section's first line.
        let firstLines: [Int]

        init(_ reading: [SectionFacts<Facts>]) {
            parts = reading.map { ($0.offset, $0.context) }
            var first = 0, lines: [Int] = []
            for part in reading {
                lines.append(first)
                first += part.context.document.lines.count - 1
            }
            firstLines = lines
        }

        private func part(at offset: Int) -> Int {
            var p = parts.count - 1
            while p > 0 && offset < parts[p].offset { p -= 1 }
            return p
        }

        private func part(ofLine line: Int) -> Int {
            var p = parts.count - 1
            while p > 0 && line < firstLines[p] { p -= 1 }
            return p
        }

        func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int) {
            let p = parts[part(at: offset)]
            return p.context.document.scalar(at: offset - p.offset)
        }

        func clampToScalar(_ offset: Int) -> Int {
            let p = parts[part(at: offset)]
            return p.context.document.clampToScalar(offset - p.offset) + p.offset
        }

        func line(containing offset: Int) -> Int {
            let p = part(at: offset)
            return firstLines[p] + parts[p].context.document.lines.line(containing: offset - parts[p].offset)
        }

        /// A line's start, the end of its content and its end with the line break.
        func lineStart(_ line: Int) -> Int { let p = part(ofLine: line); return parts[p].context.document.lines.starts[line - firstLines[p]] + parts[p].offset }
        func contentEnd(_ line: Int) -> Int { let p = part(ofLine: line); return parts[p].context.document.lines.contentEnds[line - firstLines[p]] + parts[p].offset }
        func lineEnd(_ line: Int) -> Int { let p = part(ofLine: line); return parts[p].context.document.lines.fullRange(of: line - firstLines[p]).upperBound + parts[p].offset }

        /// The end of the checked section (the last one read).
        var end: Int { parts[parts.count - 1].offset + parts[parts.count - 1].context.document.count }

        /// The lines of the joined layout (read through `lineShape`: a neighbour's layout is not
        /// made again where the server kept its shapes).
        var layoutLineCount: Int { firstLines[parts.count - 1] + parts[parts.count - 1].context.lineShapeCount }
        func layoutLine(_ line: Int) -> (kind: LineKind, contentStart: Int) {
            let p = part(ofLine: line)
            let shape = parts[p].context.lineShape(line - firstLines[p])
            return (shape.kind, shape.contentStart + parts[p].offset)
        }
    }

    /// A copy that the layout cut out: a pull quote (its line opens with a bullet and it runs to the
    /// end of a line), or, when it is long enough (`cutLength` characters), a copy that stops at a line
    /// end in mid-sentence (a column fragment read twice) or fills whole lines. Clean text repeats
    /// names and stock sentences too, but inside running lines. Either needs `minimumHan` novel
    /// characters (see `novelWords`), asked for only of a copy that ends its line.
    func cutByLayout(_ range: Range<Int>, novel: () -> Int, _ text: ReadText) -> Bool {
        let first = text.line(containing: range.lowerBound), last = text.line(containing: range.upperBound - 1)
        guard onlyFurniture(range.upperBound..<text.contentEnd(last), text), novel() >= Self.minimumHan else { return false }
        if isPullQuote(range, text) { return true }
        guard novel() >= Self.cutLength else { return false }
        let lastScalar = text.scalar(at: text.clampToScalar(range.upperBound - 1)).scalar
        if !Self.sentenceEnds.contains(lastScalar.value) { return true }
        return onlyFurniture(text.lineStart(first)..<range.lowerBound, text)
    }

    /// A pull quote running to the end of its line.
    func pulledOut(_ range: Range<Int>, _ text: ReadText) -> Bool {
        let last = text.line(containing: range.upperBound - 1)
        return onlyFurniture(range.upperBound..<text.contentEnd(last), text) && isPullQuote(range, text)
    }

    /// A line without a sentence end printed again as a whole line right after: a title repeated
    /// above its story (十四届全国人大四次会议在京闭幕 twice), which news pages do on purpose.
    func titleTwice(_ run: Run, _ text: ReadText) -> Bool {
        let e = text.line(containing: run.earlier.upperBound - 1)
        let first = text.line(containing: run.later.lowerBound), last = text.line(containing: run.later.upperBound - 1)
        guard first == last, onlyFurniture(run.earlier.upperBound..<text.contentEnd(e), text),
              onlyFurniture(text.lineStart(first)..<run.later.lowerBound, text),
              onlyFurniture(run.later.upperBound..<text.contentEnd(last), text) else { return false }
        let lastScalar = text.scalar(at: text.clampToScalar(run.later.upperBound - 1)).scalar
        return !Self.sentenceEnds.contains(lastScalar.value)
    }

    /// The copy starts its line, after a bullet: `■ 面对由奥密克戎…`.
    func isPullQuote(_ range: Range<Int>, _ text: ReadText) -> Bool {
        let start = text.lineStart(text.line(containing: range.lowerBound))
        guard onlyFurniture(start..<range.lowerBound, text) else { return false }
        var o = start
        while o < range.lowerBound {
            let (s, n) = text.scalar(at: o)
            if Self.isBullet(s) { return true }
            o += n
        }
        return false
    }

    static let clauseMarks = ScalarSet("。！？；，、：.!?;,:")
    static let closers = ScalarSet("》”」』〉")
    static let sentenceEnds = ScalarSet("。！？；…”’）」』.!?;)\"'")

    func onlyFurniture(_ range: Range<Int>, _ text: ReadText) -> Bool {
        var o = range.lowerBound
        while o < range.upperBound {
            let (s, n) = text.scalar(at: o)
            if !(Scalars.isInlineSpace(s) || Self.isBullet(s)) { return false }
            o += n
        }
        return true
    }

    /// A copy inside headline lines: a headline repeated in the lead or quoted in the story.
    func inHeadline(_ range: Range<Int>, _ text: ReadText) -> Bool {
        let first = text.line(containing: range.lowerBound), last = text.line(containing: range.upperBound - 1)
        guard last < text.layoutLineCount else { return false }
        // A line opened by a bullet (■ …) is a pull quote, whatever its shape.
        let opening = text.layoutLine(first).contentStart
        if opening < text.end, Self.isBullet(text.scalar(at: opening).scalar) { return false }
        return (first...last).allSatisfy { text.layoutLine($0).kind == .headline || text.layoutLine($0).kind == .blank }
    }

    func report(_ run: Run, _ scan: Scan, _ text: ReadText) -> Diagnostic {
        let characters = run.characters.count
        // Encoded to UTF-8 bytes, then one string (appending scalars to a string is slow).
        var shown: [UInt8] = []
        for x in run.characters.prefix(characters <= 16 ? characters : 14) {
            UTF8.encode(Unicode.Scalar(Self.scalar(scan[x])) ?? "\u{FFFD}") { shown.append($0) }
        }
        // How far back, in lines (not a line number: the check runs on a section of the file).
        let back = text.line(containing: run.later.lowerBound) - text.line(containing: run.earlier.lowerBound)
        let distance = back == 0 ? "earlier on the same line" : back == 1 ? "on the line above" : "\(back) lines above"
        let related = [RelatedLocation(range: run.earlier, message: "The earlier copy")]
        let message = "\"\(String(decoding: shown, as: UTF8.self))\(characters <= 16 ? "" : "…")\" (\(characters) characters) repeats the text \(distance): delete the stray copy"
        // Whole lines: from the first line's start (white space and a bullet before) to the last line's end.
        let firstLine = text.line(containing: run.later.lowerBound)
        let lastLine = text.line(containing: run.later.upperBound - 1)
        let whole = text.lineStart(firstLine)..<text.lineEnd(lastLine)
        if isPullQuote(run.later, text), onlyFurniture(run.later.upperBound..<text.contentEnd(lastLine), text), !whole.overlaps(run.earlier) {
            return diagnostic(whole, message + " (these lines)", related: related,
                              fix: Fix(title: "Delete the repeated lines", edits: [TextEdit(range: whole, newText: "")], applicability: .unsafe))
        }
        return diagnostic(run.later, message, related: related)
    }
}

/// Window hash → last window start: open addressing with linear probing, each window's hash and
/// the start of its last earlier copy (a chain of the windows with a hash, newest first). A slot
/// holds a start; its key is the hash of the window at that start, kept once per window. Sized for
/// the section's windows, never grown: at most an eighth full, so that most probes end at the first
/// slot (whether a slot is taken is a branch the predictor misses, after a load that misses the L1
/// cache). Half full took a quarter more time than a quarter; with 2-byte slots an eighth takes less
/// than a quarter (Facts.init's own samples 4.7% -> 3.8% of all, its memset 0.7% -> 1.1%), a
/// sixteenth no less (more to clear). With 4-byte slots (a big section) a quarter.
struct WindowTable {
    /// Owns the slots, the windows' hashes and their earlier copies (a struct cannot free them).
    private final class Storage {
        let slots: UnsafeMutableRawPointer
        let hashes: UnsafeMutablePointer<UInt64>
        let earlier: UnsafeMutablePointer<Int32>
        init(slotBytes: Int, windows: Int) {
            slots = .allocate(byteCount: slotBytes, alignment: 4)
            // Every slot `empty`: all bytes FF, `memset` (more instructions under callgrind than a
            // loop of stores, one a byte, but less time: its stores are wider).
            slots.initializeMemory(as: UInt8.self, repeating: 0xFF, count: slotBytes)
            hashes = .allocate(capacity: windows)
            earlier = .allocate(capacity: windows)
        }
        deinit { slots.deallocate(); hashes.deallocate(); earlier.deallocate() }
    }
    private let storage: Storage
    /// Window starts, or `empty`: 2 bytes a slot while the starts fit (a section's table then takes
    /// half the memory to clear and to keep in the cache), else 4.
    private let slots: UnsafeMutableRawPointer
    private let wide: Bool
    /// Before all starts (all bytes FF, whatever the slots' width).
    static let empty = -1
    private let hashes: UnsafeMutablePointer<UInt64>
    private let earlierCopies: UnsafeMutablePointer<Int32>
    private let mask: Int
    let count: Int

    /// The table of the windows of `codes`, told in order to `visit` with their start and the start
    /// of the last earlier window with that hash, when there is one.
    @inline(__always)
    init(_ codes: UnsafeBufferPointer<UInt32>, visit: (_ x: Int, _ earlier: Int) -> Void) {
        let k = DuplicateFragmentRule.minimumLength
        let windows = max(0, codes.count - k + 1)
        wide = windows > Int(Int16.max)
        var bits = 4
        while 1 << bits < windows * (wide ? 4 : 8) { bits += 1 }
        storage = Storage(slotBytes: (1 << bits) * (wide ? 4 : 2), windows: windows)
        slots = storage.slots
        hashes = storage.hashes
        earlierCopies = storage.earlier
        mask = (1 << bits) - 1
        count = windows
        guard windows > 0 else { return }
        Self.hashWindows(codes, into: hashes, count: windows)
        if wide {
            insert(slots.assumingMemoryBound(to: Int32.self), visit: visit)
        } else {
            insert(slots.assumingMemoryBound(to: Int16.self), visit: visit)
        }
    }

    /// Puts each window in the table, in order, and keeps its last earlier copy.
    @inline(__always)
    private func insert<Slot: FixedWidthInteger>(_ slots: UnsafeMutablePointer<Slot>, visit: (_ x: Int, _ earlier: Int) -> Void) {
        var x = 0
        while x < count {
            let i = slot(of: hashes[x], in: slots), earlier = Int(slots[i])
            slots[i] = Slot(truncatingIfNeeded: x)
            earlierCopies[x] = Int32(truncatingIfNeeded: earlier)
            if earlier >= 0 { visit(x, earlier) }
            x &+= 1
        }
    }

    /// The Rabin–Karp hashes (`rolled`) of the first `count` windows of `codes`, in a loop of their
    /// own ahead of the probes (a probe's mispredicted branch no longer throws away the hashes after
    /// it). Two windows a step: H(x + 2) = H(x)·B² + D(x)·B + D(x + 1), where D(x) = c(x + k) −
    /// c(x)·B^k does not depend on the hashes, so the chain of multiplications that each hash waits
    /// on is one every two windows, not one a window (the same values: arithmetic modulo 2^64).
    @inline(__always)
    private static func hashWindows(_ codes: UnsafeBufferPointer<UInt32>, into hashes: UnsafeMutablePointer<UInt64>, count: Int) {
        let k = DuplicateFragmentRule.minimumLength, base = DuplicateFragmentRule.hashBase
        let leaving = DuplicateFragmentRule.firstWeight &* base, square = base &* base
        var hash: UInt64 = 0
        for c in codes[0..<k] { hash = hash &* base &+ UInt64(c) }
        /// What the next window's hash adds to this one's times B.
        @inline(__always) func step(_ x: Int) -> UInt64 { UInt64(codes[x &+ k]) &- UInt64(codes[x]) &* leaving }
        var x = 0
        while x &+ 2 < count {
            let d0 = step(x), d1 = step(x &+ 1)
            hashes[x] = hash
            hashes[x &+ 1] = hash &* base &+ d0
            hash = hash &* square &+ (d0 &* base &+ d1)
            x &+= 2
        }
        while x < count {
            hashes[x] = hash
            if x &+ 1 < count { hash = hash &* base &+ step(x) }
            x &+= 1
        }
    }

    /// The slot that holds `h`, or the empty one where it would go. It starts probing at bits from
    /// 32 up of the Rabin–Karp hash, mixed by its carries.
    @inline(__always)
    private func slot<Slot: FixedWidthInteger>(of h: UInt64, in slots: UnsafeMutablePointer<Slot>) -> Int {
        var i = Int(truncatingIfNeeded: h &>> 32) & mask
        while true {
            let start = Int(slots[i])
            if start == Self.empty || hashes[start] == h { return i }
            i = (i &+ 1) & mask
        }
    }

    /// The hash of the window that starts at `x`.
    func hash(at x: Int) -> UInt64 { hashes[x] }

    /// Where the last window before `x` with its hash starts (negative if none).
    func earlier(_ x: Int) -> Int { Int(earlierCopies[x]) }

    /// How many windows have hash `h`, up to 3.
    func count(of h: UInt64) -> Int {
        var n = 0, x = last(of: h)
        while x >= 0 && n < 3 {
            n += 1
            x = earlier(x)
        }
        return n
    }

    /// Where the last window with hash `h` starts (-1 if none).
    func last(of h: UInt64) -> Int {
        if wide {
            let slots = slots.assumingMemoryBound(to: Int32.self)
            return Int(slots[slot(of: h, in: slots)])
        }
        let slots = slots.assumingMemoryBound(to: Int16.self)
        return Int(slots[slot(of: h, in: slots)])
    }

    /// Words of a filter of window hashes (8 KB): two bits for each hash, both in the word its top
    /// 10 bits choose, at bits 48–53 and 32–37. A window with only one of them set is not looked up
    /// (with one bit a hash, about ten times as many lookups found no copy). In one word they take
    /// one load to test and one store to set, and let about as few windows through as in two.
    static let filterWords = 1 << 10

    /// A hash's filter word and its two bits.
    @inline(__always)
    private static func filterBits(_ h: UInt64) -> (word: Int, bits: UInt64) {
        (Int(truncatingIfNeeded: h &>> 54), 1 &<< (h &>> 48 & 63) | 1 &<< (h &>> 32 & 63))
    }

    /// Sets the filter bits of the windows in `range`.
    func mark(_ range: Range<Int>, in filter: UnsafeMutableBufferPointer<UInt64>) {
        for x in range {
            let (word, bits) = Self.filterBits(hashes[x])
            filter[word] |= bits
        }
    }

    /// Whether both filter bits of `h` are set.
    @inline(__always)
    static func marks(_ h: UInt64, _ filter: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let (word, bits) = filterBits(h)
        return filter[word] & bits == bits
    }

    /// The first window in `range` with both filter bits set (the range's end if none): a loop of
    /// its own, over most windows of a section.
    func firstMarked(in range: Range<Int>, _ filter: UnsafeMutableBufferPointer<UInt64>) -> Int {
        var x = range.lowerBound
        while x < range.upperBound && !Self.marks(hashes[x], filter) { x &+= 1 }
        return x
    }

    /// Where the first window with hash `h` starts (nil if none).
    func first(of h: UInt64) -> Int? {
        var x = last(of: h)
        guard x >= 0 else { return nil }
        while earlier(x) >= 0 { x = earlier(x) }
        return x
    }
}
