import Proofreading
import TextModel

/// Writes findings as text (`path:line:column: severity: message [rule-id]`) or as one JSON array.
/// Lines and columns are 1-based; columns count Unicode scalars. Every position of a file is
/// converted in one `positions(of:in:)` call, so 100,000 findings on one long line stay linear.
public final class FindingsWriter {
    public let format: OutputFormat
    let out: OutputBuffer
    private var wroteObject = false

    public init(format: OutputFormat, out: OutputBuffer) {
        self.format = format
        self.out = out
        if format == .json { out.write("[") }
    }

    /// Writes the findings of one file.
    public func write(path: String, document: TextDocument, diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        var offsets: [Int] = []
        offsets.reserveCapacity(diagnostics.count * 2)
        for d in diagnostics {
            offsets.append(d.range.lowerBound)
            offsets.append(d.range.upperBound)
            if format == .json {
                for e in d.fix?.edits ?? [] { offsets.append(e.range.lowerBound); offsets.append(e.range.upperBound) }
                for r in d.related { offsets.append(r.range.lowerBound); offsets.append(r.range.upperBound) }
            }
        }
        let positions = document.positions(of: offsets, in: .utf32)
        var next = 0
        func take() -> (line: Int, column: Int) {
            let p = positions[next]
            next += 1
            return (p.line + 1, p.column + 1)
        }
        switch format {
        case .text:
            for d in diagnostics {
                let start = take()
                _ = take()
                out.write("\(path):\(start.line):\(start.column): \(d.severity.rawValue): \(Self.oneLine(d.message)) [\(d.ruleID)]\n")
            }
        case .json:
            let jsonPath = Self.jsonString(path)
            for d in diagnostics {
                let start = take(), end = take()
                var s = wroteObject ? ",\n  {" : "\n  {"
                wroteObject = true
                s += "\"path\":\(jsonPath),\"rule\":\(Self.jsonString(d.ruleID)),\"severity\":\"\(d.severity.rawValue)\","
                s += "\"message\":\(Self.jsonString(d.message)),\"line\":\(start.line),\"column\":\(start.column),"
                s += "\"endLine\":\(end.line),\"endColumn\":\(end.column),\"fix\":"
                if let fix = d.fix {
                    s += "{\"applicability\":\"\(fix.applicability.rawValue)\",\"edits\":["
                    for (i, e) in fix.edits.enumerated() {
                        let a = take(), b = take()
                        s += (i > 0 ? "," : "") + "{\"line\":\(a.line),\"column\":\(a.column),\"endLine\":\(b.line),"
                            + "\"endColumn\":\(b.column),\"newText\":\(Self.jsonString(e.newText))}"
                    }
                    s += "]}"
                } else {
                    s += "null"
                }
                s += ",\"related\":["
                for (i, r) in d.related.enumerated() {
                    let a = take(), b = take()
                    s += (i > 0 ? "," : "") + "{\"line\":\(a.line),\"column\":\(a.column),\"endLine\":\(b.line),"
                        + "\"endColumn\":\(b.column),\"message\":\(Self.jsonString(r.message))}"
                }
                s += "]}"
                out.write(s)
            }
        }
    }

    /// Ends the output (closes the JSON array).
    public func finish() {
        if format == .json { out.write(wroteObject ? "\n]\n" : "]\n") }
    }

    /// Messages are one line in the text format (one finding per line is what editors parse).
    static func oneLine(_ s: String) -> String {
        s.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? s.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).joined(separator: " ") : s
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; the rest as UTF-8.
    static func jsonString(_ s: String) -> String {
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(s.utf8.count + 2)
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case 0..<0x20, 0x7F:
                bytes += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Counts for the summary line of `check`.
public struct FindingCounts: Equatable {
    public var errors = 0, warnings = 0, information = 0, hints = 0
    public var files = 0

    public var total: Int { errors + warnings + information + hints }

    public mutating func add(_ diagnostics: [Diagnostic]) {
        for d in diagnostics {
            switch d.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .information: information += 1
            case .hint: hints += 1
            }
        }
    }

    /// `N findings (E errors, W warnings, I information) in F files` (hints added when there are any).
    public var summary: String {
        var parts = [plural(errors, "error"), plural(warnings, "warning"), "\(information) information"]
        if hints > 0 { parts.append(plural(hints, "hint")) }
        return "\(plural(total, "finding")) (\(parts.joined(separator: ", "))) in \(plural(files, "file"))"
    }
}

/// "1 file", "2 files" (or the plural given: "2 fixes").
func plural(_ n: Int, _ word: String, _ pluralForm: String? = nil) -> String {
    "\(n) \(n == 1 ? word : pluralForm ?? word + "s")"
}
