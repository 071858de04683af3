import Checks
import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

@Suite struct BlockImportTests {
    static let library = """
    [
      {"id": "bench_sit_closer", "kind": "single_state", "prompt": "From this shot of {{lead}} and {{ partner }}, {{lead}} moves closer. \\"Hi.\\"",
       "tags": {"location": "bench_park", "mood": "intimate"}},
      {"id": "Quiet-Moment!", "kind": "single_state", "prompt": "Silence."}
    ]
    """

    static let familyYAML = """
    title: "Bench Sit Closer"
    prompt_type: visual
    tags: ["location:bench_park", "mood:intimate"]
    action_block: "bench_sit_closer"
    labels:
      production: 1

    """

    static let versionFile = """
    ---
    version: 1
    message: "Imported from action-blocks/park/bench.json"
    variables:
      lead: { type: string, max_length: 60 }
      partner: { type: string, max_length: 60 }
    ---
    From this shot of {{lead}} and {{ partner }}, {{lead}} moves closer. "Hi."

    """

    func load(_ content: TemporaryContent) -> Catalog {
        CatalogLoader.load(contentDirectory: content.root).catalog
    }

    @Test func plansTwoFilesPerUnversionedBlock() throws {
        let content = try TemporaryContent(["action-blocks/park/bench.json": Self.library])
        let plan = BlockImport.plan(load(content))
        #expect(plan.files.map(\.path) == [
            "prompts/block-bench-sit-closer/family.yaml", "prompts/block-bench-sit-closer/v1.prompt",
            "prompts/block-quiet-moment/family.yaml", "prompts/block-quiet-moment/v1.prompt",
        ])
        #expect(plan.files[0].contents == Self.familyYAML)
        #expect(plan.files[1].contents == Self.versionFile)
        #expect(plan.files[2].contents == "title: \"Quiet Moment!\"\nprompt_type: visual\naction_block: \"Quiet-Moment!\"\nlabels:\n  production: 1\n")
        #expect(plan.files[3].contents == "---\nversion: 1\nmessage: \"Imported from action-blocks/park/bench.json\"\n---\nSilence.\n")
        #expect(plan.skipped.isEmpty)
    }

    @Test func existingFoldersAreNeverOverwritten() throws {
        let content = try TemporaryContent(["action-blocks/park/bench.json": Self.library,
                                            "prompts/block-quiet-moment/notes.txt": "mine"])
        let plan = BlockImport.plan(load(content), existingFolders: ["block-quiet-moment"])
        #expect(plan.files.map(\.path) == ["prompts/block-bench-sit-closer/family.yaml", "prompts/block-bench-sit-closer/v1.prompt"])
        #expect(plan.skipped.map(\.block) == ["Quiet-Moment!"])
        #expect(plan.skipped.map(\.reason) == ["prompts/block-quiet-moment already exists"])
    }

    /// Ids that share a slug (`A_b`, `a-b`, `a_b`) were imported once and the others skipped on
    /// every run; now they get `-2`, `-3`, and a rerun imports nothing more.
    @Test func idsSharingASlugAreNumberedAndARerunImportsNothing() throws {
        let library = #"[{"id": "A_b", "kind": "single_state", "prompt": "One."}, {"id": "a-b", "kind": "single_state", "prompt": "Two."}, "#
            + #"{"id": "a_b", "kind": "single_state", "prompt": "Three."}]"#
        let content = try TemporaryContent(["action-blocks/same.json": library])
        let plan = BlockImport.plan(load(content))
        #expect(plan.files.map(\.path).filter { $0.hasSuffix("family.yaml") }
                == ["prompts/block-a-b/family.yaml", "prompts/block-a-b-2/family.yaml", "prompts/block-a-b-3/family.yaml"])
        #expect(plan.skipped.isEmpty)
        for file in plan.files { try content.write(file.path, file.contents) }
        let again = BlockImport.plan(load(content))
        #expect(again.files.isEmpty && again.skipped.isEmpty)
    }

    @Test func afterImportTheBlocksAreVersionedAndInSync() throws {
        let content = try TemporaryContent(["action-blocks/park/bench.json": Self.library])
        for file in BlockImport.plan(load(content)).files { try content.write(file.path, file.contents) }
        #expect(BlockImport.plan(load(content)).files.isEmpty)
        var config = SiteConfig(root: content.project)
        config.contentDirectory = content.root
        let found = runChecks(config: config).diagnostics
        #expect(found.codes("block-unversioned").isEmpty)
        #expect(found.codes("block-drift").isEmpty)
        #expect(found.filter { $0.level == .error }.isEmpty, "\(found)")
        let family = try #require(load(content).family("block-bench-sit-closer"))
        #expect(family.title == "Bench Sit Closer")
        #expect(family.tags == ["location:bench_park", "mood:intimate"])
        #expect(family.label("production")?.version == 1)
    }

    @Test func slugs() {
        #expect(BlockImport.slug(for: "bench_sit_closer") == "block-bench-sit-closer")
        #expect(BlockImport.slug(for: "Vampire Mirror/Seduction") == "block-vampiremirrorseduction")
        #expect(BlockImport.slug(for: String(repeating: "a", count: 200)).count == 100)
    }

    @Test func commandDryRunWritesNothingAndImportWritesThePlan() throws {
        let content = try TemporaryContent(["action-blocks/park/bench.json": Self.library])
        let plan = BlockImport.plan(load(content))
        let dry = try runPromptsite(["import", "blocks", "--dry-run", "--content", content.root.path], in: content.project)
        #expect(dry.status == 0)
        #expect(dry.stdout == plan.files.map { "would write \($0.path):\n\($0.contents)" }.joined())
        #expect(dry.stderr == "would create 2 families\n")
        #expect(!FileManager.default.fileExists(atPath: content.root.appendingPathComponent("prompts").path))

        let real = try runPromptsite(["import", "blocks", "--content", content.root.path], in: content.project)
        #expect(real.stdout == plan.files.map { "wrote \($0.path)\n" }.joined())
        for file in plan.files {
            #expect(try String(contentsOf: content.root.appendingPathComponent(file.path), encoding: .utf8) == file.contents)
        }
        let again = try runPromptsite(["import", "blocks", "--content", content.root.path], in: content.project)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr == "every action block is already versioned\n")
    }
}

/// Runs the built `promptsite` binary (beside the test bundle in the build folder).
private func runPromptsite(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("promptsite").path), folder.path != "/" {
        folder = folder.deletingLastPathComponent()
    }
    let process = Process()
    process.executableURL = folder.appendingPathComponent("promptsite")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
