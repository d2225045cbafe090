import Foundation
import Proofreading
import TextModel

/// Fingerprints of findings that do not depend on line numbers: the rule id, the text of the
/// finding's range and up to `contextScalars` characters on each side within the same block
/// (blank lines end the context), all with white space removed. Moving a paragraph, re-wrapping
/// it or adding text elsewhere keeps the fingerprint; editing the words next to the finding changes it.
public enum Fingerprint {
    static let contextScalars = 16

    public static func of(_ d: Diagnostic, in document: TextDocument) -> String {
        let bytes = document.bytes
        let range = document.clampToScalars(d.range.clamped(to: 0..<bytes.count))
        var key: [UInt8] = Array(d.ruleID.utf8) + [0]
        key += context(bytes, before: range.lowerBound).reversed().flatMap { Array(String($0).utf8) }
        key.append(1)
        key += significant(Array(bytes[range]))
        key.append(1)
        key += context(bytes, after: range.upperBound).flatMap { Array(String($0).utf8) }
        return hex(fnv1a(key, seed: 0xcbf2_9ce4_8422_2325)) + hex(fnv1a(key, seed: 0x8422_2325_cbf2_9ce4))
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\n" || s == "\r" || Scalars.isInlineSpace(s) }

    static func significant(_ bytes: [UInt8]) -> [UInt8] {
        let s = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { !isSpace($0) }
        return Array(String(String.UnicodeScalarView(s)).utf8)
    }

    /// Scalars before `offset`, nearest first, stopping at a blank line.
    static func context(_ bytes: TextBytes, before offset: Int) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        var o = offset
        var newlines = 0
        while o > 0 && result.count < contextScalars {
            var start = o - 1
            while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
            let s = String(decoding: bytes[start..<o], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
            o = start
            if s == "\n" { newlines += 1; if newlines >= 2 { break }; continue }
            if isSpace(s) { continue }
            newlines = 0
            result.append(s)
        }
        return result
    }

    /// Scalars after `offset`, stopping at a blank line.
    static func context(_ bytes: TextBytes, after offset: Int) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        var o = offset
        var newlines = 0
        while o < bytes.count && result.count < contextScalars {
            var end = o + 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            let s = String(decoding: bytes[o..<end], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
            o = end
            if s == "\n" { newlines += 1; if newlines >= 2 { break }; continue }
            if isSpace(s) { continue }
            newlines = 0
            result.append(s)
        }
        return result
    }

    static func fnv1a(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        var h = seed
        for b in bytes { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
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
