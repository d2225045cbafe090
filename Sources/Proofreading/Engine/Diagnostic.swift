import TextModel

/// How serious a finding is. Ordered: `hint < information < warning < error`.
public enum Severity: String, CaseIterable, Comparable, Sendable {
    case hint, information, warning, error

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    var rank: Int {
        switch self { case .hint: 0; case .information: 1; case .warning: 2; case .error: 3 }
    }

    /// The severity of a rank, clamped to the ranks there are (`allCases` would build an array).
    init(clampedRank rank: Int) {
        switch rank {
        case ...0: self = .hint
        case 1: self = .information
        case 2: self = .warning
        default: self = .error
        }
    }

    /// Parses the names used in configuration and on the command line ("info" is accepted too).
    public init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warning", "warn": self = .warning
        case "information", "info": self = .information
        case "hint": self = .hint
        default: return nil
        }
    }
}

/// Whether a fix may be applied without a person looking at it (ruff's model).
/// `safe`: meaning is preserved; `galley fix` and fix-all apply it. `unsafe`: probably right, applied
/// only with `--unsafe` or as an explicit code action.
public enum Applicability: String, Sendable, Comparable {
    case safe, unsafe
    public static func < (a: Applicability, b: Applicability) -> Bool { a == .safe && b == .unsafe }
}

/// The edits that resolve one diagnostic.
public struct Fix: Hashable, Sendable {
    public var title: String
    /// One edit (most fixes have one) is kept in the fix itself: an array of it was an allocation
    /// per finding (a 20 MB file has 200,000 such fixes). Canonical: `.many` never holds one edit,
    /// so equal fixes have equal storage.
    private var storage: Edits
    public var applicability: Applicability

    private enum Edits: Hashable, Sendable {
        case one(TextEdit)
        case many([TextEdit])

        init(_ edits: [TextEdit]) { self = edits.count == 1 ? .one(edits[0]) : .many(edits) }
    }

    /// The edits, in the order given. Reading builds an array for a fix of one edit: hot loops use
    /// `editCount` and `forEachEdit`.
    public var edits: [TextEdit] {
        get {
            switch storage {
            case .one(let e): return [e]
            case .many(let list): return list
            }
        }
        set { storage = Edits(newValue) }
    }

    public init(title: String, edits: [TextEdit], applicability: Applicability) {
        self.title = title
        self.storage = Edits(edits)
        self.applicability = applicability
    }

    public init(title: String, edit: TextEdit, applicability: Applicability) {
        self.title = title
        self.storage = .one(edit)
        self.applicability = applicability
    }

    public var editCount: Int {
        switch storage {
        case .one: return 1
        case .many(let list): return list.count
        }
    }

    /// `body` for each edit, in order, without an array for a single one.
    public func forEachEdit(_ body: (TextEdit) throws -> Void) rethrows {
        switch storage {
        case .one(let e): try body(e)
        case .many(let list): for e in list { try body(e) }
        }
    }

    /// The smallest range that holds every edit.
    public var span: Range<Int>? {
        var span: Range<Int>? = nil
        forEachEdit { e in
            span = span.map { min($0.lowerBound, e.range.lowerBound)..<max($0.upperBound, e.range.upperBound) } ?? e.range
        }
        return span
    }
}

/// Another place in the document that explains a finding (the other half of a quote pair, the
/// other copy of a duplicate).
public struct RelatedLocation: Hashable, Sendable {
    public var range: Range<Int>
    public var message: String
    public init(range: Range<Int>, message: String) { self.range = range; self.message = message }
}

/// One finding. `range` is in UTF-8 offsets of the checked text; a fix never edits outside it.
public struct Diagnostic: Hashable, Sendable {
    public var ruleID: String
    public var range: Range<Int>
    public var message: String
    public var related: [RelatedLocation]
    public var fix: Fix?
    // Last: after the fix's byte-sized applicability it adds no padding (a finding is moved
    // several times between its rule and the output).
    public var severity: Severity

    public init(ruleID: String, severity: Severity, range: Range<Int>, message: String,
                related: [RelatedLocation] = [], fix: Fix? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.range = range
        self.message = message
        self.related = related
        self.fix = fix
    }
}

extension Diagnostic {
    /// The same finding with every offset (range, related locations, fix edits) moved by `delta`:
    /// a section's findings are computed on the section's own text and moved to the document's.
    public func shifted(by delta: Int) -> Diagnostic {
        var d = self
        d.shift(by: delta)
        return d
    }

    /// Moves every range by `delta` bytes, in place (no copy of the related locations or edits
    /// when this diagnostic holds the only reference to them).
    public mutating func shift(by delta: Int) {
        guard delta != 0 else { return }
        range = (range.lowerBound + delta)..<(range.upperBound + delta)
        for i in related.indices {
            related[i].range = (related[i].range.lowerBound + delta)..<(related[i].range.upperBound + delta)
        }
        // Through optional chaining: in place (`fix != nil` copies the fix, retaining its parts).
        fix?.shift(by: delta)
    }
}

extension Fix {
    mutating func shift(by delta: Int) {
        switch storage {
        case .one(var e):
            e.range = (e.range.lowerBound + delta)..<(e.range.upperBound + delta)
            storage = .one(e)
        case .many(var list):
            // Emptied first, so the array is not shared while it is changed (no copy).
            storage = .many([])
            for i in list.indices {
                list[i].range = (list[i].range.lowerBound + delta)..<(list[i].range.upperBound + delta)
            }
            storage = .many(list)
        }
    }
}
