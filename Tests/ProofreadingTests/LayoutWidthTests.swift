import XCTest
import TextModel
@testable import Proofreading

/// Line widths read off the bytes: a run of Han characters and common marks is read four bytes at
/// a time, so the last characters of a document are read another way; both must agree.
final class LayoutWidthTests: XCTestCase {
    private func widths(_ text: String) -> [Int] {
        Layout(TextDocument(text)).lines.filter { $0.kind != .blank }.map(\.width)
    }

    func testHanMarksQuotesAndLatinWidths() {
        // 中文，“好” 2 each; AB12 1 each.
        XCTAssertEqual(widths("中文，“好”AB12\n"), [16])
    }

    func testTheHanRangeStartsAtU4E00() {
        // ䷀ (U+4DC0, E4 B7 80) is one column; 一 (U+4E00, E4 B8 80) two.
        XCTAssertEqual(widths("中䷀文一\n"), [7])
    }

    func testTheDocumentsLastLineWithoutALineBreak() {
        for line in ["中文，“好”AB12", "中䷀文一", "一", "说。", "ab", "制图：冯晓瑜"] {
            XCTAssertEqual(widths("第一行。\n" + line), widths("第一行。\n" + line + "\n"), line)
        }
        let credit = Layout(TextDocument("第一行。\n\n制图：冯晓瑜")).lines.last!
        XCTAssertEqual(credit.kind, .caption)
    }
}
