import Foundation
import Testing
import PromptTemplates
@testable import PromptCatalog

/// Our program evaluator against PixSim7's own: Fixtures/program-differential holds programs and
/// contexts we wrote, and expected.json what PixSim7's `NarrativeEngine` and `ConditionExpression`
/// produce for them (written by scripts/pixsim7-program-fixtures.py, which runs PixSim7's code).
@Suite struct ProgramDifferentialTests {
    struct Expected: Decodable {
        struct Run: Decodable {
            let program: String
            let context: String
            let text: String?
            let error: String?
        }
        struct Condition: Decodable {
            let expression: String
            let results: [String: Bool]
        }
        let source: String
        let runs: [Run]
        let conditions: [Condition]
    }

    static let folder = Bundle.module.url(forResource: "program-differential", withExtension: nil, subdirectory: "Fixtures")!

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    }

    /// Read as the script reads it, with `json.load`: a repeated key keeps its first place and its last value.
    static func context(_ name: String) throws -> TemplateValues {
        let url = folder.appendingPathComponent("contexts/\(name).json")
        let node = try PythonJSON.read(String(contentsOf: url, encoding: .utf8), file: "contexts/\(name).json", what: "context").get().node
        guard case .map(let root) = node.templateValue else { throw CocoaError(.fileReadCorruptFile) }
        return TemplateValues(root)
    }

    static func program(_ stem: String) throws -> PromptProgram {
        let url = folder.appendingPathComponent("programs/\(stem).json")
        return try #require(ProgramLoader.parse(String(contentsOf: url, encoding: .utf8), file: "programs/\(stem).json").program)
    }

    @Test func fixturesCoverEveryProgramAndContext() throws {
        let expected = try Self.expected()
        #expect(expected.source.hasPrefix("Sakenfor/pixsim7@"))
        #expect(expected.runs.count == 36)
        #expect(Set(expected.runs.map(\.context)).count == 6)
        #expect(expected.runs.filter { $0.error != nil }.count == 3)
        #expect(expected.conditions.count == 63)
    }

    @Test func everyProgramRendersPixSim7sText() throws {
        var contexts: [String: TemplateValues] = [:]
        for run in try Self.expected().runs {
            if contexts[run.context] == nil { contexts[run.context] = try Self.context(run.context) }
            let result = try Self.program(run.program).program.run(contexts[run.context]!)
            if let error = run.error {
                #expect(result.failure?.exception == error, "\(run.program) × \(run.context)")
                #expect(result.finalText == "")
            } else {
                #expect(result.failure == nil, "\(run.program) × \(run.context): \(String(describing: result.failure))")
                #expect(result.finalText == run.text, "\(run.program) × \(run.context)")
            }
        }
    }

    @Test func everyConditionHoldsWherePixSim7sHolds() throws {
        let expected = try Self.expected()
        var contexts: [String: TemplateValues] = [:]
        for name in Set(expected.conditions.flatMap(\.results.keys)) { contexts[name] = try Self.context(name) }
        for condition in expected.conditions {
            let parsed = ProgramExpression.parse(condition.expression)
            for (name, holds) in condition.results {
                // An expression that does not parse is false for PixSim7 (it fails closed).
                let ours = (try? parsed.get())?.evaluate(contexts[name]!) ?? false
                #expect(ours == holds, "`\(condition.expression)` in \(name)")
            }
        }
    }

    @Test func aProgramIsFoundByItsFileNameOrItsID() throws {
        let program = try Self.program("harbor_evening")
        let catalog = Catalog(families: [], providers: [], programs: [program], files: [])
        #expect(catalog.program("harbor_evening")?.id == "harbor_evening_program")
        #expect(catalog.program("harbor_evening_program")?.file == "programs/harbor_evening.json")
        #expect(catalog.program("harbor") == nil)
    }
}
