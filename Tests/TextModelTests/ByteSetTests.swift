import CByteScan
import XCTest
@testable import TextModel

/// `ByteSet.next` and each way of the C scan (a byte at a time, AVX2) against a plain loop.
final class ByteSetTests: XCTestCase {
    /// The first member byte at or after `from`, the obvious way.
    private func expected(_ members: Set<UInt8>, _ bytes: [UInt8], _ from: Int) -> Int {
        bytes[from...].firstIndex { members.contains($0) } ?? bytes.count
    }

    private func check(_ members: Set<UInt8>, _ bytes: [UInt8], _ label: String) {
        let set = ByteSet(Array(members))
        var masks = galley_byteset()
        galley_byteset_make(&masks, (0...255).map { members.contains(UInt8($0)) ? 1 : 0 })
        bytes.withUnsafeBufferPointer { b in
            for from in stride(from: 0, through: bytes.count, by: 1) {
                let want = expected(members, bytes, from)
                XCTAssertEqual(set.next(in: b, from: from, to: b.count), want, "\(label) from \(from)")
                for way in 0...1 {
                    XCTAssertEqual(galley_byteset_next_using(Int32(way), &masks, b.baseAddress!, from, b.count), want, "\(label) way \(way) from \(from)")
                }
            }
        }
    }

    /// Every byte that may start a scalar, alone in a set, at every place of a 70-byte span (two
    /// AVX2 blocks and a tail) of bytes one above and one below it; `from` covers every lane.
    func testEachMemberAtEachPlace() {
        let starters = (0...255).map(UInt8.init).filter { !UTF8Scalar.isContinuation($0) }
        for m in starters {
            let neighbours: [UInt8] = [m &+ 1, m &- 1, m ^ 0x80, m ^ 0x10].filter { $0 != m }
            for place in [0, 1, 15, 16, 17, 31, 32, 33, 47, 63, 64, 69] {
                var bytes = (0..<70).map { neighbours[$0 % neighbours.count] }
                bytes[place] = m
                check([m], bytes, "member \(m) at \(place)")
            }
        }
    }

    /// The rules' kinds of sets (ASCII marks with E2/E3/EF leads; control characters) over Chinese
    /// text with a mark every so often, and over text with none.
    func testSetsOverChineseText() {
        let text = Array("本报讯（记者 张强）4月6日上午，“浦东新区”召开会议。\u{200B}\u{7}PM2.5 浓度——下降\n".utf8)
        let sets: [Set<UInt8>] = [Set(",.;:?!()-\"'".utf8).union([0xE3]), [0xE3, 0xEF], Set(0x00...0x08).union([0x0B, 0x0C, 0x7F, 0xC2, 0xE2, 0xEF]),
                                  Set("0123456789".utf8).union([0xEF]), [0xF0], []]
        for (k, members) in sets.enumerated() {
            check(members, text, "set \(k)")
            check(members, Array("中文没有标记的长句子一段又一段".utf8) + text, "set \(k), after Han")
        }
    }
}
