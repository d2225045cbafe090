import TextModel

/// Where the engine cuts a document into sections that it checks independently: a fresh check, the
/// language server's re-check after an edit and the parallel batch check all run the rules section
/// by section, so each finding depends on its own section only and the three agree by construction.
///
/// A section starts at a line that follows a blank line after a sentence end, does not start with a
/// mark that may not start a line, and whose content hashes to one of `spacing` values. The test
/// reads only the lines around the break, so an edit moves breaks near it and nowhere else; the hash
/// spreads breaks over the text, so sections are a few dozen paragraphs long, not one each (the layout
/// analysis measures columns over neighbouring paragraphs). Text with no blank lines at all is one
/// section.
public enum Sections {
    /// One candidate break in `spacing` becomes a section start.
    static let spacing: UInt32 = 16

    /// Byte offsets where sections start, in order; always begins with 0.
    public static func starts(in document: TextDocument) -> [Int] {
        // A big text is scanned in pieces of lines on all cores (a piece looks back past its start).
        starts(in: document, pieces: document.count >= 4 << 20 ? Parallel.pieces : 1)
    }

    static func starts(in document: TextDocument, pieces: Int) -> [Int] {
        let n = document.lines.count
        guard pieces > 1, n >= pieces else { return starts(in: document, lines: 0..<n) }
        return Parallel.map(pieces) { k in starts(in: document, lines: (k * n / pieces)..<((k + 1) * n / pieces)) }.flatMap { $0 }
    }

    /// Section starts among the given lines (0 is included when line 0 is).
    public static func starts(in document: TextDocument, lines range: Range<Int>) -> [Int] {
        // Through pointers, the sets and the hash table in locals: a static is a once-check per read.
        let marks = Marks(forbidden: LineFeatures.lineStartForbidden, closers: LineFeatures.closers,
                          terminals: LineFeatures.terminalMarks, firstBytes: firstBytes, lastBytes: lastBytes, fnv: fnvPairs)
        return document.bytes.withUnsafeBufferPointer { b in
            document.lines.starts.withUnsafeBufferPointer { starts in
                document.lines.contentEnds.withUnsafeBufferPointer { ends in
                    var result: [Int] = []
                    if range.contains(0) { result.append(0) }
                    var previousBlank = false
                    var lastContent: Int? = nil   // the last non-blank line seen before a run of blank lines
                    if range.lowerBound > 0 {
                        var l = range.lowerBound - 1
                        previousBlank = isBlank(b, starts[l], ends[l])
                        while l >= 0, isBlank(b, starts[l], ends[l]) { l -= 1 }
                        lastContent = l >= 0 ? l : nil
                    }
                    for l in range where l > 0 {
                        let blank = isBlank(b, starts[l], ends[l])
                        if !blank, previousBlank, let upper = lastContent,
                           startsSection(b, starts[l]..<ends[l], after: starts[upper]..<ends[upper], marks) {
                            result.append(starts[l])
                        }
                        if !blank { lastContent = l }
                        previousBlank = blank
                    }
                    return result
                }
            }
        }
    }

    struct Marks {
        let forbidden: ScalarSet, closers: ScalarSet, terminals: ScalarSet, firstBytes: ByteSet, lastBytes: ByteSet
        let fnv: UnsafePointer<UInt8>
    }

    /// First bytes of inline white space and of the marks that may not start a line: a line whose
    /// first byte is none of them passes the first-scalar test without decoding (most start with Han).
    static let firstBytes = ByteSet(spaceFirstBytes + LineFeatures.lineStartForbiddenMarks.utf8.filter { !UTF8Scalar.isContinuation($0) })

    /// First bytes of inline white space, closers and sentence ends: a line whose last scalar starts
    /// with none of them does not end a sentence.
    static let lastBytes = ByteSet(spaceFirstBytes + (LineFeatures.closerList + LineFeatures.terminalMarkList).utf8.filter { !UTF8Scalar.isContinuation($0) })

    /// First bytes of inline white space, and the leads of overlong forms (C0, C1, E0, F0): those
    /// decode to scalars that start with other bytes, so even bytes that are not UTF-8 test the same.
    static let spaceFirstBytes = (0...255).map(UInt8.init).filter { Scalars.inlineSpaceBytes.contains($0) } + [0xC0, 0xC1, 0xE0, 0xF0]

    /// Whether a non-blank line (its content `line`), after blank lines that follow the non-blank
    /// `upper`, starts a section.
    @inline(__always)
    static func startsSection(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, after upper: Range<Int>, _ marks: Marks) -> Bool {
        if marks.firstBytes.contains(b[line.lowerBound]) {
            guard let first = firstScalar(b, line.lowerBound, line.upperBound), !marks.forbidden.contains(first.value) else { return false }
        }
        guard endsSentence(b, upper, marks) else { return false }
        return fnv1a(b, line, marks.fnv) % spacing == 0
    }

    /// FNV-1a over the line's bytes (the same text gives the same answer on every run and machine),
    /// modulo 16, two bytes a step through `fnvPairs`, eight bytes a load.
    @inline(__always)
    static func fnv1a(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ pairs: UnsafePointer<UInt8>) -> UInt32 {
        let base = UnsafeRawPointer(b.baseAddress!)
        var state = Int(fnvBasis & 15) << 4
        @inline(__always) func step(_ pair: UInt64) {
            state = Int(pairs[Int(truncatingIfNeeded: UInt16(truncatingIfNeeded: pair)) | state])
        }
        var o = r.lowerBound
        while o &+ 8 <= r.upperBound {
            let x = base.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian & 0x0F0F_0F0F_0F0F_0F0F
            step(x)
            step(x &>> 16)
            step(x &>> 32)
            step(x &>> 48)
            o &+= 8
        }
        var hash = UInt32(state >> 4)
        while o < r.upperBound {
            hash = (hash ^ UInt32(b[o])) &* fnvPrime
            o &+= 1
        }
        return hash & 15
    }

    static let fnvBasis: UInt32 = 2_166_136_261, fnvPrime: UInt32 = 16_777_619

    /// FNV-1a modulo 16 (`spacing`) after two bytes: the low four bits of a product need only those of
    /// its factors, so the low four bits of the hash before and of the two bytes decide them. Index:
    /// the first byte's low four bits, then the hash's, then the second byte's; the entry is the new
    /// hash's low four bits shifted to the hash's place in the index. Allocated once, never freed.
    static let fnvPairs: UnsafePointer<UInt8> = {
        precondition(16 % spacing == 0)
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 12)
        for index in 0..<(1 << 12) {
            let first = UInt32(index & 15), hash = UInt32(index >> 4 & 15), second = UInt32(index >> 8 & 15)
            let next = ((((hash ^ first) &* fnvPrime) ^ second) &* fnvPrime) & 15
            table[index] = UInt8(next << 4)
        }
        return UnsafePointer(table)
    }()

    @inline(__always)
    static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        guard lo < hi else { return true }
        // Inline white space starts with one of these bytes; any other first byte is content.
        switch b[lo] {
        case 0x20, 0x09, 0xC2, 0xE2, 0xE3: return firstScalar(b, lo, hi) == nil
        default: return false
        }
    }

    /// The first scalar in b[lo..<hi] that is not inline white space.
    @inline(__always)
    static func firstScalar(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Unicode.Scalar? {
        var o = lo
        while o < hi {
            let (s, n) = UTF8Scalar.decode(b, at: o)
            if !Scalars.isInlineSpace(s) { return s }
            o += n
        }
        return nil
    }

    /// The line's content ends with a sentence end, possibly followed by closing quotes or brackets.
    @inline(__always)
    static func endsSentence(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ marks: Marks) -> Bool {
        var o = r.upperBound
        while o > r.lowerBound {
            // The start of the scalar before `o` (`TextDocument.clampToScalar`).
            var start = o - 1, steps = 0
            while start > 0, UTF8Scalar.isContinuation(b[start]), steps < 3 { start -= 1; steps += 1 }
            if !marks.lastBytes.contains(b[start]) { return false }
            let s = UTF8Scalar.decode(b, at: start).scalar
            if Scalars.isInlineSpace(s) || marks.closers.contains(s.value) { o = start; continue }
            return marks.terminals.contains(s.value)
        }
        return false
    }
}
