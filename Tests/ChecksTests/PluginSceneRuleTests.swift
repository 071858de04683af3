import Diagnostics
import PromptCatalog
import Testing
import TestSupport

/// Plugin validators, transformers and variable sources; node types; scenes.
@Suite struct PluginRuleTests {
    static let plugin = #"""
    id: quest
    name: Quest Tracker
    variables:
      scope: quest
      vars:
        stage: { type: int, min: 0, max: 9, example: 2 }
        giver: { type: string, max_length: 30, example: the harbor master }
    validators:
      - { id: no-modern-tech, level: error, forbid: [smartphone, laptop] }
      - { id: short, level: warning, max_length: 60, applies_to: { prompt_type: visual } }
      - { id: stage-needed, level: error, require_variables: [quest.stage], applies_to: { families: [b] } }
      - { id: no-gore, level: info, forbid_regex: "\\b(gore|dismember\\w*)\\b" }
    transformers:
      - { prepend: "Cinematic, ", applies_to: { prompt_type: visual } }
      - { append: " Keep faces consistent." }
      - { replace: "\\s{2,}", with: " " }
    """#

    func files(_ body: String, familyB: String? = nil) -> [String: String] {
        var files = family([("version: 1", body)])
        files["plugins/quest/plugin.yaml"] = Self.plugin
        if let familyB {
            files["prompts/b/family.yaml"] = Fixture.family(type: "narrative")
            files["prompts/b/v1.prompt"] = Fixture.version("version: 1", familyB)
        }
        return files
    }

    @Test func pluginVariablesAreKnownToEveryTemplate() throws {
        let diagnostics = try check(files("{{quest.giver}} waits at stage {{quest.stage}}."))
        #expect(diagnostics.codes("undefined-variable").isEmpty)
        #expect(diagnostics.codes("unbounded-length").isEmpty, "plugin variables have known longest values")
        let unknown = try check(files("{{quest.mood}} waits."))
        #expect(unknown.codes("undefined-variable").count == 1)
    }

    /// A Site.json pattern for plugin codes must match a rule of a loaded plugin: `plugin:quset/*`
    /// silenced nothing, in silence.
    @Test func pluginCodePatternsMustMatchARule() throws {
        let at = SourceLocation(file: "Site.json", line: 4, column: 20)
        let patterns = ["plugin:quset/*", "plugin:quest/*", "plugin:quest/no-gore", "plugin:quest/no-goer", "plugin:*", "plugin:qu*"]
            .map { (key: "ignore", pattern: Located($0, at: at)) }
        let found = try check(files("A lantern."), pluginCodePatterns: patterns).codes("invalid-field")
        #expect(found.map(\.message).sorted() == [
            "`checks.ignore` names `plugin:quest/no-goer`, which matches no plugin rule",
            "`checks.ignore` names `plugin:quset/*`, which matches no plugin rule",
        ])
        #expect(found.first { $0.message.contains("no-goer") }?.hint?.hasPrefix("did you mean `plugin:quest/no-gore`?") == true)
        #expect(found.allSatisfy { $0.location == SourceLocation(file: "Site.json", line: 4, column: 20) })
    }

    @Test func validatorsReportWithTheirPluginCodeAndLevel() throws {
        let diagnostics = try check(files("A keeper checks a smartphone.\nThen  gore."))
        let forbid = try #require(diagnostics.codes("plugin:quest/no-modern-tech").first)
        #expect(forbid.level == .error)
        #expect(forbid.message == "the rendered prompt contains the forbidden `smartphone`")
        #expect(forbid.location?.line == 4 && forbid.location?.column == 19, "line 4 of the file is the body's first line")
        let gore = try #require(diagnostics.codes("plugin:quest/no-gore").first)
        #expect(gore.level == .info && gore.location?.line == 5)
        // "Cinematic, " + 41 + " Keep faces consistent." is over 60: the length counts the transformers.
        let short = try #require(diagnostics.codes("plugin:quest/short").first)
        #expect(short.level == .warning)
        #expect(short.message == "the rendered prompt is 74 characters, over the plugin's limit of 60")
    }

    /// `(a|a)*b` passes the loader's list of catastrophic shapes but backtracks exponentially:
    /// ICU's time limit stops it, once, and the rule says so at the validator; a transformer
    /// pattern past the limit leaves its prompts as they were, with an error at the transformer.
    @Test func aBacktrackingPatternIsStoppedByTheTimeLimitAndReportedOnce() throws {
        let slowValidator = "(a|a)*b", slowTransformer = "(x|x)*y"
        let plugin = """
        id: slow
        name: Slow
        validators:
          - { id: backtracks, level: warning, forbid_regex: "\(slowValidator)" }
        transformers:
          - { replace: "\(slowTransformer)", with: "Z" }
          - { replace: "gull", with: "tern" }
        """
        let body = String(repeating: "a", count: 60) + " gull " + String(repeating: "x", count: 60)
        var files = family([("version: 1", body), ("version: 2\nparent: 1", body + " again")])
        files["plugins/slow/plugin.yaml"] = plugin
        let clock = ContinuousClock(), start = clock.now
        let diagnostics = try check(files)
        #expect(clock.now - start < .seconds(60))
        let stopped = diagnostics.codes("plugin:slow/backtracks")
        #expect(stopped.count == 1)
        #expect(stopped.first?.message == "the pattern `(a|a)*b` ran past the regex time limit and was given up: prompts were not checked against it")
        #expect(stopped.first?.location?.file == "plugins/slow/plugin.yaml")
        #expect(stopped.first?.level == .warning)
        let transformer = diagnostics.codes("plugin-regex-timeout")
        #expect(transformer.count == 1)
        #expect(transformer.first?.location?.file == "plugins/slow/plugin.yaml" && transformer.first?.location?.line == 6)
        #expect(BoundedRegex.isSlow(slowValidator) && BoundedRegex.isSlow(slowTransformer))
        // The other transformer still applies; the slow one leaves the text as it was.
        #expect(BoundedRegex.replacingMatches(of: "gull", in: "a gull", with: "tern") == "a tern")
        #expect(BoundedRegex.replacingMatches(of: slowTransformer, in: "xxy", with: "Z") == nil)
        #expect(BoundedRegex.firstMatch("g(u)ll", in: "a GULL", caseInsensitive: true) == .found("GULL"))
        #expect(BoundedRegex.firstMatch("g(u)ll", in: "a GULL") == .noMatch)
        #expect(BoundedRegex.firstMatch("(", in: "x") == nil)
        #expect(BoundedRegex.replacingMatches(of: "(\\w+)@(\\d)", in: "keeper@2, gull@3", with: "$2:$1") == "2:keeper, 3:gull")
    }

    /// Hundreds of distinct slow patterns: past 16 time-outs every pattern gets a tenth of the
    /// limit (600 of them took 30 s, one full time-out each). Every one is still reported.
    @Test func manySlowPatternsShareOneBudget() throws {
        let count = 120
        var plugin = "id: many\nname: Many\nversion: 0.1.0\nvalidators:\n"
        for index in 0..<count { plugin += "  - { id: r\(index), level: warning, forbid_regex: \"a*a*a*a*a*a*a*[b\(index)]\" }\n" }
        var files = family([("version: 1", String(repeating: "a", count: 3_000))])
        files["plugins/many/plugin.yaml"] = plugin
        let clock = ContinuousClock(), start = clock.now
        let diagnostics = try check(files)
        #expect(clock.now - start < .seconds(60))
        #expect((0..<count).allSatisfy { diagnostics.codes("plugin:many/r\($0)").count == 1 })
        #expect(BoundedRegex.currentStepLimit == BoundedRegex.shorterStepLimit)
        // A sound pattern still matches under the shorter limit.
        #expect(BoundedRegex.firstMatch("a{3}b", in: String(repeating: "a", count: 2_000) + "b") == .found("aaab"))
    }

    @Test func aValidatorOnlyRunsWhereItApplies() throws {
        let diagnostics = try check(files("Short.", familyB: "The keeper speaks."))
        #expect(diagnostics.codes("plugin:quest/short").isEmpty, "family a's rendered prompt is short")
        let stage = try #require(diagnostics.codes("plugin:quest/stage-needed").first)
        #expect(stage.location?.file == "prompts/b/v1.prompt")
        #expect(stage.message == "the template does not use `{{quest.stage}}`")
        let onA = diagnostics.filter { diagnostic in diagnostic.code.hasPrefix("plugin:") && diagnostic.location?.file == "prompts/a/v1.prompt" }
        #expect(onA.isEmpty)
        #expect(try check(files("x", familyB: "At stage {{quest.stage}}.")).codes("plugin:quest/stage-needed").isEmpty)
    }

    @Test func transformersApplyInOrderAndCountInLengths() throws {
        let content = try TemporaryContent(files("The  keeper   waits.", familyB: "The  keeper   speaks."))
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        let visual = try #require(catalog.family("a")?.version(1))
        let narrative = try #require(catalog.family("b")?.version(1))
        #expect(catalog.variables(of: visual).preview().text == "Cinematic, The keeper waits. Keep faces consistent.")
        #expect(catalog.variables(of: narrative).preview().text == "The keeper speaks. Keep faces consistent.")
        // Worst case: template (20) + "Cinematic, " (11) + " Keep faces consistent." (23); replace is not counted.
        #expect(catalog.variables(of: visual).worstCaseLength().length == 20 + 11 + 23)
        #expect(catalog.variables(of: narrative).worstCaseLength().length == 21 + 23)
        let giver = try check(files("{{quest.giver}}."))
        #expect(giver.codes("unbounded-length").isEmpty)
    }
}

@Suite struct NodeTypeRuleTests {
    @Test func generationNodeTypesNeedExtensionsAndRealFamilies() throws {
        var files = family([("version: 1", "A lantern.")], familyExtra: "node_types: [dialogue]\n")
        files["node-types/bare.yaml"] = "name: Bare\ngeneration: true\n"
        files["node-types/quiet.yaml"] = "name: Quiet\ngeneration: false\n"
        files["node-types/dialogue.yaml"] = """
        name: Dialogue
        plugin: quets
        generation: true
        prompt_extensions:
          recommended_families: [a, keeper-dialog]
          required_prompt_type: narrative
          strategies: [once, sometimes]
        """
        let diagnostics = try check(files)
        #expect(diagnostics.codes("node-extensions-missing").map(\.location?.file) == ["node-types/bare.yaml"])
        #expect(diagnostics.codes("unknown-family").map(\.message) == ["node type dialogue recommends family `keeper-dialog`, which does not exist"])
        #expect(diagnostics.codes("unknown-plugin").count == 1)
        #expect(diagnostics.codes("unknown-strategy").map(\.location?.line) == [7])
        let mismatch = try #require(diagnostics.codes("node-type-mismatch").first)
        #expect(mismatch.message == "family `a` is visual, but node type dialogue requires narrative prompts")
        #expect(mismatch.location?.file == "prompts/a/family.yaml")
    }

    /// `Dialogue.yaml` beside `dialogue.yaml` (or `x.yml` beside `x.yaml`) would share a page:
    /// the one the site leaves out is named, never dropped in silence.
    @Test func namesThatShareAPageAreReported() throws {
        var files = family([("version: 1", "A lantern.")])
        files["node-types/dialogue.yaml"] = "name: Dialogue\ngeneration: false\n"
        files["node-types/Dialogue.yaml"] = "name: Other\ngeneration: false\n"
        files["scenes/x.yaml"] = "id: x\nname: X\nnodes: []\n"
        files["scenes/x.yml"] = "id: x2\nname: X\nnodes: []\n"
        files["plugins/quest/plugin.yaml"] = "id: quest\nname: Quest\n"
        files["plugins/Quest/plugin.yaml"] = "id: Quest\nname: Quest\n"
        let collisions = try check(files).codes("page-collision")
        #expect(collisions.map(\.message).sorted() == [
            "node type `node-types/dialogue.yaml` would be published at the same page as `node-types/Dialogue.yaml`; it has no page",
            "plugin `plugins/quest/plugin.yaml` would be published at the same page as `plugins/Quest/plugin.yaml`; it has no page",
            "scene `scenes/x.yml` would be published at the same page as `scenes/x.yaml`; it has no page",
        ])
        #expect(collisions.allSatisfy { $0.level == .error && $0.location?.line == 1 })
    }

    /// Families, providers and docs whose pages differ only in case are both published (their
    /// paths are distinct here), but one replaces the other on a case-insensitive disk: a warning
    /// names the second (they were published with no word).
    @Test func pagesThatDifferOnlyInCaseAreReported() throws {
        var files = family([("version: 1", "A lantern.")])
        files["providers/Pv.yaml"] = Fixture.provider("Pv")
        files["providers/pv.yaml"] = Fixture.provider("pv")
        files["docs/Guide.md"] = "# Guide\n"
        files["docs/guide.md"] = "# guide\n"
        let collisions = try check(files).codes("page-collision")
        #expect(collisions.map(\.message).sorted() == [
            "doc `docs/guide.md` (docs/guide.md) is published at a page whose path differs from `docs/Guide.md`'s (docs/Guide.md) only in case: on a case-insensitive disk one replaces the other",
            "provider `pv` (providers/pv.yaml) is published at a page whose path differs from `Pv`'s (providers/Pv.yaml) only in case: on a case-insensitive disk one replaces the other",
        ])
        #expect(collisions.allSatisfy { $0.level == .warning })
    }
}

@Suite struct SceneRuleTests {
    func scene(_ nodes: String, extra: [String: String] = [:]) throws -> [Diagnostic] {
        var files = family([
            ("version: 1\nstrategies: [once]\nvariables: { lead: { type: string, max_length: 20 } }\nexamples: [{ name: e, vars: { lead: Mara } }]",
             "{{lead}} walks along the pier."),
        ], familyExtra: "labels: { production: 1 }\n")
        files["providers/p.yaml"] = Fixture.provider("p", limit: 1000)
        files["providers/tiny.yaml"] = Fixture.provider("tiny", limit: 20)
        files["scenes/harbor.yaml"] = "id: harbor\ntitle: Harbor\nnodes:\n" + nodes
        for (path, text) in extra { files[path] = text }
        return try check(files)
    }

    @Test func aResolvedNodeWithItsVariablesIsClean() throws {
        let diagnostics = try scene("  - { id: walk, type: generation, provider: p, strategy: once, prompt: { family: a, label: production, variables: { lead: Mara } } }\n")
        let onScene = diagnostics.filter { diagnostic in diagnostic.location?.file == "scenes/harbor.yaml" }
        #expect(onScene.isEmpty)
    }

    @Test func unresolvedReferencesNameWhatIsMissing() throws {
        let diagnostics = try scene("""
          - { id: one, prompt: { family: b, version: 1 } }
          - { id: two, prompt: { family: a, version: 7 } }
          - { id: three, prompt: { family: a, label: staging } }

        """)
        #expect(diagnostics.codes("scene-unresolved").map(\.message) == [
            "node `one` of scene harbor: no family `b` (did you mean `a`?)",
            "node `two` of scene harbor: `a` has no version 7; versions: 1",
            "node `three` of scene harbor: `a` has no label `staging`; labels: production",
        ])
        #expect(diagnostics.codes("scene-unresolved").map(\.location?.line) == [4, 5, 6])
    }

    /// A value the version neither declares nor reads is a warning at its key, with the nearest
    /// name (it changed nothing the node renders).
    @Test func suppliedVariablesTheVersionDoesNotKnow() throws {
        let diagnostics = try scene("  - { id: walk, provider: p, strategy: once, prompt: { family: a, latest: true, variables: { lead: Mara, laed: Ana, npc.mood: calm, lead.x: 1 } } }\n")
        let unknown = diagnostics.codes("scene-unknown-variable")
        #expect(unknown.map(\.description) == [
            "scenes/harbor.yaml:4:106: warning[scene-unknown-variable]: node `walk` supplies `laed`, which a@1 neither declares nor reads",
            "scenes/harbor.yaml:4:117: warning[scene-unknown-variable]: node `walk` supplies `npc.mood`, which a@1 neither declares nor reads",
        ])
        #expect(unknown.first?.hint == "did you mean `lead`?")
    }

    @Test func missingVariablesStrategiesInlineAndLength() throws {
        let diagnostics = try scene("""
          - { id: walk, provider: tiny, strategy: always, prompt: { family: a, latest: true } }
          - { id: gull, prompt: { inline: "A gull glides over the harbor" } }

        """)
        #expect(diagnostics.codes("scene-missing-variable").map(\.message) == ["node `walk` does not supply `lead`, which a@1 requires"])
        #expect(diagnostics.codes("scene-strategy").map(\.message) == ["node `walk` uses strategy `always`, which a@1 does not allow (once)"])
        #expect(diagnostics.codes("inline-prompt").map(\.location?.line) == [5])
        #expect(diagnostics.codes("inline-prompt").first?.level == .warning)
        // Values the node does not supply come from the version's example: "Mara walks along the pier." is 26 characters.
        let overLimit = diagnostics.codes("over-limit").filter { diagnostic in diagnostic.location?.file == "scenes/harbor.yaml" }
        #expect(overLimit.map(\.message) == ["node `walk` renders a@1 to 26 characters, 6 over tiny's limit of 20"])
    }

    @Test func aNodeTypeLimitsTheStrategies() throws {
        let diagnostics = try scene("  - { id: walk, type: quest_trigger, strategy: once, prompt: { family: a, version: 1, variables: { lead: M } } }\n",
                                    extra: ["node-types/quest_trigger.yaml": "name: Q\ngeneration: true\nprompt_extensions: { strategies: [per_player] }\n"])
        #expect(diagnostics.codes("scene-strategy").map(\.message) == ["node `walk` uses strategy `once`, which node type quest_trigger does not allow (per_player)"])
    }
}

@Suite struct SceneValidatorTests {
    static let plugin = """
    id: quest
    name: Quest
    variables: { scope: quest, vars: { stage: { type: int, min: 0, max: 9, example: 2 } } }
    validators:
      - { id: stage-needed, level: error, require_variables: [quest.stage], applies_to: { node_types: [quest_trigger] } }
    """

    func diagnostics(body: String) throws -> [Diagnostic] {
        var files = family([("version: 1", body)])
        files["plugins/quest/plugin.yaml"] = Self.plugin
        files["node-types/quest_trigger.yaml"] = "name: Q\ngeneration: true\nprompt_extensions: { required_prompt_type: visual }\n"
        files["scenes/s.yaml"] = "nodes:\n  - { id: beacon, type: quest_trigger, prompt: { family: a, version: 1 } }\n"
        return try check(files)
    }

    @Test func validatorsScopedToANodeTypeRunAtTheNodesOfThatType() throws {
        let found = try diagnostics(body: "A beacon burns.").codes("plugin:quest/stage-needed")
        #expect(found.map(\.message) == ["node `beacon` (quest_trigger): the template does not use `{{quest.stage}}`"])
        #expect(found.first?.location?.file == "scenes/s.yaml" && found.first?.location?.line == 2)
        #expect(try diagnostics(body: "Beacon for stage {{quest.stage}}.").codes("plugin:quest/stage-needed").isEmpty)
    }
}

@Suite struct SceneNodeTypeMismatchTests {
    @Test func aNodeWhoseTypeNeedsAnotherPromptTypeIsReportedAtTheNode() throws {
        var files = family([("version: 1", "A lantern.")], familyExtra: "labels: { production: 1 }\n")
        files["node-types/dialogue.yaml"] = """
        name: Dialogue
        generation: true
        prompt_extensions:
          required_prompt_type: narrative
        """
        files["scenes/harbor.yaml"] = "id: harbor\ntitle: Harbor\nnodes:\n  - { id: talk, type: dialogue, prompt: { family: a, label: production } }\n"
        let diagnostics = try check(files)
        let mismatch = diagnostics.codes("node-type-mismatch")
        #expect(mismatch.map(\.message) == ["node `talk` is a dialogue, which requires narrative prompts, but family `a` is visual"])
        #expect(mismatch.first?.location?.file == "scenes/harbor.yaml")
        #expect(mismatch.first?.location?.line == 4)
    }
}
