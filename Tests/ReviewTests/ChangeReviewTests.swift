import Analytics
import Diagnostics
import Foundation
import PromptCatalog
@testable import Review
import Site
import Testing
import TestSupport

/// A git repository in a temporary folder with `Content/` committed as the base, then changed in the working tree.
final class ReviewRepository: @unchecked Sendable {
    let content: TemporaryContent
    let git = GitRunner()

    init(_ files: [String: String]) throws {
        content = try TemporaryContent(files)
        try run(["init", "-q"])
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        switch git.run(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + arguments, in: content.project) {
        case .success(let output): return output
        case .failure(let failure): throw ReviewError("git \(arguments.joined(separator: " ")) failed: \(failure.message)", hint: "")
        }
    }

    func commit(_ message: String) throws {
        try run(["add", "-A"])
        try run(["commit", "-q", "-m", message])
    }

    func config() -> SiteConfig {
        var config = SiteConfig(root: content.project)
        config.contentDirectory = content.root
        config.defaultProviders = ["p"]
        return config
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: content.root.appendingPathComponent(path)) }
}

let leadFrontMatter = "variables:\n  lead: { type: string, max_length: 20 }\nexamples:\n  - { name: e, vars: { lead: Mara } }"

@Suite struct ChangeReviewTests {
    /// Base: a snippet `style` used by a, b (at production) and c (latest); d and old stand alone.
    /// Working tree: style v2 (much longer) with production moved to it, d edited, old removed, e added with a typo.
    func changedRepository() throws -> ReviewRepository {
        let repository = try ReviewRepository([
            "providers/p.yaml": Fixture.provider("p", limit: 60),
            "prompts/style/family.yaml": Fixture.family(title: "Style", type: "snippet", extra: "labels:\n  production: 1"),
            "prompts/style/v1.prompt": Fixture.version("version: 1", "Soft light."),
            "prompts/a/family.yaml": Fixture.family(title: "A"),
            "prompts/a/v1.prompt": Fixture.version("version: 1\n" + leadFrontMatter, "{{lead}} walks. {{> style@production}}"),
            "prompts/b/family.yaml": Fixture.family(title: "B"),
            "prompts/b/v1.prompt": Fixture.version("version: 1", "Boats. {{> style@production}}"),
            "prompts/c/family.yaml": Fixture.family(title: "C"),
            "prompts/c/v1.prompt": Fixture.version("version: 1", "Gulls. {{> style}}"),
            "prompts/d/family.yaml": Fixture.family(title: "D"),
            "prompts/d/v1.prompt": Fixture.version("version: 1\nvariables:\n  x: { type: bool, required: false }", "Unrelated."),
            "prompts/old/family.yaml": Fixture.family(title: "Old"),
            "prompts/old/v1.prompt": Fixture.version("version: 1", "To be removed."),
        ])
        try repository.commit("base catalog")
        try repository.content.write("prompts/style/v2.prompt", Fixture.version("version: 2\nparent: 1", "Hard noon light with long black shadows across the quay."))
        try repository.content.write("prompts/style/family.yaml", Fixture.family(title: "Style", type: "snippet", extra: "labels:\n  production: 2"))
        try repository.content.write("prompts/d/v1.prompt", Fixture.version("version: 1", "Unrelated, edited."))
        try repository.remove("prompts/old")
        try repository.content.write("prompts/e/family.yaml", Fixture.family(title: "E"))
        try repository.content.write("prompts/e/v1.prompt", Fixture.version("version: 1", "New. {{> styel}}"))
        return repository
    }

    @Test func snippetChangeAndLabelMoveAreReportedExactly() throws {
        let repository = try changedRepository()
        let head = try repository.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        #expect(report.baseCommit == head)
        #expect(report.familiesAdded == ["e"])
        #expect(report.familiesRemoved == ["old"])
        #expect(report.versionsAdded == ["e@1", "style@2"])
        #expect(report.versionsRemoved == ["old@1"])
        #expect(report.labelMoves == [LabelMove(family: "style", label: "production", from: 1, to: 2)])
        #expect(report.textChanges.map(\.version) == ["a@1", "b@1", "c@1", "d@1"])
        #expect(report.textChanges.map(\.direct) == [false, false, false, true])
        #expect(report.textChanges.map(\.through) == [["style@2"], ["style@2"], ["style@2"], []])
        #expect(report.textChanges[1].before == "Boats. Soft light.")
        #expect(report.textChanges[1].after == "Boats. Hard noon light with long black shadows across the quay.")
        #expect(report.textChanges[0].after == "{{lead}} walks. Hard noon light with long black shadows across the quay.")
        // "Mara walks. Soft light." 23 → 68; worst case 20 + 8 + 11 = 39 → 20 + 8 + 56 = 84; "Boats. …" 18 → 63.
        #expect(report.lengthChanges == [
            LengthChange(version: "a@1", provider: "p", limit: 60, exampleBefore: 23, exampleAfter: 68, worstBefore: 39, worstAfter: 84, newlyOver: true),
            LengthChange(version: "b@1", provider: "p", limit: 60, exampleBefore: 18, exampleAfter: 63, worstBefore: 18, worstAfter: 63, newlyOver: true),
            LengthChange(version: "c@1", provider: "p", limit: 60, exampleBefore: 18, exampleAfter: 63, worstBefore: 18, worstAfter: 63, newlyOver: true),
            LengthChange(version: "d@1", provider: "p", limit: 60, exampleBefore: 10, exampleAfter: 18, worstBefore: 10, worstAfter: 18, newlyOver: false),
        ])
        #expect(report.diagnostics.map(\.code) == ["include-unresolved", "over-limit", "unused-variable"])
        #expect(report.addedDiagnostics.map { "\($0.level.rawValue) \($0.code) \($0.location?.file ?? "")" } == [
            "error include-unresolved prompts/e/v1.prompt",
            "error over-limit prompts/a/v1.prompt", "error over-limit prompts/b/v1.prompt", "error over-limit prompts/c/v1.prompt",
        ])
        #expect(report.fixedDiagnostics.map { "\($0.level.rawValue) \($0.code) \($0.location?.description ?? "")" } == [
            "warning unused-variable prompts/d/v1.prompt:4:3",
        ])
        #expect(report.addsErrors)
        #expect(report.metrics.isEmpty)
        #expect(report.summaryLine == "4 versions change text · 1 label moved · 2 versions added · 1 version removed · 1 family added · 1 family removed · 3 lengths newly over a limit")
        // The working tree was not touched.
        #expect(try repository.run(["status", "--porcelain"]).split(separator: "\n").sorted() == [
            " D Content/prompts/old/family.yaml", " D Content/prompts/old/v1.prompt", " M Content/prompts/d/v1.prompt",
            " M Content/prompts/style/family.yaml", "?? Content/prompts/e/", "?? Content/prompts/style/v2.prompt",
        ])
    }

    @Test func markdownPutsTheSummaryFirstAndFoldsDetails() throws {
        let repository = try changedRepository()
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        let markdown = report.markdown()
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("## Prompt review against `HEAD` (`"))
        #expect(lines[2] == "❌ **This change adds 4 errors.** 0 new warnings, 1 fixed.")
        #expect(lines[4] == "4 versions change text · 1 label moved · 2 versions added · 1 version removed · 1 family added · 1 family removed · 3 lengths newly over a limit")
        #expect(lines[6] == "**Newly over a limit:** `a@1` on p (example 68 > 60), `b@1` on p (example 63 > 60), `c@1` on p (example 63 > 60)")
        #expect(markdown.contains("<details><summary>Changed text (4)</summary>"))
        #expect(markdown.contains("**`b@1`** — through `style@2`\n\n<pre>Boats. <del>Soft </del><ins>Hard noon </ins>light<ins> with long black shadows across the quay</ins>.</pre>"))
        #expect(markdown.contains("**`d@1`** — edited\n\n<pre>Unrelated<ins>, edited</ins>.</pre>"))
        #expect(markdown.contains("| `style` | production | v1 | v2 |"))
        #expect(markdown.contains("| `a@1` | p | 60 | 23 → 68 | 39 → 84 | ⚠️ newly over |"))
        #expect(markdown.contains("- fixed warning at `prompts/d/v1.prompt:4:3`: variable `x` is declared but the template never uses it"))
        #expect(markdown.components(separatedBy: "<details>").count == markdown.components(separatedBy: "</details>").count)
    }

    /// Content cannot write Markdown into the comment: a name with line breaks stays on its line,
    /// links, tables and emphasis outside code spans are escaped, and code spans cannot run on.
    @Test func contentCannotWriteMarkdownIntoTheComment() {
        #expect(escapeMarkdown("unknown family `x\n\n## ✅ Prompt review: no new errors\n\n[Approve](https://e.invalid)`")
            == "unknown family `x  ## ✅ Prompt review: no new errors  [Approve](https://e.invalid)`")
        #expect(escapeMarkdown("see [Approve](https://e.invalid) | a | *b* <img src=x> & `c|d`")
            == "see \\[Approve\\](https://e.invalid) \\| a \\| \\*b\\* &lt;img src=x&gt; &amp; `c|d`")
        #expect(escapeMarkdown("odd ` tick [x]") == "odd ' tick \\[x\\]")
        #expect(markdownCode("a`b\nc") == "`a'b c`")
    }

    /// Code spans are paired as CommonMark pairs them (runs of equal length): a single backtick
    /// followed by a triple opened no span, and the HTML between them went out raw.
    @Test func backtickRunsPairAsCommonMarkPairsThem() {
        #expect(escapeMarkdown("field `<img src=x>``` is unknown") == "field '&lt;img src=x&gt;''' is unknown")
        #expect(escapeMarkdown("``a ` b`` and `c`") == "``a ` b`` and `c`")
        #expect(escapeMarkdown("` <b> ``") == "' &lt;b&gt; ''")
        // An opener with no equal run after it is text, and the search goes on from the next run.
        #expect(escapeMarkdown("``` x `` <i> `` y ` z") == "''' x `` <i> `` y ' z")
        #expect(escapeMarkdown("`<` <x> ``<`` ` <y>") == "`<` &lt;x&gt; ``<`` ' &lt;y&gt;")
    }

    /// GFM splits table cells at `|` even inside code spans: in a cell it is escaped there too.
    @Test func tableCellsKeepTheirPipes() {
        #expect(markdownCode("x|<b>y", inTable: true) == "`x\\|<b>y`")
        #expect(markdownCode("x|y") == "`x|y`")
        #expect(escapeMarkdown("a `b|c` d|e", inTable: true) == "a `b\\|c` d\\|e")
    }

    @Test func jsonAndHTMLCarryTheSameReport() throws {
        let repository = try changedRepository()
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().serialized().utf8)) as? [String: Any])
        #expect(json["adds_errors"] as? Bool == true)
        #expect(json["versions_added"] as? [String] == ["e@1", "style@2"])
        let changes = try #require(json["text_changes"] as? [[String: Any]])
        #expect(changes[3]["inserted"] as? [String] == ["edited"])
        #expect(changes[3]["deleted"] as? [String] == [])
        #expect(changes[0]["through"] as? [String] == ["style@2"])
        let html = try ReviewPage.html(report, theme: .builtIn)
        #expect(html.contains("<h3><code>b@1</code> <small>through style@2</small></h3>\n<pre>Boats. <del>Soft </del><ins>Hard noon </ins>light<ins> with long black shadows across the quay</ins>.</pre>"))
        #expect(html.contains("<tr><td><code>style</code></td><td>production</td><td>v1</td><td>v2</td></tr>"))
        #expect(html.contains("<strong class=\"bad\">This change adds 4 errors.</strong>"))
    }

    @Test func metricsOfRelabelledVersionsComeFromTheLogs() throws {
        let repository = try changedRepository()
        func line(_ id: Int, _ version: String, _ status: String) -> String {
            #"{"id":"g-\#(id)","version":"\#(version)","provider":"p","operation":"t2i","strategy":"once","status":"\#(status)","error":null,"latency_ms":900,"cost":0.01,"created_at":"2026-10-01T01:00:00Z","rating":null,"experiment":null,"arm":null,"node":null,"block":null,"prompt":null}"#
        }
        try repository.content.write("logs/2026-10.jsonl", [line(1, "style@1", "success"), line(2, "style@1", "success"), line(3, "style@1", "failed"),
                                                             line(4, "style@2", "success")].joined(separator: "\n") + "\n")
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: LogIngestOptions())
        #expect(report.metrics.map(\.version) == ["style@1", "style@2"])
        #expect(report.metrics.map(\.generations) == [3, 1])
        #expect(report.metrics.map(\.successRate) == [2.0 / 3.0, 1.0])
        #expect(report.markdown().contains("| `style@1` | 3 | 66.7% |\n| `style@2` | 1 | 100.0% |"))
    }

    /// What the logs say is compared as it was at the base: a malformed line committed before is
    /// no new warning (the base is checked without reading its logs); a new bad log file is, and so
    /// is a version the logs name that the change removes.
    @Test func logProblemsAreNewOnlyWhenTheChangeMakesThem() throws {
        let good = #"{"version":"a@1","provider":"p","status":"success"}"#, old = #"{"version":"old@1","provider":"p","status":"success"}"#
        let repository = try ReviewRepository([
            "providers/p.yaml": Fixture.provider("p"),
            "prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Still."),
            "prompts/old/family.yaml": Fixture.family(), "prompts/old/v1.prompt": Fixture.version("version: 1", "Gone soon."),
            "logs/committed.jsonl": [good, "{broken", old].joined(separator: "\n") + "\n",
        ])
        try repository.commit("base")
        let unchanged = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: LogIngestOptions())
        #expect(unchanged.addedDiagnostics.isEmpty, "\(unchanged.addedDiagnostics)")
        #expect(unchanged.fixedDiagnostics.isEmpty)
        #expect(unchanged.isEmpty)

        // A log that only grew: what its old lines say is not new; a bad line appended is.
        try repository.content.write("logs/committed.jsonl", [good, "{broken", old, good].joined(separator: "\n") + "\n")
        let grown = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: LogIngestOptions())
        #expect(grown.addedDiagnostics.isEmpty, "\(grown.addedDiagnostics)")
        try repository.content.write("logs/committed.jsonl", [good, "{broken", old, good, "{appended broken", old].joined(separator: "\n") + "\n")
        let appended = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: LogIngestOptions())
        #expect(appended.addedDiagnostics.map(\.description) == [
            "logs/committed.jsonl:5:2: warning[log-malformed]: expected a key in double quotes, found `a`",
        ], "\(appended.addedDiagnostics.map(\.description))")
        try repository.content.write("logs/committed.jsonl", [good, "{broken", old].joined(separator: "\n") + "\n")

        try repository.content.write("logs/new.jsonl", [good, "{also broken"].joined(separator: "\n") + "\n")
        try repository.remove("prompts/old")
        let changed = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: LogIngestOptions())
        #expect(changed.addedDiagnostics.map(\.description) == [
            "logs/new.jsonl:2:2: warning[log-malformed]: expected a key in double quotes, found `a`",
            "logs/committed.jsonl:3: warning[log-unknown-version]: no version `old@1` in the catalog",
        ], "\(changed.addedDiagnostics.map(\.description))")
    }

    /// An include that no longer resolves is named (it was "through" nothing), and a worst case that
    /// is not known (a variable without a bound) is "unknown", not the length without the variable.
    @Test func lostIncludesAreNamedAndUnknownWorstCasesSaidSo() throws {
        let repository = try ReviewRepository([
            "providers/p.yaml": Fixture.provider("p", limit: 60),
            "prompts/style/family.yaml": Fixture.family(title: "Style", type: "snippet"),
            "prompts/style/v1.prompt": Fixture.version("version: 1", "watercolor"),
            "prompts/walk/family.yaml": Fixture.family(title: "Walk"),
            "prompts/walk/v1.prompt": Fixture.version("version: 1\nvariables:\n  who: { type: string }\nexamples:\n  - { name: e, vars: { who: Mara } }",
                                                      "{{who}} walks, {{> style}}."),
        ])
        try repository.commit("base")
        try repository.remove("prompts/style")
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        let change = try #require(report.textChanges.first)
        #expect(report.textChanges.map(\.version) == ["walk@1"])
        #expect(!change.direct && change.through.isEmpty && change.unresolved == ["{{> style}}"])
        #expect(report.markdown().contains("**`walk@1`** — `{{> style}}` no longer resolves\n"))
        #expect(report.lengthChanges == [LengthChange(version: "walk@1", provider: "p", limit: 60, exampleBefore: 23, exampleAfter: 13,
                                                      worstBefore: nil, worstAfter: nil, newlyOver: false)])
        #expect(report.markdown().contains("| `walk@1` | p | 60 | 23 → 13 | unknown → unknown |  |"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().serialized(pretty: false).utf8)) as? [String: Any])
        let lengths = try #require((json["lengths"] as? [[String: Any]])?.first)
        #expect(lengths["worst_case_after"] is NSNull)
        #expect(((json["text_changes"] as? [[String: Any]])?.first?["unresolved_includes"] as? [String]) == ["{{> style}}"])
    }

    /// The comment keeps under GitHub's limit: lists are cut, with how many were left out and where
    /// the whole report is. A report that fits is not cut.
    @Test func theMarkdownCommentIsCutToFit() throws {
        let repository = try changedRepository()
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        let whole = report.markdown()
        #expect(!whole.contains("left out to fit"))
        let cut = report.markdown(limit: 4_200)
        #expect(cut.utf16.count <= 4_200, "\(cut.utf16.count)")
        #expect(cut.contains("more, left out to fit a pull-request comment (the whole report: `promptsite review --format json` or `--format html`)"))
        #expect(cut.hasPrefix(String(whole.prefix(200))), "the verdict and summary stay")
    }

    /// A committed symbolic link out of the content folder leads nowhere in the base's own folder:
    /// the same link, not one warning new and one fixed in every review.
    @Test func aSymbolicLinkIsTheSameAtBothRevisions() throws {
        let repository = try ReviewRepository(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Still.")])
        let shared = repository.content.project.appendingPathComponent("shared/fam")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try Data(Fixture.family().utf8).write(to: shared.appendingPathComponent("family.yaml"))
        try FileManager.default.createSymbolicLink(atPath: repository.content.root.appendingPathComponent("prompts/linked").path, withDestinationPath: "../../shared/fam")
        try repository.commit("base")
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.flatMap { $0.added + $0.fixed }.map(\.description))")
        #expect(report.isEmpty)
    }

    /// Under Site.json `checks.strict` a new warning fails the review, as it fails `check`.
    @Test func strictChecksFailTheReviewOnNewWarnings() throws {
        let repository = try ReviewRepository(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Still.")])
        try repository.commit("base")
        try repository.content.write("prompts/a/family.yaml", Fixture.family(extra: "colour: red\n"))
        var config = repository.config()
        let lenient = try ChangeReview.run(config: config, base: "HEAD", logs: nil)
        #expect(lenient.addedDiagnostics.map(\.code) == ["unknown-field"])
        #expect(!lenient.fails && !lenient.strict)
        config.checks.strict = true
        let strict = try ChangeReview.run(config: config, base: "HEAD", logs: nil)
        #expect(strict.fails && !strict.addsErrors)
        #expect(strict.markdown().contains("❌ **This change adds 1 warning (Site.json `checks.strict`).** 1 new warning, 0 fixed."))
    }

    /// A family kept in a git submodule is read at the commit the base records (`git archive`
    /// writes a submodule as an empty folder); one whose commit is not in the checkout is a note.
    @Test func submodulesAreReadAtTheirRecordedCommit() throws {
        let sub = try TemporaryContent(["family.yaml": Fixture.family(), "v1.prompt": Fixture.version("version: 1", "A quiet harbor.")])
        let git = GitRunner()
        func run(_ arguments: [String], in folder: URL) throws {
            if case .failure(let failure) = git.run(["-c", "user.name=T", "-c", "user.email=t@e", "-c", "commit.gpgsign=false",
                                                     "-c", "protocol.file.allow=always"] + arguments, in: folder) {
                throw ReviewError("git \(arguments.joined(separator: " ")): \(failure.message)", hint: "")
            }
        }
        try run(["init", "-q"], in: sub.root)
        try run(["add", "-A"], in: sub.root)
        try run(["commit", "-q", "-m", "s"], in: sub.root)
        let repository = try ReviewRepository(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Still.")])
        try run(["-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.root.path, "Content/prompts/subfam"], in: repository.content.project)
        try repository.commit("base")
        #expect(try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil).isEmpty)

        let checkout = repository.content.root.appendingPathComponent("prompts/subfam")
        try Data(Fixture.version("version: 1", "A burning harbor.").utf8).write(to: checkout.appendingPathComponent("v1.prompt"))
        try run(["commit", "-q", "-am", "edit"], in: checkout)
        try repository.commit("bump")
        let bumped = try ChangeReview.run(config: repository.config(), base: "HEAD~1", logs: nil)
        #expect(bumped.textChanges.map(\.version) == ["subfam@1"])
        #expect(bumped.notes.isEmpty)

        // A base whose submodule commit the checkout does not have (not fetched).
        try run(["update-index", "--cacheinfo", "160000,\(String(repeating: "ab", count: 20)),Content/prompts/subfam"], in: repository.content.project)
        try run(["commit", "-q", "-m", "unfetched"], in: repository.content.project)
        let unknown = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        #expect(unknown.notes.count == 1, "\(unknown.notes)")
        #expect(unknown.notes == ["the submodule `Content/prompts/subfam` could not be read at the base (commit abababababab is not in its checkout): its files are left out of the base"])
        #expect(unknown.markdown().contains("> ⚠️ the submodule `Content/prompts/subfam` could not be read"))
    }

    @Test func buildWithABaseWritesTheReviewPage() throws {
        let repository = try changedRepository()
        var config = repository.config()
        config.outputDirectory = repository.content.project.appendingPathComponent("Output")
        config.templatesDirectory = repository.content.project.appendingPathComponent("Templates")
        config.reviewBase = "HEAD"
        _ = try buildSite(BuildRequest(config: config, project: repository.content.project))
        let page = try String(contentsOf: config.outputDirectory.appendingPathComponent("review/index.html"), encoding: .utf8)
        #expect(page.contains("<title>Review against HEAD"))
        #expect(page.contains("<h3><code>b@1</code> <small>through style@2</small></h3>"))
        #expect(page.contains("<tr><td><code>a@1</code></td><td>p</td><td>60</td><td>23 → 68</td><td>39 → 84</td><td><strong class=\"bad\">newly over</strong></td></tr>"))
        config.reviewBase = nil
        _ = try buildSite(BuildRequest(config: config, project: repository.content.project))
        #expect(!FileManager.default.fileExists(atPath: config.outputDirectory.appendingPathComponent("review/index.html").path))
    }

    @Test func noChangeIsAnEmptyReport() throws {
        let repository = try ReviewRepository([
            "providers/p.yaml": Fixture.provider("p"),
            "prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Still."),
        ])
        try repository.commit("base")
        let report = try ChangeReview.run(config: repository.config(), base: "HEAD", logs: nil)
        #expect(report.isEmpty)
        #expect(!report.addsErrors)
        #expect(report.markdown().contains("✅ No new errors. 0 new warnings, 0 fixed.\n\nno changes to the catalog\n"))
    }

    @Test func badBasesAreClearErrors() throws {
        let repository = try ReviewRepository([:])
        _ = try repository.content.writeProjectFile("README.md", "hello\n")
        try repository.commit("no content yet")
        try repository.content.write("notes.md", "not a catalog\n")
        try repository.commit("content without prompts/")
        try repository.content.write("prompts/a/family.yaml", Fixture.family())
        try repository.content.write("prompts/a/v1.prompt", Fixture.version("version: 1", "Now."))
        func failure(_ base: String) -> ReviewError? {
            do {
                _ = try ChangeReview.run(config: repository.config(), base: base, logs: nil)
                return nil
            } catch let error as ReviewError {
                return error
            } catch {
                return nil
            }
        }
        #expect(failure("no-such-branch")?.message == "`no-such-branch` is not a revision of this repository")
        #expect(failure("--help")?.message == "`--help` is not a revision of this repository")
        #expect(failure("HEAD~1")?.message.hasPrefix("the content folder `Content` does not exist at `HEAD~1` (") == true)
        #expect(failure("HEAD")?.message == "`Content` at `HEAD` is not a catalog: it has no prompts/ folder")
        try repository.commit("a catalog")
        #expect(failure("HEAD") == nil)
    }

    @Test func notAGitRepositoryIsAClearError() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family()])
        var config = SiteConfig(root: content.project)
        config.contentDirectory = content.root
        #expect(throws: ReviewError.self) { try ChangeReview.run(config: config, base: "HEAD", logs: nil) }
    }
}

@Suite struct GitRunnerTests {
    /// A child that writes more than a pipe holds (64 KiB) to standard error before its standard
    /// output ends blocked forever while only standard output was read (tar's per-file warnings).
    @Test func bothPipesAreDrainedAtOnce() throws {
        let script = "head -c 300000 /dev/zero | tr '\\\\0' x >&2; echo done"
        let result = GitRunner.run(executable: "sh", ["-c", script], in: FileManager.default.temporaryDirectory)
        #expect(try result.get() == "done\n")
        let failed = GitRunner.run(executable: "sh", ["-c", "echo out; echo why >&2; exit 3"], in: FileManager.default.temporaryDirectory)
        #expect(throws: GitFailure.self) { try failed.get() }
        if case .failure(let failure) = failed { #expect(failure.message == "why\n") }
    }
}
