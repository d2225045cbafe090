import Foundation
import TextModel

/// Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) in running text (STYLE-RULES R2).
public struct NumeralWidthRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "numeral-width",
        family: .numerals,
        defaultSeverity: .warning,
        summary: "Full-width digits or Latin letters (２０２２, ＡＢＣ) instead of ASCII ones.",
        explanation: """
        Arabic digits and Latin letters are set half-width in Chinese text (GB/T 15835 §5.1, STYLE-RULES R2), \
        so ２０２２年 and Ａ股 are wrong. Full-width forms come from input methods left in full-width mode and \
        from OCR; they look almost right in print but break search, sorting and number parsing. The rule \
        reports each run of full-width digits and letters once, together with a full-width decimal point \
        between full-width digits (３．６) and a ％ right after them. The fix writes the ASCII forms (２０２２ \
        → 2022, ３．６％ → 3.6%) and is safe: the characters are the same apart from their width. A single \
        Ｏ or ０ between Chinese numerals (二Ｏ一二年) is left to numeral-style, which writes 〇 there.
        """,
        nonTriggering: [
            "2022年4月8日，全市新增3.6万人。",
            "PM2.5浓度下降10%。",
            "二〇一二年，A股上涨。",
            "二Ｏ一二年",
            "占比为百分之十。",
        ],
        triggering: [
            "↓２０２２年4月8日",
            "↓Ａ股和↓Ｂ股",
            "增长↓３．６％。",
            "第↓１２届",
            "↓ＰＭ２．５浓度",
            "截至↓４月↓８日",
        ],
        corrections: [
            Correction("２０２２年４月８日", "2022年4月8日"),
            Correction("增长３．６％，Ａ股", "增长3.6%，A股"),
            Correction("第１２届", "第12届"),
            Correction("３．", "3．"),
            Correction("２0２２年", "2022年"),
        ]
    )

    @inline(__always)
    static func isWideDigit(_ v: UInt32) -> Bool { v >= 0xFF10 && v <= 0xFF19 }
    @inline(__always)
    static func isWideLetter(_ v: UInt32) -> Bool { (v >= 0xFF21 && v <= 0xFF3A) || (v >= 0xFF41 && v <= 0xFF5A) }
    @inline(__always)
    static func isASCIIAlnum(_ v: UInt32) -> Bool {
        (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }
    /// Chinese numerals that may stand around a zero look-alike in a year (二Ｏ一二年).
    static let chineseDigits = ScalarSet("〇零一二三四五六七八九")

    public func check(_ context: RuleContext) -> [Diagnostic] {
        let doc = context.document
        let n = doc.count
        var result: [Diagnostic] = []
        var o = 0
        while o < n {
            // Fast skip: every full-width form starts with the byte 0xEF.
            guard let ef = doc.bytes.withUnsafeBufferPointer({ b in
                memchr(b.baseAddress! + o, 0xEF, n - o).map { UnsafeRawPointer(b.baseAddress!).distance(to: $0) }
            }) else { break }
            o = ef
            let (s, len) = doc.scalar(at: o)
            let v = s.value
            guard Self.isWideDigit(v) || Self.isWideLetter(v) else { o += len; continue }
            // The scalar before the run (0 at the start of the text).
            let previous: UInt32 = o > 0 ? doc.scalar(at: doc.clampToScalar(o - 1)).scalar.value : 0
            // Collect the run: wide alnum, wide . between wide digits, wide % after a wide digit, and
            // ASCII alnum sandwiched between wide ones (２0２２ is one number).
            let start = o
            var end = o
            var replacement = ""
            var lastWasWideDigit = false
            var p = o
            while p < n {
                let (t, tl) = doc.scalar(at: p)
                let w = t.value
                if Self.isWideDigit(w) || Self.isWideLetter(w) {
                    replacement.unicodeScalars.append(Unicode.Scalar(w - 0xFEE0)!)
                    lastWasWideDigit = Self.isWideDigit(w)
                    p += tl; end = p
                    continue
                }
                if w == 0xFF0E, lastWasWideDigit, p + tl < n, Self.isWideDigit(doc.scalar(at: p + tl).scalar.value) {
                    replacement.append(".")
                    lastWasWideDigit = false
                    p += tl; end = p
                    continue
                }
                if w == 0xFF05, lastWasWideDigit {
                    replacement.append("%")
                    p += tl; end = p
                    break
                }
                if Self.isASCIIAlnum(w) {
                    // Look ahead: keep the ASCII part only if a wide character follows it.
                    var q = p
                    var ascii = ""
                    while q < n, Self.isASCIIAlnum(UInt32(doc.bytes[q])) { ascii.unicodeScalars.append(Unicode.Scalar(doc.bytes[q])); q += 1 }
                    if q < n, case let nv = doc.scalar(at: q).scalar.value, Self.isWideDigit(nv) || Self.isWideLetter(nv) {
                        replacement += ascii
                        p = q
                        lastWasWideDigit = false
                        continue
                    }
                }
                break
            }
            let text = doc.slice(start..<end)
            let nextScalar: UInt32 = end < n ? doc.scalar(at: end).scalar.value : 0
            // A lone zero look-alike inside a Chinese year belongs to numeral-style (it becomes 〇).
            let isYearZero = text.unicodeScalars.count == 1 && "Ｏｏ０".unicodeScalars.contains(s)
                && Self.chineseDigits.contains(previous) && Self.chineseDigits.contains(nextScalar)
            if !isYearZero {
                let fix = Fix(title: "Write \"\(replacement)\"", edit: TextEdit(range: start..<end, newText: replacement),
                              applicability: .safe)
                result.append(diagnostic(start..<end, "Full-width characters \"\(text)\": write \"\(replacement)\"", fix: fix))
            }
            o = end
        }
        return result
    }
}
