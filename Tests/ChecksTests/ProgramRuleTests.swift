import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Checks
@testable import PromptCatalog

@Suite struct ProgramRuleTests {
    @Test func unknownPathsInConditionsAndTemplatesAreProgramVariable() throws {
        let diagnostics = try check(["programs/p.json": """
        {"id": "p", "inputs": {"required": ["chemistry"], "optional": ["mood"]}, "stages": [
          {"id": "a", "type": "conditional", "conditions": [
            {"test": "chemistry >= 70 && trust > 2 && flags.kissed && null == 0", "template": "{{npc.name}} {{mood.word}}"},
            {"test": "chemstry > 1", "template": "{{secret}} and {{secret}}"}]},
          {"id": "s", "type": "selector", "selectors": [{"match": {"relationship_tier": "friend"}, "template": "{{location.meta.mood}}"}],
           "default": {"template": "{{arcs.main.stage}} {{world_time}} {{player_input}}"}}
        ]}
        """])
        let found = diagnostics.codes("program-variable")
        #expect(found.map(\.level) == [.warning, .warning])
        #expect(found.map(\.message) == [
            "stage `a` of program `p` reads `chemstry`, which is neither an input of the program nor a key of PixSim7's narrative context",
            "stage `a` of program `p` reads `secret`, which is neither an input of the program nor a key of PixSim7's narrative context",
        ])
        #expect(found.first?.hint?.hasPrefix("did you mean `chemistry`?") == true)
        #expect(found.first?.location?.line == 4)
        #expect(diagnostics.filter { $0.level == .error }.isEmpty, "\(diagnostics)")
    }

    static let reader = """
    {"id": "r", "stages": [
      {"id": "c", "type": "conditional", "conditions": [{"test": "trust < 30 && flags.met", "template": "{{npc.name}} {{npc.personality.traits}}"}]},
      {"id": "s", "type": "selector", "selectors": [{"match": {"relationship_tier": "friend", "mood": "x"}, "template": "{{ spaced }}"}]}
    ]}
    """

    @Test func pathsNoContextProvidesAreProgramMissingPath() throws {
        let diagnostics = try check([
            "programs/r.json": Self.reader,
            "contexts/nested.yaml": "npc: { name: Mara }\nflags: { met: true }\n",
            "contexts/flat.yaml": "npc.personality.traits: [warm, wry]\n",
        ])
        let found = diagnostics.codes("program-missing-path")
        #expect(found.map(\.message) == [
            "stage `c` of program `r` reads `trust`, which no context provides; the condition reads it as 0",
            "stage `c` of program `r` reads `npc.name`, which no context provides; the template renders it as empty text",
            "stage `s` of program `r` reads `relationship_tier`, which no context provides; the selector compares 0 (a number) or nothing (a text)",
            "stage `s` of program `r` reads `spaced`, which no context provides; the template renders it as empty text",
        ])
        #expect(found.allSatisfy { $0.level == .warning })
        #expect(found[0].location?.line == 2)
        #expect(found[1].hint?.contains("PixSim7 looks `{{npc.name}}` up as one flat key") == true)
        #expect(found[2].location?.line == 3)
    }

    @Test func noContextsNoMissingPaths() throws {
        #expect(try check(["programs/r.json": Self.reader]).codes("program-missing-path").isEmpty)
    }

    @Test func listsAndMapsInTemplatesAreProgramListRendered() throws {
        let diagnostics = try check([
            "programs/r.json": Self.reader,
            "contexts/a.yaml": "npc.personality.traits: [warm, wry]\nnpc.name: { first: Mara }\n",
            "contexts/b.yaml": "npc.personality.traits: [shy]\nnpc.name: Mara\n",
        ])
        let found = diagnostics.codes("program-list-rendered")
        #expect(found.map(\.message) == [
            "stage `c` of program `r` renders `{{npc.name}}`, a map in a, as Python's repr: {'first': 'Mara'}",
            "stage `c` of program `r` renders `{{npc.personality.traits}}`, a list in a, b, as Python's repr: ['warm', 'wry']",
        ])
        #expect(found.allSatisfy { $0.level == .warning && $0.location?.line == 2 })
    }

    @Test func spacesInsideBracesAreProgramSpacedVariable() throws {
        let diagnostics = try check(["programs/r.json": Self.reader])
        let found = diagnostics.codes("program-spaced-variable")
        #expect(found.map(\.message) == [
            "stage `s` of program `r` writes `{{ spaced }}`; PixSim7 replaces only `{{spaced}}`, so this stays in the prompt as written",
        ])
        #expect(found.first?.hint == "remove the spaces: `{{spaced}}`")
        #expect(found.first?.location?.line == 3)
        #expect(found.first?.level == .warning)
    }

    @Test func duplicateProgramIDs() throws {
        let program = #"{"id": "same", "stages": [{"id": "t", "type": "template", "template": "x"}]}"#
        let diagnostics = try check(["programs/a.json": program, "programs/b/c.json": program])
        let found = diagnostics.codes("program-duplicate-id")
        #expect(found.count == 1)
        #expect(found.first?.location?.file == "programs/b/c.json")
        #expect(found.first?.message.contains("programs/a.json") == true)
    }

    @Test func loaderProblemsReachCheck() throws {
        let diagnostics = try check(["programs/p.json": """
        {"id": "p", "stages": [
          {"id": "c", "type": "conditional", "conditions": [{"test": "a = 1", "template": "x"}]},
          {"id": "u", "type": "loop"}]}
        """, "programs/q.json": "{\"id\": "])
        #expect(diagnostics.codes("program-expression").count == 1)
        #expect(diagnostics.codes("program-expression").first?.message.contains("at character 3") == true)
        #expect(diagnostics.codes("program-stage").count == 1)
        #expect(diagnostics.codes("json-syntax").first?.location?.file == "programs/q.json")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("example_romantic_arc.json").path)))
    func romanticArcHasNoFindings() throws {
        let text = try String(contentsOf: Repository.pixsim7.appendingPathComponent("example_romantic_arc.json"), encoding: .utf8)
        let diagnostics = try check(["programs/example_romantic_arc.json": text])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }
}
