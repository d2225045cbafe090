import XCTest
import Proofreading
@testable import GalleyCLI

final class ArgumentParserTests: XCTestCase {
    let parser = ArgumentParser(knownRules: ["broken-wrap", "numeral-width"])

    func testCheckDefaultsAndOptions() throws {
        XCTAssertEqual(try parser.parse(["check", "a.txt"]), .check(CheckOptions(input: InputOptions(paths: ["a.txt"]))))
        guard case .check(let o) = try parser.parse(["check", "--format=json", "--fail-on", "error", "--select", "broken-wrap, numeral-width",
                                                    "--ignore=numeral-width", "--config", "c.json", "-", "dir", "--stdin-filename", "x.txt"]) else {
            return XCTFail("not a check")
        }
        XCTAssertEqual(o.format, .json)
        XCTAssertEqual(o.failOn, .error)
        XCTAssertEqual(o.input.rules, RuleSelection(select: ["broken-wrap", "numeral-width"], ignore: ["numeral-width"]))
        XCTAssertEqual(o.input.config, .file("c.json"))
        XCTAssertEqual(o.input.paths, ["-", "dir"])
        XCTAssertEqual(o.input.stdinFilename, "x.txt")
    }

    func testDoubleDashEndsOptions() throws {
        guard case .check(let o) = try parser.parse(["check", "--", "--help", "-x"]) else { return XCTFail("not a check") }
        XCTAssertEqual(o.input.paths, ["--help", "-x"])
    }

    func testHelpAndVersion() throws {
        XCTAssertEqual(try parser.parse(["--help"]), .help(nil))
        XCTAssertEqual(try parser.parse(["-h"]), .help(nil))
        XCTAssertEqual(try parser.parse(["help"]), .help(nil))
        XCTAssertEqual(try parser.parse(["help", "fix"]), .help("fix"))
        XCTAssertEqual(try parser.parse(["check", "--help"]), .help("check"))
        XCTAssertEqual(try parser.parse(["fix", "a.txt", "-h"]), .help("fix"))
        XCTAssertEqual(try parser.parse(["--version"]), .version)
    }

    func testFixOutputs() throws {
        guard case .fix(let a) = try parser.parse(["fix", "--unsafe", "--diff", "a.txt"]) else { return XCTFail("not a fix") }
        XCTAssertTrue(a.unsafe)
        XCTAssertEqual(a.output, .diff)
        // `fix -` writes to standard output without --stdout.
        guard case .fix(let b) = try parser.parse(["fix", "-"]) else { return XCTFail("not a fix") }
        XCTAssertEqual(b.output, .stdout)
        XCTAssertThrowsError(try parser.parse(["fix", "--stdout", "--diff", "a.txt"]))
        XCTAssertThrowsError(try parser.parse(["fix", "-", "a.txt"]))
    }

    func testRulesAndExplain() throws {
        XCTAssertEqual(try parser.parse(["rules"]), .rules(.text))
        XCTAssertEqual(try parser.parse(["rules", "--format", "json"]), .rules(.json))
        XCTAssertEqual(try parser.parse(["explain", "broken-wrap"]), .explain("broken-wrap"))
        XCTAssertThrowsError(try parser.parse(["explain"]))
        XCTAssertThrowsError(try parser.parse(["explain", "a", "b"]))
    }

    func usageError(_ arguments: [String]) -> UsageError? {
        do { _ = try parser.parse(arguments); return nil } catch { return error as? UsageError }
    }

    func testUsageErrorsAreClear() {
        XCTAssertEqual(usageError(["chek", "a"])?.message, "unknown command \"chek\" (did you mean \"check\"?)")
        XCTAssertEqual(usageError(["check", "--selct", "broken-wrap", "a"])?.message,
                       "unknown option --selct for `galley check` (did you mean \"--select\"?)")
        XCTAssertEqual(usageError(["check", "--bogus", "a"])?.command, "check")
        XCTAssertEqual(usageError(["check", "-x", "a"])?.message, "unknown option -x for `galley check`")
        XCTAssertNotNil(usageError(["check"]))                        // no path
        XCTAssertNotNil(usageError(["check", "a", "--format"]))       // missing value
        XCTAssertNotNil(usageError(["check", "--fail-on", "bad", "a"]))
        XCTAssertNotNil(usageError(["check", "--config", "c", "--no-config", "a"]))
        XCTAssertNotNil(usageError(["fix", "--unsafe=yes", "a"]))     // a flag takes no value
        XCTAssertNotNil(usageError([]))
        XCTAssertEqual(usageError(["check", "--select", "broken-warp", "a"])?.message,
                       "--select: unknown rule \"broken-warp\" (did you mean \"broken-wrap\"?) (`galley rules` lists them all)")
    }

    func testFormatsAndCIOptions() throws {
        for format in OutputFormat.allCases {
            guard case .check(let o) = try parser.parse(["check", "--format", format.rawValue, "a"]) else { return XCTFail("not a check") }
            XCTAssertEqual(o.format, format)
        }
        XCTAssertEqual(usageError(["check", "--format", "xml", "a"])?.message, "--format must be text, json, sarif or github (found \"xml\")")
        XCTAssertEqual(usageError(["rules", "--format", "sarif"])?.message, "rules: --format must be text or json (found \"sarif\")")
        guard case .check(let o) = try parser.parse(["check", "--changed-since", "origin/main", "--added-only", "--baseline", "b.json"]) else {
            return XCTFail("not a check")
        }
        XCTAssertEqual(o.input.paths, ["."], "--changed-since without paths checks the current folder")
        XCTAssertEqual(o.input.changedSince, "origin/main")
        XCTAssertTrue(o.input.addedOnly)
        XCTAssertEqual(o.baseline, "b.json")
        guard case .check(let f) = try parser.parse(["check", "--files-from", "-", "--write-baseline=w.json"]) else { return XCTFail("not a check") }
        XCTAssertEqual(f.input.paths, [])
        XCTAssertEqual(f.input.filesFrom, "-")
        XCTAssertEqual(f.writeBaseline, "w.json")
        XCTAssertEqual(usageError(["check", "--added-only", "a"])?.message, "--added-only needs --changed-since REV")
        XCTAssertEqual(usageError(["check", "--files-from", "-", "-"])?.message, "--files-from - and the path - both want standard input")
        XCTAssertNotNil(usageError(["check", "--baseline", "a", "--write-baseline", "b", "x"]))
        XCTAssertEqual(usageError(["check"])?.message, "check needs at least one file or folder (or `-` for standard input)")
    }

    func testUsageErrorExitStatusAndHelpPointer() throws {
        let folder = try makeTemporaryFolder(self)
        let r = runGalley(["check", "--nope", "a.txt"], in: folder)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("unknown option --nope"), r.stderr)
        XCTAssertTrue(r.stderr.contains("galley check --help"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testHelpTextsExplainEveryOption() throws {
        let folder = try makeTemporaryFolder(self)
        for (command, options) in [("check", ["--format", "--fail-on", "--select", "--ignore", "--config", "--no-config", "--stdin-filename",
                                              "sarif", "github", "--files-from", "--changed-since", "--added-only", "--baseline",
                                              "--write-baseline", "checked N/M files"]),
                                   ("fix", ["--unsafe", "--stdout", "--diff", "--select", "--config", "--files-from", "--changed-since"]),
                                   ("rules", ["--format"])] {
            let r = runGalley([command, "--help"], in: folder)
            XCTAssertEqual(r.status, 0)
            for option in options { XCTAssertTrue(r.stdout.contains(option), "\(command) help lacks \(option)") }
            XCTAssertTrue(r.stdout.contains("Exit status"), "\(command) help lacks exit codes")
            XCTAssertEqual(runGalley(["help", command], in: folder).stdout, r.stdout)
        }
        let general = runGalley(["--help"], in: folder)
        XCTAssertTrue(general.stdout.contains("galley lsp"), "the general help lists lsp")
        let lsp = runGalley(["lsp", "--help"], in: folder)
        XCTAssertEqual(lsp.status, 0)
        XCTAssertTrue(lsp.stdout.contains("Exit status") && lsp.stdout.contains("--stdio"))
        XCTAssertEqual(runGalley(["lsp", "file.txt"], in: folder).status, 2)
        XCTAssertTrue(lsp.stdout.contains("--log-level"))
        let loud = runGalley(["lsp", "--log-level", "loud"], in: folder)
        XCTAssertEqual(loud.status, 2)
        XCTAssertTrue(loud.stderr.contains("--log-level must be error, warning, info or debug"), loud.stderr)
        XCTAssertEqual(runGalley(["--version"], in: folder).stdout, "galley 0.1.0\n")
    }

    func testEditDistanceSuggestions() {
        XCTAssertEqual(ArgumentParser.closest(to: "numeral-widht", among: ["broken-wrap", "numeral-width"]), "numeral-width")
        XCTAssertNil(ArgumentParser.closest(to: "zzzzzzzz", among: ["broken-wrap"]))
    }
}
