/// A value of a rule option in `.galley.json`.
public enum RuleOptionValue: Hashable, Sendable {
    case bool(Bool), number(Double), string(String), strings([String])
}

/// One rule's setting: a severity (or off) and options.
public struct RuleSetting: Hashable, Sendable {
    /// nil means the rule is off.
    public var severity: Severity?
    public var options: [String: RuleOptionValue]
    public init(severity: Severity?, options: [String: RuleOptionValue] = [:]) {
        self.severity = severity
        self.options = options
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What `.galley.json` says. The JSON itself is read at the edge (CLI, server); this model takes the
/// parsed object so that Proofreading stays free of IO and Foundation.
///
///     { "rules": { "numeral-style": "off", "broken-wrap": { "severity": "information" } },
///       "ignore": ["drafts/**"] }
public struct Configuration: Hashable, Sendable {
    public var rules: [String: RuleSetting]
    public var ignore: [String]

    public init(rules: [String: RuleSetting] = [:], ignore: [String] = []) {
        self.rules = rules
        self.ignore = ignore
    }

    /// The severity in force for a rule, or nil when it is off.
    public func severity(for description: RuleDescription) -> Severity? {
        if let setting = rules[description.id] { return setting.severity }
        return description.defaultSeverity
    }

    /// Build from a parsed JSON object (`[String: Any]` from JSONSerialization). Unknown keys and
    /// unknown rule ids are errors that name them.
    public init(json: Any, knownRules: [String]) throws {
        guard let root = json as? [String: Any] else { throw ConfigurationError("the configuration must be a JSON object") }
        self.init()
        for key in root.keys.sorted() where key != "rules" && key != "ignore" && key != "$schema" {
            throw ConfigurationError("unknown key \"\(key)\" (known keys: rules, ignore)")
        }
        if let ignore = root["ignore"] {
            guard let list = ignore as? [String] else { throw ConfigurationError("\"ignore\" must be an array of glob strings") }
            self.ignore = list
        }
        guard let rulesValue = root["rules"] else { return }
        guard let rules = rulesValue as? [String: Any] else { throw ConfigurationError("\"rules\" must be an object keyed by rule id") }
        for id in rules.keys.sorted() {
            guard knownRules.contains(id) else {
                throw ConfigurationError("unknown rule \"\(id)\" in \"rules\" (see `galley rules`)")
            }
            self.rules[id] = try Self.parseSetting(rules[id]!, id: id)
        }
    }

    private static func parseSeverity(_ value: Any, id: String) throws -> Severity? {
        guard let name = value as? String else {
            throw ConfigurationError("rules.\(id): the severity must be a string (error, warning, information, hint or off)")
        }
        if name == "off" { return nil }
        guard let s = Severity(name: name) else {
            throw ConfigurationError("rules.\(id): unknown severity \"\(name)\" (error, warning, information, hint or off)")
        }
        return s
    }

    /// A JSON boolean, told apart from a number. JSONSerialization gives an NSNumber for both `true`
    /// and `1`, and `as? Bool` accepts either (on Linux too), while `"\(true)"` prints "1" on Linux;
    /// its booleans are a distinct class (`__NSCFBoolean` on Linux and Darwin), which is checked by
    /// name because this module does not import Foundation. A native Swift `Bool` is accepted too.
    static func jsonBool(_ value: Any) -> Bool? {
        guard let b = value as? Bool else { return nil }
        if type(of: value) == Bool.self { return b }
        return String(describing: type(of: value)).contains("Boolean") ? b : nil
    }

    private static func parseSetting(_ value: Any, id: String) throws -> RuleSetting {
        if let on = jsonBool(value) {
            return RuleSetting(severity: on ? RuleRegistry.description(for: id)?.defaultSeverity : nil)
        }
        if value is String { return RuleSetting(severity: try parseSeverity(value, id: id)) }
        guard let object = value as? [String: Any] else {
            throw ConfigurationError("rules.\(id) must be a severity string, true/false, or an object with \"severity\" and \"options\"")
        }
        var setting = RuleSetting(severity: RuleRegistry.description(for: id)?.defaultSeverity)
        for key in object.keys.sorted() {
            switch key {
            case "severity": setting.severity = try parseSeverity(object[key]!, id: id)
            case "options":
                guard let options = object[key] as? [String: Any] else {
                    throw ConfigurationError("rules.\(id).options must be an object")
                }
                for (name, raw) in options {
                    if let s = raw as? String { setting.options[name] = .string(s) }
                    else if let list = raw as? [String] { setting.options[name] = .strings(list) }
                    else if let b = jsonBool(raw) { setting.options[name] = .bool(b) }
                    else if let d = raw as? Double { setting.options[name] = .number(d) }
                    else if let i = raw as? Int { setting.options[name] = .number(Double(i)) }
                    else { throw ConfigurationError("rules.\(id).options.\(name) has an unsupported value") }
                }
            default:
                throw ConfigurationError("rules.\(id): unknown key \"\(key)\" (known keys: severity, options)")
            }
        }
        return setting
    }
}
