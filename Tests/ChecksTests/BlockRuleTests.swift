@testable import Checks
import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// An action-block library with one block per line: the block at index i is on line i + 2.
func library(_ blocks: [String]) -> String {
    "[\n" + blocks.joined(separator: ",\n") + "\n]\n"
}

/// `found` without the bridge warnings every unversioned test block produces.
func blockFindings(_ found: [Diagnostic]) -> [Diagnostic] {
    found.filter { $0.code != "block-unversioned" }
}

private let hasPixSim7 = FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("bench_park_actions.json").path)
    && FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("example_vampire_pack.json").path)

@Suite struct BlockLinkRuleTests {
    let file = "action-blocks/park.json"

    @Test func symmetricLinksWithMatchingPosesPass() throws {
        let found = try check([file: library([
            #"{"id": "walk_in", "kind": "transition", "prompt": "{{lead}} sits down.", "from": {"pose": "standing"}, "to": {"pose": "sitting"}, "compatibleNext": ["sit"]}"#,
            #"{"id": "sit", "kind": "single_state", "prompt": "{{lead}} sits.", "startPose": "sitting", "endPose": "sitting", "compatiblePrev": ["walk_in"]}"#,
        ])])
        #expect(blockFindings(found).isEmpty, "\(found)")
    }

    @Test func unknownLinkIsAWarningWithASuggestion() throws {
        let found = try check([file: library([
            #"{"id": "walk_in", "kind": "transition", "prompt": "Walk.", "compatibleNext": ["sit_closr", "park_walking_together"]}"#,
            #"{"id": "sit_closer", "kind": "single_state", "prompt": "Sit.", "compatiblePrev": ["walk_in"]}"#,
        ])])
        let unknown = found.codes("block-unknown-link")
        #expect(unknown.map(\.message) == [
            "`compatibleNext` of block `walk_in` names `sit_closr`, which no loaded block defines",
            "`compatibleNext` of block `walk_in` names `park_walking_together`, which no loaded block defines",
        ])
        #expect(unknown.map(\.level) == [.warning, .warning])
        #expect(unknown[0].location == SourceLocation(file: file, line: 2, column: 79))
        #expect(unknown[0].hint?.hasPrefix("did you mean `sit_closer`? ") == true)
        #expect(unknown[1].hint?.hasPrefix("did you mean") == false)
    }

    @Test func oneSidedLinksAreInfo() throws {
        let found = try check([file: library([
            #"{"id": "a", "kind": "single_state", "prompt": "A.", "compatibleNext": ["b"]}"#,
            #"{"id": "b", "kind": "single_state", "prompt": "B.", "compatibleNext": ["a"]}"#,
        ])])
        let asymmetric = found.codes("block-asymmetric-link")
        #expect(asymmetric.map(\.message) == [
            "block `a` lists `b` in `compatibleNext`, but `b` does not list `a` in `compatiblePrev`",
            "block `b` lists `a` in `compatibleNext`, but `a` does not list `b` in `compatiblePrev`",
        ])
        #expect(asymmetric.map(\.level) == [.info, .info])
        #expect(asymmetric.map(\.location?.line) == [2, 3])
        let reverse = try check([file: library([
            #"{"id": "a", "kind": "single_state", "prompt": "A."}"#,
            #"{"id": "b", "kind": "single_state", "prompt": "B.", "compatiblePrev": ["a"]}"#,
        ])]).codes("block-asymmetric-link")
        #expect(reverse.map(\.message) == ["block `b` lists `a` in `compatiblePrev`, but `a` does not list `b` in `compatibleNext`"])
    }

    @Test func poseGapBetweenEndAndStart() throws {
        let found = try check([file: library([
            #"{"id": "kiss", "kind": "single_state", "prompt": "Kiss.", "startPose": "sitting_close", "endPose": "kissing", "compatibleNext": ["talk"]}"#,
            #"{"id": "talk", "kind": "transition", "prompt": "Talk.", "from": {"pose": "sitting_close"}, "to": {"pose": "sitting_turned"}, "compatiblePrev": ["kiss"]}"#,
        ])])
        let gaps = found.codes("block-pose-gap")
        #expect(gaps.map(\.message) == ["block `kiss` ends in pose `kissing` but the next block `talk` starts in `sitting_close`"])
        #expect(gaps[0].level == .warning)
        #expect(gaps[0].location?.line == 2)
        #expect(gaps[0].hint == "match the poses, or put a transition block from `kissing` to `sitting_close` between them")
    }
}

@Suite struct BlockRangeRuleTests {
    let file = "action-blocks/b.json"

    @Test func valuesInRangePass() throws {
        let found = try check([file: library([
            #"{"id": "x", "kind": "single_state", "prompt": "X.", "durationSec": 8, "tags": {"intensity": 10}, "intensityProgression": {"start": 1, "peak": 9, "end": 9, "pattern": "building"}, "cameraMovement": {"type": "dolly", "speed": "slow", "path": "arc"}}"#,
        ])])
        #expect(blockFindings(found).isEmpty, "\(found)")
    }

    @Test func everyOutOfRangeValueIsAnError() throws {
        let found = try check([file: library([
            #"{"id": "x", "kind": "loop", "prompt": "X.", "durationSec": 9.5, "tags": {"intensity": 11}, "intensityProgression": {"start": 5, "peak": 3, "end": 0, "pattern": "wavy"}, "cameraMovement": {"type": "zoom", "speed": "fats", "path": "arc"}}"#,
            #"{"id": "y", "kind": "single_state", "prompt": "Y.", "durationSec": 0}"#,
        ])])
        let range = found.codes("block-range")
        #expect(Set(range.map(\.level)) == [.error])
        #expect(range.map(\.message) == [
            "`kind` of block `x` is `loop`, not a known value",
            "`durationSec` of block `x` is 9.5, above p's maximum duration of 8",
            "`tags.intensity` of block `x` is 11, outside 1–10",
            "`intensityProgression.peak` of block `x` is 3, below its start (5)",
            "`intensityProgression.end` of block `x` is 0, outside 1–10",
            "`intensityProgression.pattern` of block `x` is `wavy`, not a known value",
            "`cameraMovement.type` of block `x` is `zoom`, not a known value",
            "`cameraMovement.speed` of block `x` is `fats`, not a known value",
            "`durationSec` of block `y` is 0; a clip must last more than 0 seconds",
        ])
        #expect(range.first { $0.message.contains("`fats`") }?.hint == "did you mean `fast`? allowed: slow, medium, fast")
        #expect(range.last?.location?.line == 3)
    }

    @Test func durationIsOnlyLimitedByDefaultProviders() throws {
        let files = [file: library([#"{"id": "x", "kind": "single_state", "prompt": "X.", "durationSec": 9}"#])]
        #expect(try check(files).codes("block-range").count == 1)
        #expect(try check(files, defaultProviders: []).codes("block-range").isEmpty)
    }
}

@Suite struct BlockPromptRuleTests {
    let file = "action-blocks/b.json"

    @Test func promptSyntaxErrorsPointAtThePrompt() throws {
        let found = try check([file: "[\n  {\n    \"id\": \"x\",\n    \"kind\": \"single_state\",\n    \"prompt\": \"{{lead}} {{#if night}}dark\"\n  }\n]\n"])
        let syntax = found.codes("template-syntax")
        #expect(syntax.map(\.message) == ["in the prompt of block `x`: unsupported syntax `{{#if night}}`: only `{{path}}` references are allowed"])
        #expect(syntax[0].location == SourceLocation(file: file, line: 5, column: 15))
    }

    @Test func layeredPromptOverTheLimit() throws {
        // 50 x + " {{lead}}" (as written) = 59, "." = 60, " The camera stays static." = 85.
        let block = #"{"id": "x", "kind": "single_state", "prompt": "\#(String(repeating: "x", count: 50)) {{lead}}", "cameraMovement": {"type": "static"}}"#
        let within = try check([file: library([block]), "providers/p.yaml": Fixture.provider("p", limit: 85)])
        #expect(within.codes("over-limit").isEmpty)
        let over = try check([file: library([block]), "providers/p.yaml": Fixture.provider("p", limit: 80)]).codes("over-limit")
        #expect(over.map(\.message) == ["the layered prompt of block `x` is 85 characters (variables counted as written), 5 over p's limit of 80"])
        #expect(over[0].level == .error)
        #expect(over[0].location?.line == 2)
    }

    @Test func packageTemplateVariables() throws {
        let package = """
        {
          "package_info": {"name": "pack"},
          "templates": {
            "seduce": {
              "template": "{{character}} meets {{vampire}} in {{plcae}}.",
              "required_params": ["character", "vampire", "mood"],
              "optional_params": ["place"]
            },
            "broken": {"template": "{{> partial}}", "camera_template": "Camera {{style}"}
          },
          "action_blocks": []
        }
        """
        let found = try check(["action-blocks/pack.json": package])
        #expect(found.codes("undefined-variable").map(\.message) == ["template `seduce` uses `plcae`, which is not in `required_params` or `optional_params`"])
        #expect(found.codes("undefined-variable")[0].hint == "did you mean `place`? add `\"plcae\"` to `optional_params` or `required_params`")
        #expect(found.codes("undefined-variable")[0].location?.line == 4)
        let unused = found.codes("unused-variable")
        #expect(unused.map(\.message) == ["required param `mood` of template `seduce` is never used by its `template`"])
        #expect(unused[0].location == SourceLocation(file: "action-blocks/pack.json", line: 6, column: 51))
        #expect(unused[0].level == .warning)
        let syntax = found.codes("template-syntax")
        #expect(syntax.count == 2)
        #expect(syntax.map(\.location?.line) == [9, 9])
        #expect(syntax.map(\.message) == [
            "in `camera_template` of template `broken`: unterminated `{{`: no matching `}}`",
            "in `template` of template `broken`: include `{{> partial}}` is not supported in a package template",
        ])
    }
}

@Suite struct RealBlockRuleTests {
    func realFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for name in ["bench_park_actions.json", "example_vampire_pack.json"] {
            files["action-blocks/\(name)"] = try String(contentsOf: Repository.pixsim7.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func unknownLinksAreTheBlocksOfOtherLibraries() throws {
        let found = try check(try realFiles(), defaultProviders: [])
        #expect(found.filter { $0.level == .error }.isEmpty, "\(found.filter { $0.level == .error })")
        let unknown = found.codes("block-unknown-link").map { $0.message.components(separatedBy: "`").filter { !$0.isEmpty } }
        let pairs = unknown.map { "\($0[2]) \($0[0]) \($0[4])" }
        #expect(pairs == [
            "bench_approach_and_sit compatibleNext bench_turn_toward_partner",
            "bench_approach_and_sit compatiblePrev park_walking_together",
            "bench_sit_closer compatiblePrev bench_neutral_conversation",
            "bench_hair_tuck compatibleNext bench_forehead_touch",
            "bench_almost_kiss compatibleNext bench_pull_back_nervous",
            "bench_first_kiss compatibleNext bench_after_kiss_smile",
            "bench_first_kiss compatibleNext bench_second_kiss",
            "bench_first_kiss compatibleNext bench_embrace",
            "bench_pull_back_shy compatibleNext bench_nervous_laugh",
            "bench_pull_back_shy compatibleNext bench_hand_hold",
            "bench_pull_back_shy compatibleNext bench_look_at_stars",
            "bench_hand_touch compatibleNext bench_stand_up_together",
            "bench_lean_together compatibleNext bench_kiss_forehead",
            "bench_lean_together compatibleNext bench_whisper",
            "bench_lean_together compatibleNext bench_stand_up_together",
            "bench_interrupted compatibleNext bench_nervous_laugh",
            "bench_interrupted compatibleNext bench_stand_up_together",
            "vampire_mirror_seduction compatibleNext vampire_bite",
            "vampire_mirror_seduction compatibleNext vampire_embrace",
            "vampire_mirror_seduction compatibleNext character_surrender",
            "vampire_mirror_seduction compatiblePrev vampire_approach",
            "vampire_mirror_seduction compatiblePrev character_waiting",
            "vampire_blood_trance compatibleNext vampire_bite",
            "vampire_blood_trance compatibleNext vampire_feeding",
            "vampire_blood_trance compatibleNext character_awakening",
            "vampire_blood_trance compatiblePrev vampire_hypnosis",
        ])
        #expect(found.codes("block-pose-gap").map(\.message) == [
            "block `bench_almost_kiss` ends in pose `almost_kiss` but the next block `bench_interrupted` starts in `sitting_close`",
        ])
        #expect(found.codes("block-unversioned").count == 11)
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func theNineSecondTranceIsTooLongForAnEightSecondProvider() throws {
        let errors = try check(try realFiles()).filter { $0.level == .error }
        #expect(errors.map(\.message) == ["`durationSec` of block `vampire_blood_trance` is 9, above p's maximum duration of 8"])
    }
}

@Suite struct BlockBridgeRuleTests {
    let blocks = ["action-blocks/park.json": library([#"{"id": "sit", "kind": "single_state", "prompt": "{{lead}} sits."}"#])]

    func files(familyExtra: String, versions: [String]) -> [String: String] {
        var files = blocks
        files["prompts/a/family.yaml"] = Fixture.family(extra: familyExtra)
        for (index, body) in versions.enumerated() {
            let front = "version: \(index + 1)\(index == 0 ? "" : "\nparent: \(index)")\nvariables:\n  lead: { type: string, max_length: 9 }\nexamples:\n  - { name: e, vars: { lead: Ana } }"
            files["prompts/a/v\(index + 1).prompt"] = Fixture.version(front, body)
        }
        return files
    }

    @Test func blockWithoutFamilyIsUnversioned() throws {
        let unversioned = try check(blocks).codes("block-unversioned")
        #expect(unversioned.map(\.message) == ["block `sit` has no family that versions it"])
        #expect(unversioned[0].location == SourceLocation(file: "action-blocks/park.json", line: 2, column: 8))
        #expect(unversioned[0].level == .warning)
    }

    @Test func productionVersionWithTheSameTextIsInSync() throws {
        // v2 (latest) differs, but production points at v1, which matches.
        let found = try check(files(familyExtra: "action_block: sit\nlabels:\n  production: 1", versions: ["{{lead}} sits.", "{{lead}} sits down."]))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func driftFromProductionNamesTheVersion() throws {
        let found = try check(files(familyExtra: "action_block: sit\nlabels:\n  production: 2", versions: ["{{lead}} sits.", "{{lead}} sits down."]))
        let drift = found.codes("block-drift")
        #expect(drift.map(\.message) == ["the prompt of block `sit` differs from `a` v2 (production)"])
        #expect(drift[0].location?.line == 2)
        #expect(found.codes("block-unversioned").isEmpty)
    }

    @Test func withoutProductionTheLatestIsCompared() throws {
        let drift = try check(files(familyExtra: "action_block: sit", versions: ["{{lead}} sits.", "{{lead}} sits down."])).codes("block-drift")
        #expect(drift.map(\.message) == ["the prompt of block `sit` differs from `a` v2 (latest)"])
    }

    @Test func familyNamingAMissingBlock() throws {
        var files = files(familyExtra: "action_block: sitt", versions: ["{{lead}} sits."])
        files["prompts/a/family.yaml"] = Fixture.family(extra: "action_block: sitt")
        let missing = try check(files).codes("block-missing")
        #expect(missing.map(\.message) == ["family `a` versions action block `sitt`, which no action-blocks/*.json file defines"])
        #expect(missing[0].location == SourceLocation(file: "prompts/a/family.yaml", line: 3, column: 15), "at the value of `action_block:`")
        #expect(missing[0].level == .error)
        #expect(missing[0].hint == "did you mean `sit`? fix `action_block:` or remove it")
    }
}

/// Libraries large enough that per-block work over every block shows: check must stay linear.
@Suite struct BlockRuleScaleTests {
    let file = "action-blocks/many.json"

    /// Each block's links were checked against the block ids sorted anew for that block.
    @Test func manyBlocksWithOnlyIdsCheckInLinearTime() throws {
        let blocks = (0..<20_000).map { #"{"id": "b\#($0)"}"# }
        let started = ContinuousClock.now
        let found = try check([file: library(blocks)])
        // About 1.5 s in a debug build; sorting the ids for every block took minutes.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(found.contains { $0.code == "block-unversioned" })
    }

    @Test func unknownLinksOfOneBlockAreListedUpToACap() throws {
        let links = (0..<200).map { "\"gone\($0)\"" }.joined(separator: ", ")
        let found = try check([file: library([#"{"id": "a", "kind": "single_state", "prompt": "A.", "compatibleNext": [\#(links)]}"#])])
        let unknown = found.codes("block-unknown-link")
        #expect(unknown.count == 51)
        #expect(unknown.filter { $0.message.hasPrefix("`compatibleNext` of block `a` names `gone") }.count == 50)
        #expect(unknown.contains { $0.message == "block `a` names 150 more ids no loaded block defines, not listed" })
    }

    /// A suggestion measures the unknown id against every block id: only the unknown links the
    /// report lists get one, and each unknown id is measured once.
    @Test func suggestionsStopWhereTheReportStopsListing() throws {
        let blocks = (0..<300).map { #"{"id": "block\#($0)", "kind": "single_state", "prompt": "B.", "compatibleNext": ["block\#($0)x"]}"# }
        let found = try check([file: library(blocks)])
        let unknown = found.codes("block-unknown-link").filter { $0.message.hasPrefix("`compatibleNext`") }
        #expect(unknown.count == Diagnostic.listedPerFileAndCode)
        #expect(unknown.allSatisfy { $0.hint?.hasPrefix("did you mean `block") == true })

        let loaded = CatalogLoader.load(files: [file: library(blocks)])
        var index = BlockRules.LinkIndex(Dictionary(loaded.catalog.blocks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        let given = (0..<300).compactMap { index.suggestion(for: "block\($0)x", in: file) }
        #expect(given.count == Diagnostic.listedPerFileAndCode)
        #expect(index.suggestion(for: "block1x", in: "action-blocks/other.json") == "block1")
    }
}
