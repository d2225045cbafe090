import Foundation

/// Hands results computed on several threads to `handOver` in index order, as soon as each one
/// and every one before it are in. Whoever stores the next one due hands it over, then every later
/// one already stored; a thread that stores a result while another hands over leaves it to that one
/// and goes back to work. One hand-over at a time, so `handOver` needs no lock of its own.
final class InOrder<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [T?]
    private var next = 0
    private var handing = false
    private let handOver: (Int, inout T) -> Void

    init(count: Int, handOver: @escaping (Int, inout T) -> Void) {
        results = [T?](repeating: nil, count: count)
        self.handOver = handOver
    }

    /// Consumed: a copy left with the caller would make the result's arrays shared, and the
    /// first change to them would copy them.
    func store(_ result: consuming T, at i: Int) {
        lock.lock()
        results[i] = consume result
        // While nobody hands over, the next one due is never in (that would have been handed over).
        guard !handing, i == next else { return lock.unlock() }
        handing = true
        while next < results.count, var due = results[next].take() {
            let k = next
            next += 1
            lock.unlock()
            handOver(k, &due)
            lock.lock()
        }
        handing = false
        lock.unlock()
    }

    /// Every result has been handed over.
    var isDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return next == results.count
    }
}
