import Foundation
import Proofreading
import TextModel

/// Fingerprints of findings that do not depend on line numbers: the rule id, the text of the
/// finding's range and up to `contextScalars` characters on each side within the same block
/// (blank lines end the context), all with white space removed. Moving a paragraph, re-wrapping
/// it or adding text elsewhere keeps the fingerprint; editing the words next to the finding changes it.
public enum Fingerprint {
    static let contextScalars = 16

    /// Two FNV-1a hashes (different seeds) of: the rule id, 0, the context before the finding (in
    /// text order), 1, the finding's text, 1, the context after; white space left out of all but the
    /// rule id. Read off the bytes where they lie: SARIF gives every finding a fingerprint, and
    /// building strings and arrays of scalars for each took ten times the time of the whole check.
    public static func of(_ d: Diagnostic, in document: TextDocument) -> String {
        let (low, high) = hashes(d, in: document)
        return hex(low) + hex(high)
    }

    /// The two hashes that `of` writes in hex.
    static func hashes(_ d: Diagnostic, in document: TextDocument) -> (UInt64, UInt64) {
        let range = document.clampToScalars(d.range.clamped(to: 0..<document.bytes.count))
        var hash = (low: FNV1a(seed: 0xcbf2_9ce4_8422_2325), high: FNV1a(seed: 0x8422_2325_cbf2_9ce4))
        func add(_ byte: UInt8) {
            hash.low.add(byte)
            hash.high.add(byte)
        }
        var ruleID = d.ruleID
        ruleID.withUTF8 { for byte in $0 { add(byte) } }
        add(0)
        document.bytes.withUnsafeBufferPointer { b in
            // A scalar as its bytes, which are its UTF-8 in a valid text; U+FFFD's for a broken sequence.
            func addScalar(_ s: Unicode.Scalar, at o: Int, length: Int) {
                if s == "\u{FFFD}" { add(0xEF); add(0xBF); add(0xBD) } else { for i in o..<(o + length) { add(b[i]) } }
            }
            // The context before, nearest first, is hashed in text order.
            withUnsafeTemporaryAllocation(of: ContextScalar.self, capacity: contextScalars) { before in
                var n = 0
                forEachContextScalar(b, from: range.lowerBound, forward: false) { before[n] = $0; n += 1 }
                for k in stride(from: n - 1, through: 0, by: -1) { addScalar(before[k].scalar, at: before[k].start, length: before[k].length) }
            }
            add(1)
            var o = range.lowerBound
            while o < range.upperBound {
                let (s, length) = UTF8Scalar.decode(b, at: o)
                if !isSpace(s) { addScalar(s, at: o, length: length) }
                o += length
            }
            add(1)
            forEachContextScalar(b, from: range.upperBound, forward: true) { addScalar($0.scalar, at: $0.start, length: $0.length) }
        }
        return (hash.low.value, hash.high.value)
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\n" || s == "\r" || Scalars.isInlineSpace(s) }

    /// A scalar of the context, where its bytes start and how many there are.
    typealias ContextScalar = (scalar: Unicode.Scalar, start: Int, length: Int)

    /// Calls `body` with up to `contextScalars` scalars that are not white space, from `offset` on
    /// (`forward`) or back from it (nearest first), stopping at a blank line.
    static func forEachContextScalar(_ b: UnsafeBufferPointer<UInt8>, from offset: Int, forward: Bool,
                                     _ body: (ContextScalar) -> Void) {
        var n = 0, o = offset, newlines = 0
        while (forward ? o < b.count : o > 0) && n < contextScalars {
            var next = forward ? o + 1 : o - 1
            while next > 0 && next < b.count && UTF8Scalar.isContinuation(b[next]) { next += forward ? 1 : -1 }
            let start = forward ? o : next, end = forward ? next : o
            let s = UTF8Scalar.decode(UnsafeBufferPointer(rebasing: b[..<end]), at: start).scalar
            o = next
            if s == "\n" { newlines += 1; if newlines >= 2 { break }; continue }
            if isSpace(s) { continue }
            newlines = 0
            body((s, start, end - start))
            n += 1
        }
    }

    struct FNV1a {
        private(set) var value: UInt64
        init(seed: UInt64) { value = seed }
        mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }

    /// Sixteen lowercase hex digits.
    static func hex(_ v: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            writeHex(v, to: out.baseAddress!)
            return 16
        }
    }

    /// `v` as sixteen lowercase hex digits at `out`.
    static func writeHex(_ v: UInt64, to out: UnsafeMutablePointer<UInt8>) {
        for k in 0..<16 {
            let d = UInt8(truncatingIfNeeded: v >> UInt64(60 - 4 * k)) & 15
            out[k] = d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "a") + d - 10
        }
    }
}

/// A baseline file: the findings accepted when it was written. `--baseline` drops findings that
/// match an entry (path, rule, fingerprint); each entry absorbs one finding, so a defect copied
/// once more counts as new.
public struct Baseline: Equatable {
    public struct Entry: Hashable, Codable {
        public var path: String
        public var rule: String
        public var fingerprint: String
    }

    public static let version = 1
    public var entries: [Entry] = []

    private struct File: Codable {
        var version: Int
        var findings: [Entry]
    }

    public init(entries: [Entry] = []) { self.entries = entries }

    public static func load(_ absolutePath: String) throws -> Baseline {
        let data = try Data(contentsOf: URL(fileURLWithPath: absolutePath))
        let file = try JSONDecoder().decode(File.self, from: data)
        guard file.version == version else { throw BaselineError("unsupported baseline version \(file.version) (expected \(version))") }
        return Baseline(entries: file.findings)
    }

    /// Sorted, so rewriting an unchanged baseline gives the same bytes (a quiet diff in review).
    public func encoded() -> [UInt8] {
        let sorted = entries.sorted { ($0.path, $0.rule, $0.fingerprint) < ($1.path, $1.rule, $1.fingerprint) }
        var s = "{\n  \"version\": \(Self.version),\n  \"findings\": ["
        for (i, e) in sorted.enumerated() {
            s += (i > 0 ? "," : "") + "\n    {\"path\": \(FindingsWriter.jsonString(e.path)), \"rule\": \(FindingsWriter.jsonString(e.rule)), "
                + "\"fingerprint\": \(FindingsWriter.jsonString(e.fingerprint))}"
        }
        s += sorted.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(s.utf8)
    }

    /// Remaining counts per entry, consumed by `absorbs`.
    public func counter() -> [Entry: Int] {
        var c: [Entry: Int] = [:]
        for e in entries { c[e, default: 0] += 1 }
        return c
    }
}

struct BaselineError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The path a baseline records for a file: relative to the baseline's folder when inside it (so
/// the baseline works from any checkout), otherwise absolute.
func baselinePath(_ absolutePath: String, baselineFolder: String) -> String {
    Paths.relative(absolutePath, to: baselineFolder) ?? absolutePath
}
