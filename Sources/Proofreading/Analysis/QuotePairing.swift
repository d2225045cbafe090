import TextModel

/// Quotation marks of a document paired per logical paragraph, with the multi-paragraph convention
/// of STYLE-RULES R5. Shared by `unmatched-quote` (the marks left without a partner) and
/// `quote-nesting` (the level and form of the paired ones), so the two never claim the same mark.
/// A class: four rules read it from their section's context, and a struct of five arrays was
/// copied for each (five retains and releases a read).
public final class QuotePairing {
    /// Pairing classes. Straight `"` and `'` belong to the curly families (DESIGN: one family per
    /// mark, whatever its width); the corner forms pair only with their own closers.
    public enum Family: Int, CaseIterable {
        case double = 0, single, corner, whiteCorner
    }

    public let pairing: MarkPairing
    /// Index of the logical paragraph of each mark.
    public let paragraphOfMark: [Int]
    /// Per logical paragraph, what else the walk for the quotation marks met: a bracket or title mark
    /// (`UnmatchedBracketRule.classify`), and a mark punctuation-width may convert (one of its ASCII marks,
    /// or 。 after another or at a line's start, which is looked at apart). Those rules read them instead
    /// of scanning the text again.
    let bracketed: [Bool]
    let widthMarked: [Bool]
    /// Where a scalar that may be invisible starts (`InvisibleCharacterRule.isCandidate`), in text order:
    /// the walk's scan looks for them too, so that invisible-character does not scan the text again.
    /// Every one lies in a paragraph's segment (white space and line breaks lie between them).
    let invisible: [Int]

    public init(_ context: RuleContext) {
        let doc = context.document
        let paragraphs = context.layout.paragraphs
        var p = MarkPairing(classes: Family.allCases.count, expectedMarks: Self.expectedMarks(doc.bytes.count))
        var paragraphOfMark: [Int] = []
        paragraphOfMark.reserveCapacity(Self.expectedMarks(doc.bytes.count))
        // Appended a paragraph at a time (filled with false first, each was written twice).
        var bracketed: [Bool] = [], widthMarked: [Bool] = []
        bracketed.reserveCapacity(paragraphs.count)
        widthMarked.reserveCapacity(paragraphs.count)
        var invisible: [Int] = []
        var carried = 0
        // Each paragraph's segments read through a pointer into the array they view (a paragraph
        // copied out of `paragraphs` retained and released its two arrays, both cores, every paragraph).
        let contents = context.layout.paragraphContents
        contents.withUnsafeBufferPointer { contents in
            func segmentsOf(_ pi: Int) -> UnsafeBufferPointer<Range<Int>> {
                UnsafeBufferPointer(rebasing: contents[paragraphs[pi].segments.range])
            }
            for pi in paragraphs.indices {
                let segments = segmentsOf(pi)
                guard let firstSegment = segments.first else {
                    bracketed.append(false)
                    widthMarked.append(false)
                    continue
                }
                p.beginParagraph(at: firstSegment.lowerBound)
                // The leading openers that continue a quotation carried over from the last paragraph.
                var start = firstSegment.lowerBound
                // Noted in locals while the walk goes on (a write into the arrays was one through the closure's box).
                var widthMark = false, bracket = false
                for level in 0..<carried {
                    let (s, n) = doc.scalar(at: start)
                    if s.value < 0x80 { widthMark = true } // " and '
                    p.continueQuotation(level: level, start..<(start + n), s)
                    start += n
                }
                // Only the marks matter: the walk skips the other scalars.
                SegmentWalk.forEach(doc, segments: segments, from: start, where: Marks.self, passed: { b, o in
                    if InvisibleCharacterRule.isCandidate(b, o) { invisible.append(o) }
                }) { item in
                    let s = item.scalar
                    if !widthMark && Self.isWidthMark(item) { widthMark = true }
                    switch s {
                    case "“": p.open(item.range, s, class: Family.double.rawValue)
                    case "”": p.close(item.range, s, class: Family.double.rawValue)
                    case "「": p.open(item.range, s, class: Family.corner.rawValue)
                    case "」": p.close(item.range, s, class: Family.corner.rawValue)
                    case "『": p.open(item.range, s, class: Family.whiteCorner.rawValue)
                    case "』": p.close(item.range, s, class: Family.whiteCorner.rawValue)
                    case "‘": p.open(item.range, s, class: Family.single.rawValue)
                    case "\"":
                        if p.isOpen(Family.double.rawValue) {
                            p.close(item.range, s, class: Family.double.rawValue)
                        } else {
                            p.open(item.range, s, class: Family.double.rawValue)
                        }
                    case "’", "'":
                        // The apostrophe: inside a Latin word (don’t), or after one with no single quote open (students’).
                        let afterLetter = item.previous.map(Scalars.isASCIILetter) ?? false
                        let beforeLetter = item.next.map(Scalars.isASCIILetter) ?? false
                        let singleOpen = p.isOpen(Family.single.rawValue)
                        if afterLetter && (beforeLetter || !singleOpen) { break }
                        if s == "’" || singleOpen {
                            p.close(item.range, s, class: Family.single.rawValue)
                        } else {
                            p.open(item.range, s, class: Family.single.rawValue)
                        }
                    default: if UnmatchedBracketRule.classify(s) != nil { bracket = true }
                    }
                }
                // 。 at a line's start: read off the lines' first bytes (in the walk's scan, telling where a
                // line may start was a dozen compares a round).
                widthMarked.append(widthMark
                    || doc.bytes.withUnsafeBufferPointer { b in segments.contains { Self.startsWithFullStop(b, $0) } })
                bracketed.append(bracket)
                while paragraphOfMark.count < p.marks.count { paragraphOfMark.append(pi) }
                // R5: a quotation still open at the paragraph's end goes on when the next paragraph
                // opens with the same marks, outermost first.
                carried = 0
                if p.hasOpen, pi + 1 < paragraphs.count, let next = segmentsOf(pi + 1).first {
                    var o = next.lowerBound
                    for c in p.openClasses {
                        guard o < next.upperBound else { break }
                        let (s, n) = doc.scalar(at: o)
                        guard Self.openerFamily(s)?.rawValue == c else { break }
                        carried += 1
                        o += n
                    }
                }
                if carried > 0, Self.opensWithQuotedTerm(doc, paragraphs[pi + 1]) { carried = 0 }
                p.endParagraph(at: segments.last!.upperBound, carry: carried)
            }
        }
        self.pairing = p
        self.paragraphOfMark = paragraphOfMark
        self.bracketed = bracketed
        self.widthMarked = widthMarked
        self.invisible = invisible
    }

    /// About the marks of a text of `bytes` bytes: news text has a quotation mark in about every 150 bytes.
    static func expectedMarks(_ bytes: Int) -> Int { bytes / 128 }

    /// True when the paragraph opens with a short quoted term (“十四五”期间…) rather than with the
    /// “ that continues a quotation: a continued paragraph is prose, and where it closes, its ” follows
    /// the end of a sentence. Looks at most 16 scalars ahead, so the document is still read in linear time.
    static func opensWithQuotedTerm(_ doc: TextDocument, _ paragraph: LogicalParagraph) -> Bool {
        guard let first = paragraph.segments.first, doc.scalar(at: first.lowerBound).scalar == "“" else { return false }
        var depth = 0
        var seen = 0
        var previous: Unicode.Scalar = "“"
        for segment in paragraph.segments {
            var o = segment.lowerBound
            while o < segment.upperBound {
                let (s, n) = doc.scalar(at: o)
                if s == "“" { depth += 1 }
                if s == "”" {
                    depth -= 1
                    if depth == 0 { return !"。！？!?…".unicodeScalars.contains(previous) }
                }
                seen += 1
                if seen > 16 { return false }
                previous = s
                o += n
            }
        }
        return false
    }

    /// Whether the scalar at `o` (a candidate of `Marks`) is a mark paired here, told by
    /// its bytes: ‘ ’ “ ” are E2 80 98, 99, 9C, 9D; 「 」 『 』 E3 80 8C–8F; the ASCII members all are.
    @inline(__always)
    static func isMark(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        let x = b[o]
        if x < 0x80 { return true }
        guard o + 2 < b.count, b[o + 1] == 0x80 else { return false }
        let y = b[o + 2]
        return x == 0xE2 ? (y == 0x98 || y == 0x99 || y == 0x9C || y == 0x9D) : (y >= 0x8C && y <= 0x8F)
    }

    /// Whether the walk's item is a mark punctuation-width may convert: one of its ASCII marks, or 。
    /// after another (a run of three has two).
    static func isWidthMark(_ item: SegmentWalk.Item) -> Bool {
        let v = item.scalar.value
        return isWidthASCII(v) || (v == 0x3002 && followsFullStop(item.bytes, item.offset))
    }

    /// One of the ASCII marks punctuation-width may convert: ! " ' ( ) , - . : ; ?
    @inline(__always)
    static func isWidthASCII(_ v: UInt32) -> Bool {
        switch v {
        case 0x21, 0x22, 0x27...0x29, 0x2C...0x2E, 0x3A, 0x3B, 0x3F: return true
        default: return false
        }
    }

    /// The scalar before `o` is 。 (E3 80 82).
    @inline(__always)
    static func followsFullStop(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        o >= 3 && b[o - 3] == 0xE3 && b[o - 2] == 0x80 && b[o - 1] == 0x82
    }

    /// The line's content `r` starts with 。.
    static func startsWithFullStop(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        r.lowerBound + 3 <= min(r.upperBound, b.count) && followsFullStop(b, r.lowerBound + 3)
    }

    static func openerFamily(_ s: Unicode.Scalar) -> Family? {
        switch s {
        case "“", "\"": return .double
        case "‘", "'": return .single
        case "「": return .corner
        case "『": return .whiteCorner
        default: return nil
        }
    }

    /// True for the inner level (‘’, 『』, `'`).
    static func isInnerForm(_ s: Unicode.Scalar) -> Bool {
        s == "‘" || s == "’" || s == "'" || s == "『" || s == "』"
    }
}

extension QuotePairing {
    /// The walk's test: the marks paired here, the brackets (noted in `bracketed`) and the marks of
    /// punctuation-width (noted in `widthMarked`). Its scan looks for `invisible` too.
    enum Marks: ScalarBytesTest {
        @inline(__always)
        static func accepts(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
            let lead = b[o]
            if lead < 0x80 { return isWidthASCII(UInt32(lead)) || lead == 0x5B || lead == 0x5D }
            if isMark(b, o) || UnmatchedBracketRule.isBracket(b, o) { return true }
            // 。 after another.
            return o + 2 < b.count && b[o] == 0xE3 && b[o + 1] == 0x80 && b[o + 2] == 0x82 && followsFullStop(b, o)
        }

        /// Those scalars by their first and third bytes: ASCII 21–2E and 3A–3F (" ' ( ) and punctuation-width's
        /// ! , - . : ; ?, with # $ % & * + < = > that `accepts` passes over: ranges, not eleven
        /// compares), [ ] (5B, 5D: `x | 06 == 5F`, with Y and _); every E2 (‘ ’ “ ” and the invisible E2 80 8B–8D,
        /// E2 81 A0 among them: the other E2 scalars, mostly — and …, come about one in 2,000 bytes of news, and
        /// telling their third bytes apart was twelve instructions of some seventy a round); （ ） (EF BC 88, 89: `x | 01 == 89`)
        /// and ［ ］ (EF BC BB, BD: `x | 06 == BF`, with Ｙ ＿ ｙ ｟); E3 80 88–97 (〈 … 〗, 「 」 『 』); and 。
        /// (E3 80 82) where it may follow another (the byte before is 82). A scan that stopped at every 。
        /// stopped once a sentence. The scan runs over the whole text: every compare counts.
        /// And `InvisibleCharacterRule.Candidates`, with the compares of first bytes the two share: C0
        /// controls but tab, LF and CR, DEL, C2, E2 (above), and
        /// EF BB BF (`x | 06 == BF` already).
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            let fullStop = (third .== splat(0x82)) .& (before .== splat(0x82))
            let fullWidth = ((third | splat(0x01)) .== splat(0x89)) .| ((third | splat(0x06)) .== splat(0xBF))
            // The C0 controls, 21–2E and 3A–3F as the bytes up to 3F but tab, LF, CR, space, / and the digits
            // (three instructions fewer than three ranges); 09 and 0D are the bytes that `| 04` makes 0D.
            let skipped = within(first, 0x2F, 0x39) .| (first .== splat(0x20)) .| (first .== splat(0x0A))
                .| ((first | splat(0x04)) .== splat(0x0D))
            return ((first .<= splat(0x3F)) .& .!skipped) .| ((first | splat(0x06)) .== splat(0x5F))
                .| (first .== splat(0x7F)) .| (first .== splat(0xC2))
                .| (first .== splat(0xE2)) .| ((first .== splat(0xEF)) .& fullWidth)
                .| ((first .== splat(0xE3)) .& (within(third, 0x88, 0x97) .| fullStop))
        }
    }
}
