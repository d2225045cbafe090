import Foundation
import Proofreading
import TextModel

/// Writes findings as text (`path:line:column: severity: message [rule-id]`), one JSON array, one
/// SARIF 2.1.0 log, or GitHub Actions workflow commands (annotations).
/// Lines and columns are 1-based; columns count Unicode scalars. Every position of a file is
/// converted in one `positions(of:in:)` call, so 100,000 findings on one long line stay linear.
public final class FindingsWriter {
    public let format: OutputFormat
    let out: OutputBuffer
    private var wroteObject = false

    public init(format: OutputFormat, out: OutputBuffer) {
        self.format = format
        self.out = out
        switch format {
        case .json: out.write("[")
        case .sarif: out.write(Self.sarifHeader())
        case .text, .github: break
        }
    }

    /// Writes the findings of one file. A file with many findings is formatted in chunks on all
    /// cores (a 20 MB file has some 270,000); the chunks are written in order.
    public func write(path: String, document: TextDocument, diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let chunk = Self.chunkSize
        let chunks = (diagnostics.count + chunk - 1) / chunk
        let first = !wroteObject
        wroteObject = true
        let format = self.format
        if chunks == 1 {
            out.write(bytes: Self.format(diagnostics[...], format: format, path: path, document: document, first: first))
            return
        }
        // A round of chunks at a time: the formatted text of a whole big file is not held at once.
        var done = 0
        while done < chunks {
            let base = done
            let parts = Parallel.map(min(Parallel.pieces, chunks - done)) { j in
                let c = base + j
                let slice = diagnostics[(c * chunk)..<min(diagnostics.count, (c + 1) * chunk)]
                return Self.format(slice, format: format, path: path, document: document, first: first && c == 0)
            }
            for part in parts { out.write(bytes: part) }
            done += parts.count
        }
    }

    /// Findings formatted elsewhere by `format(_:format:path:document:first: false)`, in order: the
    /// first to open the JSON array or the SARIF results loses its comma.
    public func write(formatted bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if !wroteObject && (format == .json || format == .sarif) { out.write(bytes: bytes[1...]) } else { out.write(bytes: bytes) }
        wroteObject = true
    }

    /// Findings per chunk of parallel formatting.
    static let chunkSize = 4096

    /// The findings as `format` prints them. `first`: they open the JSON array or the SARIF results
    /// (no comma before the first).
    static func format(_ diagnostics: ArraySlice<Diagnostic>, format: OutputFormat, path: String, document: TextDocument,
                       first: Bool) -> [UInt8] {
        // Read in place: a copy of a finding retains and releases its strings and arrays.
        let offsets = diagnostics.withUnsafeBufferPointer { ds -> [Int] in
            // The text format shows the start only: one offset per finding, written where it goes.
            if format == .text {
                return [Int](unsafeUninitializedCapacity: ds.count) { out, initialized in
                    for k in ds.indices { out[k] = ds[k].range.lowerBound }
                    initialized = ds.count
                }
            }
            var offsets: [Int] = []
            offsets.reserveCapacity(2 * ds.count)
            for k in ds.indices {
                offsets.append(ds[k].range.lowerBound)
                offsets.append(ds[k].range.upperBound)
                if format == .json || format == .sarif {
                    // An edit of the finding's own range (most are) takes the finding's positions in JSON.
                    ds[k].fix?.forEachEdit { e in
                        if format == .sarif || e.range != ds[k].range {
                            offsets.append(e.range.lowerBound)
                            offsets.append(e.range.upperBound)
                        }
                    }
                    for r in ds[k].related { offsets.append(r.range.lowerBound); offsets.append(r.range.upperBound) }
                }
            }
            return offsets
        }
        let positions = document.positions(of: offsets, in: .utf32)
        switch format {
        case .text:
            return textLines(diagnostics, path: path, positions: positions)
        case .json:
            return jsonObjects(diagnostics, path: path, positions: positions, first: first)
        case .github:
            return githubLines(diagnostics, path: path, positions: positions)
        case .sarif:
            return sarifResults(diagnostics, path: path, document: document, positions: positions, first: first)
        }
    }

    /// `path:line:column: severity: message [rule-id]` lines, written through a pointer into an
    /// array of their total size (a big file gives hundreds of thousands of lines; `Array.append`
    /// checks uniqueness and capacity on every call). The findings are read in place, not copied.
    static func textLines(_ diagnostics: ArraySlice<Diagnostic>, path: String, positions: [LineColumn]) -> [UInt8] {
        var path = path
        return path.withUTF8 { pathBytes in
            diagnostics.withUnsafeBufferPointer { ds in
                // Per line: two numbers of at most 19 digits, the longest severity and the separators.
                let fixed = pathBytes.count + 2 * 19 + Self.severityField(.information).utf8CodeUnitCount + 6
                var size = 0
                for k in ds.indices { size += fixed + ds[k].message.utf8.count + ds[k].ruleID.utf8.count }
                return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                    var out = ByteWriter(buffer)
                    // Runs of findings of one rule: ` [rule-id]\n` is copied from the line before.
                    var rule = (id: "", written: 0..<0)
                    // Runs with one message too (rules share their messages' strings): the line's end, from
                    // the severity on. The message and rule id are known by their strings' bits, read in
                    // place: equal bits are the same string, and comparing them retains nothing.
                    var tail = (bits: StringBits.none, severity: Severity.hint, written: 0..<0)
                    let offsets = StringBits.offsets
                    for k in ds.indices {
                        let p = positions[k]
                        out.append(pathBytes)
                        out.append(0x3A)
                        out.appendDecimal(p.line + 1)
                        out.append(0x3A)
                        out.appendDecimal(p.column + 1)
                        let bits = StringBits(ds.baseAddress! + k, offsets)
                        if bits == tail.bits && ds[k].severity == tail.severity {
                            out.appendAgain(tail.written)
                            continue
                        }
                        ByteWriter.withUTF8(ds[k].message) { message in
                            let at = out.count
                            out.append(Self.severityField(ds[k].severity))
                            let start = out.count
                            out.append(message)
                            // The one-line form is never longer: a run of line breaks becomes one space.
                            if out.containsLineBreak(from: start) {
                                out.rewind(to: start)
                                out.append(Self.oneLine(ds[k].message))
                            }
                            if ds[k].ruleID == rule.id {
                                out.appendAgain(rule.written)
                            } else {
                                let at = out.count
                                out.append(" [")
                                out.append(ds[k].ruleID)
                                out.append("]\n")
                                rule = (ds[k].ruleID, at..<out.count)
                            }
                            tail = (bits, ds[k].severity, at..<out.count)
                        }
                    }
                    initialized = out.count
                }
            }
        }
    }

    /// `: severity: ` of the text format, one copy per line.
    static func severityField(_ severity: Severity) -> StaticString {
        switch severity {
        case .error: ": error: "
        case .warning: ": warning: "
        case .information: ": information: "
        case .hint: ": hint: "
        }
    }

    /// The severity's raw value, without making a String.
    static func name(of severity: Severity) -> StaticString {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .information: "information"
        case .hint: "hint"
        }
    }

    /// The findings as JSON objects (`first`: no comma before the first), written through a pointer
    /// like `textLines`; `positions` holds, per finding, its start and end, then the start and end
    /// of each fix edit and each related location.
    static func jsonObjects(_ diagnostics: ArraySlice<Diagnostic>, path: String, positions: [LineColumn], first: Bool) -> [UInt8] {
        let jsonPath = Array(jsonString(path).utf8)
        return jsonPath.withUnsafeBufferPointer { pathBytes in
            diagnostics.withUnsafeBufferPointer { ds in
                // Room: strings escaped at most sixfold (\u00XX), numbers of at most 19 digits, the keys.
                var size = 0
                for k in ds.indices {
                    size += 300 + pathBytes.count + 6 * (ds[k].ruleID.utf8.count + ds[k].message.utf8.count)
                    ds[k].fix?.forEachEdit { e in size += 160 + 6 * e.newText.utf8.count }
                    for r in ds[k].related { size += 160 + 6 * r.message.utf8.count }
                }
                return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                    var out = ByteWriter(buffer)
                    var next = 0
                    func nextRange() -> (LineColumn, LineColumn) {
                        next += 2
                        return (positions[next - 2], positions[next - 1])
                    }
                    // `"line":…,"column":…,"endLine":…,"endColumn":…`
                    func range(_ r: (LineColumn, LineColumn)) {
                        out.appendSpan(r.0, r.1, "\"line\":", ",\"column\":", ",\"endLine\":", ",\"endColumn\":")
                    }
                    // `{"line":…,"endColumn":…,"newText":"…"}` of an edit, the same with "message" of a related location.
                    func located(_ i: Int, _ r: (LineColumn, LineColumn), _ key: StaticString, _ text: String) {
                        out.append(i > 0 ? ",{" as StaticString : "{")
                        range(r)
                        out.append(key)
                        out.appendJSONString(text)
                        out.append("}")
                    }
                    for k in ds.indices {
                        out.append(!first || k > 0 ? ",\n  {\"path\":" as StaticString : "\n  {\"path\":")
                        out.append(pathBytes)
                        out.append(",\"rule\":")
                        out.appendJSONString(ds[k].ruleID)
                        out.append(",\"severity\":\"")
                        out.append(Self.name(of: ds[k].severity))
                        out.append("\",\"message\":")
                        out.appendJSONString(ds[k].message)
                        out.append(",")
                        let span = nextRange()
                        range(span)
                        out.append(",\"fix\":")
                        if let fix = ds[k].fix {
                            out.append("{\"applicability\":\"")
                            out.append(fix.applicability.rawValue)
                            out.append("\",\"edits\":[")
                            var i = 0
                            fix.forEachEdit { e in
                                located(i, e.range == ds[k].range ? span : nextRange(), ",\"newText\":", e.newText)
                                i += 1
                            }
                            out.append("]}")
                        } else {
                            out.append("null")
                        }
                        out.append(",\"related\":[")
                        for (i, r) in ds[k].related.enumerated() { located(i, nextRange(), ",\"message\":", r.message) }
                        out.append("]}")
                    }
                    initialized = out.count
                }
            }
        }
    }

    /// GitHub workflow commands (`::warning file=…,line=…::message`), one a finding, written through
    /// a pointer like `textLines` (interpolated strings took five times the whole check).
    static func githubLines(_ diagnostics: ArraySlice<Diagnostic>, path: String, positions: [LineColumn]) -> [UInt8] {
        diagnostics.withUnsafeBufferPointer { ds in
            var file = path
            return file.withUTF8 { file in
                // Room: every byte of the path, the rule id and the message escaped threefold (%XX),
                // four numbers of at most 19 digits, the keys.
                var size = 0
                for k in ds.indices { size += 160 + 3 * (file.count + ds[k].ruleID.utf8.count + ds[k].message.utf8.count) }
                return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                    var out = ByteWriter(buffer)
                    for k in ds.indices {
                        switch ds[k].severity {
                        case .error: out.append("::error file=")
                        case .warning: out.append("::warning file=")
                        case .information, .hint: out.append("::notice file=")
                        }
                        Self.appendGitHub(file, property: true, to: &out)
                        out.appendSpan(positions[2 * k], positions[2 * k + 1], ",line=", ",col=", ",endLine=", ",endColumn=")
                        out.append(",title=")
                        ByteWriter.withUTF8(ds[k].ruleID) { Self.appendGitHub($0, property: true, to: &out) }
                        out.append("::")
                        ByteWriter.withUTF8(ds[k].message) { Self.appendGitHub($0, property: false, to: &out) }
                        out.append(UInt8(ascii: "\n"))
                    }
                    initialized = out.count
                }
            }
        }
    }

    /// Workflow command data escaped as GitHub documents: `%`, CR and LF; in a property value
    /// (`property`) also `:` and `,` (all ASCII, so byte by byte).
    static func appendGitHub(_ bytes: UnsafeBufferPointer<UInt8>, property: Bool, to out: inout ByteWriter) {
        for b in bytes {
            switch b {
            case UInt8(ascii: "%"): out.append("%25")
            case 0x0D: out.append("%0D")
            case 0x0A: out.append("%0A")
            case UInt8(ascii: ":") where property: out.append("%3A")
            case UInt8(ascii: ",") where property: out.append("%2C")
            default: out.append(b)
            }
        }
    }

    /// The findings as SARIF results (`first`: no comma before the first), written through a pointer
    /// like `jsonObjects` (interpolated strings took ten times the whole check); `positions` as there,
    /// but with every fix edit's.
    static func sarifResults(_ diagnostics: ArraySlice<Diagnostic>, path: String, document: TextDocument,
                             positions: [LineColumn], first: Bool) -> [UInt8] {
        let uri = Array(jsonString(uriReference(path)).utf8)
        return uri.withUnsafeBufferPointer { uri in
            diagnostics.withUnsafeBufferPointer { ds in
                // Room: strings escaped at most sixfold (\u00XX), numbers of at most 19 digits, the keys.
                var size = 0
                for k in ds.indices {
                    size += 700 + 2 * uri.count + 6 * (ds[k].ruleID.utf8.count + ds[k].message.utf8.count)
                    if let fix = ds[k].fix {
                        size += 6 * fix.title.utf8.count
                        fix.forEachEdit { e in size += 160 + 6 * e.newText.utf8.count }
                    }
                    for r in ds[k].related { size += 300 + uri.count + 6 * r.message.utf8.count }
                }
                return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                    var out = ByteWriter(buffer)
                    var next = 0
                    // `{"startLine":…,"startColumn":…,"endLine":…,"endColumn":…}` of the next range.
                    func region() {
                        out.appendSpan(positions[next], positions[next + 1],
                                       "{\"startLine\":", ",\"startColumn\":", ",\"endLine\":", ",\"endColumn\":")
                        next += 2
                        out.append("}")
                    }
                    func location() {
                        out.append("\"physicalLocation\":{\"artifactLocation\":{\"uri\":")
                        out.append(uri)
                        out.append("},\"region\":")
                        region()
                        out.append("}")
                    }
                    // The rule's index in the tool's rules, looked up once per run of one rule.
                    var rule = (id: "", index: Int?.none)
                    for k in ds.indices {
                        out.append(!first || k > 0 ? ",\n        {\"ruleId\":" as StaticString : "\n        {\"ruleId\":")
                        out.appendJSONString(ds[k].ruleID)
                        out.append(",")
                        if ds[k].ruleID != rule.id { rule = (ds[k].ruleID, RuleRegistry.ids.firstIndex(of: ds[k].ruleID)) }
                        if let index = rule.index {
                            out.append("\"ruleIndex\":")
                            out.appendDecimal(index)
                            out.append(",")
                        }
                        out.append("\"level\":\"")
                        out.append(Self.sarifLevel(ds[k].severity))
                        out.append("\",\"message\":{\"text\":")
                        out.appendJSONString(ds[k].message)
                        out.append("},\"locations\":[{")
                        location()
                        out.append("}],\"partialFingerprints\":{\"galleyFingerprint/v1\":\"")
                        let (low, high) = Fingerprint.hashes(ds[k], in: document)
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { hex in
                            Fingerprint.writeHex(low, to: hex.baseAddress!)
                            Fingerprint.writeHex(high, to: hex.baseAddress! + 16)
                            out.append(UnsafeBufferPointer(hex))
                        }
                        out.append("\"}")
                        if let fix = ds[k].fix {
                            // `title (applicability)`: the title's string without its closing quote, then the rest
                            // (which needs no escaping).
                            out.append(",\"fixes\":[{\"description\":{\"text\":")
                            out.appendJSONString(fix.title)
                            out.rewind(to: out.count - 1)
                            out.append(" (")
                            out.append(fix.applicability.rawValue)
                            out.append(")\"},\"artifactChanges\":[{\"artifactLocation\":{\"uri\":")
                            out.append(uri)
                            out.append("},\"replacements\":[")
                            var i = 0
                            fix.forEachEdit { e in
                                out.append(i > 0 ? ",{\"deletedRegion\":" as StaticString : "{\"deletedRegion\":")
                                region()
                                out.append(",\"insertedContent\":{\"text\":")
                                out.appendJSONString(e.newText)
                                out.append("}}")
                                i += 1
                            }
                            out.append("]}],\"properties\":{\"applicability\":\"")
                            out.append(fix.applicability.rawValue)
                            out.append("\"}}]")
                        }
                        if !ds[k].related.isEmpty {
                            out.append(",\"relatedLocations\":[")
                            for (i, r) in ds[k].related.enumerated() {
                                out.append(i > 0 ? ",{\"id\":" as StaticString : "{\"id\":")
                                out.appendDecimal(i + 1)
                                out.append(",")
                                location()
                                out.append(",\"message\":{\"text\":")
                                out.appendJSONString(r.message)
                                out.append("}}")
                            }
                            out.append("]")
                        }
                        out.append("}")
                    }
                    initialized = out.count
                }
            }
        }
    }

    /// Ends the output (closes the JSON array or the SARIF log).
    public func finish() {
        switch format {
        case .json: out.write(wroteObject ? "\n]\n" : "]\n")
        case .sarif: out.write(wroteObject ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n")
        case .text, .github: break
        }
    }

    /// The project has no public home yet: a URN (a valid URI that points nowhere). Change it here.
    static let informationURI = "urn:galley:proofreading-assistant"

    static func sarifLevel(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .information, .hint: return "note"
        }
    }

    /// The log up to the opening of `results`: one run, the tool with every registered rule.
    /// Columns count Unicode scalars, which SARIF calls `unicodeCodePoints`.
    static func sarifHeader() -> String {
        var rules: [String] = []
        for type in RuleRegistry.all {
            let r = type.description
            rules.append("{\"id\":\(jsonString(r.id)),\"name\":\(jsonString(r.id)),"
                         + "\"shortDescription\":{\"text\":\(jsonString(r.summary))},"
                         + "\"fullDescription\":{\"text\":\(jsonString(r.explanation))},"
                         + "\"defaultConfiguration\":{\"level\":\"\(sarifLevel(r.defaultSeverity))\"},"
                         + "\"properties\":{\"family\":\(jsonString(r.family.rawValue))}}")
        }
        return """
        {
          "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
          "version": "2.1.0",
          "runs": [
            {
              "tool": {"driver": {"name": "galley", "version": "\(HelpText.version)", "semanticVersion": "\(HelpText.version)",
                "informationUri": "\(informationURI)",
                "rules": [
                  \(rules.joined(separator: ",\n          "))
                ]}},
              "columnKind": "unicodeCodePoints",
              "results": [
        """
    }

    /// A display path as a URI reference: `/` kept, everything outside the unreserved set
    /// percent-encoded as UTF-8 (so Chinese file names and spaces are valid); absolute paths become
    /// `file://` URIs.
    static func uriReference(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                bytes.append(b)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        let encoded = String(decoding: bytes, as: UTF8.self)
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    /// Messages are one line in the text format (one finding per line is what editors parse).
    static func oneLine(_ s: String) -> String {
        s.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? s.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).joined(separator: " ") : s
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; the rest as UTF-8.
    static func jsonString(_ s: String) -> String {
        let bytes = [UInt8](unsafeUninitializedCapacity: 6 * s.utf8.count + 2) { buffer, initialized in
            var out = ByteWriter(buffer)
            out.appendJSONString(s)
            initialized = out.count
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ByteWriter {
    /// A range's start and end, one-based, each number after its key (`"line":`, `,col=`).
    mutating func appendSpan(_ start: LineColumn, _ end: LineColumn,
                             _ line: StaticString, _ column: StaticString, _ endLine: StaticString, _ endColumn: StaticString) {
        append(line)
        appendDecimal(start.line + 1)
        append(column)
        appendDecimal(start.column + 1)
        append(endLine)
        appendDecimal(end.line + 1)
        append(endColumn)
        appendDecimal(end.column + 1)
    }
}

/// A finding's message and rule id as their strings' bits, read in place (a copy of a string
/// retains its storage, an atomic operation on a count the checking threads share).
private struct StringBits: Equatable {
    var message: (UInt64, UInt64), ruleID: (UInt64, UInt64)

    /// No string has these bits.
    static let none = StringBits(message: (0, 0), ruleID: (0, 0))
    /// Where a finding keeps the two strings (read once per call of `textLines`: a static is a
    /// once-check per read).
    static let offsets = (message: MemoryLayout<Diagnostic>.offset(of: \Diagnostic.message)!,
                          ruleID: MemoryLayout<Diagnostic>.offset(of: \Diagnostic.ruleID)!)

    private init(message: (UInt64, UInt64), ruleID: (UInt64, UInt64)) { self.message = message; self.ruleID = ruleID }

    init(_ finding: UnsafePointer<Diagnostic>, _ offsets: (message: Int, ruleID: Int)) {
        let raw = UnsafeRawPointer(finding)
        message = raw.loadUnaligned(fromByteOffset: offsets.message, as: (UInt64, UInt64).self)
        ruleID = raw.loadUnaligned(fromByteOffset: offsets.ruleID, as: (UInt64, UInt64).self)
    }

    static func == (a: StringBits, b: StringBits) -> Bool { a.message == b.message && a.ruleID == b.ruleID }
}

/// Counts for the summary line of `check`.
public struct FindingCounts: Equatable {
    public var errors = 0, warnings = 0, information = 0, hints = 0
    public var files = 0

    public var total: Int { errors + warnings + information + hints }

    public mutating func add(_ other: FindingCounts) {
        errors += other.errors
        warnings += other.warnings
        information += other.information
        hints += other.hints
        files += other.files
    }

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
