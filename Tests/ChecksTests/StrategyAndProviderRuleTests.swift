import Diagnostics
import Testing
import TestSupport

@Suite struct StrategyRuleTests {
    @Test func knownStrategiesWithPoolsPass() throws {
        let found = try check(family([("version: 1\nstrategies: [once, per_playthrough]\nrandomization:\n  mood: { values: [calm, wry], weights: [2, 1] }", "{{mood}}")]))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func unknownStrategy() throws {
        let found = try check(family([("version: 1\nstrategies: [once, per_playthru]", "Hi")]))
        let unknown = try #require(found.codes("unknown-strategy").first)
        #expect(unknown.location == SourceLocation(file: "prompts/a/v1.prompt", line: 3, column: 20))
        #expect(unknown.hint == "did you mean `per_playthrough`? strategies are: once, per_playthrough, per_player, always")
    }

    @Test func randomizationNeedsAlwaysOrPerPlaythrough() throws {
        let found = try check(family([("version: 1\nstrategies: [once, per_player]\nrandomization:\n  mood: [calm, wry]", "{{mood}}")]))
        #expect(found.codes("randomization-strategy").map(\.message) == [
            "randomization pools are only drawn with `always` or `per_playthrough`; this version's strategies: once, per_player",
        ])
        #expect(found.codes("randomization-strategy")[0].location?.line == 5)
        let none = try check(family([("version: 1\nrandomization:\n  mood: [calm]", "{{mood}}")]))
        #expect(none.codes("randomization-strategy").count == 1)
    }

    @Test func poolShapes() throws {
        let found = try check(family([("""
        version: 1
        strategies: [always]
        randomization:
          a: []
          b: { values: [x, y], weights: [1] }
          c: { values: [x, y], weights: [0, 0] }
        """, "{{a}}{{b}}{{c}}")]))
        #expect(found.codes("randomization-pool").map(\.message) == [
            "randomization pool `a` has no values",
            "pool `b` has 2 values but 1 weights",
            "weights of pool `c` must be non-negative and not all zero",
        ])
    }

    /// `.inf` and `.nan` are no weights.
    @Test func infiniteWeightsAreRefused() throws {
        let found = try check(family([("""
        version: 1
        strategies: [always]
        randomization:
          a: { values: [x, y], weights: [1.0e+308, 1.0e+308] }
          b: { values: [x, y], weights: [.inf, 1] }
        """, "{{a}}{{b}}")]))
        #expect(found.filter { $0.code == "front-matter" }.map(\.message) == ["`weights` of pool `b` must be a list of finite numbers"])
    }
}

@Suite struct ProviderRuleTests {
    @Test func knownProvidersAndHintsPass() throws {
        let found = try check(family([("version: 1\nproviders: [p]\nprovider_hints:\n  p: { duration: 6, quality: 720p, loop: true }", "Hi")]))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func unknownProviderInVersion() throws {
        let found = try check(family([("version: 1\nproviders: [p, q]", "Hi")]))
        let unknown = try #require(found.codes("unknown-provider").first)
        #expect(unknown.message == "`q` is not a provider")
        #expect(unknown.location == SourceLocation(file: "prompts/a/v1.prompt", line: 3, column: 16))
        #expect(unknown.hint == "did you mean `p`?")
    }

    @Test func unknownDefaultProvider() throws {
        let found = try check(family([("version: 1", "Hi")]), defaultProviders: ["zeta"])
        #expect(found.codes("unknown-provider").map(\.message) == ["Site.json `defaultProviders` names `zeta`, which no providers/*.yaml defines"])
    }

    @Test func hintForUnknownParameter() throws {
        let found = try check(family([("version: 1\nprovider_hints:\n  p: { durration: 6 }", "Hi")]))
        let unknown = try #require(found.codes("hint-unknown-parameter").first)
        #expect(unknown.message == "provider `p` has no parameter `durration`")
        #expect(unknown.hint == "did you mean `duration`? its parameters: duration, quality, loop")
        #expect(unknown.location?.line == 4)
    }

    @Test func hintsOutOfRange() throws {
        let found = try check(family([("version: 1\nprovider_hints:\n  p: { duration: 12, quality: 4k, loop: often }", "Hi")]))
        #expect(found.codes("hint-out-of-range").map(\.message) == [
            "hint `duration` for `p` is 12, above the maximum 8",
            "hint `quality` for `p` is `4k`, not one of the allowed values",
            "hint `loop` for `p` must be true or false, found `often`",
        ])
        #expect(found.codes("hint-out-of-range").map(\.hint) == ["allowed: 5 to 8", "allowed: 540p, 720p", "allowed: true or false"])
    }

    @Test func hintsForAnUnlistedOrUnknownProvider() throws {
        var files = family([("version: 1\nproviders: [p]\nprovider_hints:\n  r: { duration: 6 }\n  nobody: { x: 1 }", "Hi")])
        files["providers/p.yaml"] = Fixture.provider("p")
        files["providers/r.yaml"] = Fixture.provider("r")
        let found = try check(files)
        #expect(found.codes("unknown-provider").map(\.level) == [.warning, .error])
        #expect(found.codes("unknown-provider").map(\.message) == [
            "provider_hints for `r`, which this version is not validated against",
            "provider_hints names `nobody`, which is not a provider",
        ])
    }
}
