import Foundation
import XCTest
import Proofreading
import TextModel
@testable import GalleyCLI

final class OutputFormatTests: XCTestCase {
    /// `𠮷` is one scalar but 4 UTF-8 bytes and 2 UTF-16 units: columns must count it as one.
    let text = "𠮷记者在\n现场𠮷看到。\n"

    func write(_ format: OutputFormat, _ diagnostics: [Diagnostic], path: String = "a.txt") -> String {
        var bytes: [UInt8] = []
        let out = OutputBuffer(limit: 8) { bytes += $0 }
        let writer = FindingsWriter(format: format, out: out)
        writer.write(path: path, document: TextDocument(text), diagnostics: diagnostics)
        writer.finish()
        out.flush()
        return String(decoding: bytes, as: UTF8.self)
    }

    func offset(of needle: String) -> Int {
        let range = text.range(of: needle)!
        return text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
    }

    func testTextColumnsCountScalars() {
        let zai = offset(of: "在")
        let d = Diagnostic(ruleID: "broken-wrap", severity: .warning, range: zai..<(zai + 3), message: "Line break")
        let kan = offset(of: "看")
        let e = Diagnostic(ruleID: "demo", severity: .error, range: kan..<(kan + 3), message: "two\nlines")
        XCTAssertEqual(write(.text, [d, e]), """
            a.txt:1:4: warning: Line break [broken-wrap]
            a.txt:2:4: error: two lines [demo]

            """)
    }

    /// Findings sharing a message string, as a rule's do, in runs where the severity, the rule or the
    /// message changes: every line is written whole (a line's end is copied only when all three match).
    func testTextRunsOfOneMessage() {
        let shared = "Line break inside a sentence: the line is full"
        let broken = "Line break\ninside a sentence: cut"
        let messages = [(shared, Severity.warning, "a"), (shared, .warning, "a"), (shared, .error, "a"), (shared, .error, "b"),
                        (broken, .error, "b"), (broken, .error, "b"), ("short", .error, "b"), ("short", .error, "b"), (shared, .error, "b")]
        let diagnostics = messages.map { Diagnostic(ruleID: $0.2, severity: $0.1, range: 0..<4, message: $0.0) }
        XCTAssertEqual(write(.text, diagnostics), """
            a.txt:1:1: warning: Line break inside a sentence: the line is full [a]
            a.txt:1:1: warning: Line break inside a sentence: the line is full [a]
            a.txt:1:1: error: Line break inside a sentence: the line is full [a]
            a.txt:1:1: error: Line break inside a sentence: the line is full [b]
            a.txt:1:1: error: Line break inside a sentence: cut [b]
            a.txt:1:1: error: Line break inside a sentence: cut [b]
            a.txt:1:1: error: short [b]
            a.txt:1:1: error: short [b]
            a.txt:1:1: error: Line break inside a sentence: the line is full [b]

            """)
    }

    func testJSONFieldsFixAndRelated() throws {
        let zai = offset(of: "在")
        let newline = zai + 3
        let kan = offset(of: "看")
        let d = Diagnostic(ruleID: "broken-wrap", severity: .information, range: newline..<(newline + 1), message: "Join \"here\"",
                           related: [RelatedLocation(range: kan..<(kan + 3), message: "see")],
                           fix: Fix(title: "join", edits: [TextEdit(range: newline..<(newline + 1), newText: ""),
                                                                  TextEdit(range: kan..<(kan + 3), newText: "見")], applicability: .unsafe))
        let plain = Diagnostic(ruleID: "x", severity: .hint, range: 0..<4, message: "m")
        let json = write(.json, [d, plain], path: "dir/𠮷.txt")
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 2)
        let first = array[0]
        XCTAssertEqual(first["path"] as? String, "dir/𠮷.txt")
        XCTAssertEqual(first["rule"] as? String, "broken-wrap")
        XCTAssertEqual(first["severity"] as? String, "information")
        XCTAssertEqual(first["message"] as? String, "Join \"here\"")
        XCTAssertEqual([first["line"], first["column"], first["endLine"], first["endColumn"]].map { $0 as? Int }, [1, 5, 2, 1])
        let fix = try XCTUnwrap(first["fix"] as? [String: Any])
        XCTAssertEqual(fix["applicability"] as? String, "unsafe")
        let edit = try XCTUnwrap((fix["edits"] as? [[String: Any]])?.first)
        XCTAssertEqual([edit["line"], edit["column"], edit["endLine"], edit["endColumn"]].map { $0 as? Int }, [1, 5, 2, 1])
        XCTAssertEqual(edit["newText"] as? String, "")
        // An edit of another range than the finding's has its own positions.
        let other = try XCTUnwrap((fix["edits"] as? [[String: Any]])?.last)
        XCTAssertEqual([other["line"], other["column"], other["endLine"], other["endColumn"]].map { $0 as? Int }, [2, 4, 2, 5])
        XCTAssertEqual(other["newText"] as? String, "見")
        let related = try XCTUnwrap((first["related"] as? [[String: Any]])?.first)
        XCTAssertEqual([related["line"], related["column"], related["endLine"], related["endColumn"]].map { $0 as? Int }, [2, 4, 2, 5])
        XCTAssertTrue(array[1]["fix"] is NSNull)
        XCTAssertEqual([array[1]["column"], array[1]["endColumn"]].map { $0 as? Int }, [1, 2])
    }

    func testJSONOfNothingIsAnEmptyArray() throws {
        XCTAssertEqual(write(.json, []), "[]\n")
    }

    func testJSONStringEscapes() {
        XCTAssertEqual(FindingsWriter.jsonString("a\"b\\c\nd\te\u{1}“中”"), "\"a\\\"b\\\\c\\nd\\te\\u0001“中”\"")
    }

    /// Plain text is copied eight bytes at a time: every character that needs escaping, at every
    /// offset of a text longer than two words, is still escaped (and JSONSerialization reads it back).
    func testJSONStringEscapesAtEveryOffset() throws {
        let plain = "記者 report 在现场"
        for special in ["\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{7F}"] {
            for at in 0...plain.count {
                var text = plain
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: at))
                let literal = FindingsWriter.jsonString(text)
                let decoded = try JSONSerialization.jsonObject(with: Data(("[" + literal + "]").utf8)) as? [String]
                XCTAssertEqual(decoded, [text], literal)
                XCTAssertFalse(literal.dropFirst().dropLast().unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, literal)
            }
        }
        XCTAssertEqual(FindingsWriter.jsonString(""), "\"\"")
    }

    func testSummaryLine() {
        var counts = FindingCounts()
        counts.add([Diagnostic(ruleID: "a", severity: .error, range: 0..<1, message: ""),
                    Diagnostic(ruleID: "a", severity: .warning, range: 0..<1, message: ""),
                    Diagnostic(ruleID: "a", severity: .warning, range: 0..<1, message: "")])
        counts.files = 2
        XCTAssertEqual(counts.summary, "3 findings (1 error, 2 warnings, 0 information) in 2 files")
    }

    /// Through the real command and rule: the finding of `broken-wrap` after astral characters.
    func testCheckCommandTextOutput() throws {
        let folder = try makeTemporaryFolder(self)
        try folder.write("a.txt", wrappedText)
        let r = runGalley(["check", "--select", "broken-wrap", "--fail-on", "hint", "a.txt"], in: folder)
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            XCTAssertNotNil(line.range(of: #"^a\.txt:\d+:\d+: (error|warning|information|hint): .+ \[broken-wrap\]$"#, options: .regularExpression), String(line))
        }
        XCTAssertTrue(lines[0].hasPrefix("a.txt:1:4: "), String(lines[0]))
        XCTAssertTrue(r.stderr.contains("in 1 file"), r.stderr)
    }

    /// A file big enough to be checked on all cores is reported section by section as its findings
    /// come in: in every format the output is what one write of all its findings gives, between
    /// small files reported whole.
    func testBigFileReportedAsItIsCheckedWritesWhatOneWriteDoes() throws {
        let folder = try makeTemporaryFolder(self)
        let seed = String(decoding: try FixWritesTests.seedText(bytes: 1), as: UTF8.self)
        var big = ""
        while big.utf8.count < 300 * 1024 { big += seed + "\r\n" }
        let linter = Linter()
        XCTAssertGreaterThanOrEqual(big.utf8.count, linter.parallelThreshold)
        let files = [("a.txt", wrappedText), ("big.txt", big), ("z.txt", "他说\n，上海坚决贯彻。\n")]
        for (name, text) in files { try folder.write(name, text) }
        for format in OutputFormat.allCases {
            var bytes: [UInt8] = []
            let out = OutputBuffer { bytes += $0 }
            let writer = FindingsWriter(format: format, out: out)
            for (name, text) in files {
                let document = TextDocument(text)
                writer.write(path: name, document: document, diagnostics: linter.check(document))
            }
            writer.finish()
            out.flush()
            let r = runGalley(["check", "--no-config", "--format", format.rawValue] + files.map { $0.0 }, in: folder)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stdout, String(decoding: bytes, as: UTF8.self), format.rawValue)
        }
    }

    /// A chunk at least as long as the buffer goes to the sink as it is, after the bytes already
    /// buffered; shorter writes are still gathered into chunks of the limit.
    func testLongChunksPassThroughInOrder() {
        var chunks: [[UInt8]] = []
        let out = OutputBuffer(limit: 4) { chunks.append($0) }
        out.write(bytes: [1, 2])
        out.write(bytes: [3, 4, 5, 6, 7])
        out.write(bytes: [8, 9, 10, 11])
        out.write(bytes: [12])
        out.write(bytes: [13, 14, 15])
        out.write(bytes: [16])
        out.flush()
        XCTAssertEqual(chunks, [[1, 2], [3, 4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15], [16]])
    }

    /// A file descriptor's buffer keeps long byte arrays as they are and writes them with what was
    /// buffered around them, in order; more arrays than one `writev` takes are written too.
    func testHeldChunksAreWrittenInOrder() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("galley-held-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let out = OutputBuffer.fileDescriptor(handle.fileDescriptor)
        var expected: [UInt8] = []
        for k in 0..<3000 {
            let long = [UInt8](repeating: UInt8(ascii: "a") + UInt8(k % 26), count: 1024 + k % 50)
            switch k % 4 {
            case 0: out.write("s\(k)"); expected += Array("s\(k)".utf8)
            case 1: out.write(bytes: [UInt8](repeating: 0x30, count: k % 7)); expected += [UInt8](repeating: 0x30, count: k % 7)
            case 2: out.write(bytes: long[1...]); expected += long[1...]
            default: out.write(bytes: long); expected += long
            }
            if k == 1500 { out.flush() }
        }
        out.flush()
        XCTAssertTrue(writeAll(handle.fileDescriptor, (0..<1200).map { [UInt8(truncatingIfNeeded: $0), 0x0A] }))
        try handle.close()
        expected += (0..<1200).flatMap { [UInt8(truncatingIfNeeded: $0), 0x0A] }
        XCTAssertEqual(try [UInt8](Data(contentsOf: url)), expected)
    }

    /// Findings that share a message's string, have equal messages in other strings, or differ only
    /// in severity or rule id: each line is what the finding alone gives (runs reuse the line's end).
    func testRunsOfOneMessageWriteEachFindingsOwnLine() {
        let document = TextDocument(String(repeating: "中文\n", count: 12))
        let shared = String(repeating: "句子里的换行", count: 2)
        let copy = String(decoding: Array(shared.utf8), as: UTF8.self)
        let specs: [(String, Severity, String)] = [
            ("a", .warning, shared), ("a", .warning, shared), ("a", .information, shared), ("b", .information, shared),
            ("b", .information, copy), ("b", .information, "短"), ("b", .information, "短"), ("a", .warning, "两\n行"),
            ("a", .warning, "两\n行"), ("a", .warning, shared),
        ]
        let diagnostics = specs.enumerated().map { k, s in
            Diagnostic(ruleID: s.0, severity: s.1, range: (k * 7)..<(k * 7 + 3), message: s.2)
        }
        func text(_ diagnostics: [Diagnostic]) -> String {
            var bytes: [UInt8] = []
            let out = OutputBuffer { bytes += $0 }
            FindingsWriter(format: .text, out: out).write(path: "p", document: document, diagnostics: diagnostics)
            out.flush()
            return String(decoding: bytes, as: UTF8.self)
        }
        XCTAssertEqual(text(diagnostics), diagnostics.map { text([$0]) }.joined())
        XCTAssert(text(diagnostics).contains("p:9:1: warning: 两 行 [a]\n"))
    }

    /// Many findings on one long line: every one is written (the CLI never truncates).
    func testManyFindingsAreAllWritten() {
        let line = String(repeating: "中", count: 20_000)
        let document = TextDocument(line)
        let diagnostics = (0..<20_000).map { Diagnostic(ruleID: "r", severity: .hint, range: ($0 * 3)..<($0 * 3 + 3), message: "m") }
        var count = 0, last: [UInt8] = []
        let out = OutputBuffer { bytes in count += bytes.filter { $0 == 0x0A }.count; last = bytes }
        let writer = FindingsWriter(format: .text, out: out)
        writer.write(path: "p", document: document, diagnostics: diagnostics)
        out.flush()
        XCTAssertEqual(count, 20_000)
        XCTAssertTrue(String(decoding: last, as: UTF8.self).hasSuffix("p:1:20000: hint: m [r]\n"))
    }
}
