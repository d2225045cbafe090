import Foundation
import XCTest
@testable import GalleyCLI

/// The text `broken-wrap` flags today (its own example): a line break inside a sentence.
let wrappedText = "记者在\n现场看到。\n"

/// A fresh temporary folder, removed when the test ends.
func makeTemporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("galley-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

extension URL {
    /// Writes bytes to a file under this folder (creating folders) and returns its URL.
    @discardableResult
    func write(_ relativePath: String, _ bytes: [UInt8]) throws -> URL {
        let file = appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> URL { try write(relativePath, Array(text.utf8)) }

    func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: self)) }
}

/// Runs galley in-process in `folder`.
func runGalley(_ arguments: [String], in folder: URL, stdin: [UInt8] = []) -> (status: Int32, stdout: String, stderr: String) {
    let captured = CapturedConsole(stdin: stdin, workingDirectory: folder.path)
    let status = captured.run(arguments)
    return (status, captured.stdout, captured.stderr)
}
