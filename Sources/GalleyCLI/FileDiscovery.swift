#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One file to check: the path as shown to the user, its absolute path, and whether it was named on
/// the command line (named files are checked whatever their extension and ignore globs) or found by
/// walking a folder.
public struct InputFile: Equatable {
    public var displayPath: String
    public var absolutePath: String
    public var explicit: Bool
}

/// Paths: joining, making absolute, and lexical normalization (no symlink resolution, so that the
/// configuration search walks the folders the user sees).
enum Paths {
    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || folder == "." { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    static func absolute(_ path: String, in workingDirectory: String) -> String {
        normalize(path.hasPrefix("/") ? path : workingDirectory + "/" + path)
    }

    /// Removes `.`, `..` and repeated slashes from an absolute path.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(_ absolutePath: String) -> String {
        guard let slash = absolutePath.lastIndex(of: "/") else { return "/" }
        let p = String(absolutePath[..<slash])
        return p.isEmpty ? "/" : p
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `path` relative to `folder`, or nil when it is not inside it (both absolute and normalized).
    static func relative(_ path: String, to folder: String) -> String? {
        if folder == "/" { return String(path.dropFirst()) }
        guard path.hasPrefix(folder + "/") else { return nil }
        return String(path.dropFirst(folder.count + 1))
    }
}

enum FileKind { case file, folder, missing, other }

struct FileStatus {
    var kind: FileKind
    var device: UInt64 = 0
    var inode: UInt64 = 0
    /// Why `stat` failed, for `.missing`: its `errno`, or -1 for a symbolic link to nothing.
    var error: Int32 = 0

    /// Why a path named on the command line cannot be used, for `.missing`.
    var missingReason: String {
        switch error {
        case ENOENT: return "no such file or folder"
        case -1: return "broken symbolic link (its target does not exist)"
        case ELOOP: return "symbolic link loop (too many levels of symbolic links)"
        default: return "cannot access: \(String(cString: strerror(error)))"
        }
    }
}

/// `stat` (following symlinks).
func fileStatus(_ absolutePath: String) -> FileStatus {
    var st = stat()
    guard stat(absolutePath, &st) == 0 else {
        let error = errno
        var link = stat()
        if error == ENOENT, lstat(absolutePath, &link) == 0 { return FileStatus(kind: .missing, error: -1) }
        return FileStatus(kind: .missing, error: error)
    }
    let type = st.st_mode & S_IFMT
    let kind: FileKind = type == S_IFDIR ? .folder : (type == S_IFREG ? .file : .other)
    return FileStatus(kind: kind, device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
}

/// Walks folders for transcriptions.
public enum FileDiscovery {
    public static let extensions = ["txt", "bulletin"]

    public static func isTranscription(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(String(name[name.index(after: dot)...]).lowercased())
    }

    /// Every `*.txt` and `*.bulletin` file under `folder`, in sorted order (by name at each level),
    /// skipping hidden files and folders (names starting with ".", which covers `.build` and `.git`).
    /// Symlinked folders are followed once: each real folder (device and inode) is entered at most
    /// once, so a symlink loop cannot make the walk go on forever. `isIgnored` gets absolute paths.
    public static func walk(displayPath: String, absolutePath: String,
                            isIgnored: (String) -> Bool = { _ in false }) -> [InputFile] {
        var result: [InputFile] = []
        var visited = Set<[UInt64]>()
        func visit(_ display: String, _ absolute: String) {
            let status = fileStatus(absolute)
            guard status.kind == .folder, visited.insert([status.device, status.inode]).inserted else { return }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return }
            for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                if name.hasPrefix(".") { continue }
                let childDisplay = Paths.join(display, name)
                let childAbsolute = absolute == "/" ? "/" + name : absolute + "/" + name
                switch fileStatus(childAbsolute).kind {
                case .folder:
                    if !isIgnored(childAbsolute) { visit(childDisplay, childAbsolute) }
                case .file:
                    if isTranscription(name) && !isIgnored(childAbsolute) {
                        result.append(InputFile(displayPath: childDisplay, absolutePath: childAbsolute, explicit: false))
                    }
                case .missing, .other:
                    continue // A broken symlink or a device: not a transcription.
                }
            }
        }
        visit(displayPath, absolutePath)
        return result
    }
}
