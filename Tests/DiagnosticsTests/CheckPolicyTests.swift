import Testing
import Diagnostics

@Suite struct CheckPolicyTests {
    static let here = SourceLocation(file: "a.md", line: 1)
    static let sample: [Diagnostic] = [
        .warning("length.budget", "long", at: here),
        .warning("plugin:lint", "lint", at: here),
        .info("plugin:style", "style", at: here),
        .warning("pluginish", "not a plugin", at: here),
        .error("template.syntax", "broken", at: here),
    ]

    static func summary(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.level.rawValue):\($0.code)" }
    }

    @Test func defaultPolicyChangesNothing() {
        #expect(CheckPolicy().apply(to: Self.sample) == Self.sample)
    }

    @Test func ignoreDropsAnExactCode() {
        let result = CheckPolicy(ignore: ["length.budget"]).apply(to: Self.sample)
        #expect(Self.summary(result) == ["warning:plugin:lint", "info:plugin:style", "warning:pluginish", "error:template.syntax"])
    }

    @Test func ignoreIsExactWithoutAStar() {
        // `length` is not a prefix pattern: it matches nothing here.
        #expect(CheckPolicy(ignore: ["length", "template"]).apply(to: Self.sample) == Self.sample)
    }

    @Test func errorsRaisesAWarningAndKeepsTheRest() {
        let result = CheckPolicy(errors: ["length.budget"]).apply(to: Self.sample)
        #expect(result[0] == Diagnostic.error("length.budget", "long", at: Self.here))
        #expect(Array(result.dropFirst()) == Array(Self.sample.dropFirst()))
    }

    @Test func prefixPatternMatchesEveryCodeWithThePrefix() {
        let ignored = CheckPolicy(ignore: ["plugin:*"]).apply(to: Self.sample)
        // `pluginish` does not start with `plugin:`.
        #expect(Self.summary(ignored) == ["warning:length.budget", "warning:pluginish", "error:template.syntax"])

        let raised = CheckPolicy(errors: ["plugin:*"]).apply(to: Self.sample)
        #expect(Self.summary(raised) == ["warning:length.budget", "error:plugin:lint", "error:plugin:style", "warning:pluginish", "error:template.syntax"])
    }

    @Test func ignoreWinsOverErrors() {
        let result = CheckPolicy(ignore: ["plugin:lint"], errors: ["plugin:*"]).apply(to: Self.sample)
        #expect(Self.summary(result) == ["warning:length.budget", "error:plugin:style", "warning:pluginish", "error:template.syntax"])
    }

    @Test func loneStarMatchesEverything() {
        #expect(CheckPolicy(ignore: ["*"]).apply(to: Self.sample).isEmpty)
    }

    @Test func failsOnErrorsAlways() {
        let errors: [Diagnostic] = [.error("x", "m", at: nil)]
        #expect(CheckPolicy().fails(errors))
        #expect(CheckPolicy(strict: true).fails(errors))
    }

    @Test func failsOnWarningsOnlyWhenStrict() {
        let warnings: [Diagnostic] = [.warning("x", "m", at: nil), .info("y", "m", at: nil)]
        #expect(!CheckPolicy().fails(warnings))
        #expect(CheckPolicy(strict: true).fails(warnings))
    }

    @Test func infosNeverFail() {
        let infos: [Diagnostic] = [.info("x", "m", at: nil)]
        #expect(!CheckPolicy().fails(infos))
        #expect(!CheckPolicy(strict: true).fails(infos))
        #expect(!CheckPolicy(strict: true).fails([]))
    }

    @Test func raisedWarningFailsWithoutStrict() {
        let policy = CheckPolicy(errors: ["length.budget"])
        let warnings: [Diagnostic] = [.warning("length.budget", "long", at: nil)]
        #expect(!policy.fails(warnings))
        #expect(policy.fails(policy.apply(to: warnings)))
    }
}
