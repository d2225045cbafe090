import TextModel

/// Spaces between a number and Chinese text on one line (`4月 1日`, `共计 41名`), STYLE-RULES R3.
public struct NumeralSpacingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "numeral-spacing",
        family: .numerals,
        defaultSeverity: .warning,
        summary: "A space between a number and Chinese text (4月 1日, 共计 41名).",
        explanation: """
        Chinese newspapers set numbers solid with the Chinese text around them: 2022年4月8日, 共计41名, \
        约3.6万人 (STYLE-RULES R3; every example of GB/T 15835 is unspaced). PDF extractors and OCR leave \
        spaces there (2022 年 4 月 8 日, 截至 4月 8日), and some style guides for the web ask for them; in a \
        transcription of a newspaper they are noise that breaks search for dates and figures. The rule \
        reports each run of spaces (ASCII space, tab, NBSP, ideographic space) between a Han character and \
        an Arabic number on the same line, in either order. It leaves alone numbers that belong to a Latin \
        token or an English phrase (PM2.5 浓度, 5G 网络, Windows 10 系统), spaces next to brackets and other \
        punctuation, list numbers (1. 湖滨街道), line breaks, and headlines, where a space separates two \
        phrases (枪击案 2人死亡: a line without Chinese punctuation above a paragraph at least twice as wide). The fix deletes the spaces and is safe.
        """,
        nonTriggering: [
            "2022年4月8日，全市新增3.6万人。",
            "1. 湖滨街道,沈彦,13906509846",
            "积极协调筹集羽绒服和 T恤衫，",
            "PM2.5 浓度下降，5G 网络覆盖。",
            "升级到 Windows 10 系统",
            "本报讯（记者 李双玖） 4月10日下午",
            "向市人大转送建议16\n条",
            "建议\n16条",
            "四 月",
            "美国华盛顿特区发生枪击案 2人死亡\n当地时间7月18日晚，美国首都华盛顿发生枪击事件，造成2人死亡、5人受伤，警方正在调查。\n",
        ],
        triggering: [
            "在↓ 4月↓ 1日起",
            "——习近平↓ 2022↓ 年↓ 4↓ 月↓ 8↓ 日在北京",
            "共计↓ 41名党员",
            "迅速集结↓ 3人党员专班",
            "有↓ 805↓ 名区和镇级人大代表",
            "截至↓ 4月↓ 8日，",
            "特别关注“最后↓ 1公里”",
            "向市人大转送建议↓ 16\n条，",
            "本报讯 （记者 张\n强） 4↓ 月↓ 6↓ 日上午，",
            "增长↓ 10%↓ 以上，达到↓\u{3000}3.6↓\u{A0}万",
        ],
        corrections: [
            Correction("在 4月 1日起", "在4月1日起"),
            Correction("——习近平 2022 年 4 月 8 日在", "——习近平2022年4月8日在"),
            Correction("强） 4 月 6 日上午", "强） 4月6日上午"),
            Correction("有 \t805  名", "有805名"),
        ]
    )

    @inline(__always)
    static func isDigit(_ v: UInt32) -> Bool { (v >= 0x30 && v <= 0x39) || (v >= 0xFF10 && v <= 0xFF19) }
    /// The `isDigit` scalars by their first bytes and the third of ０–９ (EF BC 90–99): by first bytes
    /// alone the scan stopped at every ，：！（）.
    enum Digits: CandidateScan {
        @inline(__always)
        static func candidates(_ before: SIMD16<UInt8>, _ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ third: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
            within(first, 0x30, 0x39) .| ((first .== splat(0xEF)) .& within(third, 0x90, 0x99))
        }
    }
    /// Whether the scalar at `o` (a candidate of `Digits`) is a digit, told by its bytes:
    /// ０–９ are EF BC 90–99.
    @inline(__always)
    static func isDigit(_ b: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
        guard b[o] >= 0x80 else { return true }
        return o + 2 < b.count && b[o + 1] == 0xBC && b[o + 2] >= 0x90 && b[o + 2] <= 0x99
    }
    /// Characters that may continue a number: 3.6, 12,500, 8:30, 1/3, 10%, 25℃.
    @inline(__always)
    static func isNumberPart(_ v: UInt32) -> Bool {
        isDigit(v) || v == 0x2E || v == 0x2C || v == 0x3A || v == 0x2F || v == 0x25 || v == 0x2030 || v == 0x2103 || v == 0xB0
            || v == 0xFF0E || v == 0xFF05
    }
    /// Characters a number may end with.
    @inline(__always)
    static func isNumberEnd(_ v: UInt32) -> Bool { isDigit(v) || v == 0x25 || v == 0x2030 || v == 0x2103 || v == 0xB0 || v == 0xFF05 }
    /// A letter that makes a token Latin (PM2.5, 5G, COVID-19); `-`/`_` glue such tokens together.
    @inline(__always)
    static func isLatinish(_ v: UInt32) -> Bool {
        (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || (v >= 0xC0 && v <= 0x24F)
            || (v >= 0xFF21 && v <= 0xFF5A) || v == 0x2D || v == 0x5F
    }

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        var result: [Diagnostic] = []
        var lineScalars = LineScalars()
        // Only a line with both a digit and a space between two of its characters can have a finding
        // (spaces at a line's ends are not this rule's). The layout noted the lines with such a space
        // (few): only these are scanned for a digit.
        doc.bytes.withUnsafeBufferPointer { b in
            for f in context.layout.features where f.innerSpace {
                guard Digits.first(in: b, from: f.content.lowerBound, to: f.content.upperBound, where: Self.isDigit) < f.content.upperBound
                else { continue }
                lineScalars.withScalars(of: doc.lines.contentRange(of: f.line), in: b) { scalars, offsets in
                    if !isHeadline(f.line, scalars, doc, context) { check(scalars, offsets, b, into: &result) }
                }
            }
        }
        return result
    }

    /// In a headline a space separates two phrases (枪击案 3死27伤); it is punctuation there, not an
    /// extractor's gap. A headline: the layout says so, or the line holds no Chinese punctuation at all
    /// and the next line is a paragraph at least twice as wide (a column line's neighbours are as wide
    /// as itself).
    private func isHeadline(_ line: Int, _ scalars: UnsafeBufferPointer<UInt32>, _ doc: TextDocument, _ context: RuleContext) -> Bool {
        let lines = context.layout.lines
        guard line < lines.count else { return false }
        if lines[line].kind == .headline { return true }
        if scalars.contains(where: { Scalars.isCJKPunctuation(Unicode.Scalar($0)!) && !Scalars.isInlineSpace(Unicode.Scalar($0)!) }) {
            return false
        }
        var next = line + 1
        while next < lines.count, next <= line + 2, lines[next].kind == .blank { next += 1 }
        guard next < lines.count, lines[next].kind != .blank else { return false }
        return lines[next].width >= 2 * lines[line].width
    }

    private func isSpace(_ v: UInt32) -> Bool { Scalars.isInlineSpace(Unicode.Scalar(v) ?? "x") }

    private func check(_ s: UnsafeBufferPointer<UInt32>, _ off: UnsafeBufferPointer<Int>, _ bytes: UnsafeBufferPointer<UInt8>, into result: inout [Diagnostic]) {
        let n = s.count
        var i = 0
        while i < n {
            guard isSpace(s[i]) else { i += 1; continue }
            var j = i
            while j < n, isSpace(s[j]) { j += 1 }
            defer { i = j }
            // Spaces at the start or the end of a line are indentation or trailing space, not ours.
            guard i > 0, j < n else { continue }
            let left = s[i - 1], right = s[j]
            let leftHan = Scalars.isHan(Unicode.Scalar(left)!), rightHan = Scalars.isHan(Unicode.Scalar(right)!)
            // The number's scalars, `k..<j` before the spaces or `j..<k` after them.
            var number: Range<Int>? = nil
            if leftHan, Self.isDigit(right) {
                // Han, spaces, a number: the number must not turn out to be a Latin token (5G, 3D).
                var k = j
                while k < n, Self.isNumberPart(s[k]) { k += 1 }
                if k < n, Self.isLatinish(s[k]) { continue }
                number = j..<k
            } else if rightHan, Self.isNumberEnd(left) {
                // A number, spaces, Han: the number must not end a Latin token (PM2.5, COVID-19) or an
                // English phrase (Windows 10 系统).
                var k = i - 1
                while k > 0, Self.isNumberPart(s[k - 1]) { k -= 1 }
                guard Self.isDigit(s[k]) else { continue }
                if k > 0, Self.isLatinish(s[k - 1]) { continue }
                if k > 0, isSpace(s[k - 1]) {
                    var b = k - 1
                    while b > 0, isSpace(s[b - 1]) { b -= 1 }
                    if b > 0, Self.isLatinish(s[b - 1]) { continue }
                }
                number = k..<i
            }
            guard let number else { continue }
            let range = off[i]..<off[j]
            let han = leftHan ? off[i - 1]..<off[i] : off[j]..<off[j + 1]
            let numberBytes = off[number.lowerBound]..<off[number.upperBound]
            let fix = Fix(title: "Delete the space", edit: TextEdit(range: range, newText: ""), applicability: .safe)
            result.append(diagnostic(range, leftHan ? Self.message(bytes, han, numberBytes) : Self.message(bytes, numberBytes, han), fix: fix))
        }
    }

    /// `Space between "a" and "b": write "ab"`, of the bytes `a` and `b`: interpolating the strings
    /// decoded from the scalars cost more than the rest of the rule.
    static func message(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> String {
        let first = UnsafeBufferPointer(rebasing: bytes[a]), second = UnsafeBufferPointer(rebasing: bytes[b])
        return String(unsafeUninitializedCapacity: 33 + 2 * (a.count + b.count)) { buffer in
            var w = ByteWriter(buffer)
            w.append("Space between \"")
            w.append(first)
            w.append("\" and \"")
            w.append(second)
            w.append("\": write \"")
            w.append(first)
            w.append(second)
            w.append(UInt8(ascii: "\""))
            return w.count
        }
    }
}
