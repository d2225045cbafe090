// libFuzzer target `session`: the bytes go to a fresh ServerSession in chunk splits derived from the
// input. Invariants: no crash; everything written is framed JSON; afterwards a valid request still
// gets an answer, unless the session has exited or the framer is legitimately waiting for the rest of
// a declared body (probes are sent until past the header limit, so a broken header cannot hide one).

let probeID = "fuzz-probe"
let probe = MessageFramer.frame(Array(#"{"jsonrpc":"2.0","id":"fuzz-probe","method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#.utf8))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let bytes = Array(input)
    var splitter = Splitter(input)
    var session = ServerSession(server: LanguageServer())
    var output = MessageFramer()
    for chunk in splitter.chunks(of: size) {
        output.append(session.receive(bytes[chunk]))
        if session.exitCode != nil { break }
    }
    _ = messages(&output)
    guard session.exitCode == nil else { return 0 }
    // Probes go until one is answered. Past the header limit, a framer still holding every probe is
    // waiting for a declared body (legitimate). A body may also end inside a probe: the rest of that
    // probe is then a bad header and the framer resynchronises, so the probe after next is answered
    // (found by this target with a Content-Length of 9179 ending inside the 60th probe).
    var sent = 0
    while true {
        output.append(session.receive(probe))
        sent += probe.count
        if messages(&output).contains(where: { $0["id"] == .string(probeID) }) { return 0 }
        if session.exitCode != nil { fuzzFail("the probe made the session exit") }
        if sent > MessageFramer.maxHeaderBytes + probe.count {
            if session.framer.pendingCount >= sent { return 0 }
            if sent > MessageFramer.maxHeaderBytes + 4 * probe.count {
                fuzzFail("no answer to a valid request, and the framer is not waiting for a body")
            }
        }
    }
}

func messages(_ output: inout MessageFramer) -> [JSON] {
    output.drain().map { frame in
        guard case .message(let body) = frame, let m = try? JSON.parse(body) else {
            fuzzFail("the server wrote something that is not framed JSON: \(frame)")
        }
        return m
    }
}
