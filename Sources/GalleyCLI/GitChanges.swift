#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `--changed-since REV`: the files added or modified since a git revision, found by running git in
/// the repository that holds each path. Untracked files (not ignored by .gitignore) count as added:
/// a transcription written but not yet committed is new. Renamed files (git's rename detection) and
/// deleted files are not included.
struct GitChanges {
    let revision: String
    let addedOnly: Bool
    /// Real paths of the changed files, per repository root already asked.
    private var cache: [String: Set<String>] = [:]

    init(revision: String, addedOnly: Bool) {
        self.revision = revision
        self.addedOnly = addedOnly
    }

    struct Failure: Error { var message: String }

    /// The changed files (real absolute paths) of the repository holding `folder`.
    mutating func changedFiles(inRepositoryOf folder: String) throws -> Set<String> {
        let top = try Self.git(["rev-parse", "--show-toplevel"], in: folder).trimmingCharacters(in: .newlines)
        let root = realPath(top)
        if let known = cache[root] { return known }
        let filter = addedOnly ? "A" : "AM"
        var names = try Self.git(["diff", "--name-only", "-z", "--diff-filter=\(filter)", revision, "--"], in: root)
            .split(separator: "\0").map(String.init)
        names += try Self.git(["ls-files", "--others", "--exclude-standard", "-z"], in: root).split(separator: "\0").map(String.init)
        let set = Set(names.map { realPath(root + "/" + $0) })
        cache[root] = set
        return set
    }

    /// Runs git and returns its standard output; throws with git's message when it fails.
    static func git(_ arguments: [String], in folder: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        let out = Pipe()
        // git's messages go to a file: reading only one pipe cannot block on the other filling up.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("galley-git-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(message: "could not run git: \(error)") }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? err.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(message: "git \(arguments.first ?? "") failed: \(message)")
        }
        return String(decoding: outData, as: UTF8.self)
    }
}

/// The path with symlinks resolved (git reports real paths), or the path itself when it does not exist.
func realPath(_ path: String) -> String {
    guard let p = realpath(path, nil) else { return path }
    defer { free(p) }
    return String(cString: p)
}
