import XCTest
@testable import Proofreading
import TextModel

final class SectionsTests: XCTestCase {
    /// The table-driven hash is FNV-1a modulo 16 for any bytes, at any offset, any length.
    func testHashIsFNV1aModulo16() {
        var generator = SystemRandomNumberGenerator()
        let fnvPairs = Sections.fnvPairs
        for length in 0..<40 {
            for _ in 0..<50 {
                let bytes = (0..<(length + 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let range = 3..<(length + 3)
                var hash: UInt32 = 2_166_136_261
                for b in bytes[range] { hash = (hash ^ UInt32(b)) &* 16_777_619 }
                let fast = bytes.withUnsafeBufferPointer { Sections.fnv1a($0, range, fnvPairs) }
                XCTAssertEqual(fast, hash % 16, "\(bytes[range])")
            }
        }
    }
}
