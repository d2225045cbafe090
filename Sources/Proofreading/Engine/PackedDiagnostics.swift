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
        var size = 0
        for d in list { size += Self.packedSize(d) }
        guard size > 0 else { return }
        bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var writer = PackWriter(at: buffer.baseAddress!)
            for d in list { writer.finding(d) }
            precondition(writer.at == buffer.baseAddress! + size, "a finding packed to other than its size")
            initialized = size
        }
        count = list.count
        errors = list.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
    }

    /// The bytes `PackWriter.finding` writes for `d`.
    static func packedSize(_ d: Diagnostic) -> Int {
        var n = stringSize(d.ruleID) + 1 + rangeSize(d.range) + stringSize(d.message) + varintSize(d.related.count)
        for r in d.related { n += rangeSize(r.range) + stringSize(r.message) }
        n += 1
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

    private static func stringSize(_ s: String) -> Int { varintSize(s.utf8.count) + s.utf8.count }

    func unpack(shiftedBy delta: Int = 0) -> [Diagnostic] {
        var result: [Diagnostic] = []
        unpack(shiftedBy: delta, into: &result)
        return result
    }

    /// Appends the findings to `result` (no array of their own to copy from).
    func unpack(shiftedBy delta: Int = 0, into result: inout [Diagnostic]) {
        result.reserveCapacity(result.count + count)
        var reader = PackedReader(bytes: bytes)
        for _ in 0..<count { result.append(reader.diagnostic(delta)) }
    }

    /// Each finding where it lies, its severity and range read, the rest skipped (choosing the
    /// findings to publish reads no message).
    func forEachFinding(shiftedBy delta: Int, _ body: (PackedFinding) -> Void) {
        var reader = PackedReader(bytes: bytes)
        for _ in 0..<count {
            let at = reader.at
            reader.skipString()
            let severity = reader.severity()
            body(PackedFinding(bytes: bytes, at: at, delta: delta, severity: severity, range: reader.range(delta)))
            reader.skipRest()
        }
    }
}

/// Writes findings in the packed form, into room sized by `PackedDiagnostics.packedSize`.
private struct PackWriter {
    var at: UnsafeMutablePointer<UInt8>

    mutating func finding(_ d: Diagnostic) {
        string(d.ruleID)
        byte(UInt8(Severity.allCases.firstIndex(of: d.severity)!))
        range(d.range)
        string(d.message)
        varint(d.related.count)
        for r in d.related { range(r.range); string(r.message) }
        guard let fix = d.fix else { byte(0); return }
        byte(fix.applicability == .safe ? 1 : 2)
        string(fix.title)
        // Read in place: `edits` would build an array for a fix of one edit.
        varint(fix.editCount)
        fix.forEachEdit { range($0.range); string($0.newText) }
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

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(u.count)
            guard let source = u.baseAddress, u.count > 0 else { return }
            at.update(from: source, count: u.count)
            at += u.count
        }
    }
}

/// Reads the fields of packed findings in the order `PackedDiagnostics.append` writes them.
private struct PackedReader {
    let bytes: [UInt8]
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
    mutating func string() -> String {
        let n = varint()
        defer { at += n }
        return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }
    mutating func skipString() { at += varint() }

    /// Where the next string's bytes lie, passed over.
    mutating func stringBytes() -> Range<Int> {
        let n = varint()
        defer { at += n }
        return at..<(at + n)
    }

    mutating func severity() -> Severity { Severity.allCases[Int(byte())] }

    /// Past a finding's rule id, severity and range to its message: where the id's and the
    /// message's bytes lie.
    mutating func head(_ delta: Int) -> (rule: Range<Int>, message: Range<Int>) {
        let rule = stringBytes()
        _ = severity()
        _ = range(delta)
        return (rule, stringBytes())
    }

    mutating func diagnostic(_ delta: Int) -> Diagnostic {
        let rule = string()
        let severity = severity()
        let span = range(delta)
        let message = string()
        var related: [RelatedLocation] = []
        for _ in 0..<varint() {
            let r = range(delta)
            related.append(RelatedLocation(range: r, message: string()))
        }
        var fix: Fix? = nil
        let kind = byte()
        if kind != 0 {
            let title = string()
            var edits: [TextEdit] = []
            for _ in 0..<varint() {
                let r = range(delta)
                edits.append(TextEdit(range: r, newText: string()))
            }
            fix = Fix(title: title, edits: edits, applicability: kind == 1 ? .safe : .unsafe)
        }
        return Diagnostic(ruleID: rule, severity: severity, range: span, message: message, related: related, fix: fix)
    }

    /// Past the message, related locations and fix of a finding whose range was just read.
    mutating func skipRest() {
        skipString()
        for _ in 0..<varint() { _ = varint(); _ = varint(); skipString() }
        guard byte() != 0 else { return }
        skipString()
        for _ in 0..<varint() { _ = varint(); _ = varint(); skipString() }
    }
}

/// One packed finding, read where it lies: publishing reads its rule, message, related locations and
/// whether it has a fix without building their strings; `diagnostic` unpacks all of it.
public struct PackedFinding {
    fileprivate let bytes: [UInt8]
    fileprivate let at: Int
    fileprivate let delta: Int
    public let severity: Severity
    public let range: Range<Int>

    public var diagnostic: Diagnostic {
        var reader = PackedReader(bytes: bytes, at: at)
        return reader.diagnostic(delta)
    }

    public var ruleID: String {
        var reader = PackedReader(bytes: bytes, at: at)
        return reader.string()
    }

    /// What publishing reads, as UTF-8 bytes valid inside `body`.
    public struct Fields {
        public let ruleID: UnsafeBufferPointer<UInt8>
        public let message: UnsafeBufferPointer<UInt8>
        public let related: [(range: Range<Int>, message: UnsafeBufferPointer<UInt8>)]
        public let applicability: Applicability?
    }

    /// The ranges of the related locations, in order, nothing else read.
    public func forEachRelatedRange(_ body: (Range<Int>) -> Void) {
        var reader = PackedReader(bytes: bytes, at: at)
        _ = reader.head(delta)
        for _ in 0..<reader.varint() {
            body(reader.range(delta))
            reader.skipString()
        }
    }

    public func withFields<R>(_ body: (Fields) -> R) -> R {
        var reader = PackedReader(bytes: bytes, at: at)
        let (rule, message) = reader.head(delta)
        var related: [(range: Range<Int>, message: Range<Int>)] = []
        for _ in 0..<reader.varint() {
            let r = reader.range(delta)
            related.append((r, reader.stringBytes()))
        }
        let kind = reader.byte()
        return bytes.withUnsafeBufferPointer { b in
            body(Fields(ruleID: UnsafeBufferPointer(rebasing: b[rule]), message: UnsafeBufferPointer(rebasing: b[message]),
                        related: related.map { ($0.range, UnsafeBufferPointer(rebasing: b[$0.message])) },
                        applicability: kind == 0 ? nil : kind == 1 ? .safe : .unsafe))
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
