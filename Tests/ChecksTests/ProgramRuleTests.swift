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
            {"test": "chemistry >= 70 && relationship.trust > 2 && flags.kissed", "template": "{{npc.name}} {{mood.word}}"},
            {"test": "chemstry > 1", "template": "{{secret}} and {{secret}}"}]},
          {"id": "s", "type": "selector", "selectors": [{"match": {"relationship_tier": "friend"}, "template": "{{location.meta.mood}}"}],
           "default": {"template": "{{arcs.main.stage}} {{world_time}} {{player_input}}"}}
        ]}
        """])
        let found = diagnostics.codes("program-variable")
        #expect(found.map(\.level) == [.warning, .warning])
        #expect(found.map(\.message) == [
            "stage `a` of program `p` reads `chemstry`, which is neither an input of the program nor a context path",
            "stage `a` of program `p` reads `secret`, which is neither an input of the program nor a context path",
        ])
        #expect(found.first?.hint?.hasPrefix("did you mean `chemistry`?") == true)
        #expect(found.first?.location?.line == 4)
        #expect(diagnostics.filter { $0.level == .error }.isEmpty, "\(diagnostics)")
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
