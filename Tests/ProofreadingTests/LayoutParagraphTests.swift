import XCTest
import TextModel
@testable import Proofreading

/// The logical paragraphs of a layout: their lines are views of one shared array, indexed from 0
/// like an array of their own (rules match `lines` offsets against `segments` indices).
final class LayoutParagraphTests: XCTestCase {
    func testParagraphLinesIndexFromZeroAndMatchTheirSegments() {
        let text = "第一段只有一行。\n\n第二段的第一行，\n接着是第二行。\n\n第三段。\n"
        let layout = Layout(TextDocument(text))
        XCTAssertGreaterThanOrEqual(layout.paragraphs.count, 3)
        var lines: [Int] = []
        for paragraph in layout.paragraphs {
            XCTAssertEqual(paragraph.lines.startIndex, 0)
            XCTAssertEqual(paragraph.lines.count, paragraph.segments.count)
            for (n, line) in paragraph.lines.enumerated() {
                XCTAssertEqual(paragraph.lines[n], line)
                XCTAssertEqual(layout.lines[line].content, paragraph.segments[n])
            }
            XCTAssertEqual(paragraph.lines.firstIndex(of: paragraph.lines.last!), paragraph.lines.count - 1)
            lines += paragraph.lines
        }
        // Every non-blank line once, in order.
        XCTAssertEqual(lines, layout.lines.filter { $0.kind != .blank }.map(\.index))
        XCTAssertEqual(Array(layout.paragraphs[1].lines), [2, 3])
    }

    /// The messages written out for speed read as the rule composes the others, and are the ones
    /// its table holds (a literal that drifted from `message` would go unnoticed otherwise).
    func testWrittenOutWrapMessagesReadAsComposed() {
        var written = 0
        for (k, cause) in WrapReason.all.enumerated() {
            guard let literal = BrokenWrapRule.literalMessages(cause) else { continue }
            written += 1
            XCTAssertEqual(literal.line, BrokenWrapRule.message(cause, 0))
            XCTAssertEqual(literal.blank, BrokenWrapRule.message(cause, 1))
            XCTAssertEqual(BrokenWrapRule.messages[k].line, literal.line)
            XCTAssertEqual(BrokenWrapRule.messages[k].blank, literal.blank)
        }
        XCTAssertEqual(written, 7)
    }
}
