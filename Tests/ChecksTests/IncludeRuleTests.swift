import Diagnostics
import Foundation
import PromptCatalog
import PromptTemplates
import Testing
import TestSupport

/// A snippet family `style` (v1 plain, v2 with `{{mood}}`, production → 1) and the files given.
func withStyle(_ files: [String: String]) -> [String: String] {
    var all = files
    all["prompts/style/family.yaml"] = Fixture.family(title: "Style", type: "snippet", extra: "labels:\n  production: 1")
    all["prompts/style/v1.prompt"] = Fixture.version("version: 1", "Soft light.")
    all["prompts/style/v2.prompt"] = Fixture.version("version: 2\nparent: 1\nvariables:\n  mood: { type: string, max_length: 10, default: warm, required: false }",
                                                     "Soft {{mood}} light.")
    return all
}

let sceneFrontMatter = "variables:\n  lead: { type: string, max_length: 20 }\nexamples:\n  - { name: e, vars: { lead: Mara } }"

@Suite struct CompositionTests {
    func catalog(_ files: [String: String]) throws -> Catalog {
        let content = try TemporaryContent(files)
        return CatalogLoader.load(contentDirectory: content.root).catalog
    }

    @Test func resolvesLatestLabelAndNumber() throws {
        let catalog = try catalog(withStyle([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\n" + sceneFrontMatter, "{{lead}} walks. {{> style}}"),
            "prompts/a/v2.prompt": Fixture.version("version: 2\n" + sceneFrontMatter, "{{lead}} walks. {{> style@production}}"),
            "prompts/a/v3.prompt": Fixture.version("version: 3\n" + sceneFrontMatter, "{{lead}} walks. {{ > style @ 2 }} Then \\{{> style}}."),
        ]))
        let family = try #require(catalog.family("a"))
        let composed = family.versions.map { catalog.composed($0) }
        #expect(composed.map(\.source) == [
            "{{lead}} walks. Soft {{mood}} light.",
            "{{lead}} walks. Soft light.",
            "{{lead}} walks. Soft {{mood}} light. Then \\{{> style}}.",
        ])
        #expect(composed.map { $0.includes.map(\.version.id) } == [["style@2"], ["style@1"], ["style@2"]])
        #expect(composed.map { $0.variables.map(\.path.description) } == [["mood"], [], ["mood"]])
        #expect(composed.allSatisfy { $0.problems.isEmpty })
        // Previews render the included text with the includer's values and the snippet's defaults.
        #expect(family.versions.map { catalog.variables(of: $0).preview().text } == [
            "Mara walks. Soft warm light.", "Mara walks. Soft light.", "Mara walks. Soft warm light. Then {{> style}}.",
        ])
    }

    @Test func lengthsThroughIncludesAreExact() throws {
        let catalog = try catalog(withStyle([
            "providers/p.yaml": Fixture.provider("p", limit: 45),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\n" + sceneFrontMatter, "{{lead}} walks. {{> style}}"),
            "prompts/a/v2.prompt": Fixture.version("version: 2\n" + sceneFrontMatter, "{{lead}} walks. {{> style@1}}"),
        ]))
        let family = try #require(catalog.family("a"))
        let lengths = family.versions.map { catalog.lengths(of: $0, defaultProviders: ["p"])[0] }
        // v1: " walks. Soft " (13) + lead (20) + mood (10) + " light." (7) = 50; "Mara walks. Soft warm light." = 28.
        // v2: " walks. Soft light." (19) + lead (20) = 39; "Mara walks. Soft light." = 23.
        #expect(lengths.map(\.worstCase.length) == [50, 39])
        #expect(lengths.map(\.exampleLength) == [28, 23])
        #expect(lengths.map(\.worstCase.isBounded) == [true, true])
        // A snippet is not measured on its own.
        #expect(catalog.lengths(of: try #require(catalog.family("style")?.version(2)), defaultProviders: ["p"]).isEmpty)
    }

    @Test func renderTypesAndRequiresTheSnippetsVariables() throws {
        let catalog = try catalog(withStyle([
            "prompts/who/family.yaml": Fixture.family(type: "snippet"),
            "prompts/who/v1.prompt": Fixture.version("version: 1\nvariables:\n  age: { type: int, min: 1, max: 99 }", "aged {{age}}"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Someone {{> who}}."),
        ]))
        let variables = catalog.variables(of: try #require(catalog.family("a")?.version(1)))
        #expect(variables.missingRequired(in: variables.preview()) == ["age"])
        #expect(throws: ReferenceError.self) { try variables.overrides(from: ["age=old"]).get() }
        let rendered = variables.preview(overrides: try variables.overrides(from: ["age=42"]).get())
        #expect(rendered.text == "Someone aged 42.")
        #expect(variables.missingRequired(in: rendered).isEmpty)
    }

    @Test func actionBlockPromptsCompose() throws {
        let catalog = try catalog(withStyle([:]))
        let composed = catalog.composed(Template(parsing: "Two people sit. {{> style@1}}"))
        #expect(composed.source == "Two people sit. Soft light.")
        #expect(composed.includes.map(\.depth) == [1])
    }

    /// Includes on several lines, with text between them, are replaced where they are written;
    /// 10,000 of them are walked once (each used to rescan the template from its start).
    @Test func manyIncludesAreReplacedInPlace() throws {
        let catalog = try catalog(withStyle([:]))
        let composed = catalog.composed(Template(parsing: "a {{> style@1}} b\n\nc {{> style@1}}{{> style@1}} é\n{{> style@1}}"))
        #expect(composed.source == "a Soft light. b\n\nc Soft light.Soft light. é\nSoft light.")
        let many = catalog.composed(Template(parsing: Array(repeating: "{{> style@1}}", count: 10_000).joined(separator: " ")))
        #expect(many.includes.count == 1_000)
        #expect(many.source.hasPrefix(Array(repeating: "Soft light.", count: 1_000).joined(separator: " ") + " {{> style@1}} {{> style@1}}"))
        #expect(many.source.hasSuffix(" {{> style@1}}"))
    }

    /// Includes are found where the parser put them, by code points and line feeds: a combining
    /// mark before an include (`e` + U+0301, one character), a line separator or a CR (ends of
    /// lines to Swift, not to the parser) moved the splice and ate text after it.
    @Test func includesAreSplicedAfterCombiningMarksAndOtherLineEnds() throws {
        let catalog = try catalog(withStyle([:]))
        for (written, composed) in [("Cafe\u{301} {{> style@1}}, at dusk", "Cafe\u{301} Soft light., at dusk"),
                                    ("up\u{2028}hill {{> style@1}} after.", "up\u{2028}hill Soft light. after."),
                                    ("a\r\nb\r {{> style@1}}\u{85}{{> style@1}} \u{301}!", "a\r\nb\r Soft light.\u{85}Soft light. \u{301}!"),
                                    ("\u{1F469}\u{200D}\u{1F467} x\n é\u{301}\u{301}{{> style@1}}", "\u{1F469}\u{200D}\u{1F467} x\n é\u{301}\u{301}Soft light.")] {
            let result = catalog.composed(Template(parsing: written))
            #expect(Array(result.source.unicodeScalars) == Array(composed.unicodeScalars), "\(written.debugDescription)")
            #expect(Array(result.template.render(with: TemplateValues()).text.unicodeScalars) == Array(composed.unicodeScalars))
        }
    }

    /// The composed text stops at `maximumComposedBytes`: a long snippet included many times is
    /// cut (and reported) instead of composing to hundreds of megabytes.
    @Test func aComposedTextStopsAtItsByteLimit() throws {
        let snippet = String(repeating: "word ", count: 40_000)
        let catalog = try catalog(withStyle(["prompts/long/family.yaml": Fixture.family(type: "snippet"),
                                             "prompts/long/v1.prompt": Fixture.version("version: 1", snippet)]))
        let composed = catalog.composed(Template(parsing: Array(repeating: "{{> long@1}}", count: 50).joined(separator: "|")))
        #expect(composed.includes.count == 20)
        #expect(composed.source.utf8.count == 20 * 200_000 + 19 + 30 * "|{{> long@1}}".utf8.count)
        #expect(composed.source.utf8.count <= maximumComposedBytes + "|{{> long@1}}".utf8.count * 30)
        #expect(composed.problems.count == 1)
        if case .tooLarge = composed.problems.first {} else { Issue.record("expected tooLarge, got \(composed.problems)") }
    }
}

@Suite struct IncludeRuleTests {
    @Test func cleanIncludesPass() throws {
        let found = try check(withStyle([
            "prompts/a/family.yaml": Fixture.family(extra: "labels:\n  production: 1"),
            "prompts/a/v1.prompt": Fixture.version("version: 1\n" + sceneFrontMatter, "{{lead}} walks. {{> style@production}}"),
        ]))
        #expect(found.filter { $0.code.hasPrefix("include-") }.isEmpty, "\(found)")
        // `mood` is used only by the snippet, and declared there: no undefined or unused variable.
        #expect(found.codes("undefined-variable").isEmpty)
        #expect(found.codes("unused-variable").isEmpty)
    }

    @Test func unresolvedWithDidYouMean() throws {
        let found = try check(withStyle([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\n" + sceneFrontMatter, "{{lead}} walks.\n{{> stlye}} {{> style@prod}} {{> style@9}} {{> nothing-like-it}}"),
        ]))
        let unresolved = found.codes("include-unresolved")
        #expect(unresolved.map(\.message) == [
            "`{{> stlye}}` includes nothing: no family `stlye`",
            "`{{> style@prod}}` includes nothing: family `style` has no label `prod`",
            "`{{> style@9}}` includes nothing: family `style` has no version 9 (it has 1, 2)",
            "`{{> nothing-like-it}}` includes nothing: no family `nothing-like-it`",
        ])
        #expect(unresolved.map(\.hint) == [
            "did you mean `{{> style}}`?",
            "labels of `style`: production",
            "include an existing version, or its latest with `{{> style}}`",
            "an include names a family (a folder under prompts/): `{{> family}}`, `{{> family@label}}` or `{{> family@N}}`",
        ])
        #expect(unresolved.map(\.location) == [1, 13, 30, 44].map { SourceLocation(file: "prompts/a/v1.prompt", line: 9, column: $0) })
        #expect(unresolved.allSatisfy { $0.level == .error })
    }

    @Test func cycleOfThreeIsReportedOnceWhole() throws {
        var files: [String: String] = [:]
        for (slug, next) in [("a", "b"), ("b", "c"), ("c", "a")] {
            files["prompts/\(slug)/family.yaml"] = Fixture.family(type: "snippet")
            files["prompts/\(slug)/v1.prompt"] = Fixture.version("version: 1", "\(slug) then\n  {{> \(next)@1}}")
        }
        files["prompts/d/family.yaml"] = Fixture.family()
        files["prompts/d/v1.prompt"] = Fixture.version("version: 1", "d then {{> a}}")
        let cycles = try check(files).codes("include-cycle")
        #expect(cycles.map(\.message) == ["includes form a cycle: a@1 → b@1 → c@1 → a@1"])
        #expect(cycles[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 5, column: 3))
        #expect(cycles[0].level == .error)
    }

    @Test func selfIncludeIsACycle() throws {
        let found = try check(family([("version: 1", "again {{> a@1}}")]))
        #expect(found.codes("include-cycle").map(\.message) == ["includes form a cycle: a@1 → a@1"])
    }

    @Test func chainDeeperThanEightIsAnError() throws {
        var files: [String: String] = [:]
        for index in 0...9 {
            files["prompts/s\(index)/family.yaml"] = Fixture.family(type: "snippet")
            files["prompts/s\(index)/v1.prompt"] = Fixture.version("version: 1", index == 9 ? "end" : "s\(index) {{> s\(index + 1)}}")
        }
        let deep = try check(files).codes("include-depth")
        // s0 → … → s9 is 9 includes deep; s1 → … → s9 is 8, allowed.
        #expect(deep.map(\.message) == ["includes nest 9 deep, more than 8: s0@1 → s1@1 → s2@1 → s3@1 → s4@1 → s5@1 → s6@1 → s7@1 → s8@1 → s9@1"])
        #expect(deep[0].location == SourceLocation(file: "prompts/s0/v1.prompt", line: 4, column: 4))
    }

    @Test func conflictingDeclarationsAreErrors() throws {
        let found = try check(withStyle([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nvariables:\n  mood: { type: int, min: 0, max: 9 }\nexamples:\n  - { name: e, vars: { mood: 3 } }",
                                                   "{{mood}} {{> style@2}}"),
        ]))
        let conflicts = found.codes("include-variable-conflict")
        #expect(conflicts.map(\.message) == ["`mood` is an int in a@1 but a string in style@2, which a@1 includes"])
        #expect(conflicts[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 4, column: 3))
    }

    @Test func conflictBetweenTwoIncludesPointsAtTheSecondInclude() throws {
        let found = try check(withStyle([
            "prompts/tone/family.yaml": Fixture.family(type: "snippet"),
            "prompts/tone/v1.prompt": Fixture.version("version: 1\nvariables:\n  mood: { type: bool, required: false }", "calm: {{mood}}"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "{{> style@2}} {{> tone}}"),
        ]))
        let conflicts = found.codes("include-variable-conflict")
        #expect(conflicts.map(\.message) == ["`mood` is a string in style@2 but a bool in tone@1, which a@1 includes"])
        #expect(conflicts[0].location == SourceLocation(file: "prompts/a/v1.prompt", line: 4, column: 15))
    }

    @Test func productionIncludingLatestIsUnpinned() throws {
        let found = try check(withStyle([
            "prompts/wrap/family.yaml": Fixture.family(type: "snippet"),
            "prompts/wrap/v1.prompt": Fixture.version("version: 1", "[{{> style}}]"),
            "prompts/a/family.yaml": Fixture.family(extra: "labels:\n  production: 2"),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "{{> style}}"),
            "prompts/a/v2.prompt": Fixture.version("version: 2\nparent: 1", "{{> style}} and {{> wrap@1}} and {{> style@1}}"),
        ]))
        let unpinned = found.codes("include-unpinned")
        #expect(unpinned.map(\.message) == [
            "production version a@2 includes `style` by its latest version (now style@2): its text changes when that family gets a new version",
            "production version a@2 includes `style` by its latest version (now style@2) (through wrap@1): its text changes when that family gets a new version",
        ])
        #expect(unpinned.map(\.location?.column) == [1, 17])
        #expect(unpinned.map(\.level) == [.warning, .warning])
    }

    @Test func requiredVariablesOfTheSnippetBindTheIncluder() throws {
        let found = try check(withStyle([
            "prompts/who/family.yaml": Fixture.family(type: "snippet"),
            "prompts/who/v1.prompt": Fixture.version("version: 1\nvariables:\n  name: { type: string, max_length: 12 }", "{{name}}"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nexamples:\n  - { name: e1, vars: { name: Bartholomew Third } }\n  - { name: e2, vars: {} }",
                                                   "Hello {{> who}}"),
        ]))
        #expect(found.codes("example-incomplete").map(\.message) == ["example `e2` does not set required variable `name`"])
        #expect(found.codes("variable-type").map(\.message) == ["example `e1`: `name` is 17 characters long, over its max_length of 12"])
        #expect(found.codes("undefined-variable").isEmpty)
    }

    @Test func blockPromptIncludesAreChecked() throws {
        let block = """
        [{ "id": "sit", "kind": "single_state", "prompt": "Two sit. {{> styel@1}}", "tags": { "location": "bench" } }]
        """
        let found = try check(withStyle(["action-blocks/a.json": block]))
        #expect(found.codes("include-unresolved").map(\.message) == ["in the prompt of block `sit`: `{{> styel@1}}` includes nothing: no family `styel`"])
        #expect(found.codes("include-unresolved").map(\.hint) == ["did you mean `{{> style}}`?"])
    }
}

@Suite struct IncludeConsumerTests {
    @Test func pluginValidatorsAndTransformersSeeTheComposedText() throws {
        var files = withStyle([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "A walk. {{> gadget}}"),
            "prompts/gadget/family.yaml": Fixture.family(type: "snippet"),
            "prompts/gadget/v1.prompt": Fixture.version("version: 1", "She checks her smartphone."),
        ])
        files["plugins/quest/plugin.yaml"] = PluginRuleTests.plugin
        let found = try check(files)
        // Reported on the includer (the snippet's own family is a snippet, validated too).
        #expect(found.codes("plugin:quest/no-modern-tech").compactMap(\.location?.file).sorted() == ["prompts/a/v1.prompt", "prompts/gadget/v1.prompt"])
        let content = try TemporaryContent(files)
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let version = try #require(catalog.family("a")?.version(1))
        #expect(catalog.variables(of: version).preview().text == "Cinematic, A walk. She checks her smartphone. Keep faces consistent.")
    }

    @Test func sceneNodesRenderAndRequireThroughIncludes() throws {
        var files = withStyle([
            "prompts/a/family.yaml": Fixture.family(extra: "labels: { production: 1 }"),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "At the pier. {{> who@1}}"),
            "prompts/who/family.yaml": Fixture.family(type: "snippet"),
            "prompts/who/v1.prompt": Fixture.version("version: 1\nvariables:\n  lead: { type: string, max_length: 20 }", "{{lead}} waits."),
        ])
        files["providers/tiny.yaml"] = Fixture.provider("tiny", limit: 20)
        files["scenes/harbor.yaml"] = "id: harbor\ntitle: Harbor\nnodes:\n"
            + "  - { id: wait, provider: tiny, prompt: { family: a, label: production } }\n"
            + "  - { id: named, provider: tiny, prompt: { family: a, label: production, variables: { lead: Mara } } }\n"
        let found = try check(files)
        #expect(found.codes("scene-missing-variable").map(\.message) == ["node `wait` does not supply `lead`, which a@1 requires"])
        // "At the pier. Mara waits." is 24 characters.
        #expect(found.codes("over-limit").filter { $0.location?.file == "scenes/harbor.yaml" }.map(\.message)
                == ["node `named` renders a@1 to 24 characters, 4 over tiny's limit of 20"])
    }
}

@Suite struct IncludeExpansionTests {
    @Test func exponentialExpansionIsCutAndReported() throws {
        // Each level includes the next one four times: s0 composes 4 + 16 + … + 4096 texts, s1 4 + … + 1024 = 1364 (the limit is hit in its third include), s2 340.
        var files: [String: String] = [:]
        for index in 0...6 {
            files["prompts/s\(index)/family.yaml"] = Fixture.family(type: "snippet")
            let next = "{{> s\(index + 1)}}"
            files["prompts/s\(index)/v1.prompt"] = Fixture.version("version: 1", index == 6 ? "x" : Array(repeating: next, count: 4).joined(separator: " "))
        }
        let found = try check(files).codes("include-depth")
        #expect(found.map(\.message) == Array(repeating: "includes expand to more than 1000 included texts; the rest are left out", count: 2))
        #expect(found.map(\.location) == [SourceLocation(file: "prompts/s0/v1.prompt", line: 4, column: 1), SourceLocation(file: "prompts/s1/v1.prompt", line: 4, column: 19)])
    }

    @Test func aComposedTextPastItsByteLimitIsReported() throws {
        let found = try check([
            "prompts/long/family.yaml": Fixture.family(type: "snippet"),
            "prompts/long/v1.prompt": Fixture.version("version: 1", String(repeating: "word ", count: 400_000)),
            "prompts/walk/family.yaml": Fixture.family(),
            "prompts/walk/v1.prompt": Fixture.version("version: 1", "A {{> long@1}} B {{> long@1}} C {{> long@1}}"),
        ]).codes("include-depth")
        #expect(found.map(\.description) == ["prompts/walk/v1.prompt:4:33: error[include-depth]: includes expand to more than 4 MB of text; the includes past it are left out"])
    }
}
