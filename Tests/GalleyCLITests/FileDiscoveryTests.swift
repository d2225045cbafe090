import Foundation
import XCTest
@testable import GalleyCLI

final class FileDiscoveryTests: XCTestCase {
    func testWalkIsSortedSkipsHiddenAndBuildAndFollowsSymlinkLoopsOnce() throws {
        let root = try makeTemporaryFolder(self)
        for name in ["b.txt", "a.bulletin", "c.md", "z/y.txt", "m/n.TXT", ".git/x.txt", ".build/debug/x.txt", ".hidden.txt"] {
            try root.write(name, "文")
        }
        try FileManager.default.createSymbolicLink(atPath: root.path + "/z/loop", withDestinationPath: "..")
        let found = FileDiscovery.walk(displayPath: "docs", absolutePath: root.path).map(\.displayPath)
        XCTAssertEqual(found, ["docs/a.bulletin", "docs/b.txt", "docs/m/n.TXT", "docs/z/y.txt"])
        XCTAssertEqual(FileDiscovery.walk(displayPath: ".", absolutePath: root.path).first?.displayPath, "a.bulletin")
    }

    func testPaths() {
        XCTAssertEqual(Paths.normalize("/a/./b//c/../d"), "/a/b/d")
        XCTAssertEqual(Paths.absolute("x/../y.txt", in: "/w"), "/w/y.txt")
        XCTAssertEqual(Paths.relative("/w/a/b.txt", to: "/w"), "a/b.txt")
        XCTAssertNil(Paths.relative("/wx/a.txt", to: "/w"))
        XCTAssertEqual(Paths.parent("/a"), "/")
    }

    func testCheckOfMissingPathExitsTwoAndGoesOn() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("a.txt", wrappedText)
        let r = runGalley(["check", "missing.txt", "a.txt"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("missing.txt: error: no such file or folder"), r.stderr)
        XCTAssertTrue(r.stdout.contains("a.txt:1:4:"), r.stdout)
    }

    func testStandardInputNameAndConfiguration() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("sub/.galley.json", #"{"rules": {"broken-wrap": "hint"}}"#)
        let r = runGalley(["check", "-"], in: root, stdin: Array(wrappedText.utf8))
        XCTAssertTrue(r.stdout.hasPrefix("<stdin>:1:4: "), r.stdout)
        let named = runGalley(["check", "--stdin-filename", "sub/new.txt", "-"], in: root, stdin: Array(wrappedText.utf8))
        XCTAssertTrue(named.stdout.hasPrefix("sub/new.txt:1:4: hint: "), named.stdout)
    }
}
