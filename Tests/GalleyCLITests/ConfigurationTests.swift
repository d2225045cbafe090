import Foundation
import XCTest
import Proofreading
@testable import GalleyCLI

final class ConfigurationTests: XCTestCase {
    func parse(_ json: String) throws -> Configuration {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        return try Configuration(json: object, knownRules: RuleRegistry.ids)
    }

    /// JSONSerialization gives NSNumber for both `true` and `1`; on Linux `as? Bool` accepts both, so
    /// the initializer must tell them apart (fixed in Configuration.jsonBool).
    func testJSONBooleansAreToldApartFromNumbers() throws {
        XCTAssertEqual(try parse(#"{"rules": {"broken-wrap": true}}"#).rules["broken-wrap"]?.severity, .warning)
        XCTAssertNil(try parse(#"{"rules": {"broken-wrap": false}}"#).rules["broken-wrap"]?.severity)
        XCTAssertThrowsError(try parse(#"{"rules": {"broken-wrap": 1}}"#))
        XCTAssertThrowsError(try parse(#"{"rules": {"broken-wrap": 0}}"#))
        let options = try parse(#"{"rules": {"broken-wrap": {"options": {"a": true, "b": 1, "c": 0, "d": false, "e": 2.5}}}}"#)
            .rules["broken-wrap"]!.options
        XCTAssertEqual(options["a"], .bool(true))
        XCTAssertEqual(options["b"], .number(1))
        XCTAssertEqual(options["c"], .number(0))
        XCTAssertEqual(options["d"], .bool(false))
        XCTAssertEqual(options["e"], .number(2.5))
    }

    func testGlobs() {
        XCTAssertTrue(Glob("drafts/**").matches("drafts/a.txt"))
        XCTAssertTrue(Glob("drafts/**").matches("drafts/x/y/a.txt"))
        XCTAssertFalse(Glob("drafts/**").matches("final/drafts.txt"))
        XCTAssertTrue(Glob("*.old.txt").matches("a/b/c.old.txt"))       // no slash: any depth
        XCTAssertFalse(Glob("/*.old.txt").matches("a/c.old.txt"))       // leading slash: anchored
        XCTAssertTrue(Glob("/*.old.txt").matches("c.old.txt"))
        XCTAssertTrue(Glob("20??/*.txt").matches("2022/a.txt"))
        XCTAssertFalse(Glob("20??/*.txt").matches("2022/x/a.txt"))
        XCTAssertTrue(Glob("**/tmp/*.txt").matches("tmp/a.txt"))
        XCTAssertTrue(Glob("**/tmp/*.txt").matches("x/y/tmp/a.txt"))
        XCTAssertTrue(Glob("scans").matches("scans/p1/a.txt"))          // a folder matches what it holds
        XCTAssertFalse(Glob("a?c").matches("a/c"))                      // ? never matches /
        XCTAssertTrue(Glob("*记者*").matches("x/今日记者稿.txt"))
    }

    func testDiscoveryWalksUpAndCachesPerFolder() throws {
        let root = try makeTemporaryFolder(self)
        try root.write(".galley.json", #"{"rules": {"broken-wrap": "error"}}"#)
        try root.write("a/b/.galley.json", #"{"rules": {"broken-wrap": "off"}}"#)
        let resolver = ConfigResolver(choice: .discover, workingDirectory: root.path)
        let deep = try resolver.configuration(forFolder: root.path + "/a/b/c").get()
        XCTAssertEqual(deep.path, root.path + "/a/b/.galley.json")
        XCTAssertNil(deep.configuration.severity(for: BrokenWrapRule.description))
        let middle = try resolver.configuration(forFolder: root.path + "/a").get()
        XCTAssertEqual(middle.path, root.path + "/.galley.json")
        XCTAssertEqual(middle.configuration.severity(for: BrokenWrapRule.description), .error)
        // Cached: removing the file does not change an answer already given in this run.
        try FileManager.default.removeItem(atPath: root.path + "/a/b/.galley.json")
        XCTAssertEqual(try resolver.configuration(forFolder: root.path + "/a/b/c").get().path, root.path + "/a/b/.galley.json")
        XCTAssertNil(try ConfigResolver(choice: .none, workingDirectory: root.path).configuration(forFolder: root.path).get().path)
    }

    func testDiscoveredConfigurationChangesSeverity() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("a.txt", wrappedText)
        // "hint" is the floor, so the finding is a hint however sure the rule is.
        try root.write(".galley.json", #"{"rules": {"broken-wrap": "hint"}}"#)
        let r = runGalley(["check", "--fail-on", "information", "a.txt"], in: root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("a.txt:1:4: hint: "), r.stdout)
        // --no-config: the rule's own severity (information or warning), which reaches --fail-on information.
        let plain = runGalley(["check", "--no-config", "--fail-on", "information", "a.txt"], in: root)
        XCTAssertEqual(plain.status, 1)
        XCTAssertFalse(plain.stdout.contains(": hint: "), plain.stdout)
    }

    func testSelectTurnsOnARuleTheConfigurationTurnsOff() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("a.txt", wrappedText)
        try root.write(".galley.json", #"{"rules": {"broken-wrap": "off"}}"#)
        XCTAssertEqual(runGalley(["check", "--fail-on", "hint", "a.txt"], in: root).stdout, "")
        XCTAssertTrue(runGalley(["check", "--select", "broken-wrap", "a.txt"], in: root).stdout.contains("[broken-wrap]"))
        XCTAssertEqual(runGalley(["check", "--no-config", "--ignore", "broken-wrap", "--fail-on", "hint", "a.txt"], in: root).stdout, "")
    }

    func testInvalidConfigurationIsNamedAndExitsTwo() throws {
        let root = try makeTemporaryFolder(self)
        try root.write("sub/a.txt", wrappedText)
        try root.write("sub/.galley.json", #"{"rules": {"broken-wrap": "loud"}}"#)
        try root.write("ok/b.txt", wrappedText)
        let r = runGalley(["check", "sub", "ok"], in: root)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("sub/.galley.json: error: invalid configuration: rules.broken-wrap: unknown severity \"loud\""), r.stderr)
        XCTAssertTrue(r.stdout.contains("ok/b.txt:"), "files under a valid configuration are still checked")
        XCTAssertFalse(r.stdout.contains("sub/a.txt:"))

        try root.write("bad.json", #"{"rules": {}, "colour": 1}"#)
        let forced = runGalley(["check", "--config", "bad.json", "ok"], in: root)
        XCTAssertEqual(forced.status, 2)
        XCTAssertTrue(forced.stderr.contains("bad.json: error: invalid configuration: unknown key \"colour\""), forced.stderr)

        try root.write("broken.json", "{\"rules\": ")
        let syntax = runGalley(["check", "--config", "broken.json", "ok"], in: root)
        XCTAssertEqual(syntax.status, 2)
        XCTAssertTrue(syntax.stderr.contains("broken.json: error: invalid configuration: not valid JSON"), syntax.stderr)

        let missing = runGalley(["check", "--config", "nowhere.json", "ok"], in: root)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nowhere.json: error: invalid configuration: no such file"), missing.stderr)
    }

    func testIgnoreGlobsExcludeWalkedFilesOnly() throws {
        let root = try makeTemporaryFolder(self)
        try root.write(".galley.json", #"{"ignore": ["drafts/**", "*.old.txt"]}"#)
        for name in ["a.txt", "drafts/b.txt", "x/c.old.txt", "x/d.bulletin", "x/e.md"] { try root.write(name, wrappedText) }
        let r = runGalley(["check", "--select", "broken-wrap", "."], in: root)
        let paths = Set(r.stdout.split(separator: "\n").map { String($0.prefix { $0 != ":" }) })
        XCTAssertEqual(paths, ["a.txt", "x/d.bulletin"])
        // Named explicitly, an ignored file is checked.
        XCTAssertTrue(runGalley(["check", "drafts/b.txt"], in: root).stdout.hasPrefix("drafts/b.txt:"))
    }
}
