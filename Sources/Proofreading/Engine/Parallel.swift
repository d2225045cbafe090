import Dispatch
import Foundation

/// Work spread over all cores: the batch check's files, sections, findings and validation pieces.
public enum Parallel {
    /// How many pieces to cut work into: a few per core, so a core that finishes early takes another.
    public static let pieces = 4 * cores

    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `body(i)` for every `i` in `0..<count`, on all cores, results in index order.
    public static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: count) { i in (out.baseAddress! + i).initialize(to: body(i)) }
            initialized = count
        }
    }
}
