import Foundation
import TextModel
import Proofreading

// Developer tool: prints every line with the layout analysis decision and its measurements,
// to see why a break was or was not joined. Usage: swift run galley-layout FILE...
for path in CommandLine.arguments.dropFirst() {
    let text = try! String(contentsOfFile: path, encoding: .utf8)
    let doc = TextDocument(text)
    let layout = Layout(doc)
    var joinAfter: [Int: WrapJoin] = [:]
    for j in layout.joins { joinAfter[j.upperLine] = j }
    print("=== \(path)")
    for info in layout.lines {
        if info.kind == .blank { print(String(format: "%4d", info.index + 1)); continue }
        var mark = ""
        if let j = joinAfter[info.index] { mark = j.confidence == .safe ? "  ⏎JOIN" : "  ⏎join?" ; mark += " (\(j.reason))" }
        let kind = info.kind == .prose ? "" : "[\(info.kind.rawValue)] "
        print(String(format: "%4d w%3d ", info.index + 1, info.width) + kind + doc.slice(info.content) + mark + "   {" + layout.measurements(ofLine: info.index) + "}")
    }
}
