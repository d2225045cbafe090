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

    /// What the wrap analysis reads off a line (the widths and the features counted over it).
    private func counted(_ line: String, padded: Bool) -> String {
        // Sixteen bytes of a line are read at a time where the document goes on for 18 bytes after
        // it; the last line of a document is read a character at a time.
        let f = Layout(TextDocument(line + (padded ? "\n" + String(repeating: " \n", count: 20) : ""))).features[0]
        return "\(f.width) \(f.charWidth) \(f.scalarCount) han \(f.hasHan) punct \(f.punctuated) end \(f.hasSentenceEnd) "
            + "pause \(f.innerPause) open \(f.openAtEnd) space \(f.innerSpace) \(f.letterSpaced) \(f.phraseGap) \(f.kind)"
    }

    func testSixteenBytesAtATimeAgreeWithACharacterAtATime() {
        let lines = [
            "”他说“好”，“不", "“好”，”“", "中文，AB12图。", "䷀中文", "中文，“好” 记者 张强", "增强大局意识 强化责任担当",
            String(repeating: "中文，“a1”。", count: 40) + "图", String(repeating: "中文、", count: 100) + "好 的",
            "x" + String(repeating: "中", count: 15) + "—", String(repeating: "中", count: 5) + "“",
        ]
        for line in lines {
            XCTAssertEqual(counted(line, padded: true), counted(line, padded: false), line)
        }
        XCTAssertEqual(counted("”他说“好”，“不", padded: true), "18 18 9 han true punct true end false pause true open true space false false false prose")
    }
}
