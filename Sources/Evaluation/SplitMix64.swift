/// A seeded pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014). The evaluation set must
/// be the same on every machine and toolchain, so the helpers below draw numbers themselves instead
/// of using the standard library's `random(in:using:)` and `shuffle(using:)`, whose algorithms are
/// not guaranteed to stay the same across Swift versions.
public struct SplitMix64 {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one item of a family (a document of a layout, say), independent of how many
    /// numbers the other items drew: the seed is mixed with the item's coordinates.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        var g = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        let a = g.next()
        self.init(seed: a ^ (index &* 0xBF58_476D_1CE4_E5B9) ^ 0x94D0_49BB_1331_11EB)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (n > 0), by rejection so there is no modulo bias.
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    /// A uniform integer in a closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(below: items.count)] }

    /// Fisher–Yates with this generator.
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, int(below: i + 1))
        }
        return a
    }
}
