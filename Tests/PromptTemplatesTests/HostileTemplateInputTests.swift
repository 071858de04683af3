import Foundation
import Testing
@testable import PromptTemplates

/// Input written to crash or stall the parsers: each is refused with its place, quickly.
@Suite struct HostileTemplateInputTests {
    private func failure(_ source: String) -> ExpressionSyntaxError? {
        if case .failure(let error) = ProgramExpression.parse(source) { return error }
        return nil
    }

    @Test func tenThousandNestedParenthesesAreRefusedNotAStackOverflow() throws {
        let source = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        let started = ContinuousClock.now
        let error = try #require(failure(source))
        #expect(error.message == "the condition has 20001 tokens, more than the 1000 allowed")
        #expect(error.offset == 1_000)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func nestingPastTheDepthLimitIsLocated() throws {
        let source = String(repeating: "(", count: 65) + "a" + String(repeating: ")", count: 65)
        let error = try #require(failure(source))
        #expect(error.message == "the condition nests deeper than 64 levels of `(` and `!`")
        #expect(error.offset == 64)
        // 64 levels still parse and evaluate.
        let deepest = String(repeating: "(", count: 64) + "a" + String(repeating: ")", count: 64)
        #expect(failure(deepest) == nil)
    }

    @Test func aHundredThousandNegationsAreRefused() throws {
        let error = try #require(failure(String(repeating: "!", count: 100_000) + "a"))
        #expect(error.message.contains("more than the 1000 allowed"))
        let deep = try #require(failure(String(repeating: "!", count: 65) + "a"))
        #expect(deep.message == "the condition nests deeper than 64 levels of `(` and `!`")
        #expect(deep.offset == 64)
    }

    @Test func worstCaseLengthSaturatesInsteadOfTrapping() {
        let template = Template(parsing: "{{a}} {{b}} {{c}}")
        let worst = template.worstCaseLength { _ in Int.max }
        #expect(worst.length == Int.max)
        #expect(WorstCaseLength.adding(Int.max - 1, 5) == Int.max)
        #expect(WorstCaseLength.adding(40, 2) == 42)
    }
}
