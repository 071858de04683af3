import Foundation
import Testing
import TestSupport

@Suite struct NewCommandTests {
    /// `new family`, then `new version` twice, leave a catalog that `check` passes.
    @Test func scaffoldedFilesPassCheck() throws {
        let content = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell")])
        let family = try CLI.run(["new", "family", "tide-chart", "--title", "Tide chart", "--type", "narrative", "--date", "2026-11-30T10:00:00Z"],
                                 in: content.project)
        #expect(family.status == 0, "\(family.stderr)")
        #expect(family.stdout == "created Content/prompts/tide-chart/family.yaml\ncreated Content/prompts/tide-chart/v1.prompt\n")
        let version = try CLI.run(["new", "version", "tide-chart", "--message", "Warmer", "--branch", "warm", "--date", "2026-11-30T11:00:00Z"],
                                  in: content.project)
        #expect(version.stdout == "created Content/prompts/tide-chart/v2.prompt\n", "\(version.stderr)")
        let again = try CLI.run(["new", "version", "tide-chart", "--from", "1"], in: content.project)
        #expect(again.stdout == "created Content/prompts/tide-chart/v3.prompt\n")
        let v2 = try String(contentsOf: content.root.appendingPathComponent("prompts/tide-chart/v2.prompt"), encoding: .utf8)
        #expect(v2 == "---\nversion: 2\nparent: 1\nbranch: warm\nmessage: Warmer\ndate: 2026-11-30T11:00:00Z\n---\nWrite what the character says or what happens next.\n")
        let check = try CLI.run(["check", "--strict"], in: content.project)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.hasSuffix("0 errors, 0 warnings, 0 infos\n"))
    }

    /// A dangling link where the family's folder goes: a plain refusal, not Foundation's error dump.
    @Test func aDanglingLinkInTheWayIsARefusal() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family()])
        let target = content.project.appendingPathComponent("nowhere")
        try FileManager.default.createSymbolicLink(at: content.root.appendingPathComponent("prompts/dang"), withDestinationURL: target)
        let result = try CLI.run(["new", "family", "dang"], in: content.project)
        #expect(result.status == 1)
        #expect(result.stderr == "promptsite: cannot write prompts/dang/family.yaml: prompts/dang is a symbolic link, which check and build do not follow; nothing was written\n")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    /// `check` and `build` do not follow a linked `prompts/`: `new` and `import blocks` wrote
    /// through it, outside the content folder, and said they had created the files.
    @Test func aLinkedPromptsFolderIsNotWrittenThrough() throws {
        let content = try TemporaryContent(["action-blocks/lib.json": "[{\"id\": \"bench_sit\", \"kind\": \"single_state\", \"prompt\": \"Sit.\"}]"])
        let outside = content.project.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: content.root.appendingPathComponent("prompts"), withDestinationURL: outside)
        let family = try CLI.run(["new", "family", "walk"], in: content.project)
        #expect(family.status == 1)
        #expect(family.stderr == "promptsite: cannot write prompts/walk/family.yaml: prompts is a symbolic link, which check and build do not follow; nothing was written\n")
        let blocks = try CLI.run(["import", "blocks"], in: content.project)
        #expect(blocks.status == 1)
        #expect(blocks.stderr.contains("prompts is a symbolic link, which check and build do not follow; nothing was written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func refusesToOverwriteAndBadInput() throws {
        let content = try TemporaryContent(["prompts/taken/family.yaml": "title: Taken\nprompt_type: visual\n"])
        let taken = try CLI.run(["new", "family", "taken"], in: content.project)
        #expect(taken.status == 1)
        #expect(taken.stderr == "promptsite: prompts/taken already exists; nothing was written\n")
        #expect(try CLI.run(["new", "family", "x", "--type", "poem"], in: content.project).status == 2)
        let unknown = try CLI.run(["new", "version", "takn"], in: content.project)
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: unknown family `takn` (did you mean `taken`?)\n")
        let block = try CLI.run(["new", "block-family", "bench_sit"], in: content.project)
        #expect(block.status == 2)
        #expect(block.stderr.contains("`promptsite import blocks`"))
    }
}
