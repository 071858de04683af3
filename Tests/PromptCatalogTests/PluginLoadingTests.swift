import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import PromptCatalog
import PromptTemplates

/// Plugins, node types and scenes as SPEC §2.6–2.8 write them, and the manifests they must reject.
@Suite struct PluginLoadingTests {
    static let questTracker = #"""
    id: quest-tracker
    name: Quest Tracker
    version: 1.2.0
    description: Exposes quest state to prompts.
    variables:
      scope: quest
      vars:
        stage: { type: int, min: 0, max: 9, description: Current quest stage, example: 2 }
        giver: { type: string, max_length: 30, example: the harbor master }
    validators:
      - { id: no-modern-tech, level: error, forbid: [smartphone, laptop] }
      - { id: short-enough, level: warning, max_length: 600, applies_to: { prompt_type: visual } }
      - { id: stage-needed, level: error, require_variables: [quest.stage], applies_to: { node_types: [quest_trigger] } }
      - { id: no-gore, level: error, forbid_regex: "\\b(gore|dismember\\w*)\\b" }
    transformers:
      - { prepend: "Cinematic, ", applies_to: { prompt_type: visual } }
      - { append: " Keep faces consistent." }
      - { replace: "\\s{2,}", with: " " }
    node_types: [quest_trigger]
    docs: README.md
    """#

    func load(_ files: [String: String]) throws -> LoadResult {
        let content = try TemporaryContent(files)
        return CatalogLoader.load(contentDirectory: content.root)
    }

    @Test func theSpecExampleLoadsEveryPart() throws {
        let loaded = try load(["plugins/quest-tracker/plugin.yaml": Self.questTracker, "plugins/quest-tracker/README.md": "# Quest Tracker\n"])
        #expect(loaded.diagnostics.isEmpty)
        let plugin = try #require(loaded.catalog.plugin("quest-tracker"))
        #expect(plugin.name == "Quest Tracker" && plugin.version == "1.2.0" && plugin.scope == "quest")
        #expect(plugin.variables.map(\.path.description) == ["quest.stage", "quest.giver"])
        #expect(plugin.variables[0].max?.value == 9 && plugin.variables[1].maxLength?.value == 30)
        #expect(plugin.variables[1].defaultValue?.string == "the harbor master", "the example is the preview value")
        #expect(plugin.variables[1].required, "an example does not make a variable optional")
        #expect(plugin.validators.map(\.id) == ["no-modern-tech", "short-enough", "stage-needed", "no-gore"])
        #expect(plugin.validators[0].rule == .forbid(["smartphone", "laptop"]))
        #expect(plugin.validators[1].level == .warning && plugin.validators[1].scope.promptTypes == ["visual"])
        #expect(plugin.validators[2].scope.nodeTypes == ["quest_trigger"])
        #expect(plugin.validators[3].rule == .forbidRegex(#"\b(gore|dismember\w*)\b"#))
        #expect(plugin.transformers.map(\.change) == [.prepend("Cinematic, "), .append(" Keep faces consistent."), .replace(pattern: #"\s{2,}"#, with: " ")])
        #expect(plugin.nodeTypes.map(\.value) == ["quest_trigger"])
        #expect(plugin.readme == "# Quest Tracker\n" && plugin.readmeFile == "plugins/quest-tracker/README.md")
        #expect(loaded.catalog.files.contains("plugins/quest-tracker/README.md"))
    }

    @Test func anInvalidRegexPointsAtItsManifestLine() throws {
        let manifest = "id: p\nname: P\nvalidators:\n  - { id: broken, forbid_regex: \"(unclosed\" }\ntransformers:\n  - { replace: \"[a-\", with: x }\n"
        let loaded = try load(["plugins/p/plugin.yaml": manifest])
        let problems = loaded.diagnostics.filter { $0.code == "invalid-field" }
        #expect(problems.count == 2)
        #expect(problems[0].location?.line == 4 && problems[0].message.contains("`forbid_regex` of validator `broken` is not a valid regular expression"))
        #expect(problems[1].location?.line == 6 && problems[1].message.contains("`replace`"))
        #expect(loaded.catalog.plugin("p")?.validators.isEmpty == true)
    }

    /// Transformers that each repeat every character eight times stop once the text has passed
    /// the regex input limit, instead of growing every prompt to megabytes and scanning it again
    /// at each step; the text is never longer than a preview may be, cut at a whole scalar.
    @Test func transformedTextStopsGrowing() throws {
        let manifest = "id: p\nname: P\ntransformers:\n" + String(repeating: "  - { replace: \"(.)\", with: \"$1$1$1$1$1$1$1$1\" }\n", count: 12)
            + "  - { append: \" END\" }\n"
        let loaded = try load(["plugins/p/plugin.yaml": manifest])
        let transformers = try #require(loaded.catalog.plugin("p")?.transformers)
        #expect(transformers.count == 13)
        let text = PluginTransformer.apply(transformers, to: "lantern é")
        // 10 bytes (9 characters) × 8⁵ = 327,680 bytes: past the limit after the fifth transformer.
        #expect(text.utf8.count == 10 * 32_768)
        #expect(!text.hasSuffix(" END"))
        #expect(text.hasPrefix(String(repeating: "l", count: 4_096)))
        // Short texts go through every transformer.
        #expect(PluginTransformer.apply(Array(transformers.suffix(2)), to: "ab") == String(repeating: "a", count: 8) + String(repeating: "b", count: 8) + " END")
        // A cut never splits a scalar: two-byte `é` repeated past the limit ends on a whole one.
        let cut = PluginTransformer.capped(String(repeating: "é", count: Template.maximumRenderedBytes))
        #expect(cut.utf8.count == Template.maximumRenderedBytes && cut.unicodeScalars.allSatisfy { $0 == "é" })
        let odd = PluginTransformer.capped("a" + String(repeating: "é", count: Template.maximumRenderedBytes / 2))
        #expect(odd.utf8.count == Template.maximumRenderedBytes - 1 && odd.hasSuffix("é"))
        #expect(PluginTransformer.capped("short") == "short")
    }

    /// ICU refuses these replacements at run time, and the transformer changed nothing in silence.
    @Test func aReplacementICUWouldRefuseIsReportedAtItsLine() throws {
        let manifest = """
        id: p
        name: P
        transformers:
          - { replace: "fog", with: "$5 mist" }
          - { replace: "(f)(o)g", with: "$3" }
          - { replace: "fog", with: "${name}" }
          - { replace: "fog", with: "cost $" }
          - { replace: "fog", with: 'a \\' }
          - { replace: "(f)og", with: '$1$0$12 \\$ ${x}' }
          - { replace: "(?<x>f)og", with: '${x} \\$5' }
        """
        let loaded = try load(["plugins/p/plugin.yaml": manifest])
        let problems = loaded.diagnostics.filter { $0.code == "invalid-field" }
        #expect(problems.map(\.message) == [
            "`with` of a transformer of plugin p uses `$5`, but the pattern has no groups",
            "`with` of a transformer of plugin p uses `$3`, but the pattern has 2 groups",
            "`with` of a transformer of plugin p uses `${name}`, but the pattern has no group named `name`",
            "`with` of a transformer of plugin p has a `$` that names no group",
            "`with` of a transformer of plugin p ends with a lone `\\`",
            "`with` of a transformer of plugin p uses `${x}`, but the pattern has no group named `x`",
        ])
        #expect(problems.map { $0.location?.line } == [4, 5, 6, 7, 8, 9])
        #expect(loaded.catalog.plugin("p")?.transformers.map(\.change) == [.replace(pattern: "(?<x>f)og", with: "${x} \\$5")])
        let applied = try #require(loaded.catalog.plugin("p")?.transformers.first)
        #expect(PluginTransformer.apply([applied], to: "fog and fog") == "f $5 and f $5")
    }

    @Test func anUnknownRuleKeyIsReportedWithASuggestion() throws {
        let manifest = "id: p\nname: P\nvalidators:\n  - id: typo\n    forbidd: [laptop]\n  - { id: none }\ntransformers:\n  - { appendd: x }\n"
        let loaded = try load(["plugins/p/plugin.yaml": manifest])
        #expect(loaded.diagnostics.map(\.message) == [
            "validator `typo` of plugin p has no known rule (found `forbidd`)",
            "validator `none` of plugin p has no rule",
            "a transformer of plugin p has no known change",
        ])
        #expect(loaded.diagnostics[0].location?.line == 5)
        #expect(loaded.diagnostics[0].hint == "did you mean `forbid`?")
        #expect(loaded.diagnostics[2].hint == "did you mean `append`?")
    }

    @Test func badLevelsScopesAndIdsAreReported() throws {
        let manifest = "id: other\nname: P\nvalidators:\n  - { id: v, level: fatal, max_length: 0, applies_to: { prompt_type: cinematic } }\n"
        let loaded = try load(["plugins/p/plugin.yaml": manifest, "plugins/empty/notes.md": "x", "plugins/stray.yaml": "id: x"])
        let messages = loaded.diagnostics.map(\.message)
        #expect(messages.contains("plugin id `other` does not match its folder `plugins/p`"))
        #expect(messages.contains("validator `v` has level `fatal`"))
        #expect(messages.contains("`max_length` of validator `v` must be positive"))
        #expect(messages.contains("applies_to of validator `v` names prompt_type `cinematic`"))
        #expect(messages.contains("plugin folder `empty` has no plugin.yaml"))
        #expect(messages.contains("`stray.yaml` is not inside a plugin folder and is ignored"))
    }

    @Test func nodeTypesReadTheirPromptExtensions() throws {
        let loaded = try load([
            "node-types/quest_trigger.yaml": """
            id: quest_trigger
            name: Quest Trigger
            plugin: quest-tracker
            generation: true
            prompt_extensions:
              recommended_families: [harbor-quest-intro]
              variables: { quest.stage: { type: int } }
              required_prompt_type: visual
              strategies: [once, per_player]
            """,
            "node-types/dialogue.yaml": "name: Dialogue\ngeneration: true\nprompt_extensions: { required_prompt_type: spoken }\n",
        ])
        let trigger = try #require(loaded.catalog.nodeType("quest_trigger"))
        #expect(trigger.generation && trigger.plugin?.value == "quest-tracker")
        #expect(trigger.extensions?.recommendedFamilies.map(\.value) == ["harbor-quest-intro"])
        #expect(trigger.extensions?.variables.map(\.path.description) == ["quest.stage"])
        #expect(trigger.extensions?.requiredPromptType?.value == "visual")
        #expect(trigger.extensions?.strategies.map(\.value) == ["once", "per_player"])
        #expect(loaded.diagnostics.map(\.message) == ["`required_prompt_type` of node type dialogue is `spoken`"])
        #expect(loaded.diagnostics[0].location?.line == 3)
    }

    @Test func scenesTakeExactlyOneFormOfPrompt() throws {
        let loaded = try load([
            "scenes/harbor-evening.yaml": """
            id: harbor-evening
            title: Evening at the harbor
            nodes:
              - id: walk
                type: generation
                provider: tidewave
                strategy: per_playthrough
                prompt: { family: harbor-sunset-walk, label: production, variables: { lead: Mara } }
              - id: gull
                type: generation
                prompt: { inline: "A gull glides over the harbor" }
              - id: bell
                prompt: { family: old-fog-bell, version: 2 }
              - id: keeper
                prompt: { family: keeper-dialogue, latest: true }
              - id: both
                prompt: { family: a, version: 1, label: production }
              - id: none
                prompt: { family: a }
              - id: walk
                type: choice
            """,
        ])
        let scene = try #require(loaded.catalog.scene("harbor-evening"))
        #expect(scene.title == "Evening at the harbor")
        #expect(scene.nodes.map(\.id) == ["walk", "gull", "bell", "keeper", "both", "none", "walk"])
        #expect(scene.nodes[0].prompt?.reference == .label(family: "harbor-sunset-walk", label: "production"))
        #expect(scene.nodes[0].prompt?.variables?["lead"]?.string == "Mara")
        #expect(scene.nodes[0].strategy?.value == "per_playthrough" && scene.nodes[0].provider?.value == "tidewave")
        #expect(scene.nodes[1].prompt?.reference == .inline("A gull glides over the harbor"))
        #expect(scene.nodes[2].prompt?.reference == .version(family: "old-fog-bell", number: 2))
        #expect(scene.nodes[3].prompt?.reference == .latest(family: "keeper-dialogue"))
        #expect(scene.nodes[4].prompt == nil && scene.nodes[5].prompt == nil)
        #expect(!scene.nodes[6].isGeneration)
        let messages = loaded.diagnostics.map(\.message)
        #expect(messages == [
            "the prompt of node `both` names more than one of version, label, latest and inline",
            "the prompt of node `none` names no version, label, latest or inline text",
            "node id `walk` is used twice in scene harbor-evening (first at line 4)",
        ])
        #expect(loaded.diagnostics[0].location?.line == 17)
        #expect(CacheScope(strategy: "per_playthrough") == .playthrough && CacheScope(strategy: "always") == CacheScope.none)
    }
}
