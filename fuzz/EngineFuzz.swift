// libFuzzer target `engine`: the input as text (invalid UTF-8 decoded lossily), checked and fixed by
// every registered rule. Invariants: no crash; every diagnostic, related location and fix edit lies in
// the text on scalar boundaries; fix edits lie inside their diagnostic's range; fix (unsafe) converges, and a safe fix
// of its result changes nothing.

let linter = Linter()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let document = TextDocument(text)
    checkRanges(linter.check(document), document)
    let fixed = linter.fix(document, unsafe: true)
    if !fixed.converged { fuzzFail("fix did not converge after \(fixed.passes) passes") }
    checkRanges(linter.check(fixed.document), fixed.document)
    // Nothing safe is left once everything (safe and unsafe) was fixed: fixing again changes nothing.
    let again = linter.fix(fixed.document, unsafe: false)
    if again.document.bytes != fixed.document.bytes { fuzzFail("safe fixes still change the unsafe-fixed text") }
    return 0
}

func checkRanges(_ diagnostics: [Diagnostic], _ document: TextDocument) {
    func valid(_ r: Range<Int>) -> Bool {
        r.lowerBound >= 0 && r.upperBound <= document.count && onBoundary(r.lowerBound) && onBoundary(r.upperBound)
    }
    func onBoundary(_ o: Int) -> Bool { o == document.count || document.bytes[o] & 0xC0 != 0x80 }
    for d in diagnostics {
        if !valid(d.range) { fuzzFail("\(d.ruleID): range \(d.range) not in the text on scalar boundaries") }
        for r in d.related where !valid(r.range) { fuzzFail("\(d.ruleID): related range \(r.range) invalid") }
        for e in d.fix?.edits ?? [] {
            if !valid(e.range) { fuzzFail("\(d.ruleID): fix edit \(e.range) not in the text on scalar boundaries") }
            if e.range.lowerBound < d.range.lowerBound || e.range.upperBound > d.range.upperBound {
                fuzzFail("\(d.ruleID): fix edit \(e.range) outside its diagnostic \(d.range)")
            }
        }
    }
}
