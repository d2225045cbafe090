// libFuzzer target `framing`: the bytes go to MessageFramer in chunk splits derived from the input.
// Invariants: no crash; every message body is a run of the input right after a header block whose
// Content-Length is the body's size; the framer never holds more than it was given; below the header
// limit, splitting does not change the frames.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFraming(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let bytes = Array(input)
    var splitter = Splitter(input)
    var framer = MessageFramer()
    var frames: [MessageFramer.Frame] = []
    var given = 0
    for chunk in splitter.chunks(of: size) {
        framer.append(bytes[chunk])
        given += chunk.count
        while let f = framer.next() {
            frames.append(f)
            if framer.pendingCount > given { fuzzFail("framer holds \(framer.pendingCount) bytes of \(given) given") }
        }
        if framer.pendingCount > given { fuzzFail("framer holds \(framer.pendingCount) bytes of \(given) given") }
    }
    checkBodies(frames, in: bytes)
    if size < MessageFramer.maxHeaderBytes {
        var whole = MessageFramer()
        whole.append(bytes)
        if whole.drain() != frames { fuzzFail("frames depend on how the input was split") }
    }
    return 0
}

/// Each body must follow a CRLFCRLF in the input (in order, without overlap) and the header block
/// before it must say `Content-Length: <body size>`.
func checkBodies(_ frames: [MessageFramer.Frame], in input: [UInt8]) {
    var cursor = 0
    for case .message(let body) in frames {
        var at = cursor + 4
        var found = false
        while at + body.count <= input.count {
            if input[at - 4] == 13, input[at - 3] == 10, input[at - 2] == 13, input[at - 1] == 10,
               input[at..<at + body.count].elementsEqual(body), headerDeclares(body.count, input, before: at - 4, after: cursor) {
                found = true
                break
            }
            at += 1
        }
        if !found { fuzzFail("a body of \(body.count) bytes is not a declared body of the input") }
        cursor = at + body.count
    }
}

func headerDeclares(_ n: Int, _ input: [UInt8], before end: Int, after floor: Int) -> Bool {
    var lineEnd = end
    // Walk back over header lines until an empty line or the end of the previous body. A header may
    // start mid-line (right after a body, or where the framer resynchronised): the declaration is read
    // from the line's last "content-length".
    while lineEnd >= floor {
        var lineStart = lineEnd
        while lineStart > floor, !(lineStart >= 2 && input[lineStart - 2] == 13 && input[lineStart - 1] == 10) { lineStart -= 1 }
        var from = lineStart
        let name = Array("content-length".utf8)
        if lineEnd - lineStart >= name.count {
            for i in stride(from: lineEnd - name.count, through: lineStart, by: -1)
            where (0..<name.count).allSatisfy({ j in input[i + j] | (input[i + j] >= 0x41 && input[i + j] <= 0x5A ? 0x20 : 0) == name[j] }) {
                from = i
                break
            }
        }
        if lineStart == lineEnd { return false }
        let line = String(decoding: input[from..<lineEnd], as: UTF8.self)
        if let colon = line.firstIndex(of: ":"),
           line[..<colon].trimmingSpaces.lowercased() == "content-length",
           Int(line[line.index(after: colon)...].trimmingSpaces) == n { return true }
        if lineStart <= floor { return false }
        lineEnd = lineStart - 2
    }
    return false
}
