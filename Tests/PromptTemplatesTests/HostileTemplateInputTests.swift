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

    /// Distinct variables without a longest value are gathered through a set: a search of the list
    /// per reference made 100,000 undeclared variables take over 20 s to check (about 0.1 s now).
    @Test func manyDistinctUnboundedVariablesAreFoundInLinearTime() {
        let template = Template(parsing: (0..<50_000).map { "{{v\($0)}} {{v\($0 / 2)}}" }.joined(separator: " "))
        let started = ContinuousClock.now
        let worst = template.worstCaseLength { _ in nil }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(worst.unboundedPaths.count == 50_000)
        #expect(worst.unboundedPaths.prefix(3) == ["v0", "v1", "v2"])
        #expect(worst.length == template.literalLength)
        // Rendering lists each missing path once, in the order met, as fast.
        let renderStarted = ContinuousClock.now
        let rendered = template.render(with: TemplateValues())
        #expect(ContinuousClock.now - renderStarted < .seconds(10))
        #expect(rendered.missing.count == 50_000)
        #expect(rendered.missing.prefix(4) == ["v0", "v1", "v2", "v3"])
        #expect(rendered.missing.last == "v49999")
    }

    @Test func worstCaseLengthSaturatesInsteadOfTrapping() {
        let template = Template(parsing: "{{a}} {{b}} {{c}}")
        let worst = template.worstCaseLength { _ in Int.max }
        #expect(worst.length == Int.max)
        #expect(WorstCaseLength.adding(Int.max - 1, 5) == Int.max)
        #expect(WorstCaseLength.adding(40, 2) == 42)
    }
}

/// Findings of the condition fuzz target, kept as tests.
@Suite struct ConditionFuzzFindingTests {
    @Test func hugeNumbersPrintBackWithoutAnExponent() throws {
        for source in ["222222222222222222222222222222222222222222222222222222222222222222", "x > 0.00000000000000000001", "-123456789012345678901234.5"] {
            guard case .success(let expression) = ProgramExpression.parse(source) else {
                Issue.record("`\(source)` should parse")
                continue
            }
            #expect(!expression.description.contains("e"), "\(expression.description)")
            #expect(try ProgramExpression.parse(expression.description).get() == expression)
        }
        #expect(ProgramExpression.plainDecimal(2.5e20) == "250000000000000000000.0")
        #expect(ProgramExpression.plainDecimal(1e-5) == "0.00001")
        #expect(ProgramExpression.plainDecimal(-1.25e2) == "-125.0")
    }

    @Test func aNumberPastDoubleIsOutOfRange() throws {
        guard case .failure(let error) = ProgramExpression.parse("x > " + String(repeating: "9", count: 400) + ".5") else {
            Issue.record("an infinite number should be refused")
            return
        }
        #expect(error.message.hasSuffix("…` is out of range"))
        #expect(error.offset == 4)
    }
}
