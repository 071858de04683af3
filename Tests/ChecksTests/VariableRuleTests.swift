import Diagnostics
import Testing
import TestSupport

@Suite struct VariableRuleTests {
    @Test func wellTypedDeclarationsPass() throws {
        let found = try check(family([("""
        version: 1
        variables:
          lead: { type: string, max_length: 10, default: Mara }
          time: { type: enum, values: [dusk, night], default: dusk }
          level: { type: int, min: 1, max: 10, default: 4 }
          speed: { type: float, min: 0, max: 1.5, default: 0.5 }
          lit: { type: bool, default: true }
        examples:
          - name: full
            vars: { lead: Ana, time: night, level: 10, speed: 1.5, lit: false }
        """, "{{lead}} {{time}} {{level}} {{speed}} {{lit}}")]))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func badDefaultsAreReportedAtTheDefault() throws {
        let found = try check(family([("""
        version: 1
        variables:
          lead: { type: string, max_length: 3, default: Marianne }
          time: { type: enum, values: [dusk, night], default: noon }
          level: { type: int, min: 1, max: 10, default: 11 }
          whole: { type: int, min: 1, max: 10, default: 2.5 }
          lit: { type: bool, default: maybe }
        """, "{{lead}} {{time}} {{level}} {{whole}} {{lit}}")]))
        let types = found.codes("variable-type")
        #expect(types.map(\.message) == [
            "default of `lead` is 8 characters long, over its max_length of 3",
            "default of `time` is `noon`, not one of: dusk, night",
            "default of `level` is 11, above its max of 10",
            "default of `whole` must be a whole number, found a number `2.5`",
            "default of `lit` must be true or false, found a string `maybe`",
        ])
        #expect(types.map(\.location?.line) == [4, 5, 6, 7, 8])
    }

    @Test func badDeclarations() throws {
        let found = try check(family([("""
        version: 1
        variables:
          a: { type: strng, max_length: 5 }
          b: { type: enum }
          c: { type: int, min: 9, max: 1 }
          d: { max_length: 4 }
          e: { type: bool, max_length: 4 }
        """, "{{a}} {{b}} {{c}} {{d}} {{e}}")]))
        let types = found.codes("variable-type")
        #expect(types.map(\.message) == [
            "variable `a` has unknown type `strng`",
            "enum variable `b` lists no `values`",
            "`min` (9) of `c` is above `max` (1)",
            "variable `d` has no `type`",
            "`max_length` only applies to string variables; `e` is bool",
        ])
        #expect(types[0].hint == "did you mean `string`? types are: string, int, float, bool, enum")
        #expect(types.map(\.level) == [.error, .error, .error, .error, .warning])
    }

    /// A name no `{{…}}` can write was only ever "declared but never used": now an error at its
    /// key, and not declared (so it is not reported unused too).
    @Test func namesNoTemplateCanWriteAreErrors() throws {
        let found = try check(family([("""
        version: 1
        variables:
          lead: { type: string, max_length: 40 }
          "": string
          "a b": string
          "a..b": string
          "1st": string
          npc.name: string
        """, "{{lead}} {{npc.name}}")]))
        #expect(found.codes("front-matter").map(\.description) == [
            "prompts/a/v1.prompt:5:3: error[front-matter]: variable name `` cannot be written in a template as `{{}}`",
            "prompts/a/v1.prompt:6:3: error[front-matter]: variable name `a b` cannot be written in a template as `{{a b}}`",
            "prompts/a/v1.prompt:7:3: error[front-matter]: variable name `a..b` cannot be written in a template as `{{a..b}}`",
            "prompts/a/v1.prompt:8:3: error[front-matter]: variable name `1st` cannot be written in a template as `{{1st}}`",
        ])
        #expect(found.codes("unused-variable").isEmpty)
    }

    @Test func exampleValuesAreTypeChecked() throws {
        let found = try check(family([("""
        version: 1
        variables:
          level: { type: int, min: 1, max: 10 }
          time: { type: enum, values: [dusk, night] }
        examples:
          - name: wrong
            vars: { level: 0, time: noon, extra: 1 }
        """, "{{level}} {{time}}")]))
        #expect(found.codes("variable-type").map(\.message) == [
            "example `wrong`: `level` is 0, below its min of 1",
            "example `wrong`: `time` is `noon`, not one of: dusk, night",
        ])
        #expect(found.codes("variable-type").map(\.location?.line) == [8, 8])
        #expect(found.codes("undefined-variable").map(\.message) == ["example `wrong` sets `extra`, which is not a variable of this version"])
    }

    @Test func exampleMissingARequiredVariable() throws {
        let found = try check(family([("""
        version: 1
        variables:
          lead: { type: string, max_length: 10 }
          partner: { type: string, max_length: 10 }
          time: { type: enum, values: [dusk], default: dusk }
        examples:
          - name: half
            vars: { lead: Ana }
        """, "{{lead}} {{partner}} {{time}}")]))
        #expect(found.codes("example-incomplete").map(\.message) == ["example `half` does not set required variable `partner`"])
    }
}

@Suite struct PoolValueTypeTests {
    @Test func poolEntriesStandingInForAVariableMustFitIt() throws {
        let diagnostics = try check(family([(
            """
            version: 1
            strategies: [always]
            variables:
              mood: { type: enum, values: [calm, tense] }
              count: { type: int, min: 1, max: 5 }
            randomization:
              mood: [calm, furious]
              count: [2, 9, two]
            """,
            "{{mood}} {{count}}"
        )]))
        let problems = diagnostics.codes("variable-type").filter { $0.level == .error }
        #expect(problems.map(\.message) == [
            "pool value `furious` of `mood` is not one of `calm`, `tense`",
            "pool value `9` of `count` is above max 5",
            "pool value `two` of `count` is not a whole number",
        ])
        #expect(problems.map(\.location?.line) == [8, 9, 9])
    }
}
