import Proofreading
import TextModel

/// `galley rules` and `galley explain ID`, both from `RuleRegistry.all` and the rules' descriptions.
enum RulesCommand {
    /// Whether a rule can fix what it finds, as its correction examples show: none, safe, unsafe,
    /// or safe/unsafe when it has both kinds.
    static func fixAvailability(_ d: RuleDescription) -> String {
        if d.corrections.isEmpty { return "none" }
        let unsafe = d.corrections.filter(\.unsafe).count
        if unsafe == 0 { return "safe" }
        return unsafe == d.corrections.count ? "unsafe" : "safe/unsafe"
    }

    static func list(format: OutputFormat, console: Console) -> Int32 {
        let descriptions = RuleRegistry.all.map { $0.description }
        switch format {
        case .json:
            let objects = descriptions.map { d in
                "  {\"id\":\(FindingsWriter.jsonString(d.id)),\"family\":\"\(d.family.rawValue)\","
                    + "\"defaultSeverity\":\"\(d.defaultSeverity.rawValue)\",\"fix\":\"\(fixAvailability(d))\","
                    + "\"summary\":\(FindingsWriter.jsonString(d.summary)),\"explanation\":\(FindingsWriter.jsonString(d.explanation))}"
            }
            console.stdout.write(objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n")
        case .text, .sarif, .github: // The parser lets only text and json through.
            let header = ["RULE", "FAMILY", "SEVERITY", "FIX", "SUMMARY"]
            let rows = [header] + descriptions.map {
                [$0.id, $0.family.rawValue, $0.defaultSeverity.rawValue, fixAvailability($0), $0.summary]
            }
            var widths = [Int](repeating: 0, count: header.count - 1)
            for row in rows { for i in widths.indices { widths[i] = max(widths[i], width(row[i])) } }
            for row in rows {
                var line = ""
                for i in widths.indices { line += row[i] + String(repeating: " ", count: widths[i] - width(row[i]) + 2) }
                console.stdout.write(line + row[header.count - 1] + "\n")
            }
            console.stdout.write("\n\(plural(descriptions.count, "rule")). `galley explain RULE` explains one, with examples.\n")
        }
        return 0
    }

    static func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + Scalars.displayWidth($1) } }

    static func explain(_ id: String, console: Console) -> Int32 {
        guard let rule = RuleRegistry.rule(for: id) else {
            var message = "galley: unknown rule \"\(id)\"" + ArgumentParser.suggestion(id, among: RuleRegistry.ids) + "\n"
            message += "Known rules: " + RuleRegistry.ids.joined(separator: ", ") + "\n"
            console.stderr.write(message)
            return 2
        }
        console.stdout.write(explanation(of: rule.description))
        return 0
    }

    static func explanation(of d: RuleDescription) -> String {
        var out = "\(d.id)\n"
        out += "  family: \(d.family.rawValue); default severity: \(d.defaultSeverity.rawValue); fix: \(fixAvailability(d))\n\n"
        out += wrap(d.summary) + "\n\n" + wrap(d.explanation) + "\n"
        var legend = false
        func block(_ text: String) -> String {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let finalNewline = lines.count > 1 && lines.last == ""
            if finalNewline { lines.removeLast() }
            var s = lines.map { line -> String in
                let (shown, changed) = visible(line)
                if changed { legend = true }
                return ("    │ " + shown).trailingSpacesTrimmed()
            }.joined(separator: "\n") + "\n"
            if !finalNewline && !text.isEmpty { s += "    (no line break at the end)\n" }
            return s
        }
        if !d.nonTriggering.isEmpty {
            out += "\nDoes not trigger:\n"
            out += d.nonTriggering.map(block).joined(separator: "\n")
        }
        if !d.triggering.isEmpty {
            out += "\nTriggers (\(RuleDescription.marker) marks where each finding starts):\n"
            out += d.triggering.map(block).joined(separator: "\n")
        }
        if !d.corrections.isEmpty {
            out += "\nCorrections (`galley fix`\(d.corrections.contains(where: \.unsafe) ? "; \"(unsafe)\" ones only with --unsafe" : "")):\n"
            out += d.corrections.map { c in
                block(c.input) + "  → becomes\(c.unsafe ? " (unsafe)" : ""):\n" + block(c.output)
            }.joined(separator: "\n")
        }
        if legend {
            out += "\n(⟨…⟩ shows an invisible character, ␠ a space at the end of a line.)\n"
        }
        return out
    }

    /// A line with its invisible characters made visible; true when anything was replaced.
    static func visible(_ line: String) -> (String, Bool) {
        let scalars = Array(line.unicodeScalars)
        var trailingStart = scalars.count
        while trailingStart > 0 && Scalars.isInlineSpace(scalars[trailingStart - 1]) { trailingStart -= 1 }
        var out = ""
        var changed = false
        for (i, s) in scalars.enumerated() {
            let v = s.value
            var name: String? = nil
            switch v {
            case 0x09: name = "⟨tab⟩"
            case 0x0D: name = "⟨CR⟩"
            case 0xA0: name = "⟨nbsp⟩"
            case 0x20: if i >= trailingStart { name = "␠" }
            case 0x3000: if i >= trailingStart { name = "⟨U+3000⟩" }
            case 0..<0x20, 0x7F...0x9F, 0xAD, 0x2000...0x200F, 0x2028...0x202F, 0x205F...0x2064, 0xFEFF:
                let hex = String(v, radix: 16, uppercase: true)
                name = "⟨U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "⟩"
            default: break
            }
            if let name { out += name; changed = true } else { out.unicodeScalars.append(s) }
        }
        return (out, changed)
    }

    /// Wraps at spaces to about 96 columns (display width), indenting nothing.
    static func wrap(_ text: String, width limit: Int = 96) -> String {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = width(String(word))
            if lineWidth > 0 && lineWidth + 1 + w > limit {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            if lineWidth > 0 { line += " "; lineWidth += 1 }
            line += word
            lineWidth += w
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func trailingSpacesTrimmed() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
