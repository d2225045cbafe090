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

    func testLinesThatOnlyStartLikeFurnitureAreProse() {
        // 制 without 图, 本 without a title, a number that is a decimal.
        XCTAssertEqual(kinds(["制作团队连夜赶工完成了任务。", "本次活动吸引了众多市民参加。", "3.6万人参加了这次活动。"]),
                       [.prose, .prose, .prose])
    }
}
