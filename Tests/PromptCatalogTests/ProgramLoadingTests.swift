import Diagnostics
import Foundation
import Testing
import PromptTemplates
import TestSupport
@testable import PromptCatalog

private let romanticArc = Repository.pixsim7.appendingPathComponent("example_romantic_arc.json")
private let hasRomanticArc = FileManager.default.fileExists(atPath: romanticArc.path)

private func parse(_ json: String) -> ProgramFile {
    ProgramLoader.parse(json, file: "programs/test.json")
}

/// Sample state written for the romantic-arc program, in the flat shape PixSim7 passes
/// (`NarrativeContext.to_template_vars()`): every stage type produces output.
let eveningContext = """
npc.name: Mara
npc.personality.traits: [warm, wry]
npc.personality.background: a lighthouse keeper
npc.personality.conversationStyle: teasing
location.id: pier
location.name: the old pier
location.meta.description: Waves slap the posts.
relationship_tier: close_friend
chemistry: 75
intimacy_level: intimate
tension: 55
trust: 25
affinity: 60
arcs.main_romance.stage: 2
flags.had_first_kiss: true
world_time: 80000
player_input: Walk with me?
"""

@Suite struct RealProgramTests {
    @Test(.enabled(if: hasRomanticArc, "../shared/pixsim7 is absent"))
    func romanticArcLoadsWithoutProblems() throws {
        let loaded = ProgramLoader.parse(try String(contentsOf: romanticArc, encoding: .utf8), file: "programs/example_romantic_arc.json")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let program = try #require(loaded.program)
        #expect(program.id == "npc_dialogue_romantic_arc")
        #expect(program.version == "1.0.0")
        #expect(program.inputs.required.map(\.value) == ["npc_id", "affinity", "trust", "chemistry", "tension"])
        #expect(program.inputs.optional.map(\.value) == ["location_id", "world_time", "player_input"])
        #expect(program.stages.count == 9)
        #expect(program.stages.map(\.type) == ["template", "conditional", "selector", "selector", "conditional",
                                               "conditional", "conditional", "conditional", "formatter"])
        let conditions = program.stages.flatMap(\.conditions)
        #expect(conditions.count == 17)
        #expect(conditions.allSatisfy { $0.expression != nil })
        let first = try #require(conditions.first)
        #expect(first.source == "location.id != null")
        #expect(first.location.line == 20)
        let final = try #require(program.stage("final_prompt"))
        #expect(final.metadata?["suggested_intents"]?.items?.count == 5)
        #expect(final.combineSources.count == 8)
        #expect(program.program.stages.count == 9)
    }

    @Test(.enabled(if: hasRomanticArc, "../shared/pixsim7 is absent"))
    func romanticArcFinalText() throws {
        let program = try #require(ProgramLoader.parse(try String(contentsOf: romanticArc, encoding: .utf8), file: "programs/arc.json").program)
        let content = try TemporaryContent(["contexts/evening.yaml": eveningContext])
        let context = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.context("evening"))
        let run = program.program.run(context.values)
        // Expected text: PixSim7's NarrativeEngine run on the same file and variables (3d20eed).
        #expect(run.outputs.allSatisfy { $0.text != nil })
        #expect(run.output(of: "relationship_foundation")?.hasPrefix("You have strong romantic feelings") == true)
        #expect(run.finalText == """
        You are Mara. Core personality: ['warm', 'wry']. Background: a lighthouse keeper. Speaking style: teasing

        Current setting: the old pier. Waves slap the posts.

        You have strong romantic feelings for the player that you're struggling to contain. Every interaction is charged with unspoken desire and the fear of ruining your friendship.

        The sexual tension is almost unbearable. You find yourself staring at their lips, getting lost in their eyes, fighting the urge to pull them close.

        The attraction is becoming impossible to ignore. You find yourself thinking about them constantly, wondering if they feel the same way.

        Ever since your first kiss, you can't stop thinking about doing it again. The memory makes your pulse quicken.

        You're holding back, afraid to be vulnerable. Past hurts or current uncertainties make you cautious about opening up.

        It's late evening. The intimate atmosphere and approaching night add weight to your words.

        IMPORTANT: Show don't tell. Express emotions through actions, body language, and subtext rather than stating them directly. Use sensory details.

        Player says: "Walk with me?"

        Respond as Mara would in this moment. Keep your response natural and concise (2-3 sentences) unless the moment calls for more. Let your personality and current emotional state guide your words and actions.
        """)
    }

    @Test(.enabled(if: hasRomanticArc, "../shared/pixsim7 is absent"))
    func romanticArcWithEmptyContextUsesTheDefault() throws {
        let program = try #require(ProgramLoader.parse(try String(contentsOf: romanticArc, encoding: .utf8), file: "programs/arc.json").program)
        let run = program.program.run(TemplateValues())
        #expect(run.output(of: "relationship_foundation") == "You don't know the player well yet. You're polite but maintain appropriate boundaries.")
        #expect(run.output(of: "intimacy_dynamics") == nil)
        #expect(run.output(of: "location_context") == nil)
        #expect(run.output(of: "time_of_day") == "It's early morning. There's something vulnerable and honest about this time of day.")  // world_time reads as 0
    }
}

@Suite struct ProgramLoadingTests {
    @Test func smallProgramRuns() throws {
        let loaded = parse("""
        {"id": "p", "inputs": {"required": ["affinity"]}, "stages": [
          {"id": "a", "type": "template", "template": "Hi {{npc.name}}."},
          {"id": "b", "type": "selector", "selectors": [{"match": {"affinity": {"min": 5, "max": 9}}, "template": "Glad."}],
           "default": {"template": "Calm."}},
          {"id": "c", "type": "formatter", "formatters": [{"type": "combine", "sources": ["a", "b"], "separator": " "},
                                                           {"type": "prepend", "template": "> "}]}
        ]}
        """)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let program = try #require(loaded.program)
        #expect(program.program.run(TemplateValues(["npc.name": .string("Mara"), "affinity": .int(7)])).finalText == "> Hi Mara. Glad.")
        #expect(program.program.run(TemplateValues(["npc.name": .string("Mara"), "affinity": .int(10)])).finalText == "> Hi Mara. Calm.")
        // A nested map is not the flat key PixSim7 looks up.
        #expect(program.program.run(TemplateValues(["npc": .map(["name": .string("Mara")])])).finalText == "> Hi . Calm.")
    }

    @Test func brokenJSONIsJSONSyntax() {
        let loaded = parse("{\"id\": \"p\",\n \"stages\": [}")
        #expect(loaded.program == nil)
        #expect(loaded.diagnostics.map(\.code) == ["json-syntax"])
        #expect(loaded.diagnostics.first?.location?.line == 2)
    }

    /// Programs are read as Python's `json.load` reads them: its errors, in its words, where it puts them.
    @Test func programJSONErrorsAreOnesPythonsJSONLoadRaises() {
        let cases: [(String, String, Int, Int)] = [
            (#"{"a": 1,}"#, "Expecting property name enclosed in double quotes", 1, 9),
            ("[1, 2", "Expecting ',' delimiter", 1, 6),
            (#"{"a" 1}"#, "Expecting ':' delimiter", 1, 6),
            ("{\"a\": \"x\ny\"}", "Invalid control character at", 1, 9),
            (#"{"a": 1} x"#, "Extra data", 1, 10),
            (#"{"a": "\q"}"#, "Invalid \\escape", 1, 8),
            (#"{"a": "\u12"}"#, "Invalid \\uXXXX escape", 1, 9),
            (#"{"a": -NaN}"#, "Expecting value", 1, 7),
            (#"{"a": "open"#, "Unterminated string starting at", 1, 7),
            ("\n  [1,\n   2 3]", "Expecting ',' delimiter", 3, 6),
            (#"{"é": [01]}"#, "Expecting ',' delimiter", 1, 9),
        ]
        for (json, message, line, column) in cases {
            let loaded = parse(json)
            #expect(loaded.program == nil, "\(json)")
            #expect(loaded.diagnostics.map(\.message) == ["invalid JSON: \(message)"], "\(json)")
            #expect(loaded.diagnostics.first?.code == "json-syntax")
            #expect(loaded.diagnostics.first?.location?.line == line, "\(json)")
            #expect(loaded.diagnostics.first?.location?.column == column, "\(json)")
        }
        // A lone surrogate Python keeps: promptsite cannot hold it, and says so.
        #expect(parse(#"{"id": "p", "stages": [], "x": "\ud800"}"#).diagnostics.first?.message.contains("lone surrogate") == true)
        #expect(parse("  \n ").diagnostics.map(\.message) == ["the program file is empty"])
    }

    /// `json.load` accepts `NaN`, `Infinity` and `-Infinity`; surrogate pairs make one character.
    @Test func programJSONTakesPythonsNonStandardNumbers() throws {
        let loaded = parse(#"{"id": "p", "stages": [{"id": "s", "type": "selector", "selectors": [{"match": {"affinity": {"min": NaN, "max": Infinity}, "trust": {"min": -Infinity}}, "template": "x \ud83d\ude00"}]}], "big": 123456789012345678901234567890, "tiny": 1e-400, "huge": 1e400}"#)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let program = try #require(loaded.program)
        #expect(program.program.run(TemplateValues(["affinity": .int(5)])).finalText == "x \u{1F600}")
        let root = try #require(PythonJSON.read(#"[NaN, Infinity, -Infinity, 1, 1.5, 2e3, 123456789012345678901234567890, "\/"]"#, file: "x.json", what: "x").get().node.items)
        #expect(root[0].double?.isNaN == true && root[0].scalarText == "NaN")
        #expect(root[1].double == .infinity && root[2].double == -.infinity)
        #expect(root[3].scalar == .int(1) && root[4].scalar == .double(1.5) && root[5].scalar == .double(2000))
        #expect(root[6].scalar == .double(1.2345678901234568e29) && root[6].scalarText == "123456789012345678901234567890")
        #expect(root[7].string == "/")
    }

    /// `json.load` keeps the last value of a repeated key, in the first one's place; promptsite
    /// warns at the repeat (`json-duplicate-key`). Keys are compared by code points.
    @Test func aRepeatedKeyKeepsItsLastValueWithAWarning() throws {
        let loaded = parse("""
        {"id": "p", "stages": [{"id": "a", "type": "template", "template": "one",
          "template": "two"}], "id": "q", "caf\u{E9}": 1, "cafe\u{301}": 2}
        """)
        let program = try #require(loaded.program)
        #expect(program.id == "q")
        #expect(program.program.run(TemplateValues()).finalText == "two")
        let repeats = loaded.diagnostics.filter { $0.code == "json-duplicate-key" }
        #expect(repeats.map(\.message) == [
            "key `template` is repeated in this object (first at line 1); PixSim7's `json.load` keeps this last value",
            "key `id` is repeated in this object (first at line 1); PixSim7's `json.load` keeps this last value",
        ])
        #expect(repeats.map(\.level) == [.warning, .warning])
        #expect(repeats.map { $0.location?.line } == [2, 2])
        #expect(repeats.map { $0.location?.column } == [3, 24])
        // The key keeps its first place: `id` is still the first member.
        let root = try PythonJSON.read(#"{"b": 1, "a": 2, "b": 3}"#, file: "x.json", what: "x").get().node
        #expect(root.members?.map(\.key) == ["b", "a"])
        #expect(root["b"]?.scalar == .int(3))
        #expect(root.members?.first?.keyLocation.column == 18)
    }

    /// A UTF-8 byte-order mark: `json.load` refuses it, so the program is an error (still shown).
    @Test func aByteOrderMarkIsAnError() throws {
        let loaded = parse("\u{FEFF}{\"id\": \"p\", \"stages\": [{\"id\": \"a\", \"type\": \"template\", \"template\": 5}]}")
        let mark = try #require(loaded.diagnostics.first { $0.code == "json-syntax" })
        #expect(mark.message == "invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig); PixSim7 raises a JSONDecodeError and loads no program")
        #expect(mark.level == .error)
        #expect(mark.location?.line == 1 && mark.location?.column == 1)
        // Columns on line 1 count the mark, as Python does: `5` is the 69th code point.
        #expect(loaded.diagnostics.first { $0.message.contains("`template`") }?.location?.column == 69, "\(loaded.diagnostics)")
        #expect(loaded.program?.id == "p")
        let content = try TemporaryContent(["programs/p.json": "\u{FEFF}{\"id\": \"p\", \"stages\": []}"])
        let catalog = CatalogLoader.load(contentDirectory: content.root)
        #expect(catalog.diagnostics.contains { $0.message.hasPrefix("invalid JSON: Unexpected UTF-8 BOM") && $0.location?.file == "programs/p.json" })
    }

    @Test func badConditionIsProgramExpressionWithItsPlace() throws {
        let loaded = parse("""
        {"id": "p", "stages": [
          {"id": "c", "type": "conditional", "conditions": [
            {"test": "trust >= 50 &&", "template": "x"},
            {"test": "trust > 1", "template": "y"}]}]}
        """)
        let problems = loaded.diagnostics.filter { $0.code == "program-expression" }
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.level == .error)
        #expect(problem.message.contains("at character 15"))
        #expect(problem.location?.line == 3)
        #expect(problem.location?.column == 14)
        let stage = try #require(loaded.program?.stages.first)
        #expect(stage.conditions.count == 2)
        #expect(stage.conditions[0].expression == nil)
        // The broken condition is left out of the runnable program; the other still runs.
        var values = TemplateValues()
        values.set(.int(60), at: "trust")
        #expect(loaded.program?.program.run(values).finalText == "y")
    }

    @Test func stageProblemsAreProgramStage() {
        let loaded = parse("""
        {"id": "p", "stages": [
          {"id": "a", "type": "templte", "template": "x"},
          {"id": "b", "type": "selector", "selectors": []},
          {"id": "a", "type": "template", "template": "y"},
          {"id": "f", "type": "formatter", "formatters": [{"type": "combine", "sources": ["a", "bb", "zzz"]}, {"type": "wrap"}]}
        ]}
        """)
        let messages = loaded.diagnostics.filter { $0.code == "program-stage" }.map(\.message)
        #expect(loaded.diagnostics.allSatisfy { $0.code == "program-stage" && $0.level == .error }, "\(loaded.diagnostics)")
        #expect(messages.count == 6, "\(messages)")
        #expect(messages.contains { $0.contains("unknown type `templte`") })
        #expect(loaded.diagnostics.first { $0.message.contains("templte") }?.hint?.contains("did you mean `template`?") == true)
        #expect(messages.contains { $0.contains("`b` has no selectors and no `default`") })
        #expect(messages.contains { $0.contains("stage id `a` is used twice") })
        #expect(messages.contains { $0.contains("names `bb`") })
        #expect(messages.contains { $0.contains("names `zzz`") })
        #expect(messages.contains { $0.contains("unknown formatter type `wrap`") })
    }

    /// A `combine` of 30,000 sources with a few unknown ones: each looked up in a set (a list
    /// made it quadratic), and the hint lists the first 20 stage ids, not all of them.
    @Test func aCombineOfManySourcesIsCheckedInLinearTime() {
        let stages = (0..<30_000).map { #"{"id": "s\#($0)", "type": "template", "template": "x"}"# }
        let sources = (0..<30_000).map { "\"s\($0)\"" } + ["\"missing\""]
        let loaded = parse(#"{"id": "p", "stages": ["# + stages.joined(separator: ",")
            + #", {"id": "f", "type": "formatter", "formatters": [{"type": "combine", "sources": ["# + sources.joined(separator: ",") + "]}]}]}")
        let problems = loaded.diagnostics.filter { $0.code == "program-stage" }
        #expect(problems.map(\.message) == ["`combine` in stage `f` names `missing`, which is no stage of this program"])
        #expect(problems.first?.hint == "stages: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19 and 29981 more")
    }

    @Test func selectorWithoutDefaultButWithSelectorsIsAllowed() {
        // PixSim7's own programs rely on it: no match means no output.
        let loaded = parse("""
        {"id": "p", "stages": [{"id": "s", "type": "selector", "selectors": [{"match": {"relationship_tier": "friend"}, "template": "x"}]}]}
        """)
        #expect(loaded.diagnostics.isEmpty)
    }

    @Test func matchKeysPixSim7IgnoresOrRejects() throws {
        let loaded = parse("""
        {"id": "p", "stages": [{"id": "s", "type": "selector", "selectors": [
          {"match": {"relationship.tier": "friend", "relationship_tier": 3, "trust": 40, "chemistry": {}}, "template": "x"}]}]}
        """)
        let found = loaded.diagnostics.sorted { ($0.location?.column ?? 0) < ($1.location?.column ?? 0) }
        #expect(found.map(\.code) == ["program-match-key", "program-stage", "program-stage", "program-stage"], "\(found)")
        #expect(found[0].level == .warning)
        #expect(found[0].message.contains("ignores `match` key `relationship.tier`"))
        #expect(found[0].hint?.hasPrefix("did you mean `relationship_tier`?") == true)
        #expect(found[1].level == .error && found[1].message.contains("`match.relationship_tier` of selector 1 of stage `s` must be a string"))
        #expect(found[2].level == .error && found[2].message.contains("`match.trust` of selector 1 of stage `s` must be `{\"min\": …, \"max\": …}`"))
        #expect(found[3].level == .warning && found[3].message.contains("without `min` or `max`, so it always holds"))
        // At run time PixSim7 raises on the mistyped rules: the run fails.
        #expect(loaded.program?.program.run(TemplateValues()).failure?.exception == "ValidationError")
    }

    /// What PixSim7's pydantic models refuse when it loads the file (no prompt at all).
    @Test func fieldsPixSim7RefusesAreReported() {
        let loaded = parse("""
        {"id": "p", "inputs": {"required": ["a"], "notes": "free text", "tags": ["x", "y"]}, "stages": [
          {"id": "s", "type": "template", "template": "x", "description": 3,
           "metadata": {"visual_prompt": "wide shot", "expression_hint": {"mood": "calm"}, "suggested_intents": [{"id": "a"}, "b"], "other": 1}},
          {"id": "t", "type": "template", "template": "y", "metadata": "just text"},
          {"id": "u", "type": "template", "template": "z", "description": null, "metadata": {"visual_prompt": {"shot": "wide"}, "expression_hint": null}},
          {"id": "v", "type": "selector", "selectors": [], "default": {"template": "d", "weight": 1}}]}
        """)
        let raised = loaded.diagnostics.filter { $0.message.hasSuffix("PixSim7 raises a ValidationError and loads no program") }.map(\.message)
        #expect(raised == [
            "`inputs.notes` must be a list of strings; PixSim7 raises a ValidationError and loads no program",
            "`metadata.visual_prompt` of stage `s` must be an object; PixSim7 raises a ValidationError and loads no program",
            "`metadata.suggested_intents` of stage `s` must be a list of objects; PixSim7 raises a ValidationError and loads no program",
            "`description` of stage `s` must be a string; PixSim7 raises a ValidationError and loads no program",
            "`metadata` of stage `t` must be an object; PixSim7 raises a ValidationError and loads no program",
            "`default.weight` of stage `v` must be a string; PixSim7 raises a ValidationError and loads no program",
        ], "\(loaded.diagnostics)")
    }

    /// PixSim7's `PromptStage` validates every field whatever the stage's type, and
    /// `PromptProgram.from_json` iterates `conditions`, `selectors` and `formatters` on every stage.
    @Test func fieldsOfOtherStageTypesAreValidatedAsPixSim7Does() {
        let loaded = parse("""
        {"id": "p", "stages": [
          {"id": "a", "type": "template", "template": "hello", "default": {"template": 5}},
          {"id": "b", "type": "template", "template": "hello", "conditions": null},
          {"id": "c", "type": "template", "template": "hello", "selectors": [{}]},
          {"id": "d", "type": "conditional", "conditions": [], "template": 3, "formatters": 7},
          {"id": "e", "type": "selector", "default": {"template": "x"}, "conditions": [{"test": "a", "template": 1}, "s"], "formatters": "ab"},
          {"id": "f", "type": "formatter", "formatters": [], "default": "x", "selectors": [{"match": 1, "template": "t"}]}]}
        """)
        let raised = loaded.diagnostics.filter { $0.message.contains("PixSim7 raises a") }.map(\.message)
        #expect(raised == [
            "`default.template` of stage `a` must be a string; PixSim7 raises a ValidationError and loads no program",
            "`conditions` of stage `b` is null, which PixSim7 iterates; PixSim7 raises a TypeError and loads no program",
            "item 1 of `selectors` of stage `c` has no `match`; PixSim7 raises a ValidationError and loads no program",
            "item 1 of `selectors` of stage `c` has no `template`; PixSim7 raises a ValidationError and loads no program",
            "`template` of stage `d` must be a string, found an integer; PixSim7 raises a ValidationError and loads no program",
            "`formatters` of stage `d` is an integer, which PixSim7 iterates; PixSim7 raises a TypeError and loads no program",
            "item 1 of `conditions` of stage `e` has `template` that is not a string; PixSim7 raises a ValidationError and loads no program",
            "item 2 of `conditions` of stage `e` must be an object, found a string; PixSim7 raises a ValidationError and loads no program",
            "`formatters` of stage `e` must be a list of objects, found a string; PixSim7 raises a ValidationError and loads no program",
            "item 1 of `selectors` of stage `f` has `match` that is not an object; PixSim7 raises a ValidationError and loads no program",
            "`default` of stage `f` must be an object of strings, found a string; PixSim7 raises a ValidationError and loads no program",
        ], "\(loaded.diagnostics)")
        #expect(loaded.diagnostics.first { $0.message.hasPrefix("`conditions` of stage `b`") }?.location?.line == 3)
        // What pydantic accepts on any stage: null where Optional, `""` and `{}` iterate as empty lists, valid items.
        let accepted = parse("""
        {"id": "p", "stages": [
          {"id": "a", "type": "template", "template": "hello", "default": null, "selectors": "", "formatters": {},
           "conditions": [{"test": "x", "template": "y", "extra": 1}]},
          {"id": "b", "type": "selector", "selectors": [], "default": {"template": "d"}, "template": null,
           "formatters": [{"type": "append", "template": "t", "sources": ["a"], "separator": null}]}]}
        """)
        #expect(accepted.diagnostics.isEmpty, "\(accepted.diagnostics)")
    }

    /// PixSim7's `Formatter` model validates `template`, `separator` and `sources` whatever its `type`.
    @Test func formatterFieldsOfOtherTypesAreValidated() {
        let loaded = parse("""
        {"id": "p", "stages": [{"id": "a", "type": "template", "template": "hello"},
          {"id": "f", "type": "formatter", "formatters": [{"type": "combine", "sources": ["a"], "template": 5},
            {"type": "append", "template": "x", "sources": 5, "separator": 5}, {"type": "prepend", "template": "y", "separator": "-"},
            {"type": "combine", "sources": ["a"], "template": null}]}]}
        """)
        let raised = loaded.diagnostics.filter { $0.message.contains("PixSim7 raises a") }.map(\.message)
        #expect(raised == [
            "formatter 1 of stage `f` has `template` that is not a string; PixSim7 raises a ValidationError and loads no program",
            "formatter 2 of stage `f` has `separator` that is not a string; PixSim7 raises a ValidationError and loads no program",
            "formatter 2 of stage `f` has `sources` that is not a list of strings; PixSim7 raises a ValidationError and loads no program",
        ], "\(loaded.diagnostics)")
        #expect(loaded.diagnostics.map(\.code) == ["program-stage", "program-stage", "program-stage"])
    }

    /// PixSim7's `_process_metadata` runs after each stage: a `condition` that is not a string
    /// (ValidationError), `intents` it cannot iterate and a `visual_prompt.template` that is
    /// truthy and not a string (TypeError, once the condition holds) make the run raise.
    @Test func metadataPixSim7RaisesOnAtRunTimeFailsTheRun() throws {
        func run(_ metadata: String, _ values: TemplateMap = [:]) throws -> (ProgramRun, [String]) {
            let loaded = parse(#"{"id": "p", "stages": [{"id": "a", "type": "template", "template": "hello", "metadata": \#(metadata)}, {"id": "b", "type": "template", "template": "later"}]}"#)
            let program = try #require(loaded.program)
            return (program.program.run(TemplateValues(values)), loaded.diagnostics.map(\.message))
        }
        let template = try run(#"{"visual_prompt": {"template": 5}}"#)
        #expect(template.0.failure == ProgramFailure(exception: "TypeError", message: "`metadata.visual_prompt.template` of stage `a` is an integer, not a string (stage metadata)"))
        #expect(template.0.finalText == "")
        #expect(template.0.outputs.map(\.stage) == ["a"])
        #expect(template.1 == ["`metadata.visual_prompt.template` of stage `a` is an integer, not a string; PixSim7 fails with a TypeError when it runs stage `a`, sending no prompt"])
        let condition = try run(#"{"suggested_intents": [{"condition": 5, "intents": ["x"]}]}"#)
        #expect(condition.0.failure?.exception == "ValidationError")
        #expect(condition.1 == ["`metadata.suggested_intents[0].condition` of stage `a` must be a string, found an integer; PixSim7 fails with a ValidationError when it runs stage `a`, sending no prompt"])
        #expect(try run(#"{"expression_hint": {"condition": null, "value": "smile"}}"#).0.failure?.exception == "ValidationError")
        #expect(try run(#"{"visual_prompt": {"condition": ["a"], "template": "t"}}"#).0.failure?.exception == "ValidationError")
        let intents = try run(#"{"suggested_intents": [{"intents": 5}]}"#)
        #expect(intents.0.failure?.exception == "TypeError")
        #expect(intents.1 == ["`metadata.suggested_intents[0].intents` of stage `a` is an integer, not a list; PixSim7 fails with a TypeError when it runs stage `a`, sending no prompt"])
        // Raised only when the condition holds; a condition that does not parse never holds.
        let guarded = #"{"suggested_intents": [{"condition": "trust > 50", "intents": null}], "visual_prompt": {"condition": "trust > 50", "template": true}}"#
        #expect(try run(guarded).0.failure == nil)
        #expect(try run(guarded).0.finalText == "later")
        #expect(try run(guarded, ["trust": .int(60)]).0.failure?.exception == "TypeError")
        #expect(try run(guarded).1.allSatisfy { $0.hasSuffix("PixSim7 fails with a TypeError when it runs stage `a` and its `condition` holds, sending no prompt") })
        #expect(try run(#"{"suggested_intents": [{"condition": "trust >", "intents": 1}]}"#, ["trust": .int(60)]).0.failure == nil)
        // What PixSim7 takes: a falsy template (0, "", null, false), iterable intents (text, lists, maps), empty maps.
        for fine in [#"{"visual_prompt": {"template": 0}}"#, #"{"visual_prompt": {"template": false, "condition": ""}}"#,
                     #"{"suggested_intents": [{"intents": "ab"}, {"intents": {"x": 1}}, {"intents": []}, {}]}"#,
                     #"{"visual_prompt": {}, "expression_hint": {"value": 5}, "suggested_intents": []}"#] {
            let result = try run(fine)
            #expect(result.0.failure == nil, "\(fine)")
            #expect(result.0.finalText == "later")
            #expect(result.1.isEmpty, "\(result.1)")
        }
    }

    /// `version` and `inputs` are not Optional in PixSim7's model: null is refused there too.
    @Test func nullWherePixSim7WantsAValueIsReported() {
        let loaded = parse("""
        {"id": "p", "version": null, "inputs": {"required": null, "optional": ["a"]}, "stages": [{"id": "s", "type": "template", "template": "x"}]}
        """)
        let raised = loaded.diagnostics.filter { $0.message.hasSuffix("PixSim7 raises a ValidationError and loads no program") }.map(\.message)
        #expect(raised == [
            "`version` is null; PixSim7 raises a ValidationError and loads no program",
            "`inputs.required` must be a list of strings; PixSim7 raises a ValidationError and loads no program",
        ], "\(loaded.diagnostics)")
        let noInputs = parse(#"{"id": "p", "inputs": null, "stages": [{"id": "s", "type": "template", "template": "x"}]}"#)
        #expect(noInputs.diagnostics.map(\.message).contains("`inputs` is null; PixSim7 raises a ValidationError and loads no program"))
    }

    /// Python's `float()` as pydantic applies it to range bounds.
    @Test func rangeBoundsAcceptWhatPythonsFloatAccepts() throws {
        for (text, expected) in [("1_000", 1000.0), ("50\n", 50), (" 2.5e+1\t", 25), ("-inf", -.infinity)] {
            let node = SourceNode(.scalar(.string(text), text: text), at: SourceLocation(file: "x"))
            #expect(ProgramLoader.pydanticFloat(node) == expected, "\(text)")
        }
        for text in ["_1", "1_", "1__0", "fifty", ""] {
            let node = SourceNode(.scalar(.string(text), text: text), at: SourceLocation(file: "x"))
            #expect(ProgramLoader.pydanticFloat(node) == nil, "\(text)")
        }
    }

    /// pydantic-core, not Python's `float()`: the trimmed text as Rust reads a float, else the
    /// untrimmed text without its underscores. Every value here is what pydantic 2 gives
    /// (`MatchCriteria(affinity={"min": text})`).
    @Test func rangeBoundsAreReadAsPydanticCoreReadsThem() {
        let accepted: [(String, Double)] = [
            ("1_.5", 1.5), ("1._5", 1.5), ("1_e10", 1e10), ("1e1_0", 1e10), ("1.5e_3", 1500), ("1e+_3", 1000), ("1_._5", 1.5),
            ("1_.", 1), ("._5", 0.5), ("1_E5", 1e5), ("in_f", .infinity), ("+1_0", 10), ("-1_0", -10), ("1_0.5", 10.5),
            (".5", 0.5), ("5.", 5), (" inf ", .infinity), ("iNfInItY", .infinity), ("1\u{A0}", 1), ("\u{2028}1", 1), ("1\u{85}", 1),
            ("1\u{3000}", 1), ("0_1", 1), ("00", 0), ("1e-0_1", 0.1), ("+.5", 0.5), ("-inf", -.infinity),
        ]
        for (text, expected) in accepted {
            #expect(ProgramLoader.pydanticFloat(text) == expected, "\(text.debugDescription)")
        }
        for text in ["na_n", "+nan", "-nan", " nan "] { #expect(ProgramLoader.pydanticFloat(text)?.isNaN == true, "\(text)") }
        let refused = [" 1_0 ", " -1_0", "1_0 ", " 1_0", "\t1_0", "5\u{200B}", "\u{661}", " \u{661} ", "1_\u{662}", "0x10", "1e", "-", ".",
                       "", " ", "_", "1._", ".5_", "1_j", "1d", "1f", "5\u{0}", "1\u{1C}", "\u{1C}1", "1__0", "+-1", "1e5.0", "inf_"]
        for text in refused {
            #expect(ProgramLoader.pydanticFloat(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test func mistypedFieldsAreInvalidField() {
        let loaded = parse("""
        {"id": "p", "inputs": {"required": [3]}, "stages": [
          {"id": "s", "type": "selector", "selectors": [{"match": {"relationship_tier": ["a"], "trust": {"min": "lo"}}, "template": "x"}], "default": {"template": "d"}}]}
        """)
        // `"min": "lo"` is no number for pydantic either: PixSim7 raises (program-stage).
        #expect(loaded.diagnostics.map(\.code).sorted() == ["invalid-field", "program-stage", "program-stage"], "\(loaded.diagnostics)")
        #expect(loaded.diagnostics.contains { $0.message.hasPrefix("`match.trust.min` of selector 1 of stage `s` is not a number; PixSim7 raises a ValidationError") })
    }
}

@Suite struct ContextLoadingTests {
    @Test func contextsLoadAsValues() throws {
        let content = try TemporaryContent([
            "contexts/evening.yaml": eveningContext,
            "contexts/flat.yml": "npc.name: Ines\nflags: { met: true }\n",
            "contexts/README.md": "about contexts",
        ])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.catalog.contexts.map(\.id) == ["evening", "flat"])
        let evening = try #require(loaded.catalog.context("evening"))
        #expect(evening.file == "contexts/evening.yaml")
        #expect(evening.location.line == 1)
        #expect(evening.values.value(at: "npc.personality.traits") == .list([.string("warm"), .string("wry")]))
        #expect(evening.values.value(at: "chemistry") == .int(75))
        let flat = try #require(loaded.catalog.context("flat"))
        #expect(flat.values.value(at: "npc.name") == .string("Ines"))
        #expect(flat.values.value(at: "flags.met") == .bool(true))
    }

    /// PixSim7 prints a dict in the order its keys were written (python3: `str(yaml.safe_load(…)["state"])`).
    @Test func aProgramRendersAContextMapInTheOrderWritten() throws {
        let content = try TemporaryContent(["contexts/state.yaml": "state:\n  zeta: 1\n  alpha: 2\n  mid: {b: 1, a: 2}\nlist: [{y: 1, b: 2}, x]\n"])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let context = try #require(loaded.catalog.context("state"))
        let program = try #require(parse(#"{"id": "p", "stages": [{"id": "a", "type": "template", "template": "{{state}} {{list}}"}]}"#).program)
        #expect(program.program.run(context.values).finalText == "{'zeta': 1, 'alpha': 2, 'mid': {'b': 1, 'a': 2}} [{'y': 1, 'b': 2}, 'x']")
    }

    /// `json.load` and PyYAML keep a repeated key's first place and its last value.
    @Test func aRepeatedKeyTakesItsLastValueInItsFirstPlace() throws {
        let read = try PythonJSON.read(#"{"state": {"zeta": 1, "alpha": 2, "zeta": 3}}"#, file: "c.json", what: "context").get()
        #expect(read.node.templateValue.pythonRepr == "{'state': {'zeta': 3, 'alpha': 2}}")
        #expect(read.diagnostics.map(\.code) == ["json-duplicate-key"])
        // The node's own rule, for members a reader left repeated.
        let at = SourceLocation(file: "c.yaml")
        func member(_ key: String, _ value: Int) -> SourceNode.Member {
            SourceNode.Member(key: key, keyLocation: at, value: SourceNode(.scalar(.int(value), text: String(value)), at: at))
        }
        let node = SourceNode(.mapping([member("zeta", 1), member("alpha", 2), member("zeta", 3)]), at: at)
        #expect(node.templateValue.pythonRepr == "{'zeta': 3, 'alpha': 2}")
        #expect(node.templateValue == .map(["alpha": .int(2), "zeta": .int(3)]))
    }

    @Test func nonMappingContextIsInvalidField() throws {
        let content = try TemporaryContent(["contexts/list.yaml": "- a\n- b\n", "contexts/bad.yaml": "npc: [\n"])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.catalog.contexts.isEmpty)
        let codes = loaded.diagnostics.map(\.code)
        #expect(codes.contains("invalid-field"))
        #expect(codes.contains("yaml-syntax"))
        #expect(loaded.diagnostics.first { $0.code == "invalid-field" }?.location?.file == "contexts/list.yaml")
    }

    /// `check` types the built-in fields as the editor schema does (`promptsite schema context`):
    /// what one rejects, the other reports; nulls, whole numbers written `5.0`, a single trait as
    /// text and a context's own names pass both.
    @Test func builtInFieldsAreTypedAsTheSchemaTypesThem() throws {
        let content = try TemporaryContent([
            "contexts/bad.yaml": "world_time: abc\nrelationship: { affinity: 140, tier: [a] }\nflags: [1]\nnpc: { name: [a], personality: { traits: [x, {a: 1}] } }\nlocation: { meta: 3 }\n",
            "contexts/good.yaml": "world_time: 3600.0\nrelationship: { trust: null, tier: 2 }\nnpc: { personality: { traits: brave } }\nweather: { rain: [1, 2] }\nflags: { met: true }\n",
            "contexts/flat.yaml": "npc.name: {a: 1}\nrelationship.trust: 101\nnpc.id: ines\nflags.met: [1]\n",
        ])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.diagnostics.map(\.description) == [
            "contexts/bad.yaml:1:13: error[invalid-field]: context `bad`: `world_time` must be a whole number, found a string",
            "contexts/bad.yaml:2:27: error[invalid-field]: context `bad`: `relationship.affinity` is 140, above 100",
            "contexts/bad.yaml:2:38: error[invalid-field]: context `bad`: `relationship.tier` must be text, found a list",
            "contexts/bad.yaml:3:8: error[invalid-field]: context `bad`: `flags` must be a mapping, found a list",
            "contexts/bad.yaml:4:14: error[invalid-field]: context `bad`: `npc.name` must be text, found a list",
            "contexts/bad.yaml:4:46: error[invalid-field]: context `bad`: `npc.personality.traits[1]` must be text, found a mapping",
            "contexts/flat.yml:1:11: error[invalid-field]: context `flat`: `npc.name` must be text, found a mapping",
            "contexts/flat.yml:2:21: error[invalid-field]: context `flat`: `relationship.trust` is 101, above 100",
        ].map { $0.replacingOccurrences(of: "flat.yml", with: "flat.yaml") }, "`location.meta` is free-form in both; flat dotted keys are the same fields")
        #expect(loaded.catalog.contexts.map(\.id) == ["bad", "flat", "good"], "still loaded, for the previews that can use them")
    }

    @Test func programsLoadFromNestedFolders() throws {
        let content = try TemporaryContent([
            "programs/npc/a.json": #"{"id": "a", "stages": [{"id": "t", "type": "template", "template": "x"}]}"#,
            "programs/notes.txt": "ignored",
        ])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.catalog.programs.map(\.id) == ["a"])
        #expect(loaded.catalog.programs.first?.file == "programs/npc/a.json")
        #expect(loaded.diagnostics.map(\.code) == ["unexpected-file"])
        #expect(loaded.catalog.files.contains("programs/npc/a.json"))
    }
}
