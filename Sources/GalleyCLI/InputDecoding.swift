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
    // Validated as its lines are indexed: a big text in one pass over pieces on all cores.
    guard let document = TextDocument(validating: bytes) else {
        let bad = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid(in: $0) } ?? 0
        let line = bytes.withUnsafeBufferPointer { LineIndex(UnsafeBufferPointer(rebasing: $0[..<bad])).count }
        return .failure(.invalidUTF8(offset: bad, line: line, byte: bytes[bad], looksLikeGB18030: looksLikeGB18030(bytes.array)))
    }
    return .success(document)
}

/// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
/// surrogates and values above U+10FFFF are ill-formed), or nil when all of `bytes` is valid.
public func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid(in: $0) }
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
