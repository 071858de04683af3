import Diagnostics
import Foundation
import Testing
import PromptTemplates
import TestSupport
@testable import PromptCatalog

private let hasPixSim7 = FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("example_vampire_pack.json").path)

/// The real PixSim7 files, read from ../shared/pixsim7 (never copied into the project).
private func realFile(_ name: String) throws -> String {
    try String(contentsOf: Repository.pixsim7.appendingPathComponent(name), encoding: .utf8)
}

private func parse(_ text: String, file: String = "action-blocks/test.json") -> ActionBlockFile {
    ActionBlockLoader.parse(text, file: file)
}

@Suite struct RealActionBlockTests {
    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func libraryLoadsEveryBlock() throws {
        let loaded = parse(try realFile("bench_park_actions.json"), file: "action-blocks/bench_park_actions.json")
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.package == nil)
        #expect(loaded.blocks.count == 9)
        #expect(loaded.blocks.map(\.id).first == "bench_approach_and_sit")
        #expect(loaded.blocks.map(\.id).last == "bench_interrupted")

        let block = try #require(loaded.blocks.first { $0.id == "bench_sit_closer" })
        #expect(block.file == "action-blocks/bench_park_actions.json")
        #expect(block.package == nil)
        #expect(block.location == SourceLocation(file: block.file, line: 35, column: 3))
        #expect(block.idLocation == SourceLocation(file: block.file, line: 36, column: 11))
        #expect(block.kind?.known == .singleState)
        #expect(block.tags.location?.value == "bench_park")
        #expect(block.tags.pose?.value == "sitting_neutral")
        #expect(block.tags.intimacyLevel?.value == "deep_flirt")
        #expect(block.tags.mood?.value == "intimate")
        #expect(block.tags.timeOfDay?.value == "evening")
        #expect(block.tags.indoors?.value == false)
        #expect(block.tags.branchType?.value == "escalate")
        #expect(block.tags.intensity?.value == 4)
        #expect(block.tags.intensity?.location.line == 46)
        #expect(block.referenceImage?["crop"]?.string == "waist_up")
        #expect(block.isImageToVideo?.value == true)
        #expect(block.startPose?.value == "sitting_neutral")
        #expect(block.endPose?.value == "sitting_close")
        #expect(block.style?.value == "soft_cinema")
        #expect(block.durationSec?.value == 6.0)
        #expect(block.compatibleNext.map(\.value) == ["bench_hair_tuck", "bench_hand_touch", "bench_lean_together"])
        #expect(block.compatiblePrev.map(\.value) == ["bench_approach_and_sit", "bench_neutral_conversation"])
        #expect(block.compatibleNext[0].location.line == 59)
        #expect(block.prompt.variablePaths == ["lead", "partner"])
        #expect(block.promptLocation?.line == 56)
        #expect(block.unknownFields.isEmpty)
        // No camera, consistency or intensity progression: the layered prompt is the prompt.
        #expect(block.layeredSentences.isEmpty)
        #expect(block.layeredPrompt == block.prompt)

        let transition = try #require(loaded.blocks.first { $0.id == "bench_approach_and_sit" })
        #expect(transition.kind?.known == .transition)
        #expect(transition.from?.pose?.value == "standing_near")
        #expect(transition.to?.pose?.value == "sitting_neutral")
        #expect(transition.firstPose?.value == "standing_near")
        #expect(transition.lastPose?.value == "sitting_neutral")
        #expect(transition.from?.referenceImage?["crop"]?.string == "full_body")
        #expect(transition.startPose == nil)
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func packageLoadsInfoTemplatesAndBlocks() throws {
        let loaded = parse(try realFile("example_vampire_pack.json"), file: "action-blocks/example_vampire_pack.json")
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.blocks.count == 2)
        let package = try #require(loaded.package)
        #expect(package.name == "vampire_seduction")
        #expect(package.info?.version == "1.0.0")
        #expect(package.info?.author == "Claude Sonnet + User Example")
        #expect(package.info?.description == "Vampire seduction and hypnotic interaction blocks")
        #expect(package.info?.contentRatingMax == "intimate")
        #expect(package.info?.createdDate == "2024-01-15")
        #expect(package.blockIDs == ["vampire_mirror_seduction", "vampire_blood_trance"])
        #expect(package.creatures?["ancient_vampire"]?["size_category"]?.string == "medium")

        #expect(package.templates.map(\.key) == ["vampire_hypnotic_seduction"])
        let template = try #require(package.template("vampire_hypnotic_seduction"))
        #expect(template.name == "Vampire Hypnotic Seduction Template")
        #expect(template.requiredParams.map(\.value) == ["character", "initial_state", "vampire_description", "hypnotic_action", "character_response"])
        #expect(template.optionalParams.count == 7)
        #expect(template.template?.variablePaths.first == "character")
        #expect(template.template?.errors.isEmpty == true)
        #expect(template.cameraTemplate?.variablePaths == ["camera_style", "camera_focus"])
        #expect(template.consistencyDefaults?.maintainPose == true)
        #expect(template.consistencyDefaults?.preserveLighting == false)
        #expect(template.consistencyDefaults?.preserveClothing == nil)

        let block = try #require(loaded.blocks.first)
        #expect(block.id == "vampire_mirror_seduction")
        #expect(block.package == "vampire_seduction")
        #expect(block.idLocation.line == 63)
        #expect(block.tags.intensity?.value == 7)
        #expect(block.tags.custom.map(\.value) == ["mirror_scene", "mental_influence", "no_reflection"])
        // `creature` is not a PixSim7 tag this loader knows: kept, not reported.
        #expect(block.tags.unknownFields.map(\.key) == ["creature"])
        #expect(block.tags.unknownFields.first?.value.string == "vampire")
        #expect(block.allUnknownFields.map(\.path) == ["tags.creature"])
        #expect(block.cameraMovement?.type?.known == .dolly)
        #expect(block.cameraMovement?.speed?.known == .slow)
        #expect(block.cameraMovement?.path?.known == .linear)
        #expect(block.cameraMovement?.focus?.value == "mirror_reflection")
        #expect(block.consistency?.preserveLighting == false)
        #expect(block.intensityProgression?.peak?.value == 8)
        #expect(block.intensityProgression?.pattern?.known == .building)

        #expect(block.layeredSentences == [
            "The camera dollies slowly in a straight line, focused on mirror reflection.",
            "Keep the pose, clothing and position consistent.",
            "The lighting may change.",
            "Intensity builds from 5 to a peak of 8, ending at 7.",
        ])
        #expect(block.layeredPrompt.source == block.prompt.source + " The camera dollies slowly in a straight line, focused on mirror reflection. "
            + "Keep the pose, clothing and position consistent. The lighting may change. Intensity builds from 5 to a peak of 8, ending at 7.")
        #expect(block.prompt.source.hasSuffix("only her breathing and subtle trembling revealing the intensity."))

        let trance = loaded.blocks[1]
        #expect(trance.layeredPrompt.source == trance.prompt.source + " The camera rotates at a steady pace along a circular path, focused on both subjects. "
            + "Keep the pose, lighting, clothing and position consistent. Intensity pulses from 7 to a peak of 9, ending at 8.")
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func catalogLoadsBothFilesFromNestedFolders() throws {
        let content = try TemporaryContent([
            "action-blocks/park/bench_park_actions.json": try realFile("bench_park_actions.json"),
            "action-blocks/packs/example_vampire_pack.json": try realFile("example_vampire_pack.json"),
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(result.diagnostics.isEmpty)
        #expect(result.catalog.blocks.count == 11)
        #expect(result.catalog.packages.map(\.name) == ["vampire_seduction"])
        #expect(result.catalog.block("vampire_blood_trance")?.file == "action-blocks/packs/example_vampire_pack.json")
        #expect(result.catalog.files.contains("action-blocks/park/bench_park_actions.json"))
        #expect(result.catalog.files.contains("action-blocks/packs/example_vampire_pack.json"))
    }
}

@Suite struct ActionBlockLoadingTests {
    @Test func unknownFieldsAreKeptWithoutDiagnostics() {
        let loaded = parse("""
        [{"id": "a", "kind": "single_state", "prompt": "Walk.", "moodScore": 0.5, "extra": {"x": [1, 2]},
          "tags": {"mood": "calm", "weather": "rain"}, "cameraMovement": {"type": "dolly", "height": "low"},
          "from": {"pose": "standing", "facing": "left"}}]
        """)
        #expect(loaded.diagnostics.isEmpty)
        let block = loaded.blocks[0]
        #expect(block.unknownFields.map(\.key) == ["moodScore", "extra"])
        #expect(block.unknownFields[1].value["x"]?.items?.count == 2)
        #expect(block.allUnknownFields.map(\.path) == ["moodScore", "extra", "tags.weather", "from.facing", "cameraMovement.height"])
    }

    @Test func unknownChoiceValuesAreKeptAsWritten() {
        let loaded = parse(#"[{"id": "a", "kind": "loop", "prompt": "p", "cameraMovement": {"type": "crane"}}]"#)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.blocks[0].kind?.text == "loop")
        #expect(loaded.blocks[0].kind?.known == nil)
        #expect(loaded.blocks[0].cameraMovement?.type?.text == "crane")
    }

    @Test func invalidJSONGivesTheLine() {
        let loaded = parse("[\n  {\"id\": \"a\",\n   \"kind\": \"single_state\"\n   \"prompt\": \"x\"}\n]\n")
        #expect(loaded.blocks.isEmpty)
        #expect(loaded.diagnostics.count == 1)
        let diagnostic = loaded.diagnostics.first
        #expect(diagnostic?.code == "json-syntax")
        #expect(diagnostic?.level == .error)
        #expect(diagnostic?.location?.file == "action-blocks/test.json")
        #expect(diagnostic?.location?.line == 4)
        #expect(diagnostic?.location?.column != nil)
    }

    @Test(arguments: [("\"just text\"", "a string"), ("42", "an integer"), ("true", "a boolean"), ("null", "null")])
    func scalarTopLevelIsRejected(text: String, found: String) {
        let loaded = parse(text)
        #expect(loaded.blocks.isEmpty)
        #expect(loaded.diagnostics.map(\.code) == ["invalid-field"])
        let message = loaded.diagnostics.first?.message ?? ""
        #expect(message.contains("JSON array of blocks (a library)"))
        #expect(message.contains("`action_blocks` (a package)"))
        #expect(message.hasSuffix("found \(found)"))
        #expect(loaded.diagnostics.first?.location?.line == 1)
    }

    @Test func objectWithoutActionBlocksIsRejected() {
        let loaded = parse("{\n  \"package_info\": {\"name\": \"p\"}\n}")
        #expect(loaded.package == nil)
        #expect(loaded.diagnostics.map(\.code) == ["invalid-field"])
        #expect(loaded.diagnostics.first?.message.hasSuffix("found an object without `action_blocks`") == true)
        // A single block object gets a hint to wrap it in an array.
        let single = parse(#"{"id": "a", "kind": "single_state", "prompt": "p"}"#)
        #expect(single.diagnostics.first?.hint?.contains("wrap a single block") == true)
    }

    @Test func emptyFileIsReported() {
        #expect(parse("  \n").diagnostics.map(\.code) == ["invalid-field"])
    }

    @Test func blockWithoutIDIsReportedAndSkipped() {
        let loaded = parse("""
        [
          {"kind": "single_state", "prompt": "no id"},
          {"id": "b", "kind": "single_state", "prompt": "fine"},
          "not a block",
          {"id": 7, "kind": "single_state", "prompt": "numeric id"}
        ]
        """)
        #expect(loaded.blocks.map(\.id) == ["b"])
        #expect(loaded.diagnostics.count == 3)
        #expect(loaded.diagnostics.allSatisfy { $0.code == "invalid-field" && $0.level == .error })
        #expect(loaded.diagnostics[0].message == "block 1 has no `id`")
        #expect(loaded.diagnostics[0].location == SourceLocation(file: "action-blocks/test.json", line: 2, column: 3))
        #expect(loaded.diagnostics[1].message.hasPrefix("block 3 must be an object"))
        #expect(loaded.diagnostics[1].location?.line == 4)
        #expect(loaded.diagnostics[2].message == "`id` of block 4 must be a string, found an integer")
        #expect(loaded.diagnostics[2].location == SourceLocation(file: "action-blocks/test.json", line: 5, column: 10))
    }

    @Test func missingKindAndPromptAreErrors() {
        let loaded = parse(#"[{"id": "a"}]"#)
        #expect(loaded.blocks.count == 1)
        #expect(loaded.diagnostics.map(\.message) == ["block `a` has no `kind`", "block `a` has no `prompt`"])
        #expect(loaded.blocks[0].prompt.source == "")
    }

    @Test func mistypedFieldsAreReportedAtTheValueAndTheRestLoads() throws {
        let loaded = parse("""
        [{
          "id": "a",
          "kind": 3,
          "prompt": "Walk.",
          "durationSec": "six",
          "isImageToVideo": "yes",
          "compatibleNext": ["b", 5],
          "compatiblePrev": "c",
          "tags": {"intensity": "high", "indoors": 1, "custom": "x", "mood": "calm"},
          "cameraMovement": "slow dolly",
          "consistency": {"maintainPose": "true", "preserveLighting": true},
          "intensityProgression": {"start": 2.5, "peak": 6, "pattern": ["building"]},
          "from": []
        }]
        """)
        let block = try #require(loaded.blocks.first)
        #expect(loaded.diagnostics.allSatisfy { $0.code == "invalid-field" && $0.level == .error })
        let byLine = Dictionary(grouping: loaded.diagnostics) { $0.location?.line ?? 0 }.mapValues { $0.map(\.message) }
        #expect(byLine[3] == ["`kind` of block `a` must be a string, one of \"single_state\", \"transition\", found an integer"])
        #expect(byLine[5] == ["`durationSec` of block `a` must be a number, found a string"])
        #expect(byLine[6] == ["`isImageToVideo` of block `a` must be true or false, found a string"])
        #expect(byLine[7] == ["`compatibleNext` of block `a` must list strings, found an integer"])
        #expect(byLine[8] == ["`compatiblePrev` of block `a` must be an array of strings, found a string"])
        #expect(byLine[9]?.sorted() == [
            "`custom` of `tags` of block `a` must be an array of strings, found a string",
            "`indoors` of `tags` of block `a` must be true or false, found an integer",
            "`intensity` of `tags` of block `a` must be a whole number, found a string",
        ])
        #expect(byLine[10] == ["`cameraMovement` of block `a` must be an object `{...}`, found a string"])
        #expect(byLine[11] == ["`maintainPose` of `consistency` of block `a` must be true or false, found a string"])
        #expect(byLine[12]?.count == 2)
        #expect(byLine[13] == ["`from` of block `a` must be an object `{...}`, found a list"])
        #expect(loaded.diagnostics.count == 13)
        // The value's own column, not the block's.
        #expect(loaded.diagnostics.first { $0.location?.line == 5 }?.location?.column == 18)
        // The well-typed values survive.
        #expect(block.compatibleNext.map(\.value) == ["b"])
        #expect(block.tags.mood?.value == "calm")
        #expect(block.consistency?.preserveLighting == true)
        #expect(block.consistency?.maintainPose == nil)
        #expect(block.intensityProgression?.peak?.value == 6)
        #expect(block.cameraMovement == nil)
        #expect(block.kind == nil)
    }

    @Test func packageWithMistypedParts() {
        let loaded = parse("""
        {"package_info": "vampires", "templates": {"t": 3}, "action_blocks": {"id": "a"}}
        """, file: "action-blocks/packs/vampires.json")
        #expect(loaded.blocks.isEmpty)
        #expect(loaded.package?.name == "vampires")
        #expect(loaded.diagnostics.map(\.message).sorted() == [
            "`action_blocks` of this package must be a JSON array of blocks, found a mapping",
            "`package_info` of this package must be an object `{...}`, found a string",
            "template `t` must be an object `{\"name\": ..., \"template\": ...}`, found an integer",
        ])
    }

    @Test func packageBlocksNameTheirPackage() {
        let loaded = parse(#"{"package_info": {"name": "pack"}, "action_blocks": [{"id": "a", "kind": "transition", "prompt": "p"}], "notes": "x"}"#)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.blocks.first?.package == "pack")
        #expect(loaded.package?.blockIDs == ["a"])
        #expect(loaded.package?.unknownFields.map(\.key) == ["notes"])
        #expect(loaded.package?.templates.isEmpty == true)
    }

    @Test func duplicateIDsAcrossFilesNameBothPlaces() throws {
        let content = try TemporaryContent([
            "action-blocks/a.json": "[\n  {\"id\": \"walk\", \"kind\": \"single_state\", \"prompt\": \"p\"}\n]",
            "action-blocks/nested/b.json": "{\"action_blocks\": [\n\n  {\"id\": \"other\", \"kind\": \"single_state\", \"prompt\": \"p\"},\n  {\"id\": \"walk\", \"kind\": \"single_state\", \"prompt\": \"q\"}\n]}",
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(result.catalog.blocks.map(\.id) == ["walk", "other", "walk"])
        let duplicates = result.diagnostics.filter { $0.code == "block-duplicate-id" }
        #expect(duplicates.count == 1)
        let duplicate = try #require(duplicates.first)
        #expect(duplicate.level == .error)
        #expect(duplicate.location == SourceLocation(file: "action-blocks/nested/b.json", line: 4, column: 10))
        #expect(duplicate.message.contains("action-blocks/a.json:2:10"))
        #expect(duplicate.message.contains("action-blocks/nested/b.json:4:10"))
        #expect(result.diagnostics.count == 1)
    }

    @Test func duplicateIDsInOneFile() {
        let blocks = parse("[{\"id\": \"x\", \"kind\": \"transition\", \"prompt\": \"a\"},\n {\"id\": \"x\", \"kind\": \"transition\", \"prompt\": \"b\"}]").blocks
        let diagnostics = duplicateBlockIDs(blocks)
        #expect(diagnostics.map(\.location?.line) == [2])
        #expect(duplicateBlockIDs([blocks[0]]).isEmpty)
    }

    @Test func treeSkipsHiddenAndUnderscoreNamesAndWarnsAboutOtherFiles() throws {
        let block = #"[{"id": "ID", "kind": "single_state", "prompt": "p"}]"#
        let content = try TemporaryContent([
            "action-blocks/deep/er/one.json": block.replacingOccurrences(of: "ID", with: "one"),
            "action-blocks/_drafts/two.json": block.replacingOccurrences(of: "ID", with: "two"),
            "action-blocks/.hidden.json": block.replacingOccurrences(of: "ID", with: "three"),
            "action-blocks/_skip.json": "not even json",
            "action-blocks/README.md": "# Blocks",
            "action-blocks/blocks.yaml": "- id: four",
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(result.catalog.blocks.map(\.id) == ["one"])
        #expect(result.diagnostics.map(\.code) == ["unexpected-file"])
        #expect(result.diagnostics.first?.location?.file == "action-blocks/blocks.yaml")
        #expect(result.catalog.files.filter { $0.hasPrefix("action-blocks/") } == ["action-blocks/deep/er/one.json"])
    }

    @Test func catalogWithoutActionBlocksHasNone() throws {
        let content = try TemporaryContent(["providers/p.yaml": Fixture.provider("p")])
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        #expect(catalog.blocks.isEmpty)
        #expect(catalog.packages.isEmpty)
    }

    @Test func tabIndentationIsReadAsJSON() throws {
        let loaded = parse("\t[\n\t{\"id\": \"a\",\t\"kind\": \"single_state\",\n\t \"prompt\": \"Wave.\"}]")
        #expect(loaded.diagnostics.isEmpty)
        #expect(try #require(loaded.blocks.first).promptLocation == SourceLocation(file: "action-blocks/test.json", line: 3, column: 13))
    }

    @Test func escapedSurrogatePairsAreReadAsJSON() throws {
        let loaded = parse("[{\"id\": \"a\", \"kind\": \"single_state\",\n \"prompt\": \"Wave \\ud83d\\udc4b, a \\\\ud83d path\"}]")
        #expect(loaded.diagnostics.isEmpty)
        let block = try #require(loaded.blocks.first)
        #expect(block.prompt.source == "Wave 👋, a \\ud83d path")
        #expect(block.promptLocation?.line == 2)
    }

    @Test func duplicateKeysAreReported() {
        let loaded = parse("[{\"id\": \"a\",\n \"id\": \"b\", \"kind\": \"single_state\", \"prompt\": \"p\"}]")
        #expect(loaded.blocks.isEmpty)
        #expect(loaded.diagnostics.count == 1)
        #expect(loaded.diagnostics.first?.level == .error)
        #expect(loaded.diagnostics.first?.code == "json-syntax")
        #expect(loaded.diagnostics.first?.message.hasPrefix("duplicate key `id`") == true)
        #expect(loaded.diagnostics.first?.location?.line == 2)
    }
}

@Suite struct LayeredPromptTests {
    private func block(_ extras: String, prompt: String = "She waits.") throws -> ActionBlock {
        let loaded = parse(#"[{"id": "a", "kind": "single_state", "prompt": \#(prompt.debugDescription)\#(extras)}]"#)
        #expect(loaded.diagnostics.isEmpty)
        return try #require(loaded.blocks.first)
    }

    @Test func noExtrasMeansThePromptItself() throws {
        let plain = try block("", prompt: "She waits {{npc.name}}")
        #expect(plain.layeredPrompt == plain.prompt)
        #expect(plain.layeredSentences.isEmpty)
        // Empty objects and unset flags add nothing either.
        let empty = try block(#", "cameraMovement": {}, "consistency": {}, "intensityProgression": {"curve": "s"}"#)
        #expect(empty.layeredPrompt.source == "She waits.")
    }

    @Test func cameraWording() throws {
        func camera(_ json: String) throws -> String { try block(#", "cameraMovement": \#(json)"#).layeredSentences.joined() }
        #expect(try camera(#"{"type": "static", "speed": "fast", "path": "arc"}"#) == "The camera stays static.")
        #expect(try camera(#"{"type": "static", "focus": "her_eyes"}"#) == "The camera stays static, focused on her eyes.")
        #expect(try camera(#"{"type": "tracking", "speed": "fast", "path": "arc"}"#) == "The camera tracks quickly along an arc.")
        #expect(try camera(#"{"type": "handheld", "speed": "medium"}"#) == "The handheld camera moves at a steady pace.")
        #expect(try camera(#"{"speed": "slow"}"#) == "The camera moves slowly.")
        #expect(try camera(#"{"focus": "door"}"#) == "The camera moves, focused on door.")
        #expect(try camera(#"{"type": "crane", "speed": "glacial", "path": "spiral_up"}"#)
            == "The camera makes a crane move at glacial speed along a spiral up path.")
    }

    @Test func consistencyWording() throws {
        func flags(_ json: String) throws -> [String] { try block(#", "consistency": \#(json)"#).layeredSentences }
        #expect(try flags(#"{"maintainPose": true}"#) == ["Keep the pose consistent."])
        #expect(try flags(#"{"preservePosition": true, "preserveLighting": true}"#) == ["Keep the lighting and position consistent."])
        #expect(try flags(#"{"preserveClothing": false, "maintainPose": false}"#) == ["The pose and clothing may change."])
    }

    @Test func intensityWording() throws {
        func intensity(_ json: String) throws -> [String] { try block(#", "intensityProgression": \#(json)"#).layeredSentences }
        #expect(try intensity(#"{"start": 3, "peak": 7, "end": 5, "pattern": "building"}"#) == ["Intensity builds from 3 to a peak of 7, ending at 5."])
        #expect(try intensity(#"{"start": 4, "peak": 4, "end": 4, "pattern": "steady"}"#) == ["Intensity holds steady from 4 to a peak of 4, ending at 4."])
        #expect(try intensity(#"{"start": 3, "end": 6, "pattern": "pulsing"}"#) == ["Intensity pulses, starting at 3 and ending at 6."])
        #expect(try intensity(#"{"peak": 9}"#) == ["Intensity goes, peaking at 9."])
        #expect(try intensity(#"{"pattern": "declining"}"#) == ["Intensity declines."])
        #expect(try intensity(#"{"pattern": "wave", "end": 2}"#) == ["Intensity follows a wave pattern, ending at 2."])
    }

    @Test func joiningAddsAFullStopAndKeepsBracesLiteral() throws {
        let extras = #", "consistency": {"maintainPose": true}, "cameraMovement": {"focus": "{{secret}}"}"#
        let open = try block(extras, prompt: "{{lead}} waits by the door  \n")
        #expect(open.layeredPrompt.source == "{{lead}} waits by the door. The camera moves, focused on \\{{secret}}. Keep the pose consistent.")
        #expect(open.layeredPrompt.variablePaths == ["lead"])
        #expect(open.layeredPrompt.errors.isEmpty)
        let quoted = try block(#", "consistency": {"maintainPose": true}"#, prompt: "She says \"Stay!\"")
        #expect(quoted.layeredPrompt.source == "She says \"Stay!\" Keep the pose consistent.")
        let empty = try block(#", "consistency": {"maintainPose": true}"#, prompt: "")
        #expect(empty.layeredPrompt.source == "Keep the pose consistent.")
    }
}
