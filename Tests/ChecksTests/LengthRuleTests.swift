import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

@Suite struct LengthRuleTests {
    func providers(limit: Int) -> [String: String] {
        ["providers/p.yaml": Fixture.provider("p", limit: limit, negativeLimit: 10)]
    }

    @Test func withinTheLimitPasses() throws {
        let body = String(repeating: "x", count: 50) + " {{lead}}"
        var files = family([("version: 1\nvariables:\n  lead: { type: string, max_length: 9 }\nexamples:\n  - { name: e, vars: { lead: Ana } }", body)])
        files.merge(providers(limit: 60)) { $1 }
        #expect(try check(files).isEmpty)
    }

    @Test func exampleOverTheLimitIsAnError() throws {
        let body = String(repeating: "x", count: 50) + " {{lead}}"
        var files = family([("version: 1\nvariables:\n  lead: { type: string, max_length: 20 }\nexamples:\n  - { name: long, vars: { lead: Alexandrina } }", body)])
        files.merge(providers(limit: 60)) { $1 }
        let over = try check(files).codes("over-limit")
        #expect(over.count == 1)
        #expect(over[0].level == .error)
        #expect(over[0].message == "example `long` renders to 62 characters, 2 over p's limit of 60")
        #expect(over[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 8, column: 1))
    }

    /// 30,000 `{{a}}` over a 60,000-character default would be 1.8 billion characters from a
    /// 200 KB file: the preview stops at 4 MB, with an error at the template.
    @Test func aValueRepeatedThousandsOfTimesStopsAtTheBound() throws {
        let body = String(repeating: "{{a}}", count: 30_000)
        let value = String(repeating: "b", count: 60_000)
        var files = family([("version: 1\nvariables:\n  a: { type: string, default: \(value) }", body)])
        files.merge(providers(limit: 60)) { $1 }
        let diagnostics = try check(files)
        let cut = diagnostics.codes("preview-too-long")
        #expect(cut.map(\.level) == [.error])
        #expect(cut.first?.message == "the default preview renders to more than 4 MB; previews and lengths stop there")
        #expect(cut.first?.location == SourceLocation(file: "prompts/a/v1.prompt", line: 6, column: 1))
        let over = diagnostics.codes("over-limit")
        #expect(over.first?.message == "the default preview renders to 4140000 characters, 4139940 over p's limit of 60")
    }

    @Test func worstCaseOverTheLimitIsAWarning() throws {
        // 50 + 1 + max_length 20 = 71 > 60, while the example (Ana) renders to 54.
        let body = String(repeating: "x", count: 50) + " {{lead}}"
        var files = family([("version: 1\nvariables:\n  lead: { type: string, max_length: 20 }\nexamples:\n  - { name: e, vars: { lead: Ana } }", body)])
        files.merge(providers(limit: 60)) { $1 }
        let over = try check(files).codes("over-limit")
        #expect(over.map(\.level) == [.warning])
        #expect(over[0].message == "the worst case renders to 71 characters, over p's limit of 60")
    }

    @Test func worstCaseUsesEnumsNumbersBoolsAndPools() throws {
        let front = """
        version: 1
        strategies: [always]
        variables:
          time: { type: enum, values: [dusk, midnight] }
          level: { type: int, min: -5, max: 100 }
          speed: { type: float, min: 0, max: 2.75 }
          lit: { type: bool }
        randomization:
          mood: [calm, very wistful]
        """
        let content = try TemporaryContent(family([(front, "{{time}}|{{level}}|{{speed}}|{{lit}}|{{mood}}")]))
        let version = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("a")?.version(1))
        let worst = VersionVariables(version).worstCaseLength()
        // 8 (midnight) + 3 (100) + 4 (2.75) + 5 (false) + 12 (very wistful) + 4 separators
        #expect(worst.length == 36)
        #expect(worst.isBounded)
    }

    @Test func contextIntegersAreBoundedAndStringsAreNot() throws {
        let content = try TemporaryContent(family([("version: 1", "{{relationship.affinity}} {{world_time}} {{npc.name}}")]))
        let version = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("a")?.version(1))
        let worst = VersionVariables(version).worstCaseLength()
        #expect(worst.length == 3 + 1 + 5 + 1)
        #expect(worst.unboundedPaths == ["npc.name"])
    }

    @Test func unboundedStringIsAWarningWithAHint() throws {
        let found = try check(family([("version: 1\nvariables:\n  lead: { type: string }\nexamples:\n  - { name: e, vars: { lead: Ana } }", "Hello {{lead}}")]))
        let unbounded = found.codes("unbounded-length")
        #expect(unbounded.map(\.message) == ["the worst-case length is unknown: `lead` has no longest value"])
        #expect(unbounded[0].hint == "give `lead` a `max_length`")
        #expect(unbounded[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 8, column: 7))
        #expect(unbounded[0].level == .warning)
    }

    @Test func undeclaredContextStringSuggestsDeclaringIt() throws {
        let found = try check(family([("version: 1", "Hello {{npc.name}}")]))
        #expect(found.codes("unbounded-length").map(\.hint) == ["declare `npc.name: { type: string, max_length: N, required: false }` under `variables:` to bound it"])
    }

    @Test func negativePromptOverItsLimit() throws {
        var files = family([("version: 1\nnegative: blurry, extra limbs", "Hi")])
        files.merge(providers(limit: 60)) { $1 }
        let over = try check(files).codes("over-limit")
        #expect(over.map(\.message) == ["the negative prompt is 19 characters, 9 over p's negative limit of 10"])
        #expect(over[0].location?.line == 3)
    }
}

@Suite struct PolicyTests {
    @Test func siteJSONCanSilenceAndRaise() throws {
        let files = family([("version: 1\nvariables:\n  lead: { type: string, max_length: 9 }\n  mood: { type: string, max_length: 9 }\nexamples:\n  - { name: e, vars: { lead: A, mood: B } }",
                             "{{lead}} {{npc.name}}")])
        let plain = try check(files)
        #expect(Set(plain.codeList) == ["unused-variable", "unbounded-length"])
        let tuned = try check(files, policy: CheckPolicy(ignore: ["unbounded-length"], errors: ["unused-variable"]))
        #expect(tuned.codeList == ["unused-variable"])
        #expect(tuned[0].level == .error)
    }
}
