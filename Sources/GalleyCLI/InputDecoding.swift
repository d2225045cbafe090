import Foundation
import Proofreading
import TextModel

/// Why a file's bytes are not a text galley can check.
public enum InputDecodingError: Error, Equatable {
    /// A NUL byte in the first 8 KB: not a text file.
    case binary(offset: Int)
    /// UTF-16: a byte order mark (FF FE little-endian, FE FF big-endian), or, without one, NUL bytes
    /// nearly all at odd (little-endian) or even (big-endian) offsets in text that decodes as UTF-16.
    case utf16(bigEndian: Bool, byteOrderMark: Bool = true)
    /// Not valid UTF-8: the byte offset and 1-based line of the first invalid sequence, and whether
    /// the bytes read well as GB18030 (GBK, GB2312), the usual legacy encoding of Chinese text.
    case invalidUTF8(offset: Int, line: Int, byte: UInt8, looksLikeGB18030: Bool)

    /// One line for standard error; `path` is shown in the conversion command.
    public func message(path: String) -> String {
        let file = shellQuoted(path)
        switch self {
        case .binary(let offset):
            return "binary file, skipped (it holds a NUL byte at byte offset \(offset))"
        case .utf16(let bigEndian, true):
            return "not UTF-8: looks like UTF-16 (it starts with a UTF-16\(bigEndian ? "BE" : "LE") byte order mark); "
                + "convert it with: iconv -f UTF-16 -t UTF-8 \(file) > \(shellQuoted(path + ".utf8"))"
        case .utf16(let bigEndian, false):
            let name = bigEndian ? "UTF-16BE" : "UTF-16LE"
            return "not UTF-8: looks like \(name) without a byte order mark (its NUL bytes are the high halves of UTF-16 units); "
                + "convert it with: iconv -f \(name) -t UTF-8 \(file) > \(shellQuoted(path + ".utf8"))"
        case .invalidUTF8(let offset, let line, let byte, let gb):
            var s = "not valid UTF-8: invalid byte 0x\(String(byte, radix: 16, uppercase: true)) at byte offset \(offset) (line \(line))"
            if gb {
                s += "; looks like GB18030 (or GBK/GB2312); convert it with: iconv -f GB18030 -t UTF-8 \(file) > \(shellQuoted(path + ".utf8"))"
            }
            return s
        }
    }
}

/// A file's bytes as a document, or why not. Linear time and no per-character `String` work: the
/// bytes are validated as UTF-8 once and handed to `TextDocument(bytes:)` unchanged. A UTF-8 byte
/// order mark stays in the text (it is part of it, and `fix` must write it back); empty input is fine.
public func decodeInput(_ bytes: [UInt8]) -> Result<TextDocument, InputDecodingError> {
    decodeInput(TextBytes(bytes))
}

/// The same for bytes in any storage (a big file is mapped, not read; see `FileIO.map`).
public func decodeInput(_ bytes: TextBytes) -> Result<TextDocument, InputDecodingError> {
    if bytes.count >= 2 {
        if bytes[0] == 0xFF && bytes[1] == 0xFE { return .failure(.utf16(bigEndian: false)) }
        if bytes[0] == 0xFE && bytes[1] == 0xFF { return .failure(.utf16(bigEndian: true)) }
    }
    let head = Array(bytes.prefix(8192))[...]
    if let nul = head.firstIndex(of: 0) {
        if let bigEndian = utf16WithoutBOM(head) { return .failure(.utf16(bigEndian: bigEndian, byteOrderMark: false)) }
        return .failure(.binary(offset: nul))
    }
    if let bad = bytes.withUnsafeBufferPointer({ firstInvalidUTF8(of: $0) }) {
        let line = bytes.withUnsafeBufferPointer { LineIndex(UnsafeBufferPointer(rebasing: $0[..<bad])).count }
        return .failure(.invalidUTF8(offset: bad, line: line, byte: bytes[bad], looksLikeGB18030: looksLikeGB18030(bytes.array)))
    }
    return .success(TextDocument(bytes: bytes))
}

/// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
/// surrogates and values above U+10FFFF are ill-formed), or nil when all of `bytes` is valid.
public func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { firstInvalidUTF8(of: $0) }
}

func firstInvalidUTF8(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    // A big file is validated in pieces on all cores, each cut before a byte that starts a
    // sequence (so a valid text is valid piece by piece, and an invalid one is not).
    if allValidUTF8(bytes) { return nil }
    return firstInvalidUTF8(in: bytes)
}

func firstInvalidUTF8(in b: UnsafeBufferPointer<UInt8>) -> Int? {
    let n = b.count
    guard let base = b.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    func word(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
    // `leads`: the lead bytes of three-byte sequences (E0–EF), every other byte FF. Leads E1–EC, EE
    // and EF take any continuation bytes; E0 and ED restrict their second byte.
    func freeLeads(_ leads: UInt64) -> Bool {
        !(leads ^ 0xE0E0_E0E0_E0E0_E0E0).hasZeroByte && !(leads ^ 0xEDED_EDED_EDED_EDED).hasZeroByte
    }
    // Of the 24 bytes at `at`: the bytes of the three-byte sequences before the first one that is not
    // (eight sequences at most; their leads sit at different bytes of the three words), or 0 when a
    // lead among them is E0 or ED.
    func threeByteRun(_ at: Int) -> Int {
        let x = word(at), y = word(at + 8), z = word(at + 16)
        guard freeLeads((x & 0x00FF_0000_FF00_00FF) | (y & 0xFF00_00FF_0000_FF00) | (z & 0x0000_FF00_00FF_0000)) else { return 0 }
        // Nonzero at each byte that breaks the pattern: lead 1110xxxx, continuations 10xxxxxx.
        let ex = (x & 0xC0F0_C0C0_F0C0_C0F0) ^ 0x80E0_8080_E080_80E0
        let ey = (y & 0xF0C0_C0F0_C0C0_F0C0) ^ 0xE080_80E0_8080_E080
        let ez = (z & 0xC0C0_F0C0_C0F0_C0C0) ^ 0x8080_E080_80E0_8080
        let first = ex != 0 ? ex.trailingZeroBitCount >> 3
            : ey != 0 ? 8 + ey.trailingZeroBitCount >> 3 : ez != 0 ? 16 + ez.trailingZeroBitCount >> 3 : 24
        return first / 3 * 3
    }
    var i = 0
    while i < n {
        // Eight bytes at a time: ASCII, up to the first byte that is not, and runs of three-byte
        // sequences (Han and CJK punctuation), 24 bytes at a time. Anything else goes byte by byte.
        while i + 8 <= n {
            let x = word(i)
            let high = x & 0x8080_8080_8080_8080
            if high == 0 { i += 8; continue }
            if x & 0x80 == 0 { i += high.trailingZeroBitCount >> 3; continue }
            let start = i
            while i + 24 <= n {
                let run = threeByteRun(i)
                i += run
                if run < 24 { break }
            }
            if i == start { break }
        }
        guard i < n else { break }
        let b0 = b[i]
        if b0 < 0x80 { i += 1; continue }
        // Han and CJK punctuation (lead bytes E1–EC, any continuation bytes): most of a text.
        if b0 &- 0xE1 < 12, i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 { i += 3; continue }
        let length: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF // allowed range of the second byte
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; hi = 0x9F
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default: return i
        }
        if i + length > n { return i }
        if b[i + 1] < lo || b[i + 1] > hi { return i }
        var k = 2
        while k < length {
            if b[i + k] & 0xC0 != 0x80 { return i }
            k += 1
        }
        i += length
    }
    return nil
}

func allValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let pieceSize = 1 << 20
    guard bytes.count > 2 * pieceSize else { return firstInvalidUTF8(in: bytes) == nil }
    var cuts = [0]
    var at = pieceSize
    while at < bytes.count {
        var c = at
        while c < bytes.count, c < at + 4, bytes[c] & 0xC0 == 0x80 { c += 1 }
        cuts.append(c)
        at = c + pieceSize
    }
    cuts.append(bytes.count)
    return !Parallel.map(cuts.count - 1) { k in firstInvalidUTF8(in: UnsafeBufferPointer(rebasing: bytes[cuts[k]..<cuts[k + 1]])) == nil }.contains(false)
}

/// For a sample holding NUL bytes: true (big-endian) or false (little-endian) when it reads as
/// UTF-16 text without a byte order mark, nil when it does not (then it is binary). UTF-16 text has
/// NUL high bytes for its ASCII, line breaks included, so its NULs sit on one parity of offset; the
/// sample must also decode as UTF-16 in that byte order into text (no NUL or other C0 control but
/// tab, LF and CR). Only the first 8 KB is looked at, so this is constant time.
func utf16WithoutBOM(_ sample: ArraySlice<UInt8>) -> Bool? {
    var nulAt = [0, 0] // NUL bytes at even, odd offsets from the start of the sample
    for (i, b) in sample.enumerated() where b == 0 { nulAt[i & 1] += 1 }
    let bigEndian: Bool
    if nulAt[1] > 0, nulAt[0] * 20 <= nulAt[1] { bigEndian = false } // "a" is 61 00
    else if nulAt[0] > 0, nulAt[1] * 20 <= nulAt[0] { bigEndian = true }
    else { return nil }
    let bytes = Array(sample.prefix(sample.count & ~1))
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var i = 0
    while i + 1 < bytes.count {
        units.append(bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
        i += 2
    }
    // The sample may end inside a surrogate pair.
    if let last = units.last, last & 0xFC00 == 0xD800 { units.removeLast() }
    if units.isEmpty { return nil }
    var decoder = UTF16()
    var iterator = units.makeIterator()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let s):
            if s.value < 0x20 && s.value != 0x09 && s.value != 0x0A && s.value != 0x0D { return nil }
        case .emptyInput: return bigEndian
        case .error: return nil
        }
    }
}

/// True when the bytes decode as GB18030 into mostly Chinese text. Tried only after UTF-8 failed;
/// the share of Han and CJK punctuation among the non-ASCII characters keeps Latin-1 and random
/// bytes (which GB18030 can often decode too) from being called Chinese.
func looksLikeGB18030(_ bytes: [UInt8]) -> Bool {
    let gb18030 = String.Encoding(rawValue: 0x8000_0632) // CoreFoundation's GB_18030_2000
    guard let text = String(data: Data(bytes), encoding: gb18030) else { return false }
    var nonASCII = 0, chinese = 0
    for s in text.unicodeScalars where s.value >= 0x80 {
        nonASCII += 1
        if Scalars.isCJK(s) { chinese += 1 }
    }
    return chinese > 0 && chinese * 10 >= nonASCII * 6
}

/// A path as a shell word, quoted only when it needs to be.
func shellQuoted(_ s: String) -> String {
    let plain = s.unicodeScalars.allSatisfy { c in
        (c.value >= 0x80) || Scalars.isASCIILetter(c) || Scalars.isASCIIDigit(c) || "/._-+,:@%".unicodeScalars.contains(c)
    }
    if plain && !s.isEmpty { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
