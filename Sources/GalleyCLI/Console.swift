#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LanguageServer

/// A buffered byte sink. Findings are written through one of these, never one `print` each: a raw
/// 20 MB transcription can give 100,000+ findings, and one system call per line would dominate.
public final class OutputBuffer {
    private var buffer: [UInt8] = []
    private let sink: ([UInt8]) -> Void
    private let limit: Int
    /// With `gather`: byte arrays of at least `heldSize` bytes, kept as they are (after the bytes
    /// buffered before them) until about `limit` bytes are held, then given to `gather` together
    /// (one `writev`). Copying each section's formatted findings into the buffer moved every byte
    /// of a big file's output once more, on the thread that writes them, away from the one that
    /// formatted them.
    private let gather: (([[UInt8]]) -> Void)?
    private var held: [[UInt8]] = []
    private var heldCount = 0
    private static var heldSize: Int { 1024 }

    /// `sink` receives the bytes in order, in chunks of about `limit` bytes (and on `flush`).
    public init(limit: Int = 1 << 16, sink: @escaping ([UInt8]) -> Void) {
        self.limit = limit
        self.sink = sink
        gather = nil
        buffer.reserveCapacity(limit)
    }

    private init(limit: Int, sink: @escaping ([UInt8]) -> Void, gather: @escaping ([[UInt8]]) -> Void) {
        self.limit = limit
        self.sink = sink
        self.gather = gather
        buffer.reserveCapacity(limit)
    }

    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count + heldCount >= limit { flush() }
    }

    public func write(bytes: [UInt8]) {
        if gather != nil && bytes.count >= Self.heldSize {
            if !buffer.isEmpty { hold(buffer); buffer = [] }
            hold(bytes)
            if heldCount >= limit { flush() }
            return
        }
        // A chunk that would fill the buffer on its own goes out as it is: copying it in first
        // cost a memcpy of every formatted finding.
        if bytes.count >= limit {
            flush()
            sink(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count + heldCount >= limit { flush() }
    }

    public func write<S: Sequence>(bytes: S) where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count + heldCount >= limit { flush() }
    }

    private func hold(_ bytes: [UInt8]) {
        held.append(bytes)
        heldCount += bytes.count
    }

    public func flush() {
        if let gather, !held.isEmpty {
            if !buffer.isEmpty { hold(buffer); buffer = [] }
            gather(held)
            held.removeAll(keepingCapacity: true)
            heldCount = 0
            return
        }
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// A buffer that writes to a file descriptor (1 = standard output, 2 = standard error).
    public static func fileDescriptor(_ fd: Int32) -> OutputBuffer {
        // A failed write means the reader went away (a closed pipe): nothing useful is left to do.
        OutputBuffer(limit: 1 << 16, sink: { bytes in _ = writeAll(fd, bytes) }, gather: { chunks in _ = writeAll(fd, chunks) })
    }
}

/// Writes all of `chunks`, in order, with `writev` (a few at a time), retrying after signals and
/// partial writes. False on an error.
func writeAll(_ fd: Int32, _ chunks: [[UInt8]]) -> Bool {
    var vectors: [iovec] = []
    vectors.reserveCapacity(chunks.count)
    // Each array's bytes stay where they are while its closure runs: the calls nest.
    func pinned(_ k: Int) -> Bool {
        if k == chunks.count { return writeAll(fd, &vectors) }
        return chunks[k].withUnsafeBytes { raw in
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count))
            return pinned(k + 1)
        }
    }
    return pinned(0)
}

/// Writes the vectors' bytes, dropping what was written from their front.
private func writeAll(_ fd: Int32, _ vectors: inout [iovec]) -> Bool {
    var first = 0
    while first < vectors.count {
        let n = vectors.withUnsafeBufferPointer { v in writev(fd, v.baseAddress! + first, Int32(min(v.count - first, 512))) }
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        var done = n
        while first < vectors.count && done >= vectors[first].iov_len {
            done -= vectors[first].iov_len
            first += 1
        }
        if done > 0 {
            vectors[first].iov_base += done
            vectors[first].iov_len -= done
        }
    }
    return true
}

/// Where a command reads and writes: the real standard streams, or memory in tests.
public struct Console {
    public let stdout: OutputBuffer
    public let stderr: OutputBuffer
    /// Reads all of standard input (called at most once per run).
    public let readStandardInput: () -> [UInt8]
    /// The folder relative paths are resolved against.
    public let workingDirectory: String
    /// Standard error is a terminal: `check` may show a progress line there.
    public let stderrIsTerminal: Bool

    public init(stdout: OutputBuffer, stderr: OutputBuffer, readStandardInput: @escaping () -> [UInt8],
                workingDirectory: String, stderrIsTerminal: Bool = false) {
        self.stderrIsTerminal = stderrIsTerminal
        self.stdout = stdout
        self.stderr = stderr
        self.readStandardInput = readStandardInput
        self.workingDirectory = workingDirectory
    }

    public static func standard() -> Console {
        Console(stdout: .fileDescriptor(1), stderr: .fileDescriptor(2),
                readStandardInput: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) },
                workingDirectory: FileManager.default.currentDirectoryPath, stderrIsTerminal: isatty(2) == 1)
    }

    public func flush() {
        stdout.flush()
        stderr.flush()
    }
}

/// A console that keeps what is written, for in-process tests.
public final class CapturedConsole {
    public private(set) var stdoutBytes: [UInt8] = []
    public private(set) var stderrBytes: [UInt8] = []
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    public private(set) var console: Console! = nil

    public init(stdin: [UInt8] = [], workingDirectory: String = FileManager.default.currentDirectoryPath,
                stderrIsTerminal: Bool = false) {
        let out = OutputBuffer(limit: 1 << 12) { [unowned self] in self.stdoutBytes.append(contentsOf: $0) }
        let err = OutputBuffer(limit: 1 << 12) { [unowned self] in self.stderrBytes.append(contentsOf: $0) }
        console = Console(stdout: out, stderr: err, readStandardInput: { stdin }, workingDirectory: workingDirectory,
                          stderrIsTerminal: stderrIsTerminal)
    }

    /// Runs galley with `arguments` and returns its exit status (output is flushed into this object).
    public func run(_ arguments: [String]) -> Int32 {
        let status = GalleyCommand.run(arguments, console: console)
        console.flush()
        return status
    }
}
