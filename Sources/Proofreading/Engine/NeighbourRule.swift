import TextModel

/// A rule that reads the sections beside its own (scope `.sectionAndPrevious` or
/// `.sectionAndNeighbours`) through what it derives from each section on its own: the dates and
/// their forms, the windows of text. Those facts are computed once per section and handed to the
/// check of every section that reads them, so reading a neighbour costs nothing like re-reading its
/// text (a rule given the joined text would scan each section two or three times).
public protocol NeighbourRule: Rule {
    associatedtype Facts
    /// True when the facts are small enough to keep with every section of an open document between
    /// edits (the server then re-derives only the edited section's, not its neighbours').
    static var factsKept: Bool { get }
    /// What the rule derives from one section alone, offsets relative to the section's start.
    func facts(of section: RuleContext) -> Facts
    /// The findings in `reading[own]`'s section, offsets relative to its start. `reading` holds the
    /// sections the scope reads, in text order (`own` is the checked one).
    func check(reading: [SectionFacts<Facts>], own: Int) -> [Diagnostic]
    /// Findings of section `i` reading the sections `read` (a requirement, so that each rule's
    /// witness is specialized: through the extension alone every call looked up generic metadata).
    func check(section i: Int, reading read: ClosedRange<Int>, configuration: Configuration, part: (Int) -> SectionText) -> [Diagnostic]
}

/// One section as a neighbour rule reads it.
public struct SectionFacts<Facts> {
    public var facts: Facts
    /// The section's start relative to the checked section's start (negative before it).
    public var offset: Int
    public var context: RuleContext
}

extension NeighbourRule {
    public static var factsKept: Bool { false }

    /// A text checked as one section.
    public func check(_ context: RuleContext) -> [Diagnostic] {
        check(reading: [SectionFacts(facts: facts(of: context), offset: 0, context: context)], own: 0)
    }

    /// Findings of section `i` reading the sections `read`, with each section's facts computed once.
    public func check(section i: Int, reading read: ClosedRange<Int>, configuration: Configuration, part: (Int) -> SectionText) -> [Diagnostic] {
        var offset = 0
        for j in read where j < i { offset -= part(j).document.count }
        var reading: [SectionFacts<Facts>] = []
        for j in read {
            let section = part(j)
            let context = section.context(configuration)
            let facts = section.facts(of: self, in: context)
            reading.append(SectionFacts(facts: facts, offset: offset, context: context))
            offset += section.document.count
        }
        return check(reading: reading, own: i - read.lowerBound)
    }
}
