import XCTest
import TextModel
@testable import Proofreading

/// Furniture told apart by its look (R23, R24): the pattern tests skip what a line cannot be (a
/// credit mark without 图, a reporter's title without its first letter), never what it is.
final class LayoutFurnitureTests: XCTestCase {
    private func kinds(_ lines: [String]) -> [LineKind] {
        let layout = Layout(TextDocument(lines.joined(separator: "\n\n") + "\n"))
        return layout.lines.filter { $0.kind != .blank }.map(\.kind)
    }

    func testCreditsCaptionsBylinesAndListItems() {
        XCTAssertEqual(kinds(["制图：冯晓瑜", "图为市民在社区排队", "本报记者 宋宁华", "■ 李 文", "1. 湖滨街道"]),
                       [.caption, .caption, .byline, .byline, .listItem])
    }

    func testLongPlainLinesKeepTheirEndsAndDatelines() {
        // A paragraph on one line of Han characters only (its patterns read without the general
        // decoding, its middle skipped): the jump marker at its end and the dateline at its start
        // are still found.
        let body = String(repeating: "市民在社区排队接种疫苗", count: 12)
        let layout = Layout(TextDocument("本报讯" + body + "下转第六版\n\n" + "中国" + body + "\n"))
        let f = layout.features
        XCTAssertEqual(f.count, 2)
        XCTAssertTrue(f[0].startsDateline)
        XCTAssertEqual(layout.document.slice(f[0].effectiveEnd..<f[0].content.upperBound), "下转第六版")
        XCTAssertFalse(f[1].startsDateline)
        XCTAssertEqual(f[1].effectiveEnd, f[1].content.upperBound)
    }

    func testLinesThatOnlyStartLikeFurnitureAreProse() {
        // 制 without 图, 本 without a title, a number that is a decimal.
        XCTAssertEqual(kinds(["制作团队连夜赶工完成了任务。", "本次活动吸引了众多市民参加。", "3.6万人参加了这次活动。"]),
                       [.prose, .prose, .prose])
    }
}
