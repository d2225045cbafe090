import CMalloc
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Framing plus server: bytes in, bytes out. The stdio loop and the tests drive the same type.
public struct ServerSession {
    public let server: LanguageServer
    var framer = MessageFramer()

    public init(server: LanguageServer) { self.server = server }

    /// Set once `exit` has been received (0 after `shutdown`, 1 without it).
    public var exitCode: Int32? { server.exitCode }

    /// Feeds a chunk of input and handles what it completes; returns the framed output to write.
    public mutating func receive<S: Sequence>(_ chunk: S) -> [UInt8] where S.Element == UInt8 {
        append(chunk)
        return process()
    }

    /// Buffers input without handling it (the stdio loop gathers what has arrived, then handles it).
    public mutating func append<S: Sequence>(_ chunk: S) where S.Element == UInt8 {
        framer.append(chunk)
    }

    /// Handles every complete message buffered so far as one batch (see `LanguageServer.receiveBatch`:
    /// one publish per changed document, cancels honoured). Nothing after `exit` is handled.
    public mutating func process() -> [UInt8] {
        var out: [UInt8] = []
        var parsed: [Result<JSON, Error>] = []
        func flush() {
            guard !parsed.isEmpty else { return }
            for m in server.receiveBatch(parsed: &parsed) { MessageFramer.frame(m.serialized(), into: &out) }
            parsed = []
        }
        while server.exitCode == nil, let frame = framer.next() {
            switch frame {
            case .message(let body):
                // Parsed at once, so the body's bytes are let go before the next one is read.
                parsed.append(Result { try JSON.parse(body) })
            case .badHeader(let why):
                flush()
                // No id can be known: answered as a parse error, and the framer resynchronises.
                MessageFramer.frame(LanguageServer.error(id: .null, code: ErrorCode.parseError,
                                                         message: "Bad message header: \(why)").serialized(), into: &out)
            }
        }
        flush()
        return out
    }
}

/// `galley lsp`: the server over standard input and output. Only protocol bytes go to `output`;
/// logs go to `log` (standard error). Returns the process exit status: 0 after `shutdown` + `exit`,
/// 1 for `exit` without `shutdown`, 0 when the input ends (the client went away).
public func runLanguageServer(input: Int32 = 0, output: Int32 = 1, logLevel: LogLevel? = nil,
                              idleTrimDelay: Int32 = defaultIdleTrimDelay,
                              longText: Int = LanguageServer.defaultLongText,
                              log: @escaping (String) -> Void) -> Int32 {
    // Two malloc arenas, not one per thread that ever checked a section: a server holds its
    // memory for hours, and idle arenas would keep what they once held.
    galley_limit_arenas(2)
    // A pipe holds 64 KB by default: a publish of hundreds of findings (150 KB and more) would
    // wait for the editor to read part of it before the rest is written. Best effort: any other
    // output (a file, a socket) or a lower system limit leaves things as they are.
    _ = fcntl(output, pipeSetSize, Int32(1 << 20))
    var session = ServerSession(server: LanguageServer(logLevel: logLevel, log: log))
    session.server.longText = longText
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        if session.server.trimWhenIdle, !waitForInput(input, milliseconds: idleTrimDelay) {
            session.server.trimMemory()
            if LogLevel.info <= logLevel ?? .error { log("info: idle: freed memory given back to the system") }
        }
        let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            log("error: read error \(errno); stopping")
            return 1
        }
        if n == 0 {
            if LogLevel.info <= logLevel ?? .error { log("info: end of input; stopping") }
            return 0
        }
        session.append(chunk[0..<n])
        // Coalescing: what else has already arrived (a burst of keystrokes) joins this batch, so
        // the document is published once for all of it. Bounded, so a flood cannot starve output.
        // A while loop: `for … where inputReady` would call poll all 64 times.
        var ended = false
        var reads = 0
        while reads < 64, inputReady(input) {
            let m = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if m <= 0 { ended = m == 0; break }
            session.append(chunk[0..<m])
            reads += 1
        }
        let out = session.process()
        if !out.isEmpty, !writeAll(output, out) {
            log("error: write error \(errno); stopping")
            return 1
        }
        if let code = session.exitCode { return code }
        if ended {
            if LogLevel.info <= logLevel ?? .error { log("info: end of input; stopping") }
            return 0
        }
    }
}

/// Linux's F_SETPIPE_SZ (not exported to Swift).
let pipeSetSize: Int32 = 1031

/// True when a read from `fd` would not block (input has arrived or the other end closed).
func inputReady(_ fd: Int32) -> Bool { waitForInput(fd, milliseconds: 0) }

/// Waits up to `milliseconds` for a read from `fd` not to block; false when none came in time.
func waitForInput(_ fd: Int32, milliseconds: Int32) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    while true {
        let n = poll(&p, 1, milliseconds)
        if n < 0 && errno == EINTR { continue }
        // An error other than a signal: the read that follows reports it.
        return n != 0 && (n < 0 || (p.revents & Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0)
    }
}

/// How long the server waits for the next message before it gives freed memory back: longer than
/// the pauses of typing, so a burst of edits after opening a long text does not fault it back in.
public let defaultIdleTrimDelay: Int32 = 2000

/// Writes all of `bytes` to a file descriptor, retrying after signals and partial writes.
/// Returns false on an error (`errno` says which). The CLI writes its output and files with it too.
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }
}
