import Foundation
import Proofreading

/// A configuration in force: where it came from, the model, and its ignore globs.
public struct LoadedConfiguration {
    /// Absolute path of the `.galley.json` (nil for the built-in defaults).
    public let path: String?
    public let configuration: Configuration
    public let globs: [Glob]

    public static let defaults = LoadedConfiguration(path: nil, configuration: Configuration(), globs: [])

    /// True when a file (or folder) found by walking is excluded by an `ignore` glob. Globs are
    /// relative to the configuration's folder; paths outside that folder are never ignored.
    public func isIgnored(_ absolutePath: String) -> Bool {
        guard let path, !globs.isEmpty, let rel = Paths.relative(absolutePath, to: Paths.parent(path)) else { return false }
        return globs.contains { $0.matches(rel) }
    }
}

/// A configuration file that cannot be used: its path and the problem.
public struct ConfigFileError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): invalid configuration: \(problem)" }
}

/// Reads `.galley.json` files and finds the one that applies to a folder: the nearest one found by
/// walking up from the folder. Both the search (per folder) and the parsing (per file) are cached,
/// so a tree of thousands of files costs one lookup per folder.
public final class ConfigResolver {
    public static let fileName = ".galley.json"

    let choice: ConfigChoice
    let workingDirectory: String
    let knownRules: [String]
    private var nearest: [String: String?] = [:]            // folder -> config path (nil: none above)
    private var loaded: [String: Result<LoadedConfiguration, ConfigFileError>] = [:]

    public init(choice: ConfigChoice, workingDirectory: String, knownRules: [String] = RuleRegistry.ids) {
        self.choice = choice
        self.workingDirectory = workingDirectory
        self.knownRules = knownRules
    }

    /// The configuration for files in `folder` (absolute).
    public func configuration(forFolder folder: String) -> Result<LoadedConfiguration, ConfigFileError> {
        switch choice {
        case .none: return .success(.defaults)
        case .file(let path): return load(Paths.absolute(path, in: workingDirectory))
        case .discover:
            guard let path = nearestConfig(from: folder) else { return .success(.defaults) }
            return load(path)
        }
    }

    public func configuration(forFile absolutePath: String) -> Result<LoadedConfiguration, ConfigFileError> {
        configuration(forFolder: Paths.parent(absolutePath))
    }

    func nearestConfig(from folder: String) -> String? {
        var visited: [String] = []
        var current = folder
        var found: String? = nil
        while true {
            if let cached = nearest[current] { found = cached; break }
            visited.append(current)
            let candidate = current == "/" ? "/" + Self.fileName : current + "/" + Self.fileName
            if fileStatus(candidate).kind == .file { found = candidate; break }
            if current == "/" { break }
            current = Paths.parent(current)
        }
        for f in visited { nearest[f] = .some(found) }
        return found
    }

    /// Parses a configuration file once (errors are cached too, so each is reported once by callers).
    public func load(_ absolutePath: String) -> Result<LoadedConfiguration, ConfigFileError> {
        if let cached = loaded[absolutePath] { return cached }
        let result = Self.parse(absolutePath, display: displayPath(absolutePath), knownRules: knownRules)
        loaded[absolutePath] = result
        return result
    }

    func displayPath(_ absolutePath: String) -> String {
        Paths.relative(absolutePath, to: Paths.normalize(workingDirectory)) ?? absolutePath
    }

    static func parse(_ absolutePath: String, display: String, knownRules: [String]) -> Result<LoadedConfiguration, ConfigFileError> {
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            let problem = fileStatus(absolutePath).kind == .missing ? "no such file" : "cannot read the file"
            return .failure(ConfigFileError(path: display, problem: problem))
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .failure(ConfigFileError(path: display, problem: "not valid JSON" + (detail.map { ": \($0)" } ?? "")))
        }
        do {
            let configuration = try Configuration(json: json, knownRules: knownRules)
            return .success(LoadedConfiguration(path: absolutePath, configuration: configuration,
                                                globs: configuration.ignore.map(Glob.init)))
        } catch let error as ConfigurationError {
            return .failure(ConfigFileError(path: display, problem: error.description))
        } catch {
            return .failure(ConfigFileError(path: display, problem: "\(error)"))
        }
    }
}
