import Foundation
import XCTest
import TextModel
import Proofreading
import Evaluation
@testable import LanguageServer

/// Random editing sessions against the in-process server (issue 7). Each session negotiates one
/// position encoding (UTF-8, UTF-16, UTF-32 in turn), opens, changes, closes and reopens documents
/// with random incremental edits (inserts, deletes, replaces: astral characters 𠮷 😀, CRLF, lone
/// CR, empty lines, text cut from the seeds, now and then a line of 20,000 characters), and after
/// EVERY step checks that:
/// - the server's text of every open document equals the test's own replay of the edits, and a
///   closed document is gone;
/// - the diagnostics it published equal a fresh `Linter().check` of the replayed text, converted
///   to positions by the replay's own arithmetic (compared as multisets of code, range, message,
///   severity and related ranges; `maxDiagnostics` is set high so the cap never applies);
/// - every published range lies inside the document on a character boundary of the encoding.
///
/// Most edits are at valid positions. About one in ten is deliberately not: a line past the end, a
/// character past the end of its line, a character inside a surrogate pair (UTF-16) or a UTF-8
/// sequence, a negative line or character, a range whose start is after its end. LSP says a
/// character past the line's end means the line's end; for the rest the server clamps rather than
/// rejects (dropping an edit would leave the server's text out of step with the editor's for good),
/// and the replay does the same, independently (`ReplayText.offset`):
/// - line < 0: the start of the text; line past the last: the end of the text;
/// - character ≤ 0: the start of the line; past the line's content: the end of its content;
/// - inside a character (half a surrogate pair, inside a UTF-8 sequence): the start of that character;
/// - start after end: the two are swapped.
///
/// Deterministic: sessions come from a seeded SplitMix64; a failure names the seed, session and
/// step, and how to run that session alone. Size: `GALLEY_SESSIONS` (default 60, about 20 s in a
/// debug build); `GALLEY_SESSION_SEED` and `GALLEY_SESSION_FIRST` pick other sessions.
final class RandomSessionTests: XCTestCase {
    static let encodings: [PositionEncoding] = [.utf8, .utf16, .utf32]
    static let defaultSeed: UInt64 = 20_261_123

    static let seeds: [[Unicode.Scalar]] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().filter { $0.hasSuffix(".txt") }
        return names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.map { Array($0.unicodeScalars) }
    }()

    func testSeedsAreThere() {
        XCTAssertEqual(Self.seeds.count, 5, "seeds/ holds the five transcriptions")
    }

    func testRandomSessionsMatchTheReplay() {
        let env = ProcessInfo.processInfo.environment
        let count = env["GALLEY_SESSIONS"].flatMap { Int($0) } ?? 60
        let seed = env["GALLEY_SESSION_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
        let first = env["GALLEY_SESSION_FIRST"].flatMap { Int($0) } ?? 0
        var totals = SessionRunner.Totals()
        var failures = 0
        for index in first..<(first + count) {
            var runner = SessionRunner(seed: seed, index: index, encoding: Self.encodings[index % 3], seeds: Self.seeds)
            if let failure = runner.run() {
                failures += 1
                XCTFail("""
                    random session diverged: seed \(seed), session \(index) (\(runner.encoding.rawValue)), step \(runner.step): \(failure)
                    last step: \(runner.lastStep)
                    run it alone: GALLEY_SESSION_SEED=\(seed) GALLEY_SESSION_FIRST=\(index) GALLEY_SESSIONS=1 swift test --filter RandomSessionTests
                    """)
                if failures >= 3 { break }
            }
            totals.add(runner.totals)
        }
        print("random sessions: \(count) sessions from seed \(seed) (first \(first)), \(totals.steps) steps, "
              + "\(totals.edits) edits of which \(totals.oddPositions) at out-of-range or mid-character positions, "
              + "\(totals.fullReplacements) full replacements, \(totals.diagnostics) diagnostics compared, "
              + "largest text \(totals.largest) bytes; \(failures) divergences")
    }

    /// The clamping rules above, one by one, through the server and the replay.
    func testOddPositionsAreClampedAsDocumented() {
        let text = "a𠮷b\r\n😀\n"
        for encoding in Self.encodings {
            let client = TestClient()
            client.initialize(encodings: [encoding.rawValue], options: ["maxDiagnostics": 1_000_000])
            let uri = "file:///clamp.txt"
            client.open(uri, text)
            var replay = ReplayText(Array(text.utf8))
            var version = 1
            // Inside 𠮷 (UTF-16: between its surrogates; UTF-8: after its first byte; UTF-32 has no
            // inside, so column 2 is after it), a line past the end, a character past the end of
            // line 0, a negative line, a negative character, a reversed range.
            let cases: [(JSON, String, [UInt8])] = [
                (lspRange(0, 2, 0, 2), "X", Array((encoding == .utf32 ? "a𠮷Xb\r\n😀\n" : "aX𠮷b\r\n😀\n").utf8)),
                (lspRange(7, 3, 9, 0), "E", []),
                (lspRange(0, 99, 0, 99), "L", []),
                (lspRange(-1, 5, -1, 5), "N", []),
                (lspRange(1, -4, 1, 0), "C", []),
                (lspRange(1, 1, 1, 0), "", []),
            ]
            for (i, (range, newText, expected)) in cases.enumerated() {
                version += 1
                replay.apply(start: (range["start"]!["line"]!.int!, range["start"]!["character"]!.int!),
                             end: (range["end"]!["line"]!.int!, range["end"]!["character"]!.int!), text: newText, encoding: encoding)
                client.change(uri, version: version, [["range": range, "text": .string(newText)]])
                let server = client.session.server.documentText(uri)
                XCTAssertEqual(server, replay.bytes, "\(encoding.rawValue) case \(i): server \(String(decoding: server ?? [], as: UTF8.self).debugDescription) replay \(replay.string.debugDescription)")
                if !expected.isEmpty { XCTAssertEqual(replay.bytes, expected, "\(encoding.rawValue) case \(i)") }
            }
            // Every case above, in order, on "a𠮷b\r\n😀\n": X inside 𠮷 (before it), E at the end,
            // L at the end of line 0, N at the start, C at the start of line 1, and the reversed
            // range 1:1-1:0 (the first character of line 1, "C") deleted.
            let x = encoding == .utf32 ? "a𠮷Xb" : "aX𠮷b"
            XCTAssertEqual(replay.string, "N" + x + "L\r\n" + "😀\nE", encoding.rawValue)
        }
    }
}

/// The replay's text and its own position arithmetic (deliberately not `TextDocument`'s): lines end
/// at LF, CRLF or a lone CR; columns count UTF-8 bytes, UTF-16 units or scalars.
struct ReplayText {
    private(set) var bytes: [UInt8]
    private(set) var lineStarts: [Int] = []
    private(set) var contentEnds: [Int] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        index()
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
    var lineCount: Int { lineStarts.count }

    private mutating func index() {
        lineStarts = [0]
        contentEnds = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                contentEnds.append(i); lineStarts.append(i + 1)
            } else if bytes[i] == 0x0D {
                contentEnds.append(i)
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                lineStarts.append(i + 1)
            }
            i += 1
        }
        contentEnds.append(bytes.count)
    }

    static func length(lead: UInt8) -> Int { lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4 }

    static func width(lead: UInt8, _ encoding: PositionEncoding) -> Int {
        switch encoding {
        case .utf8: return length(lead: lead)
        case .utf16: return lead >= 0xF0 ? 2 : 1
        case .utf32: return 1
        }
    }

    /// The byte offset the server must take for an LSP position (the clamping rules of the tests).
    func offset(line: Int, character: Int, _ encoding: PositionEncoding) -> Int {
        if line < 0 { return 0 }
        if line >= lineCount { return bytes.count }
        var o = lineStarts[line], column = 0
        let end = contentEnds[line]
        while o < end {
            let w = Self.width(lead: bytes[o], encoding)
            if column + w > character { break }
            column += w
            o += Self.length(lead: bytes[o])
        }
        return o
    }

    mutating func apply(start: (Int, Int), end: (Int, Int), text: String, encoding: PositionEncoding) {
        var lo = offset(line: start.0, character: start.1, encoding)
        var hi = offset(line: end.0, character: end.1, encoding)
        if lo > hi { swap(&lo, &hi) }
        bytes.replaceSubrange(lo..<hi, with: Array(text.utf8))
        index()
    }

    mutating func replaceAll(_ text: String) {
        bytes = Array(text.utf8)
        index()
    }

    /// Line and column of every byte offset (`0...count`): a scalar's start gets its own column, a
    /// line terminator's bytes the column of the content's end, a continuation byte -1.
    func positionTable(_ encoding: PositionEncoding) -> (line: [Int32], column: [Int32]) {
        var lines = [Int32](repeating: 0, count: bytes.count + 1)
        var columns = [Int32](repeating: -1, count: bytes.count + 1)
        for l in 0..<lineCount {
            var o = lineStarts[l], column: Int32 = 0
            while o < contentEnds[l] {
                lines[o] = Int32(l); columns[o] = column
                column += Int32(Self.width(lead: bytes[o], encoding))
                o += Self.length(lead: bytes[o])
            }
            let next = l + 1 < lineCount ? lineStarts[l + 1] : bytes.count + 1
            for t in contentEnds[l]..<next { lines[t] = Int32(l); columns[t] = column }
        }
        return (lines, columns)
    }

    /// The length of a line's content in `encoding` units.
    func lineLength(_ line: Int, _ encoding: PositionEncoding) -> Int {
        var o = lineStarts[line], n = 0
        while o < contentEnds[line] { n += Self.width(lead: bytes[o], encoding); o += Self.length(lead: bytes[o]) }
        return n
    }
}

/// One random session: its generator, the client, the replay, and the checks after every step.
struct SessionRunner {
    struct Totals {
        var steps = 0, edits = 0, oddPositions = 0, fullReplacements = 0, diagnostics = 0, largest = 0
        mutating func add(_ t: Totals) {
            steps += t.steps; edits += t.edits; oddPositions += t.oddPositions
            fullReplacements += t.fullReplacements; diagnostics += t.diagnostics; largest = max(largest, t.largest)
        }
    }

    let encoding: PositionEncoding
    let seeds: [[Unicode.Scalar]]
    var rng: SplitMix64
    let client = TestClient()
    var docs: [String: (text: ReplayText, version: Int)] = [:]
    let uris = ["file:///session/a.txt", "file:///session/b%20c.txt"]
    var step = 0
    var lastStep = "initialize"
    var totals = Totals()
    /// Whether this session inserts 20,000-character lines (one session in four).
    let hugeLines: Bool
    let linter = Linter()

    init(seed: UInt64, index: Int, encoding: PositionEncoding, seeds: [[Unicode.Scalar]]) {
        self.encoding = encoding
        self.seeds = seeds
        rng = SplitMix64(seed: seed, stream: 0x5E55, index: UInt64(index))
        hugeLines = rng.chance(0.25)
    }

    // MARK: Text

    mutating func seedCut(maxScalars: Int) -> String {
        guard !seeds.isEmpty else { return "新华社北京4月1日电" }
        let s = rng.pick(seeds)
        let n = rng.int(in: 1...min(maxScalars, s.count))
        let start = rng.int(below: s.count - n + 1)
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[start..<(start + n)])
        return String(out)
    }

    static let pieces = ["𠮷", "😀", "𠮷😀", "\r\n", "\r", "\n", "\n\n", "\r\n\r\n", "", "abc", " ", "  ", "2022", "２０２２",
                         "，", "。", ",", ".", "\"", "“", "”", "‘", "（", "(", "4 月 1 日", "新华社北京", "\t", "\u{200B}",
                         "e\u{301}", "——", "……", "记者", "本报讯"]

    mutating func insertText() -> String {
        if hugeLines, rng.chance(0.03) {
            // One line of 20,000 characters: seed text without its line breaks, or one character repeated.
            if rng.chance(0.5) { return String(repeating: rng.pick(["长", "𠮷", "a"]), count: 20_000) }
            var line = String.UnicodeScalarView()
            while line.count < 20_000 {
                line.append(contentsOf: seedCut(maxScalars: 5000).unicodeScalars.filter { $0 != "\n" && $0 != "\r" })
            }
            return String(String.UnicodeScalarView(line.prefix(20_000)))
        }
        if rng.chance(0.3) { return seedCut(maxScalars: 400) }
        var s = ""
        for _ in 0..<rng.int(in: 1...3) { s += rng.pick(Self.pieces) }
        return s
    }

    mutating func initialText() -> String {
        var text = rng.chance(0.1) ? "" : seedCut(maxScalars: 3000)
        switch rng.int(below: 4) {
        case 0: text = text.replacingOccurrences(of: "\n", with: "\r\n")
        case 1: text = text.replacingOccurrences(of: "\n", with: "\r")
        default: break
        }
        return text
    }

    // MARK: Positions

    /// A random scalar boundary of the text, favouring line starts and ends.
    mutating func randomOffset(_ t: ReplayText) -> Int {
        if t.bytes.isEmpty { return 0 }
        switch rng.int(below: 5) {
        case 0: return t.lineStarts[rng.int(below: t.lineCount)]
        case 1: return t.contentEnds[rng.int(below: t.lineCount)]
        default:
            var o = rng.int(in: 0...t.bytes.count)
            while o < t.bytes.count, o > 0, t.bytes[o] & 0xC0 == 0x80 { o -= 1 }
            return o
        }
    }

    func position(_ t: ReplayText, _ offset: Int) -> (Int, Int) {
        let line = t.lineStarts.lastIndex { $0 <= offset } ?? 0
        var o = t.lineStarts[line], column = 0
        while o < min(offset, t.contentEnds[line]) {
            column += ReplayText.width(lead: t.bytes[o], encoding)
            o += ReplayText.length(lead: t.bytes[o])
        }
        return (line, column)
    }

    /// A position that is out of range or inside a character.
    mutating func oddPosition(_ t: ReplayText) -> (Int, Int) {
        switch rng.int(below: 5) {
        case 0: return (t.lineCount + rng.int(below: 3), rng.int(below: 40))
        case 1:
            let line = rng.int(below: t.lineCount)
            return (line, t.lineLength(line, encoding) + 1 + rng.int(below: 100))
        case 2: return rng.chance(0.5) ? (-1 - rng.int(below: 3), rng.int(below: 10)) : (rng.int(below: t.lineCount), -1 - rng.int(below: 5))
        default:
            // Inside a character that has more than one unit in this encoding, when there is one.
            var candidates: [Int] = []
            var o = 0
            while o < t.bytes.count, candidates.count < 64 {
                if ReplayText.width(lead: t.bytes[o], encoding) > 1 { candidates.append(o) }
                o += ReplayText.length(lead: t.bytes[o])
            }
            guard !candidates.isEmpty else { return (rng.int(below: t.lineCount), 1_000_000) }
            let c = rng.pick(candidates)
            let (line, column) = position(t, c)
            return (line, column + rng.int(in: 1...(ReplayText.width(lead: t.bytes[c], encoding) - 1)))
        }
    }

    static func range(_ a: (Int, Int), _ b: (Int, Int)) -> JSON {
        ["start": ["line": JSON(a.0), "character": JSON(a.1)], "end": ["line": JSON(b.0), "character": JSON(b.1)]]
    }

    /// One random content change, applied to the replay; returns it as JSON.
    mutating func randomChange(_ t: inout ReplayText) -> JSON {
        totals.edits += 1
        if rng.chance(0.04) {
            totals.fullReplacements += 1
            let text = initialText()
            t.replaceAll(text)
            return ["text": .string(text)]
        }
        var start: (Int, Int), end: (Int, Int)
        if rng.chance(0.1) {
            totals.oddPositions += 1
            start = oddPosition(t)
            end = rng.chance(0.5) ? start : oddPosition(t)
            if rng.chance(0.3) {
                // A reversed range of valid positions.
                let a = randomOffset(t), b = randomOffset(t)
                start = position(t, max(a, b)); end = position(t, min(a, b))
            }
        } else {
            let a = randomOffset(t)
            var b = a
            switch rng.int(below: 3) {
            case 0: break  // insert
            default:       // delete or replace: mostly short, sometimes long (big texts shrink)
                let long = t.bytes.count > 60_000 ? rng.chance(0.7) : rng.chance(0.1)
                b = min(t.bytes.count, a + (long ? rng.int(in: 1...30_000) : rng.int(in: 1...40)))
                while b < t.bytes.count, t.bytes[b] & 0xC0 == 0x80 { b += 1 }
            }
            start = position(t, a); end = position(t, b)
        }
        let deleteOnly = start != end && rng.chance(0.4)
        let text = deleteOnly ? "" : insertText()
        t.apply(start: start, end: end, text: text, encoding: encoding)
        return ["range": Self.range(start, end), "text": .string(text)]
    }

    // MARK: The session

    /// Runs the whole session; returns the first divergence, or nil.
    mutating func run() -> String? {
        let response = client.initialize(encodings: [encoding.rawValue], options: ["maxDiagnostics": 1_000_000])
        guard response["result"]?["capabilities"]?["positionEncoding"]?.string == encoding.rawValue else {
            return "the server did not take \(encoding.rawValue): \(response.text)"
        }
        let steps = rng.int(in: 6...16)
        for s in 0..<steps {
            step = s
            totals.steps += 1
            if let failure = oneStep() { return failure }
            if let failure = checkTexts() { return failure }
        }
        return nil
    }

    mutating func oneStep() -> String? {
        let open = uris.filter { docs[$0] != nil }
        let closed = uris.filter { docs[$0] == nil }
        if open.isEmpty || (!closed.isEmpty && rng.chance(0.1)) {
            let uri = rng.pick(closed)
            let text = initialText()
            let version = rng.int(in: 0...5)
            docs[uri] = (ReplayText(Array(text.utf8)), version)
            lastStep = "didOpen \(uri) v\(version), \(text.utf8.count) bytes"
            return checkPublished(client.open(uri, text, version: version), uri: uri)
        }
        if rng.chance(0.06) {
            let uri = rng.pick(open)
            docs[uri] = nil
            lastStep = "didClose \(uri)"
            let messages = client.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
            let cleared = messages.last { $0["method"] == "textDocument/publishDiagnostics" }?["params"]
            guard cleared?["uri"]?.string == uri, cleared?["diagnostics"]?.array?.isEmpty == true else {
                return "didClose did not clear the diagnostics: \(messages.map(\.text))"
            }
            return nil
        }
        let uri = rng.pick(open)
        var (text, version) = docs[uri]!
        version += rng.chance(0.9) ? 1 : rng.int(in: 2...4)
        var changes: [JSON] = []
        for _ in 0..<rng.int(in: 1...3) { changes.append(randomChange(&text)) }
        docs[uri] = (text, version)
        lastStep = "didChange \(uri) v\(version): \(JSON.array(changes).text.prefix(600))"
        return checkPublished(client.change(uri, version: version, changes), uri: uri)
    }

    /// Every open document's text equals the replay; closed ones are gone.
    func checkTexts() -> String? {
        let server = client.session.server
        for uri in uris {
            let theirs = server.documentText(uri)
            guard let mine = docs[uri] else {
                if theirs != nil { return "\(uri) is closed but the server still holds it" }
                continue
            }
            guard let theirs else { return "\(uri) is open but the server does not hold it" }
            if theirs != mine.text.bytes { return "text of \(uri) differs: \(firstDifference(theirs, mine.text.bytes))" }
        }
        if server.openDocumentURIs != uris.filter({ docs[$0] != nil }) { return "open documents \(server.openDocumentURIs)" }
        return nil
    }

    func firstDifference(_ server: [UInt8], _ replay: [UInt8]) -> String {
        var i = 0
        while i < server.count, i < replay.count, server[i] == replay[i] { i += 1 }
        func around(_ b: [UInt8]) -> String { String(decoding: b[max(0, i - 20)..<min(b.count, i + 20)], as: UTF8.self).debugDescription }
        return "server \(server.count) bytes, replay \(replay.count) bytes, first difference at byte \(i): server \(around(server)), replay \(around(replay))"
    }

    /// One diagnostic as compared: code, range, message, severity, related ranges and messages.
    struct Item: Comparable, CustomStringConvertible {
        var code: String, range: [Int], message: String, severity: Int, related: [String]
        static func < (a: Item, b: Item) -> Bool {
            (a.range.lexicographicallyPrecedes(b.range)) || (a.range == b.range && (a.code, a.message, a.severity, a.related.joined(separator: "\u{1}"))
                                                              < (b.code, b.message, b.severity, b.related.joined(separator: "\u{1}")))
        }
        var description: String { "\(code) \(range) \(severity) \(message.debugDescription) \(related)" }
    }

    mutating func checkPublished(_ params: JSON?, uri: String) -> String? {
        if let failure = checkTexts() { return failure }
        guard let params else { return "no publishDiagnostics after the step" }
        guard params["uri"]?.string == uri else { return "published for \(params["uri"]?.text ?? "nil"), not \(uri)" }
        guard params["version"]?.int == docs[uri]!.version else { return "published version \(params["version"]?.text ?? "nil"), sent \(docs[uri]!.version)" }
        guard let published = params["diagnostics"]?.array else { return "publishDiagnostics without diagnostics" }
        let t = docs[uri]!.text
        totals.largest = max(totals.largest, t.bytes.count)
        totals.diagnostics += published.count

        // Every range inside the document, on a character boundary: it round-trips through the replay.
        var actual: [Item] = []
        func point(_ p: JSON?) -> (Int, Int)? {
            guard let line = p?["line"]?.int, let character = p?["character"]?.int else { return nil }
            guard line >= 0, line < t.lineCount, character >= 0, character <= t.lineLength(line, encoding) else { return nil }
            guard position(t, t.offset(line: line, character: character, encoding)) == (line, character) else { return nil }
            return (line, character)
        }
        func range(_ r: JSON?) -> [Int]? {
            guard let a = point(r?["start"]), let b = point(r?["end"]), a <= b else { return nil }
            return [a.0, a.1, b.0, b.1]
        }
        for d in published {
            guard let r = range(d["range"]) else { return "range outside the document or inside a character: \(d.text)" }
            var related: [String] = []
            for rel in d["relatedInformation"]?.array ?? [] {
                guard rel["location"]?["uri"]?.string == uri, let rr = range(rel["location"]?["range"]) else {
                    return "related range outside the document: \(d.text)"
                }
                related.append("\(rr) \(rel["message"]?.string ?? "")")
            }
            actual.append(Item(code: d["code"]?.string ?? "", range: r, message: d["message"]?.string ?? "",
                               severity: d["severity"]?.int ?? 0, related: related))
        }

        // A fresh check of the replayed text, converted by the replay.
        let table = t.positionTable(encoding)
        func converted(_ r: Range<Int>) -> [Int]? {
            guard r.lowerBound >= 0, r.upperBound <= t.bytes.count, table.column[r.lowerBound] >= 0, table.column[r.upperBound] >= 0 else { return nil }
            return [Int(table.line[r.lowerBound]), Int(table.column[r.lowerBound]), Int(table.line[r.upperBound]), Int(table.column[r.upperBound])]
        }
        var expected: [Item] = []
        for d in linter.check(TextDocument(bytes: t.bytes)) {
            guard let r = converted(d.range) else { return "a fresh check gave a range off the text's characters: \(d.ruleID) \(d.range)" }
            var related: [String] = []
            for rel in d.related {
                guard let rr = converted(rel.range) else { return "a fresh check gave a related range off the text: \(d.ruleID)" }
                related.append("\(rr) \(rel.message)")
            }
            let severity: Int
            switch d.severity { case .error: severity = 1; case .warning: severity = 2; case .information: severity = 3; case .hint: severity = 4 }
            expected.append(Item(code: d.ruleID, range: r, message: d.message, severity: severity, related: related))
        }
        actual.sort()
        expected.sort()
        if actual != expected {
            let missing = expected.filter { !actual.contains($0) }.prefix(3)
            let extra = actual.filter { !expected.contains($0) }.prefix(3)
            return "published \(actual.count) diagnostics, a fresh check gives \(expected.count); "
                + "missing: \(missing.map(\.description)); not expected: \(extra.map(\.description))"
        }
        return nil
    }
}
