import Foundation
import Testing
import TestSupport

/// Runs the built `promptsite` binary, as CI and users do.
struct CLI {
    static let binary: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // The .xctest bundle may be a folder (macOS) or a file (Linux) inside the build folder.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("promptsite").path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("promptsite")
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], in directory: URL = Repository.root, executable: URL = binary) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, and both at once, so that neither a large output nor a large error
        // stream (thousands of warnings) can fill its pipe and block the command.
        nonisolated(unsafe) var stderr = Data()
        let readingErrors = DispatchGroup()
        DispatchQueue.global().async(group: readingErrors) { stderr = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        readingErrors.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.serialized) struct CheckCommandTests {
    /// The sample keeps one deliberate problem: the scene node `gull` with an inline prompt (and the
    /// content-pack template's size, an info).
    @Test func sampleContentPasses() throws {
        let result = try CLI.run(["check", "--no-cache"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("Content/content-packs/prompt/harbor_shots/templates.yaml:3:5: info[pack-template-size]: template `harbor-arrival-shot`: 18 combinations"))
        #expect(result.stdout.contains("\nContent/scenes/harbor-evening.yaml:28:13: warning[inline-prompt]: node `gull` has an inline prompt"))
        #expect(result.stdout.hasSuffix("0 errors, 1 warning, 1 info\n"))
    }

    @Test func sampleContentStrictJSONFailsOnlyOnTheInlinePrompt() throws {
        let result = try CLI.run(["check", "--no-cache", "--config", "Site.json", "--format", "json", "--strict"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["errors": 0, "warnings": 1, "infos": 1])
    }

    @Test func errorsExitOneWithEveryDiagnostic() throws {
        let content = try TemporaryContent([
            "providers/p.yaml": Fixture.provider("p"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nproviders: [p]", "Hello {{lead}} and {{#if x}}"),
            "prompts/a/v2.prompt": Fixture.version("version: 3\nparent: 1\nproviders: [p]", "Hi"),
        ])
        let result = try CLI.run(["check", "--no-cache", "--content", content.root.path])
        #expect(result.status == 1)
        let path = content.root.path
        #expect(result.stdout.contains("\(path)/prompts/a/v1.prompt:5:7: error[undefined-variable]: `lead` is not a declared variable"))
        #expect(result.stdout.contains("\(path)/prompts/a/v1.prompt:5:22: error[template-syntax]: unsupported syntax `{{#if x}}`"))
        #expect(result.stdout.contains("\(path)/prompts/a/v2.prompt:2:10: error[version-mismatch]"))
        // The source line and a caret under column 7.
        #expect(result.stdout.contains(" 5 | Hello {{lead}} and {{#if x}}\n   |       ^\n"))
        #expect(result.stdout.hasSuffix("3 errors, 0 warnings, 0 infos\n"))
    }

    /// A file with Windows line endings is quoted line by line too (as characters, "\r\n" is one
    /// character that is not "\n": the whole file was one line, and nothing was quoted).
    @Test func crlfFilesAreQuoted() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": "title: A\r\nprompt_type: visual\r\ncolour: red\r\n",
            "prompts/a/v1.prompt": "---\r\nversion: 1\r\n---\r\nHi {{ghost}}\r\n",
        ])
        let result = try CLI.run(["check", "--no-cache"], in: content.project)
        #expect(result.status == 1)
        #expect(result.stdout.contains(" 3 | colour: red\n   | ^\n"), "\(result.stdout)")
        #expect(result.stdout.contains(" 4 | Hi {{ghost}}\n   |    ^\n"), "\(result.stdout)")
    }

    /// Diagnostics about Site.json — its own and the database's at `logs.postgres` — name it as
    /// `Site.json` (from where the command runs), not `Content/../Site.json`; their source line is quoted.
    @Test func siteJSONDiagnosticsNameSiteJSON() throws {
        let content = try TemporaryContent(["providers/p.yaml": Fixture.provider("p")])
        let unset = "PROMPTSITE_SURELY_UNSET_\(UUID().uuidString.prefix(8))"
        try content.writeProjectFile("Site.json", """
            {"title": "x", "bogus": 1,
             "logs": {"postgres": {"urlEnv": "\(unset)", "preset": "pixsim7"}}}
            """)
        let result = try CLI.run(["check"], in: content.project)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix(#"Site.json:1:16: warning[unknown-field]: unknown field `bogus` in Site.json"# + "\n" + #" 1 | {"title": "x", "bogus": 1,"# + "\n"), "\(result.stdout)")
        #expect(result.stdout.contains("""
            Site.json:2:23: error[log-db-unavailable]: Site.json logs.postgres: `\(unset)` is not set and no `url` is given; the database logs are left out
             2 |  "logs": {"postgres": {"urlEnv": "\(unset)", "preset": "pixsim7"}}}
               |                       ^
            """), "\(result.stdout)")
        #expect(!result.stdout.contains("../"))
        // From elsewhere, the path from there.
        let elsewhere = try CLI.run(["check", "--config", content.project.appendingPathComponent("Site.json").path], in: content.project.deletingLastPathComponent())
        #expect(elsewhere.stdout.contains("\(content.project.lastPathComponent)/Site.json:2:23: error[log-db-unavailable]: Site.json logs.postgres: "), "\(elsewhere.stdout)")
    }

    @Test func warningsFailOnlyUnderStrict() throws {
        let content = try TemporaryContent([
            "providers/p.yaml": Fixture.provider("p"),
            "prompts/a/family.yaml": Fixture.family(extra: "colour: red\n"),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nproviders: [p]", "Hello"),
        ])
        #expect(try CLI.run(["check", "--no-cache", "--content", content.root.path]).status == 0)
        #expect(try CLI.run(["check", "--no-cache", "--content", content.root.path, "--strict"]).status == 1)
    }

    /// `build --quiet` prints problems only: the sample's warning, not its info or the summary.
    @Test func quietBuildPrintsOnlyWarningsAndErrors() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-quiet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CLI.run(["build", "--quiet", "--no-cache", "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning[inline-prompt]: node `gull` has an inline prompt"))
        #expect(!result.stderr.contains("info[pack-template-size]"))
        #expect(!result.stderr.contains("built "))
        #expect(!result.stderr.contains("open file://"))
        #expect(!result.stderr.contains("infos"), "no summary line (it also said 0 infos)")
        // Only infos: nothing at all.
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hello"),
            "prompts/b/family.yaml": Fixture.family(),
            "prompts/b/v1.prompt": Fixture.version("version: 1", "Hello"),
        ])
        let infosOnly = try CLI.run(["build", "--quiet", "--content", content.root.path, "--output", output.path + "-2"], in: content.project)
        defer { try? FileManager.default.removeItem(atPath: output.path + "-2") }
        #expect(infosOnly.status == 0, "\(infosOnly.stderr)")
        #expect(infosOnly.stderr == "")
        #expect(infosOnly.stdout == "")
        let loud = try CLI.run(["build", "--no-cache", "--content", content.root.path, "--output", output.path + "-2"], in: content.project)
        #expect(loud.stderr.contains("info[near-duplicate]"))
    }

    /// Site.json `checks.strict` stops a build as `--strict` does (it only stopped `check`), and
    /// the build's reports name files from the project folder, as `check` there does (code
    /// scanning read `prompts/…` and `../Site.json` against the repository).
    @Test func siteJSONStrictStopsTheBuildAndReportsNameFilesFromTheProject() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nbogus: 1", "Hello"),
        ])
        let site = content.project.appendingPathComponent("Site.json")
        try Data(#"{"title": "t", "content": "Content", "output": "Out"}"#.utf8).write(to: site)
        let built = try CLI.run(["build", "--quiet"], in: content.project)
        #expect(built.status == 0, "\(built.stderr)")
        let sarif = try String(contentsOf: content.project.appendingPathComponent("Out/reports/checks.sarif"), encoding: .utf8)
        #expect(sarif.contains(#""uri": "Content/prompts/a/v1.prompt""#), "\(sarif.prefix(600))")
        try Data(#"{"title": "t", "content": "Content", "output": "Out", "checks": {"strict": true}}"#.utf8).write(to: site)
        try Data(Fixture.version("version: 1\nbogus: 2", "Hello again").utf8).write(to: content.root.appendingPathComponent("prompts/a/v1.prompt"))
        let stopped = try CLI.run(["build", "--quiet"], in: content.project)
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("build stopped by Site.json checks.strict"))
        #expect(try String(contentsOf: content.project.appendingPathComponent("Out/prompts/a/v1/index.html"), encoding: .utf8).contains("Hello") &&
                !String(contentsOf: content.project.appendingPathComponent("Out/prompts/a/v1/index.html"), encoding: .utf8).contains("Hello again"))
    }

    /// Errors are published on the checks page and still fail the step: exit 1 with the new site in
    /// place, a full build or an up-to-date one alike; warnings alone exit 0.
    @Test func aBuildWithErrorsPublishesTheSiteAndExitsOne() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hello {{x"),
        ])
        for run in 0..<2 {
            let built = try CLI.run(["build", "--quiet", "--content", content.root.path, "--output", "Out"], in: content.project)
            #expect(built.status == 1, "run \(run): \(built.stderr)")
            #expect(built.stderr.contains("error[template-syntax]"))
            let checks = try String(contentsOf: content.project.appendingPathComponent("Out/checks/index.html"), encoding: .utf8)
            #expect(checks.contains("template-syntax"))
        }
        try Data(Fixture.version("version: 1\nbogus: 1", "Hello").utf8).write(to: content.root.appendingPathComponent("prompts/a/v1.prompt"))
        let warned = try CLI.run(["build", "--quiet", "--content", content.root.path, "--output", "Out"], in: content.project)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning[unknown-field]"))
    }

    @Test func githubAnnotations() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "{{x"),
        ])
        let result = try CLI.run(["check", "--no-cache", "--content", content.root.path, "--format", "github"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("::error file=\(content.root.path)/prompts/a/v1.prompt,line=4,col=1,title=promptsite[template-syntax]::unterminated"))
    }

    /// An empty folder is an empty catalog; a missing one (or a file) is a mistake: exit 2, and a
    /// build leaves the site it would have replaced with an empty one.
    @Test func emptyContentIsAnEmptyCatalogAndMissingContentIsBadUsage() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        let empty = content.project.appendingPathComponent("Empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        #expect(try CLI.run(["check", "--content", empty.path], in: content.project).status == 0)
        let missing = try CLI.run(["check", "--content", "Contnet"], in: content.project)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("error: the content folder Contnet does not exist"))
        #expect(missing.stdout.isEmpty)
        // A CI step uploading a machine format gets a report saying so, not an empty file.
        let json = try CLI.run(["check", "--content", "Contnet", "--format", "json"], in: content.project)
        #expect(json.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let listed = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(listed.map { $0["code"] as? String } == ["missing-content"])
        #expect(listed.first?["message"] as? String == "the content folder Contnet does not exist")
        let sarif = try CLI.run(["check", "--content", "Contnet", "--format", "sarif"], in: content.project)
        #expect(sarif.status == 2)
        #expect(sarif.stdout.contains("missing-content") && sarif.stdout.contains("\"version\""))
        _ = try content.writeProjectFile("Site.json", #"{"content": "Content", "cache": "Content/.cache"}"#)
        let inside = try CLI.run(["check", "--format", "github"], in: content.project)
        #expect(inside.status == 2)
        #expect(inside.stdout.hasPrefix("::error file=Site.json,title=promptsite[invalid-field]::the cache folder Content/.cache is inside the content folder Content"))
        try FileManager.default.removeItem(at: content.project.appendingPathComponent("Site.json"))
        let file = try content.writeProjectFile("afile", "hi")
        let notAFolder = try CLI.run(["check", "--content", file.path], in: content.project)
        #expect(notAFolder.status == 2)
        #expect(notAFolder.stderr.contains("is not a folder"))
        let site = content.project.appendingPathComponent("Site").path
        #expect(try CLI.run(["build", "--content", content.root.path, "--output", site], in: content.project).status == 0)
        #expect(try CLI.run(["build", "--content", "Contnet", "--output", site], in: content.project).status == 2)
        #expect(FileManager.default.fileExists(atPath: site + "/prompts/a/v1/index.html"))
        for command in [["render", "a@1"], ["diff", "a@1", "a@1"], ["analytics"]] {
            #expect(try CLI.run(command + ["--content", "Contnet"], in: content.project).status == 2, "\(command)")
        }
        // A mistyped --templates, and an unknown --provider before any text is printed.
        let theme = try CLI.run(["build", "--content", content.root.path, "--output", site, "--templates", "Themes"], in: content.project)
        #expect(theme.status == 2)
        #expect(theme.stderr.contains("error: the templates folder Themes does not exist"))
        let provider = try CLI.run(["render", "a@1", "--content", content.root.path, "--provider", "nope"], in: content.project)
        #expect(provider.status == 2)
        #expect(provider.stdout.isEmpty)
        #expect(provider.stderr.contains("no provider `nope`"))
    }

    /// The caches never go into the content folder: `check` would read them back as content.
    @Test func aCacheFolderInsideTheContentIsBadUsage() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        _ = try content.writeProjectFile("Site.json", #"{"content": "Content", "cache": "Content/prompts"}"#)
        for command in [["check"], ["build"], ["analytics"]] {
            let result = try CLI.run(command, in: content.project)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("error: the cache folder Content/prompts is inside the content folder Content"), "\(command)")
        }
        #expect(try CLI.run(["check", "--cache-dir", "Content"], in: content.project).status == 2)
        #expect(try CLI.run(["check", "--cache-dir", "Elsewhere"], in: content.project).status == 0)
        #expect(try CLI.run(["check", "--no-cache"], in: content.project).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: content.root.appendingPathComponent("prompts").path) == ["a"])
    }

    /// Nor into the output folder: it would be published, and with a log to cache the next build
    /// refused the output as "not written by promptsite" without naming the setting.
    @Test func aCacheFolderInsideTheOutputIsBadUsage() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi"),
            "logs/a.jsonl": #"{"version":"a@1","provider":"p","status":"success"}"# + "\n",
        ])
        _ = try content.writeProjectFile("Site.json", #"{"content": "Content", "output": "Output", "cache": "Output/.cache"}"#)
        for command in [["check"], ["build"], ["analytics"]] {
            let result = try CLI.run(command, in: content.project)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("error: the cache folder Output/.cache is inside the output folder Output"), "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: content.project.appendingPathComponent("Output").path))
        #expect(try CLI.run(["build", "--cache-dir", ".cache"], in: content.project).status == 0)
        #expect(try CLI.run(["build", "--cache-dir", ".cache"], in: content.project).status == 0)
    }

    /// `check` reads what a build parsed (`.promptsite-cache/versions/`) once a build kept it, and
    /// reports the same as without it; a damaged memo is named in a note and not used.
    @Test func checkReadsTheParsedVersionsABuildKept() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi {{missing}}"),
            "prompts/a/v2.prompt": Fixture.version("version: 2\nparent: 1", "Hello there"),
            "prompts/a/v3.prompt": "---\nversion: [3\n---\nbroken\n",
        ])
        _ = try content.writeProjectFile("Site.json", #"{"content": "Content", "output": "Out"}"#)
        // Files written less than a second before a build are not remembered.
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try CLI.run(["build"], in: content.project).status == 1)
        let memos = content.project.appendingPathComponent(".promptsite-cache/versions")
        #expect(!FileManager.default.fileExists(atPath: memos.path), "a first build keeps none")
        try Data(Fixture.version("version: 1", "Hi {{missing}} again").utf8).write(to: content.root.appendingPathComponent("prompts/a/v1.prompt"))
        #expect(try CLI.run(["build"], in: content.project).status == 1)
        let memo = try #require(try FileManager.default.contentsOfDirectory(at: memos, includingPropertiesForKeys: nil).first)

        let fresh = try CLI.run(["check", "--no-cache"], in: content.project)
        let recalled = try CLI.run(["check"], in: content.project)
        #expect(fresh.status == 1 && recalled.status == 1)
        #expect(recalled.stdout == fresh.stdout)
        #expect(fresh.stdout.contains("prompts/a/v3.prompt"), "the broken version's diagnostics come back from the memo too")
        #expect(!recalled.stderr.contains("note:"), "\(recalled.stderr)")

        try Data("not a memo".utf8).write(to: memo)
        let damaged = try CLI.run(["check"], in: content.project)
        #expect(damaged.stdout == fresh.stdout)
        #expect(damaged.stderr.contains("note: parsed-version cache ignored: "), "\(damaged.stderr)")
    }

    /// A cache folder committed as a symbolic link (or with links inside) is never written through:
    /// the caches are not used, with a note, and the folder it points at is left as it was.
    @Test func aLinkedCacheFolderIsNotWrittenThrough() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi"),
            "logs/a.jsonl": #"{"version":"a@1","provider":"p","status":"success"}"# + "\n",
        ])
        _ = try content.writeProjectFile("Site.json", #"{"content": "Content", "output": "Out"}"#)
        // The folder the link points at stays inside the test's own temporary folder.
        let elsewhere = content.project.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: content.project.appendingPathComponent(".promptsite-cache").path, withDestinationPath: elsewhere.path)
        let checked = try CLI.run(["check"], in: content.project)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stderr.contains("note: log cache not used: ") && checked.stderr.contains(".promptsite-cache is a symbolic link: the cache is not written through it"))
        let built = try CLI.run(["build"], in: content.project)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("note: site cache not used: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: content.project.appendingPathComponent("Out/index.html").path))
    }

    @Test func badUsageAndUnreadableConfigExitTwo() throws {
        #expect(try CLI.run(["check", "--no-cache", "--format", "yaml"]).status == 2)
        #expect(try CLI.run(["frobnicate"]).status == 2)
        #expect(try CLI.run(["check", "--no-cache", "--config", "/nonexistent/Site.json"]).status == 2)
        let content = try TemporaryContent()
        let config = try content.writeProjectFile("Site.json", "{ \"title\": ")
        let broken = try CLI.run(["check", "--no-cache", "--config", config.path])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("json-syntax"))
        #expect(broken.stdout.isEmpty, "text goes to stderr only")
        // A CI step that reads a machine format from stdout still gets the configuration's error in it.
        let sarif = try CLI.run(["check", "--no-cache", "--format", "sarif", "--config", config.path])
        #expect(sarif.status == 2)
        let run = try #require(((try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "json-syntax")
        #expect(result["level"] as? String == "error")
        let github = try CLI.run(["check", "--no-cache", "--format", "github"], in: content.project)
        #expect(github.status == 2)
        #expect(github.stdout.hasPrefix("::error file=Site.json,line=1,col=12,title=promptsite[json-syntax]::"), "\(github.stdout)")
        // A folder given as the configuration: named as given, and the file inside it suggested.
        let folder = try CLI.run(["check", "--no-cache", "--config", "."], in: content.project)
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("cannot use the configuration ."))
        #expect(folder.stderr.contains("hint: --config takes the file itself: --config Site.json"), "\(folder.stderr)")
        let bare = try CLI.run(["check", "--no-cache", "--config", "Content"], in: content.project)
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("hint: --config takes a Site.json file, not a folder"), "\(bare.stderr)")
    }

    /// A default provider that does not exist is pointed at where Site.json names it.
    @Test func anUnknownDefaultProviderIsLocatedInSiteJSON() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        _ = try content.writeProjectFile("Site.json", "{\"content\": \"Content\",\n \"defaultProviders\": [\"zeta\"]}")
        let result = try CLI.run(["check", "--no-cache"], in: content.project)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("Site.json:2:23: error[unknown-provider]: Site.json `defaultProviders` names `zeta`, which no providers/*.yaml defines"), "\(result.stdout)")
    }

    @Test func siteJSONIgnoreAndErrors() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(extra: "colour: red\n"),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hello"),
        ])
        let raise = try content.writeProjectFile("Raise.json", #"{"content": "Content", "checks": {"errors": ["unknown-field"]}}"#)
        #expect(try CLI.run(["check", "--no-cache", "--config", raise.path]).status == 1)
        let silence = try content.writeProjectFile("Silence.json", #"{"content": "Content", "checks": {"ignore": ["unknown-field"], "strict": true}}"#)
        let quiet = try CLI.run(["check", "--no-cache", "--config", silence.path])
        #expect(quiet.status == 0)
        #expect(quiet.stdout == "0 errors, 0 warnings, 0 infos\n")
    }
}

@Suite(.serialized) struct RenderAndDiffCommandTests {
    func content() throws -> TemporaryContent {
        try TemporaryContent([
            "providers/p.yaml": Fixture.provider("p", limit: 40),
            "prompts/walk/family.yaml": Fixture.family(extra: "labels: { production: 1 }\n"),
            "prompts/walk/v1.prompt": Fixture.version("""
            version: 1
            providers: [p]
            strategies: [always]
            variables:
              lead: { type: string, max_length: 12 }
              time: { type: enum, values: [dusk, night], default: dusk }
              steps: { type: int, min: 1, max: 9, default: 2 }
            randomization:
              mood: [calm, wry]
            examples:
              - { name: mara, vars: { lead: Mara } }
              - { name: ivo, vars: { lead: Ivo, time: night } }
            """, "{{lead}} at {{time}}, {{mood}}, {{steps}}"),
            "prompts/walk/v2.prompt": Fixture.version("version: 2\nparent: 1\nmessage: Warmer\nproviders: [p]", "Soft light at dusk.\nSame line.\nOld end"),
            "prompts/walk/v3.prompt": Fixture.version("version: 3\nparent: 2\nmessage: Night\nproviders: [p]", "Warm light at night.\nSame line.\nNew end"),
        ])
    }

    @Test func rendersWithExampleValuesAndReportsLength() throws {
        let content = try content()
        let result = try CLI.run(["render", "walk@production", "--content", content.root.path, "--seed", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout.trimmingCharacters(in: .newlines)
        #expect(text == "Mara at dusk, calm, 2" || text == "Mara at dusk, wry, 2")
        #expect(result.stderr.contains("length: \(text.count) / 40 characters for p: fits"))
        // The same seed gives the same draw.
        #expect(try CLI.run(["render", "walk@1", "--content", content.root.path, "--seed", "1"]).stdout == result.stdout)
    }

    /// What the text left out is said: includes naming nothing or looping, undeclared variables.
    @Test func brokenIncludesAndUndeclaredVariablesAreErrorsWithTheTextPrinted() throws {
        let content = try TemporaryContent([
            "prompts/t/family.yaml": Fixture.family(),
            "prompts/t/v1.prompt": Fixture.version("version: 1", "before {{> nonexist}} after {{undefined_var}}"),
            "prompts/self/family.yaml": Fixture.family(),
            "prompts/self/v1.prompt": Fixture.version("version: 1", "x {{> self}}"),
            "prompts/fine/family.yaml": Fixture.family(),
            "prompts/fine/v1.prompt": Fixture.version("version: 1", "fine {{> t}}"),
        ])
        let broken = try CLI.run(["render", "t@1", "--content", content.root.path], in: content.project)
        #expect(broken.status == 1)
        #expect(broken.stdout == "before  after \n")
        #expect(broken.stderr.contains("prompts/t/v1.prompt:4:8: error[include-unresolved]: `{{> nonexist}}` includes nothing: no family `nonexist`"))
        #expect(broken.stderr.contains("prompts/t/v1.prompt:4:29: error[undefined-variable]: `undefined_var` is not a declared variable"))
        let cycle = try CLI.run(["render", "self@1", "--content", content.root.path], in: content.project)
        #expect(cycle.status == 1)
        #expect(cycle.stderr.contains("prompts/self/v1.prompt:4:3: error[include-cycle]: includes form a cycle: self@1 → self@1"))
        // Errors of an included version are its own file's, not the includer's.
        let fine = try CLI.run(["render", "fine@1", "--content", content.root.path], in: content.project)
        #expect(!fine.stderr.contains("error["), "\(fine.stderr)")
    }

    @Test func varsOverrideAndAreTyped() throws {
        let content = try content()
        let result = try CLI.run(["render", "walk@1", "--content", content.root.path, "--example", "ivo", "--var", "steps=7", "--var", "mood=bold"])
        #expect(result.stdout == "Ivo at night, bold, 7\n")
        let bad = try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "steps=many"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("`steps` must be a whole number, got `many`"))
        let enumBad = try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "time=noon"])
        #expect(enumBad.status == 2)
        // Numbers keep to their declared bounds, as `check` holds examples to them.
        for (value, message) in [("10", "`steps` is 10, above its max of 9"), ("0", "`steps` is 0, below its min of 1")] {
            let outside = try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "steps=\(value)"])
            #expect(outside.status == 2)
            #expect(outside.stdout.isEmpty)
            #expect(outside.stderr.contains(message), "\(outside.stderr)")
        }
        #expect(try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "steps=9"]).status == 0)
        // A name the text never reads is said, with the closest it does read.
        let typo = try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "stpes=3", "--var", "lead=Ana"])
        #expect(typo.status == 0)
        #expect(typo.stdout.hasPrefix("Ana at dusk"))
        #expect(typo.stderr.contains("warning: --var stpes sets nothing walk@1 reads; did you mean `steps`?"), "\(typo.stderr)")
        #expect(!typo.stderr.contains("--var lead"))
    }

    /// `render` cuts template-syntax errors as `check` does (a body of 100,000 `{{` printed 55 MB).
    @Test func renderListsTheSyntaxErrorsCheckLists() throws {
        let content = try TemporaryContent(["prompts/t/family.yaml": Fixture.family(),
                                            "prompts/t/v1.prompt": Fixture.version("version: 1", String(repeating: "{{", count: 5_000))])
        let result = try CLI.run(["render", "t@1"], in: content.project)
        #expect(result.status == 1)
        #expect(result.stderr.components(separatedBy: "error[template-syntax]").count - 1 == 100)
        #expect(result.stderr.contains("prompts/t/v1.prompt: error[template-syntax]: 4901 more template syntax errors in this file, not listed"), "\(result.stderr.prefix(2_000))")
        #expect(result.stderr.contains("prompts/t/v1.prompt:4:197: error[template-syntax]: unterminated `{{`"))
    }

    /// Each member of an include cycle renders with the cycle as an error in its own file (it was
    /// reported only on the smallest id, so `render` of the other printed the text and exited 0).
    @Test func everyMemberOfAnIncludeCycleFailsToRender() throws {
        let content = try TemporaryContent([
            "prompts/fz/family.yaml": Fixture.family(), "prompts/fz/v1.prompt": Fixture.version("version: 1", "a {{> fz2@1}}"),
            "prompts/fz2/family.yaml": Fixture.family(), "prompts/fz2/v1.prompt": Fixture.version("version: 1", "b {{> fz@1}}"),
        ])
        let first = try CLI.run(["render", "fz@1"], in: content.project)
        #expect(first.status == 1)
        #expect(first.stdout == "a b \n")
        #expect(first.stderr.contains("prompts/fz/v1.prompt:4:3: error[include-cycle]: includes form a cycle: fz@1 → fz2@1 → fz@1"), "\(first.stderr)")
        let second = try CLI.run(["render", "fz2@1"], in: content.project)
        #expect(second.status == 1)
        #expect(second.stderr.contains("prompts/fz2/v1.prompt:4:3: error[include-cycle]: includes form a cycle: fz2@1 → fz@1 → fz2@1"), "\(second.stderr)")
        // `check` still reports the cycle once.
        let check = try CLI.run(["check"], in: content.project)
        #expect(check.stdout.components(separatedBy: "error[include-cycle]").count - 1 == 1, "\(check.stdout)")
    }

    /// Thousands of `--var` are parsed in linear time (ArgumentParser copied the array for each:
    /// 20,000 took over 20 s); their order holds (the last wins) and `--var=name=value` works too.
    @Test func manyVarsAreParsedQuickly() throws {
        let content = try content()
        let many = (0..<20_000).flatMap { ["--var", "v\($0)=b"] }
        let started = ContinuousClock.now
        let result = try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "lead=Ana"] + many + ["--var=steps=3", "--var", "steps=4"])
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(result.status == 0, "\(result.stderr.prefix(1_000))")
        #expect(result.stdout.hasPrefix("Ana at dusk") && result.stdout.hasSuffix(", 4\n"), "\(result.stdout)")
        #expect(result.stderr.components(separatedBy: "warning: --var v").count - 1 == 20_000)
    }

    /// A version whose file did not load says why instead of only "has no version".
    @Test func aVersionThatDidNotLoadSaysWhy() throws {
        let content = try TemporaryContent(["prompts/t/family.yaml": Fixture.family(), "prompts/t/v1.prompt": "---\nversion: 1\ntags: [\n---\nHi\n"])
        let result = try CLI.run(["render", "t@1"], in: content.project)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Content/prompts/t/v1.prompt:4:1: error[yaml-syntax]"), "\(result.stderr)")
        #expect(result.stderr.contains("error: `t` has no version 1"))
    }

    @Test func overTheLimitExitsOne() throws {
        let content = try content()
        let result = try CLI.run(["render", "walk@1", "--content", content.root.path, "--var", "lead=Alexandrina", "--var", "mood=extremely wistful"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("OVER the limit by"))
    }

    @Test func unknownReferencesAreUsageErrors() throws {
        let content = try content()
        let missing = try CLI.run(["render", "wlak@1", "--content", content.root.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no family `wlak` (did you mean `walk`?)"))
        let label = try CLI.run(["render", "walk@staging", "--content", content.root.path])
        #expect(label.status == 2)
        #expect(label.stderr.contains("`walk` has no label `staging`; labels: production"))
        #expect(try CLI.run(["render", "walk@9", "--content", content.root.path]).status == 2)
        #expect(try CLI.run(["render", "walk@1", "--content", content.root.path, "--provider", "zz"]).status == 2)
    }

    @Test func plainUnifiedDiffWithFrontMatterChanges() throws {
        let content = try content()
        let result = try CLI.run(["diff", "walk@2", "walk@3", "--content", content.root.path])
        #expect(result.status == 0)
        #expect(result.stdout == """
        --- walk@2
        +++ walk@3
        @@ -1,3 +1,3 @@
        -Soft light at dusk.
        +Warm light at night.
         Same line.
        -Old end
        +New end

        front matter:
          ~ message: Warmer → Night

        """)
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func wordDiffMarksChangedWords() throws {
        let content = try content()
        let result = try CLI.run(["diff", "walk@2", "walk@3", "--words", "--content", content.root.path])
        #expect(result.stdout.contains("[-Soft-]{+Warm+} light at [-dusk-]{+night+}."))
        #expect(result.stdout.contains("[-Old-]{+New+} end"))
    }
}
