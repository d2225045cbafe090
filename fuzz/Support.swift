// Shared by the fuzz entry files (compiled into the same module by fuzz/run.sh).
#if canImport(Glibc)
import Glibc
#endif

/// Stops the fuzzer with a message; libFuzzer saves the input that caused it as a crash.
func fuzzFail(_ message: @autoclosure () -> String) -> Never {
    let text = "fuzz invariant broken: \(message())\n"
    fputs(text, stderr)
    abort()
}

/// Chunk sizes derived from the input itself (FNV-1a seeded SplitMix64), so a crash reproduces.
struct Splitter {
    var state: UInt64
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        state = h
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    /// Sizes of 1...64 bytes mostly, with an occasional large chunk.
    mutating func chunks(of count: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var at = 0
        while at < count {
            let r = next()
            let size = r % 8 == 0 ? Int((r >> 8) % 4096) + 1 : Int((r >> 8) % 64) + 1
            let end = min(count, at + size)
            out.append(at..<end)
            at = end
        }
        return out
    }
}

// The server's malloc tuning lives in a C target (CMalloc) that a one-module swiftc build does not
// have; the fuzzers run without it.
func galley_trim_memory() {}
func galley_limit_arenas(_ n: Int32) {}
