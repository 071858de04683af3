import Diagnostics
import Testing
import TestSupport

@Suite struct TemplateRuleTests {
    let declared = "version: 1\nvariables:\n  lead: { type: string, max_length: 20 }"

    @Test func knownVariablesPass() throws {
        let found = try check(family([(declared + "\n  npc.name: { type: string, max_length: 30, required: false }\n  flags.storm: { type: bool, required: false }\nexamples:\n  - { name: e, vars: { lead: Mara } }",
                                       "{{lead}} greets {{ npc.name }} about {{relationship.affinity}} and {{flags.storm}}.")]))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func templateSyntaxPointsIntoTheBody() throws {
        let found = try check(family([(declared, "{{lead}} walks.\nThen {{#if night}}dark{{/if}}")]))
        let syntax = found.codes("template-syntax")
        #expect(syntax.count == 2)
        #expect(syntax[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 7, column: 8))
        #expect(syntax[0].message == "unsupported syntax `{{#if night}}`: only `{{path}}` references are allowed")
    }

    @Test func unterminatedReference() throws {
        let found = try check(family([(declared, "{{lead}} walks {{lead")]))
        #expect(found.codes("template-syntax").map(\.location?.column) == [16])
    }

    /// 99 syntax errors and one counting the rest: the 100 `check` lists per file and code, with
    /// the exact count (parsing keeps only the first errors).
    @Test func syntaxErrorsPastTheFirstAreCountedInOne() throws {
        let found = try check(family([(declared, "{{lead}}" + String(repeating: "{{", count: 1_000))]))
        let syntax = found.codes("template-syntax")
        #expect(syntax.count == 100)
        #expect(syntax.filter { $0.message.hasPrefix("unterminated") }.count == 99)
        let more = try #require(syntax.first { $0.location?.line == nil })
        #expect(more.description == "prompts/a/v1.prompt: error[template-syntax]: 901 more template syntax errors in this file, not listed")
        #expect(more.hint == "fix the ones listed, then check again")
        #expect(!found.contains { $0.message.contains("are not listed (the first 100 are)") })
    }

    @Test func undefinedVariableWithSuggestion() throws {
        let found = try check(family([(declared, "{{lead}} and {{laed}} and {{npc.nmae}} and {{weather}}")]))
        let undefined = found.codes("undefined-variable")
        #expect(undefined.map(\.message) == [
            "`laed` is not a declared variable, a randomization pool, a context field or a plugin variable",
            "`npc.nmae` is not a declared variable, a randomization pool, a context field or a plugin variable",
            "`weather` is not a declared variable, a randomization pool, a context field or a plugin variable",
        ])
        #expect(undefined.map(\.hint) == [
            "did you mean `lead`?",
            "did you mean `npc.name`?",
            "declare it under `variables:` in the front matter, e.g. `weather: { type: string, max_length: 40 }`",
        ])
        #expect(undefined[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 6, column: 14))
        #expect(undefined.allSatisfy { $0.level == .error })
    }

    @Test func unusedVariableAndPool() throws {
        let found = try check(family([(declared + "\n  mood: { type: enum, values: [calm] }\nstrategies: [always]\nrandomization:\n  extra: [a, b]",
                                       "{{lead}} only")]))
        let unused = found.codes("unused-variable")
        #expect(unused.map(\.message) == [
            "variable `mood` is declared but the template never uses it",
            "randomization pool `extra` is never used by the template",
        ])
        #expect(unused.map(\.location?.line) == [5, 8])
        #expect(unused.allSatisfy { $0.level == .warning })
    }
}
