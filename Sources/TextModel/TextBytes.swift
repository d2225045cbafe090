#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory holding a text's bytes: allocated here, or borrowed (a file the CLI mapped) and given back
/// by `release` when the last text reading it is gone. The text model does no I/O: whoever made the
/// memory says how to return it.
public final class ByteStorage: @unchecked Sendable {
    // @unchecked: written only while one text alone holds it (see `TextBytes.replaceSubrange`).
    @usableFromInline let start: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// nil: allocated here.
    private let release: (() -> Void)?

    init(capacity: Int) {
        start = .allocate(capacity: Swift.max(capacity, 1))
        self.capacity = capacity
        release = nil
    }

    /// `count` bytes at `start`, read in place, never written.
    public init(borrowing start: UnsafeRawPointer, count: Int, release: @escaping () -> Void) {
        self.start = UnsafeMutablePointer(mutating: start.assumingMemoryBound(to: UInt8.self))
        capacity = count
        self.release = release
    }

    var isBorrowed: Bool { release != nil }

    deinit {
        if let release { release() } else { start.deallocate() }
    }
}

/// A text's UTF-8 bytes, a run of a `ByteStorage`. Read through a plain pointer (no switch, no
/// reference counting per access). Sections of a mapped file are runs of its pages: a 20 MB file is
/// neither copied into fresh memory when read (the kernel zeroes every fresh page first) nor copied
/// again section by section. An edit copies the bytes first unless this text alone owns them.
public struct TextBytes: RandomAccessCollection, Equatable, @unchecked Sendable {
    // @unchecked: `base` points into `storage`, which the value keeps alive.
    @usableFromInline var storage: ByteStorage
    @usableFromInline var base: UnsafePointer<UInt8>
    public private(set) var count: Int

    public init(_ bytes: [UInt8]) {
        self.init(copying: bytes)
    }

    /// A copy of any bytes (a string's UTF-8 view, an array, a part of a text).
    public init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        let n = bytes.count
        storage = ByteStorage(capacity: n)
        base = UnsafePointer(storage.start)
        count = n
        let out = UnsafeMutableBufferPointer(start: storage.start, count: n)
        if bytes.withContiguousStorageIfAvailable({ _ = out.initialize(from: $0) }) == nil {
            _ = out.initialize(from: bytes)
        }
    }

    /// Bytes written in place by `body` (a file read straight into them), as
    /// `Array(unsafeUninitializedCapacity:initializingWith:)`: `count` says how many it wrote.
    public init(unsafeUninitializedCapacity capacity: Int,
                initializingWith body: (UnsafeMutableBufferPointer<UInt8>, inout Int) throws -> Void) rethrows {
        storage = ByteStorage(capacity: capacity)
        base = UnsafePointer(storage.start)
        var written = 0
        try body(UnsafeMutableBufferPointer(start: storage.start, count: capacity), &written)
        precondition(written >= 0 && written <= capacity, "TextBytes: more bytes written than room")
        count = written
    }

    /// Texts' bytes one after another, copied once.
    public init(joining parts: [TextBytes]) {
        let n = parts.reduce(0) { $0 + $1.count }
        storage = ByteStorage(capacity: n)
        base = UnsafePointer(storage.start)
        count = n
        var at = storage.start
        for part in parts {
            part.withUnsafeBufferPointer { if let b = $0.baseAddress { at.initialize(from: b, count: $0.count) } }
            at += part.count
        }
    }

    /// All of `storage` (borrowed memory).
    public init(_ storage: ByteStorage) {
        self.storage = storage
        base = UnsafePointer(storage.start)
        count = storage.capacity
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable @inline(__always)
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "TextBytes index out of range")
        return base[position]
    }

    @inlinable @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        // The storage lives until `body` returns; not through `withExtendedLifetime`, whose closure
        // kept the callers' closures from being inlined (and what they call inlined into them).
        defer { _fixLifetime(storage) }
        return try body(UnsafeBufferPointer(start: base, count: count))
    }

    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
    }

    /// Generic algorithms (`elementsEqual`, `Array(…)`, `String(decoding:as:)`) read the buffer.
    @inlinable public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }

    /// The bytes as an array (a copy).
    public var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }

    /// The bytes of `range` as bytes of their own: the same memory when borrowed (nothing writes
    /// it), a copy otherwise (the language server edits its sections in place).
    public func part(_ range: Range<Int>) -> TextBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "TextBytes range out of range")
        guard storage.isBorrowed else { return withUnsafeBufferPointer { TextBytes(copying: UnsafeBufferPointer(rebasing: $0[range])) } }
        var part = self
        part.base = base + range.lowerBound
        part.count = range.count
        return part
    }

    public static func == (a: TextBytes, b: TextBytes) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// Replaces `range` with `inserted`: in place when this text alone owns its memory and it has
    /// room, else into new memory grown by an eighth, not doubled (a long text edited by keystrokes
    /// needs little room, and a doubled 10 MB buffer is memory the server would hold for nothing).
    mutating func replaceSubrange(_ range: Range<Int>, with inserted: [UInt8]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "TextBytes range out of range")
        let needed = count - range.count + inserted.count
        let tail = count - range.upperBound
        if !storage.isBorrowed, base == UnsafePointer(storage.start), needed <= storage.capacity,
           isKnownUniquelyReferenced(&storage) {
            let p = storage.start
            memmove(p + range.lowerBound + inserted.count, p + range.upperBound, tail)
            inserted.withUnsafeBufferPointer { _ = memcpy(p + range.lowerBound, $0.baseAddress ?? base, $0.count) }
        } else {
            let grown = ByteStorage(capacity: needed + Swift.max(needed / 8, 4096))
            let p = grown.start
            withExtendedLifetime(storage) {
                _ = memcpy(p, base, range.lowerBound)
                _ = memcpy(p + range.lowerBound + inserted.count, base + range.upperBound, tail)
            }
            inserted.withUnsafeBufferPointer { _ = memcpy(p + range.lowerBound, $0.baseAddress ?? base, $0.count) }
            storage = grown
            base = UnsafePointer(p)
        }
        count = needed
    }
}
