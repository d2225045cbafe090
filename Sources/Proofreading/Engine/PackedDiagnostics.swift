import TextModel

/// Findings packed into one byte array: what the language server keeps for each section of an open
/// document. A `Diagnostic` with its strings and arrays takes several hundred bytes in separate
/// allocations; packed it takes about its message's length, so a 10 MB document's 130,000 findings
/// fit in a few megabytes. Unpacking gives back equal values.
struct PackedDiagnostics {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    private(set) var errors = 0

    init() {}

    init(_ list: [Diagnostic]) {
        // Sized exactly, then written through a pointer: appending grew the array by doubling
        // (copying it each time) and checked its room at every field.
        // Read in place through a buffer: an array's element is copied out (its strings retained).
        list.withUnsafeBufferPointer { list in
            var size = 0
            var rests: [Int] = []
            rests.reserveCapacity(list.count)
            for k in list.indices {
                rests.append(Self.restSize(list[k]))
                size += Self.headSize(list[k], rest: rests[k]) + rests[k]
            }
            guard size > 0 else { return }
            bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                var writer = PackWriter(at: buffer.baseAddress!)
                for k in list.indices { writer.finding(list[k], rest: rests[k]) }
                precondition(writer.at == buffer.baseAddress! + size, "a finding packed to other than its size")
                initialized = size
            }
        }
        count = list.count
        errors = list.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
    }

    /// The bytes `PackWriter.finding` writes for `d` before the `rest` (head byte, range, rest's size).
    static func headSize(_ d: Diagnostic, rest: Int) -> Int { 1 + rangeSize(d.range) + varintSize(rest) }

    /// The bytes of a finding after its head (head byte, range and this size).
    static func restSize(_ d: Diagnostic) -> Int {
        var n = stringSize(d.ruleID) + stringSize(d.message)
        if !d.related.isEmpty { n += varintSize(d.related.count) }
        for r in d.related { n += rangeSize(r.range) + stringSize(r.message) }
        guard let fix = d.fix else { return n }
        n += stringSize(fix.title) + varintSize(fix.editCount)
        fix.forEachEdit { n += rangeSize($0.range) + stringSize($0.newText) }
        return n
    }

    private static func varintSize(_ n: Int) -> Int {
        var v = PackWriter.zigzag(n)
        var size = 1
        while v >= 0x80 { size += 1; v >>= 7 }
        return size
    }

    private static func rangeSize(_ r: Range<Int>) -> Int { varintSize(r.lowerBound) + varintSize(r.count) }

    // A string's header is twice its length plus whether it needs JSON escaping: 2n and 2n + 1
    // zigzag to 4n and 4n + 2, never either side of a power of 128, so the flag never changes its size.
    private static func stringSize(_ s: String) -> Int { varintSize(2 * s.utf8.count) + s.utf8.count }

    func unpack(shiftedBy delta: Int = 0) -> [Diagnostic] {
        var result: [Diagnostic] = []
        unpack(shiftedBy: delta, into: &result)
        return result
    }

    /// Appends the findings to `result` (no array of their own to copy from).
    func unpack(shiftedBy delta: Int = 0, into result: inout [Diagnostic]) {
        result.reserveCapacity(result.count + count)
        bytes.withUnsafeBufferPointer { bytes in
            var reader = PackedReader(bytes: bytes)
            for _ in 0..<count {
                let head = reader.head(delta)
                result.append(reader.diagnostic(head, delta))
            }
        }
    }

    /// Each finding where it lies, its head read (severity and range), the rest skipped in one
    /// step (choosing the findings to publish reads no message).
    func forEachFinding(shiftedBy delta: Int, _ body: (PackedFinding) -> Void) {
        forEachHead(shiftedBy: delta) { at, head in body(finding(at: at, head: head, shiftedBy: delta)) }
    }

    /// Each finding's head and where its rest starts, without a `PackedFinding` (which holds a
    /// reference to the bytes) for each.
    func forEachHead(shiftedBy delta: Int, _ body: (_ at: Int, _ head: PackedHead) -> Void) {
        bytes.withUnsafeBufferPointer { bytes in
            var reader = PackedReader(bytes: bytes)
            for _ in 0..<count {
                let head = reader.head(delta)
                body(reader.at, head)
                reader.at += head.restSize
            }
        }
    }

    /// The finding whose head `forEachHead` read at `at`.
    func finding(at: Int, head: PackedHead, shiftedBy delta: Int) -> PackedFinding {
        PackedFinding(bytes: bytes, at: at, delta: delta, head: head)
    }
}

/// A finding's first byte: its severity (bits 0-1), whether it has related locations (bit 2) and
/// its fix's kind (bits 3-4: none, safe, unsafe). Publishing reads these without the rest.
private enum HeadByte {
    static func make(_ d: Diagnostic) -> UInt8 {
        let fix: UInt8 = d.fix.map { $0.applicability == .safe ? 1 : 2 } ?? 0
        return UInt8(d.severity.rank) | (d.related.isEmpty ? 0 : 4) | fix << 3
    }
    static func severity(_ b: UInt8) -> Severity { Severity(clampedRank: Int(b & 3)) }
    static func hasRelated(_ b: UInt8) -> Bool { b & 4 != 0 }
    static func applicability(_ b: UInt8) -> Applicability? { b >> 3 == 0 ? nil : b >> 3 == 1 ? .safe : .unsafe }
}

/// Writes findings in the packed form, into room sized by `PackedDiagnostics.headSize` and `restSize`: the head
/// byte, the range, the size of the rest; then the rule id and message, the related locations
/// (their count first, only when there are some), the fix's title and edits.
private struct PackWriter {
    var at: UnsafeMutablePointer<UInt8>

    mutating func finding(_ d: Diagnostic, rest: Int) {
        byte(HeadByte.make(d))
        range(d.range)
        varint(rest)
        string(d.ruleID)
        string(d.message)
        if !d.related.isEmpty { varint(d.related.count) }
        for r in d.related { range(r.range); string(r.message) }
        guard let fix = d.fix else { return }
        string(fix.title, scanned: false)
        // Read in place: `edits` would build an array for a fix of one edit.
        varint(fix.editCount)
        fix.forEachEdit { range($0.range); string($0.newText, scanned: false) }
    }

    mutating func byte(_ b: UInt8) {
        at.pointee = b
        at += 1
    }

    // Offsets are relative to a section and may be negative (a related location in the section
    // before): zigzag varints.
    static func zigzag(_ n: Int) -> UInt64 { UInt64(bitPattern: Int64((n << 1) ^ (n >> 63))) }

    mutating func varint(_ n: Int) {
        var v = Self.zigzag(n)
        while v >= 0x80 { byte(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        byte(UInt8(v))
    }

    mutating func range(_ r: Range<Int>) { varint(r.lowerBound); varint(r.count) }

    /// A string; `scanned`: whether JSON's need to escape it is found and flagged (publishing
    /// writes no fix: a fix's strings are left unscanned, flagged as needing none).
    mutating func string(_ s: String, scanned: Bool = true) {
        var s = s
        s.withUTF8 { u in
            varint(2 * u.count + (scanned && !Self.isPlainJSON(u) ? 1 : 0))
            guard let source = u.baseAddress, u.count > 0 else { return }
            at.update(from: source, count: u.count)
            at += u.count
        }
    }

    /// True when no byte needs escaping in a JSON string (a control character, '"', '\\' or DEL, as
    /// `ByteWriter.appendJSONString` escapes): publishing then copies the bytes as they are.
    static func isPlainJSON(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let from = u.baseAddress else { return true }
        guard u.count >= 8 else { return !u.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F } }
        // Eight bytes a step, the last step overlapping: a byte below 0x20, or one that XORed with
        // '"', '\\' or DEL is zero, leaves a high bit (all four have theirs clear, so ~x stands for each).
        let ones: UInt64 = 0x0101_0101_0101_0101
        var found: UInt64 = 0
        var i = 0
        while true {
            let x = UnsafeRawPointer(from + min(i, u.count - 8)).loadUnaligned(as: UInt64.self)
            found |= ((x &- 0x20 &* ones) | ((x ^ 0x22 &* ones) &- ones) | ((x ^ 0x5C &* ones) &- ones) | ((x ^ 0x7F &* ones) &- ones)) & ~x
            i += 8
            if i >= u.count { break }
        }
        return found & 0x8080_8080_8080_8080 == 0
    }
}

/// A finding's head: what choosing the findings to publish reads.
struct PackedHead {
    var severity: Severity { HeadByte.severity(byte) }
    let byte: UInt8
    let range: Range<Int>
    /// The bytes after the head.
    let restSize: Int
}

/// Reads the fields of packed findings in the order `PackWriter.finding` writes them, through a
/// pointer: reading holds no reference to the array (nothing retained per finding).
private struct PackedReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    mutating func byte() -> UInt8 { defer { at += 1 }; return bytes[at] }
    mutating func varint() -> Int {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = byte()
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        let n = Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
        return Int(n)
    }
    mutating func range(_ delta: Int) -> Range<Int> {
        let lo = varint() + delta
        return lo..<(lo + varint())
    }
    mutating func head(_ delta: Int) -> PackedHead {
        let b = byte()
        let r = range(delta)
        return PackedHead(byte: b, range: r, restSize: varint())
    }

    /// Where the next string's bytes lie and whether JSON needs them escaped, passed over.
    mutating func stringBytes() -> (bytes: Range<Int>, plain: Bool) {
        let header = varint()
        let n = header >> 1
        defer { at += n }
        return (at..<(at + n), header & 1 == 0)
    }

    mutating func string() -> String { String(decoding: text().bytes, as: UTF8.self) }

    mutating func text() -> PackedFinding.Text {
        let (range, plain) = stringBytes()
        return PackedFinding.Text(bytes: UnsafeBufferPointer(rebasing: bytes[range]), isPlainJSON: plain)
    }

    /// The finding whose head is `head`, read from its rest on.
    mutating func diagnostic(_ head: PackedHead, _ delta: Int) -> Diagnostic {
        let rule = string()
        let message = string()
        var related: [RelatedLocation] = []
        for _ in 0..<(HeadByte.hasRelated(head.byte) ? varint() : 0) {
            let r = range(delta)
            related.append(RelatedLocation(range: r, message: string()))
        }
        var fix: Fix? = nil
        if let applicability = HeadByte.applicability(head.byte) {
            let title = string()
            var edits: [TextEdit] = []
            for _ in 0..<varint() {
                let r = range(delta)
                edits.append(TextEdit(range: r, newText: string()))
            }
            fix = Fix(title: title, edits: edits, applicability: applicability)
        }
        return Diagnostic(ruleID: rule, severity: head.severity, range: head.range, message: message,
                          related: related, fix: fix)
    }
}

/// One packed finding, read where it lies: publishing reads its rule, message, related locations and
/// whether it has a fix without building their strings; `diagnostic` unpacks all of it.
public struct PackedFinding {
    fileprivate let bytes: [UInt8]
    /// Where the finding's rest (after its head) starts.
    fileprivate let at: Int
    fileprivate let delta: Int
    fileprivate let head: PackedHead

    fileprivate init(bytes: [UInt8], at: Int, delta: Int, head: PackedHead) {
        self.bytes = bytes
        self.at = at
        self.delta = delta
        self.head = head
    }

    public var severity: Severity { head.severity }
    public var range: Range<Int> { head.range }

    public var diagnostic: Diagnostic {
        bytes.withUnsafeBufferPointer { bytes in
            var reader = PackedReader(bytes: bytes, at: at)
            return reader.diagnostic(head, delta)
        }
    }

    public var ruleID: String {
        bytes.withUnsafeBufferPointer { bytes in
            var reader = PackedReader(bytes: bytes, at: at)
            return reader.string()
        }
    }

    /// A string's UTF-8 bytes, valid inside `withFields`' body, and whether JSON must escape them.
    public struct Text {
        public let bytes: UnsafeBufferPointer<UInt8>
        /// No byte needs escaping in JSON: the bytes may be written between quotes as they are.
        public let isPlainJSON: Bool
    }

    /// What publishing reads.
    public struct Fields {
        public let severity: Severity
        public let range: Range<Int>
        public let ruleID: Text
        public let message: Text
        public let related: Related
        public let applicability: Applicability?
    }

    /// The related locations, read where they lie as they are iterated (no array per finding).
    public struct Related: Sequence {
        fileprivate let reader: PackedReader
        public let count: Int
        fileprivate let delta: Int

        public struct Iterator: IteratorProtocol {
            fileprivate var reader: PackedReader
            fileprivate var left: Int
            fileprivate let delta: Int

            public mutating func next() -> (range: Range<Int>, message: Text)? {
                guard left > 0 else { return nil }
                left -= 1
                let r = reader.range(delta)
                return (r, reader.text())
            }
        }

        public func makeIterator() -> Iterator { Iterator(reader: reader, left: count, delta: delta) }
    }

    /// The ranges of the related locations, in order, nothing else read.
    fileprivate func forEachRelatedRange(_ body: (Range<Int>) -> Void) {
        guard HeadByte.hasRelated(head.byte) else { return }
        bytes.withUnsafeBufferPointer { bytes in
            var reader = PackedReader(bytes: bytes, at: at)
            _ = reader.stringBytes()
            _ = reader.stringBytes()
            for _ in 0..<reader.varint() {
                body(reader.range(delta))
                _ = reader.stringBytes()
            }
        }
    }

    public func withFields<R>(_ body: (Fields) -> R) -> R {
        bytes.withUnsafeBufferPointer { bytes in
            var reader = PackedReader(bytes: bytes, at: at)
            let rule = reader.text(), message = reader.text()
            let count = HeadByte.hasRelated(head.byte) ? reader.varint() : 0
            return body(Fields(severity: severity, range: head.range, ruleID: rule, message: message,
                               related: Related(reader: reader, count: count, delta: delta),
                               applicability: HeadByte.applicability(head.byte)))
        }
    }
}

extension [PackedFinding] {
    /// The ranges of the findings' related locations, in order, nothing else read. Read in place:
    /// no finding is copied out of the array (a copy retains its bytes).
    public func forEachRelatedRange(_ body: (Range<Int>) -> Void) {
        withUnsafeBufferPointer { list in
            for k in list.indices { list[k].forEachRelatedRange(body) }
        }
    }
}

extension [Diagnostic] {
    /// The findings packed, each read where it lies (code actions publish a few this way).
    public var packedFindings: [PackedFinding] {
        var list: [PackedFinding] = []
        PackedDiagnostics(self).forEachFinding(shiftedBy: 0) { list.append($0) }
        return list
    }
}
