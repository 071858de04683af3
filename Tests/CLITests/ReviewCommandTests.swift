import Foundation
import Testing
import TestSupport

@Suite struct ReviewCommandTests {
    func git(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    @Test func exitStatusesAndMarkdown() throws {
        let content = try TemporaryContent([
            "providers/p.yaml": Fixture.provider("p"),
            "prompts/style/family.yaml": Fixture.family(type: "snippet"),
            "prompts/style/v1.prompt": Fixture.version("version: 1", "Soft light."),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Walk. {{> style@1}}"),
        ])
        _ = try content.writeProjectFile("Site.json", #"{ "title": "T", "content": "Content", "defaultProviders": ["p"] }"#)
        try git(["init", "-q"], in: content.project)
        try git(["add", "-A"], in: content.project)
        try git(["commit", "-q", "-m", "base"], in: content.project)

        let unchanged = try CLI.run(["review", "--base", "HEAD"], in: content.project)
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("✅ No new errors."))

        let bad = try CLI.run(["review", "--base", "nope"], in: content.project)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("promptsite: `nope` is not a revision of this repository"))

        let misspelt = try CLI.run(["review", "--base", "HEAD", "--content", "Contnet"], in: content.project)
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("Contnet does not exist"), "not \"not inside a git repository\": \(misspelt.stderr)")

        let badBuild = try CLI.run(["build", "--base", "nope", "--quiet"], in: content.project)
        #expect(badBuild.status == 2)
        #expect(badBuild.stderr.contains("promptsite: `nope` is not a revision of this repository"))

        try content.write("prompts/style/v1.prompt", Fixture.version("version: 1", "Soft light, {{> missing}}."))
        let broken = try CLI.run(["review", "--base", "HEAD", "--format", "json"], in: content.project)
        #expect(broken.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any])
        #expect(json["adds_errors"] as? Bool == true)
        let changes = try #require(json["text_changes"] as? [[String: Any]])
        #expect(changes.map { $0["version"] as? String } == ["a@1", "style@1"])
        #expect(changes.map { $0["direct"] as? Bool } == [false, true])
    }
}
