#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import LanguageServer
import TextModel

/// A file as read: its bytes and what `stat` said, to tell later whether it changed on disk.
public struct FileSnapshot: Equatable {
    public var bytes: TextBytes
    var size: Int64
    var modified: [Int]  // seconds, nanoseconds
    var device: UInt64, inode: UInt64
    var mode: mode_t
    var owner: uid_t, group: gid_t
}

public struct FileIOError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    static func system(_ what: String) -> FileIOError { FileIOError("\(what): \(String(cString: strerror(errno)))") }
}

private func statFields(_ st: stat) -> (size: Int64, modified: [Int], device: UInt64, inode: UInt64) {
    #if canImport(Darwin)
    let m = [Int(st.st_mtimespec.tv_sec), Int(st.st_mtimespec.tv_nsec)]
    #else
    let m = [Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
    #endif
    return (Int64(st.st_size), m, UInt64(st.st_dev), UInt64(st.st_ino))
}

private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }

/// From this size on a file is read in pieces on all cores: one core alone spent 30 ms on a 20 MB
/// file (the copy and a page fault every 4 KB) while the other waited for the text.
private let parallelReadLength = 8 << 20

/// From this size on `check` maps a file instead of reading it (see `FileIO.map`); smaller files,
/// many of them in a folder, cost less to read than to map and unmap.
private let mappedLength = 1 << 20

/// A mapped file cut short by another program while it is checked makes reading its lost pages
/// raise SIGBUS: galley says why on standard error and exits with status 2, instead of crashing.
private let truncationReported: Void = {
    signal(SIGBUS) { _ in
        let message: StaticString = "galley: error: a file was cut short by another program while it was being checked; the findings written so far are incomplete, run galley again\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        _exit(2)
    }
}()

/// Maps the memory's whole pages in one call (MADV_POPULATE_WRITE, Linux 5.14): a read into fresh
/// memory faulted each page on its own (5,000 faults for 20 MB). Elsewhere, or on an older
/// kernel, nothing: the read faults them in as before.
private func populate(_ start: UnsafeMutablePointer<UInt8>, _ count: Int) {
    #if os(Linux)
    let page = Int(getpagesize())
    let first = (Int(bitPattern: start) + page - 1) & ~(page - 1)
    let last = (Int(bitPattern: start) + count) & ~(page - 1)
    guard last > first, let at = UnsafeMutableRawPointer(bitPattern: first) else { return }
    _ = madvise(at, last - first, MADV_POPULATE_WRITE)
    #endif
}

/// Reads `size` bytes from offset 0 in 2 MB pieces at once; false when any piece comes short
/// (the file shrank, or a read failed), and the caller reads it again from the start.
private func readInPieces(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, _ size: Int) -> Bool {
    let pieceLength = 2 << 20
    let pieces = (size + pieceLength - 1) / pieceLength
    let complete = UnsafeMutableBufferPointer<Bool>.allocate(capacity: pieces)
    defer { complete.deallocate() }
    DispatchQueue.concurrentPerform(iterations: pieces) { k in
        var at = k * pieceLength
        let end = min(size, at + pieceLength)
        populate(buffer + at, end - at)
        while at < end {
            let n = pread(fd, buffer + at, end - at, off_t(at))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            at += n
        }
        complete[k] = at == end
    }
    return !complete.contains(false)
}

public enum FileIO {
    /// Reads a whole file with the `stat` taken on the same descriptor.
    public static func read(_ absolutePath: String) throws -> FileSnapshot {
        let fd = open(absolutePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileIOError.system("cannot open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileIOError.system("cannot read") }
        if st.st_mode & S_IFMT == S_IFDIR { throw FileIOError("is a folder") }
        // Straight into the array (a 20 MB file is not copied again); one byte more than the size
        // tells a file that grew while being read, which is then read on in chunks.
        var failed = false
        let size = Int(max(0, st.st_size))
        var bytes = TextBytes(unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = size >= parallelReadLength && readInPieces(fd, into: buffer.baseAddress!, size) ? size : 0
            if count > 0 && lseek(fd, off_t(size), SEEK_SET) < 0 { count = 0 }
            while count < buffer.count {
                let n = posixRead(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                if n == 0 { break }
                count += n
            }
        }
        if failed { throw FileIOError.system("cannot read") }
        if bytes.count > size {
            // The file grew while it was read: the rest in chunks.
            var grown = bytes.array
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileIOError.system("cannot read")
                }
                if n == 0 { break }
                grown.append(contentsOf: chunk[0..<n])
            }
            bytes = TextBytes(grown)
        }
        let f = statFields(st)
        return FileSnapshot(bytes: bytes, size: f.size, modified: f.modified, device: f.device, inode: f.inode,
                            mode: st.st_mode, owner: st.st_uid, group: st.st_gid)
    }

    /// A regular file of at least `mappedLength` bytes, mapped read-only; nil for a smaller file or
    /// one that cannot be mapped (`read` then reads it and reports any error). Reading a 20 MB file
    /// into fresh memory cost 16 ms of CPU (the kernel zeroes each new page, then copies the file into
    /// it); mapping the pages already in the page cache costs about 1 ms, on the cores that first
    /// read them (the validation's pieces; `MAP_POPULATE` did it all on one core first).
    /// For `check` only: `fix` must hold the bytes it compares before replacing the file.
    public static func map(_ absolutePath: String) -> TextBytes? {
        // Only a regular file is opened here: opening a FIFO waits for a writer, and closing it
        // unread would drop what the writer wrote before `read` opens it again.
        var st = stat()
        guard stat(absolutePath, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size >= mappedLength else { return nil }
        let fd = open(absolutePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size >= mappedLength,
              let size = Int(exactly: st.st_size) else { return nil }
        guard let start = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), start != MAP_FAILED else { return nil }
        _ = truncationReported
        return TextBytes(ByteStorage(borrowing: start, count: size) { _ = munmap(start, size) })
    }

    /// Replaces a file's content atomically: a temporary file in the same folder (so the rename
    /// cannot cross file systems) gets the bytes and the original's permissions, is synced to disk,
    /// and is renamed over the original. Refuses, leaving the original untouched, when the file
    /// changed on disk since `original` was read (checked just before the rename). A symlink is
    /// followed: its target is rewritten and the link stays a link. A read-only file is refused. No
    /// temporary file is left behind, except by a process killed (SIGKILL, power loss) between its
    /// creation and the rename: then it is `.NAME.galley-PID-RANDOM.tmp`, hidden, next to the file.
    public static func replace(_ absolutePath: String, with bytes: [UInt8], original: FileSnapshot) throws {
        guard let resolved = realpath(absolutePath, nil) else { throw FileIOError.system("cannot resolve the path") }
        let target = String(cString: resolved)
        free(resolved)
        // rename() would replace a read-only file (only the folder's permission counts), and root
        // may write anything: a file nobody may write is refused, as editors do.
        if original.mode & 0o222 == 0 || access(target, W_OK) != 0 {
            throw FileIOError("read-only file; not written (make it writable, e.g. chmod u+w, to fix it)")
        }
        let folder = Paths.parent(target)
        let temporary = Paths.join(folder, ".\(Paths.baseName(target)).galley-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileIOError.system("cannot create a temporary file in \(folder)") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            guard writeAll(fd, bytes) else { throw FileIOError.system("cannot write the temporary file") }
            guard fchmod(fd, original.mode & 0o7777) == 0 else { throw FileIOError.system("cannot set permissions") }
            _ = fchown(fd, original.owner, original.group) // Keeps the owner when allowed; harmless when not.
            guard fsync(fd) == 0 else { throw FileIOError.system("cannot sync the temporary file") }
        }
        // The last check before the rename: same size, time and inode, and the same bytes.
        let now: FileSnapshot
        do { now = try read(target) } catch { throw FileIOError("changed on disk since it was read (it can no longer be read); not written") }
        guard now.size == original.size, now.modified == original.modified, now.inode == original.inode,
              now.bytes == original.bytes else {
            throw FileIOError("changed on disk since it was read; not written (run galley fix again)")
        }
        guard rename(temporary, target) == 0 else { throw FileIOError.system("cannot replace the file") }
        renamed = true
        // Make the rename itself durable.
        let dir = open(folder, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}
