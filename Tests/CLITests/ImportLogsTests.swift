import Foundation
import Testing
import TestSupport

/// `promptsite import logs`: the command around `LogImport` (planning is tested in AnalyticsTests).
@Suite(.serialized) struct ImportLogsTests {
    static let log = [
        #"{"id":"g-1","version":"walk@1","provider":"inkwell","status":"success","created_at":"2026-10-01T08:00:00Z","prompt":null}"#,
        #"{"id":"g-2","version":null,"provider":"inkwell","status":"success","created_at":"2026-10-01T09:00:00Z","prompt":"A gull glides over the harbor at dusk, boats rocking at their moorings"}"#,
        #"{"id":"g-3","version":null,"provider":"loremind","status":"success","created_at":"2026-10-02T09:00:00Z","prompt":"You are a fishmonger. Greet {{player_name}} and mention the fog."}"#,
        #"{"id":"g-4","version":null,"provider":"inkwell","status":"failed","created_at":"2026-10-03T09:00:00Z","prompt":"A gull glides low over the harbor at dusk, boats rocking at their moorings"}"#,
        #"this line is not JSON"#,
        #"{"id":"g-6","block":"harbor_walk","provider":"inkwell","status":"success","prompt":"a block prompt"}"#,
        #"{"id":"g-7","version":null,"provider":"loremind","status":"success","created_at":"2026-10-04T09:00:00Z","prompt":"You are a fishmonger. Greet the player by name and mention the fog."}"#,
        #"{"id":"g-8","version":null,"provider":"inkwell","status":"success","created_at":"2026-10-05T09:00:00Z","prompt":"A gull glides over the harbor at dusk, boats rocking at their moorings"}"#,
    ].joined(separator: "\n") + "\n"

    static let expectedFiles = [
        "prompts/gull-glides-harbor-dusk-boats/family.yaml",
        "prompts/gull-glides-harbor-dusk-boats/v1.prompt",
        "prompts/gull-glides-harbor-dusk-boats/v2.prompt",
        "prompts/fishmonger-greet-player-name-mention/family.yaml",
        "prompts/fishmonger-greet-player-name-mention/v1.prompt",
        "prompts/fishmonger-greet-player-name-mention/v2.prompt",
    ]

    func content() throws -> TemporaryContent {
        try TemporaryContent([
            "providers/inkwell.yaml": "id: inkwell\nname: Inkwell\nprompt_limit: 900\noperations: [text_to_image]\n",
            "providers/loremind.yaml": "id: loremind\nname: Loremind\nprompt_limit: 8000\noperations: [chat]\n",
            "prompts/walk/family.yaml": Fixture.family(title: "Walk"),
            "prompts/walk/v1.prompt": Fixture.version("version: 1\nproviders: [inkwell]", "A walk on the pier"),
            "logs/2026-10.jsonl": Self.log,
        ])
    }

    func run(_ content: TemporaryContent, _ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["import", "logs"] + arguments + ["--content", content.root.path], in: content.project)
    }

    func folders(_ content: TemporaryContent) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: content.root.appendingPathComponent("prompts").path).sorted()
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() throws {
        let content = try content()
        let result = try run(content, ["Content/logs/2026-10.jsonl", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try folders(content) == ["walk"])
        let written = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("would write ") }
        #expect(written == Self.expectedFiles.map { "would write \($0):" })
        #expect(result.stdout.contains("""
            would write prompts/fishmonger-greet-player-name-mention/v1.prompt:
            ---
            version: 1
            message: "From logs/2026-10.jsonl: used 1 time on 2026-10-02"
            date: 2026-10-02T09:00:00Z
            providers: ["loremind"]
            ---
            You are a fishmonger. Greet \\{{player_name}} and mention the fog.

            """))
        #expect(result.stdout.contains("prompt_type: narrative"))
        // The malformed line is named with its file and line, and the import goes on.
        #expect(result.stderr.contains("Content/logs/2026-10.jsonl:5:"))
        #expect(result.stderr.contains("1 malformed line skipped"))
        #expect(result.stderr.hasSuffix("would create 2 families (4 versions) from 5 inline generations\n"))
    }

    @Test func importWritesFamiliesThatCheckAcceptsAndARerunChangesNothing() throws {
        let content = try content()
        let result = try run(content, ["Content/logs/2026-10.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.expectedFiles.map { "wrote \($0)\n" }.joined())
        #expect(try folders(content) == ["fishmonger-greet-player-name-mention", "gull-glides-harbor-dusk-boats", "walk"])
        let v2 = try String(contentsOf: content.root.appendingPathComponent(Self.expectedFiles[2]), encoding: .utf8)
        #expect(v2.contains("version: 2\nparent: 1\n"))
        #expect(v2.hasSuffix("---\nA gull glides low over the harbor at dusk, boats rocking at their moorings\n"))

        let check = try CLI.run(["check", "--content", content.root.path], in: content.project)
        #expect(check.status == 0, "\(check.stdout)")
        // The only warnings are the log's own (its malformed line and its unknown block), none in the new files.
        #expect(check.stdout.hasSuffix("0 errors, 2 warnings, 0 infos\n"), "\(check.stdout)")
        #expect(check.stdout.contains("warning[log-malformed]"))
        #expect(check.stdout.contains("warning[log-unknown-block]"))
        #expect(!check.stdout.contains("prompts/"))

        // Run again: every text is already a version; nothing is written or touched.
        let before = try Self.expectedFiles.map { try String(contentsOf: content.root.appendingPathComponent($0), encoding: .utf8) }
        let again = try run(content, ["Content/logs/2026-10.jsonl"])
        #expect(again.status == 0)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("skipped a prompt already in gull-glides-harbor-dusk-boats@1 (2 uses)"))
        #expect(again.stderr.hasSuffix("5 inline generations: every prompt is already in the catalog\n"))
        #expect(try folders(content) == ["fishmonger-greet-player-name-mention", "gull-glides-harbor-dusk-boats", "walk"])
        let after = try Self.expectedFiles.map { try String(contentsOf: content.root.appendingPathComponent($0), encoding: .utf8) }
        #expect(after == before)
    }

    @Test func anExistingFolderIsNeverOverwritten() throws {
        let content = try content()
        try content.write("prompts/gull-glides-harbor-dusk-boats/notes.txt", "mine")
        let result = try run(content, ["Content/logs/2026-10.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote prompts/gull-glides-harbor-dusk-boats-2/family.yaml\n"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: content.root.appendingPathComponent("prompts/gull-glides-harbor-dusk-boats").path)
        #expect(kept == ["notes.txt"])
    }

    @Test func similarityThresholdAndBadInput() throws {
        let content = try content()
        let strict = try run(content, ["Content/logs/2026-10.jsonl", "--dry-run", "--similarity", "0.95"])
        #expect(strict.status == 0)
        #expect(strict.stderr.hasSuffix("would create 4 families (4 versions) from 5 inline generations\n"))

        let zero = try run(content, ["Content/logs/2026-10.jsonl", "--similarity", "0"])
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--similarity"))
        let missing = try run(content, ["Content/logs/none.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read Content/logs/none.jsonl"))
        let format = try run(content, ["Content/prompts/walk/family.yaml"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("not a generation log"))
        #expect(try folders(content) == ["walk"])
    }
}
