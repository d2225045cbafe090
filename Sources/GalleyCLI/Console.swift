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

    /// `sink` receives the bytes in order, in chunks of about `limit` bytes (and on `flush`).
    public init(limit: Int = 1 << 16, sink: @escaping ([UInt8]) -> Void) {
        self.limit = limit
        self.sink = sink
        buffer.reserveCapacity(limit)
    }

    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= limit { flush() }
    }

    public func write(bytes: [UInt8]) {
        // A chunk that would fill the buffer on its own goes out as it is: copying it in first
        // cost a memcpy of every formatted finding.
        if bytes.count >= limit {
            flush()
            sink(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    public func write<S: Sequence>(bytes: S) where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// A buffer that writes to a file descriptor (1 = standard output, 2 = standard error).
    public static func fileDescriptor(_ fd: Int32) -> OutputBuffer {
        // A failed write means the reader went away (a closed pipe): nothing useful is left to do.
        OutputBuffer { bytes in _ = writeAll(fd, bytes) }
    }
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
