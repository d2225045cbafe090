/// Every rule galley has, in the order `galley rules` lists them. Adding a rule = one line here.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        BrokenWrapRule.self,
        NumeralWidthRule.self,
        NumeralSpacingRule.self,
        NumeralStyleRule.self,
        UnmatchedQuoteRule.self,
        QuoteNestingRule.self,
        UnmatchedBracketRule.self,
        LetterSpacingRule.self,
        PunctuationWidthRule.self,
        DuplicateFragmentRule.self,
        LayoutLeftoverRule.self,
        StrayWhitespaceRule.self,
        InvisibleCharacterRule.self,
        MixedLineEndingsRule.self,
    ]

    public static var ids: [String] { all.map { $0.description.id } }

    public static func rule(for id: String) -> (any Rule.Type)? { all.first { $0.description.id == id } }

    public static func description(for id: String) -> RuleDescription? { rule(for: id)?.description }
}
