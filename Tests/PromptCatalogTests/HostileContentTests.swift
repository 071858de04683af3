import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import PromptCatalog

/// Content written to crash, stall or exhaust the loader: each file is refused with a located
/// diagnostic, quickly, and the rest of the content still loads.
@Suite struct HostileContentTests {
    /// Nine levels of aliases, each naming the previous nine times: 845 bytes that expand to 9^10 values.
    static func aliasBomb(levels: Int = 10) -> String {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n")
    }

    @Test func anAliasBombIsTooManyAliasesNotGigabytes() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/bomb/family.yaml": Fixture.family(),
            "prompts/bomb/v1.prompt": Fixture.version("version: 1\n" + Self.aliasBomb(), "A walk."),
            "providers/bomb.yaml": Self.aliasBomb(),
        ])
        let started = ContinuousClock.now
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(ContinuousClock.now - started < .seconds(5))
        let aliases = result.diagnostics.filter { $0.code == "yaml-syntax" && $0.message.hasPrefix("too many aliases") }
        #expect(aliases.compactMap(\.location?.file).sorted() == ["prompts/bomb/v1.prompt", "providers/bomb.yaml"])
        #expect(result.catalog.providers.map(\.id) == ["inkwell"])
    }

    #if os(Linux)
    /// Names whose bytes are not UTF-8 (Latin-1 `café` from an old archive) read lossily and
    /// opened nothing: "No such file", "has no family.yaml", "has no versions". Now one `encoding`
    /// error names each, and nothing else is said of them.
    @Test func namesThatAreNotUTF8AreOneErrorEach() throws {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/fam/family.yaml": Fixture.family(),
            "prompts/fam/v1.prompt": Fixture.version("version: 1", "A walk."),
            "docs/index.md": "# Docs\n",
        ])
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9]  // "café" in Latin-1
        func path(_ folder: String, _ suffix: String) -> [CChar] {
            (Array((content.root.path + "/" + folder + "/").utf8) + latin1 + Array(suffix.utf8) + [0]).map { CChar(bitPattern: $0) }
        }
        #expect(mkdir(path("prompts", ""), 0o755) == 0)
        for (folder, suffix, text) in [("docs", ".md", "# Café\n"), ("prompts/fam", ".prompt", "---\nversion: 2\n---\nHi\n")] {
            let descriptor = open(path(folder, suffix), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(descriptor >= 0)
            _ = text.withCString { write(descriptor, $0, strlen($0)) }
            close(descriptor)
        }
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.diagnostics.map(\.description) == [
            "docs/caf\u{FFFD}.md: error[encoding]: the name of `docs/caf\u{FFFD}.md` is not UTF-8 (shown with \u{FFFD} where its bytes are not); it is not read",
            "prompts/caf\u{FFFD}: error[encoding]: the name of `prompts/caf\u{FFFD}` is not UTF-8 (shown with \u{FFFD} where its bytes are not); it is not read",
            "prompts/fam/caf\u{FFFD}.prompt: error[encoding]: the name of `prompts/fam/caf\u{FFFD}.prompt` is not UTF-8 (shown with \u{FFFD} where its bytes are not); it is not read",
        ])
        #expect(loaded.catalog.families.map(\.slug) == ["fam"])
        #expect(loaded.catalog.docs.map(\.path) == ["docs/index.md"])
    }
    #endif

    /// A front matter padded to megabytes once bought eight values per byte through aliases
    /// (4 MB: 31 million values, 4 GB): past 2,000,000 values beyond one per two bytes it is refused,
    /// at the aliased node.
    @Test func paddingDoesNotBuyMillionsOfAliasedValues() throws {
        let pad = 400_000
        let thousand = Array(repeating: "x", count: 1_000).joined(separator: ",")
        let text = "version: 1\npad: \"" + String(repeating: "p", count: pad) + "\"\na: &a [\(thousand)]\n"
            + "b: &b [" + Array(repeating: "*a", count: 1_000).joined(separator: ",") + "]\n"
            + "c: [*b, *b, *b]\n"
        // 3,002,000 values: within the old 3,210,000 of 400 KB, past the 2,200,000 now.
        #expect(YAMLReader.aliasedBudget(forBytes: pad) == 2_200_000)
        #expect(YAMLReader.nodeBudget(forBytes: pad) == 3_210_000)
        #expect(YAMLReader.aliasedBudget(forBytes: 1_000) == YAMLReader.nodeBudget(forBytes: 1_000))
        let loaded = CatalogLoader.load(files: [
            "prompts/bomb/family.yaml": Fixture.family(),
            "prompts/bomb/v1.prompt": Fixture.version(text, "A walk."),
        ])
        let refused = loaded.diagnostics.filter { $0.code == "yaml-syntax" && $0.message.hasPrefix("too many aliases") }
        #expect(refused.map(\.location?.line) == [4])
        // Two copies of a million stay within the budget.
        let fits = CatalogLoader.load(files: [
            "prompts/ok/family.yaml": Fixture.family(),
            "prompts/ok/v1.prompt": Fixture.version(text.replacingOccurrences(of: "c: [*b, *b, *b]", with: "c: [*b]"), "A walk."),
        ])
        #expect(!fits.diagnostics.contains { $0.message.hasPrefix("too many aliases") })
    }

    /// A list of many ill-typed items costs a few diagnostics and a count, not one each (a 2 MB
    /// context of `{}` traits made 700,000 errors and 2.5 GB): contexts, text lists, action blocks.
    @Test func manyBadItemsAreListedUpToACountThenCounted() throws {
        let items = 5_000
        let loaded = CatalogLoader.load(files: [
            "contexts/c.yaml": "npc:\n  personality:\n    traits: [" + Array(repeating: "{}", count: items).joined(separator: ",") + "]\n",
            "action-blocks/b.json": "[" + Array(repeating: "1", count: items).joined(separator: ",") + "]",
            "prompts/a/family.yaml": "title: A\nprompt_type: visual\ntags: [" + Array(repeating: "{}", count: items).joined(separator: ",") + "]\n",
        ])
        let listed = FieldShape.itemsListed, more = items - listed
        #expect(listed == 50)
        for file in ["contexts/c.yaml", "action-blocks/b.json", "prompts/a/family.yaml"] {
            #expect(loaded.diagnostics.filter { $0.location?.file == file }.count == listed + 1, "\(file)")
        }
        let summaries = loaded.diagnostics.filter { $0.message.hasSuffix("not listed") }.map(\.description)
        #expect(summaries.sorted() == [
            "action-blocks/b.json:1:2: error[invalid-field]: \(more) more blocks have problems, not listed",
            "contexts/c.yaml:3:13: error[invalid-field]: context `c`: `npc.personality.traits` has \(more) more items of the wrong shape, not listed",
            "prompts/a/family.yaml:3:7: error[invalid-field]: `tags` in family.yaml of a lists \(more) more values that are not text, not listed",
        ])
    }

    @Test func modestAliasesStillExpand() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("""
            version: 1
            variables:
              lead: &short { type: string, max_length: 10 }
              partner: *short
            """, "{{lead}} and {{partner}}"),
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(!result.diagnostics.contains { $0.code == "yaml-syntax" })
        #expect(result.catalog.family("a")?.version(1)?.variable("partner")?.maxLength?.value == 10)
    }

    @Test func yamlTagsAreReportedWhereTheyAre() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": "---\nversion: 1\nmessage: !!binary aGVsbG8=\n---\nA walk.\n",
            "providers/weird.yaml": "id: weird\nlimit: !weird 3\n",
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        let tags = result.diagnostics.filter { $0.code == "yaml-syntax" }.map { "\($0.location?.description ?? ""): \($0.message)" }.sorted()
        #expect(tags == ["prompts/a/v1.prompt:3:10: YAML tag `!!binary` is not supported", "providers/weird.yaml:2:8: YAML tag `!weird` is not supported"])
    }

    /// One family `a` whose v1 declares `variables` (the lines under `variables:`) and renders `body`.
    private func loadVersion(variables: String, body: String) throws -> LoadResult {
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nvariables:\n" + variables, body),
        ])
        return CatalogLoader.load(contentDirectory: content.root)
    }

    @Test func anIntegerBeyondTheContentRangeIsLocatedNotATrap() throws {
        let result = try loadVersion(variables: """
              lead: { type: string, max_length: 9223372036854775807 }
              partner: { type: string, max_length: 100000001 }
            """, body: "{{lead}} and {{partner}}")
        let ranges = result.diagnostics.filter { $0.message.contains("out of range") }
        #expect(ranges.map { $0.location?.line } == [4, 5])
        #expect(ranges.first?.message == "`max_length` in variable `lead` is 9223372036854775807, out of range (at most 100000000)")
        let version = try #require(result.catalog.family("a")?.version(1))
        #expect(version.variable("lead")?.maxLength == nil)
        // The worst case is then unknown rather than a trap.
        #expect(result.catalog.variables(of: version).worstCaseLength().isBounded == false)
    }

    /// An int variable's bounds past 2⁵³−1 lost their units digit as doubles (the API published
    /// 9007199254740992.0 for 9007199254740993); a float's bounds may be any finite number.
    @Test func anIntVariablesBoundsStayInTheContentRange() throws {
        let result = try loadVersion(variables: """
              count: { type: int, min: 9007199254740993, max: 9223372036854775807, default: 1 }
              low: { type: int, min: -9223372036854775808, max: 9007199254740991, default: 1 }
              ratio: { type: float, min: -1.0e+300, max: 1.0e+300, default: 1 }
            """, body: "{{count}} {{low}} {{ratio}}")
        let ranges = result.diagnostics.filter { $0.message.contains("out of range") }
        #expect(ranges.map(\.message) == [
            "`min` of int variable `count` is 9007199254740993, out of range (−9007199254740991 to 9007199254740991)",
            "`max` of int variable `count` is 9223372036854775807, out of range (−9007199254740991 to 9007199254740991)",
            "`min` of int variable `low` is -9223372036854775808, out of range (−9007199254740991 to 9007199254740991)",
        ])
        #expect(ranges.map { $0.location?.line } == [4, 4, 5])
        let version = try #require(result.catalog.family("a")?.version(1))
        #expect(version.variable("count")?.min == nil && version.variable("count")?.max == nil)
        #expect(version.variable("low")?.max?.value == 9007199254740991)
        #expect(version.variable("ratio")?.min?.value == -1e300)
    }

    @Test func aSymlinkLoopInLogsAndDocsIsReportedOnceAndNotWalked() throws {
        let content = try TemporaryContent([
            "logs/2024.jsonl": "{}\n",
            "docs/guide.md": "# Guide\n",
            "prompts/a/family.yaml": Fixture.family(),
        ])
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: content.root.appendingPathComponent("logs/again").path, withDestinationPath: ".")
        try manager.createSymbolicLink(atPath: content.root.appendingPathComponent("docs/up").path, withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: content.root.appendingPathComponent("prompts/b").path, withDestinationPath: "a")
        let outside = content.project.appendingPathComponent("outside.md")
        try Data("# Secret\n".utf8).write(to: outside)
        try manager.createSymbolicLink(at: content.root.appendingPathComponent("docs/secret.md"), withDestinationURL: outside)
        let started = ContinuousClock.now
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(result.catalog.logFiles.map(\.path) == ["logs/2024.jsonl"])
        #expect(result.catalog.docs.map(\.path) == ["docs/guide.md"])
        #expect(result.catalog.families.map(\.slug) == ["a"])
        let skipped = result.diagnostics.filter { $0.code == "symlink-skipped" }
        #expect(skipped.compactMap(\.location?.file) == ["docs/secret.md", "docs/up", "logs/again", "prompts/b"])
        #expect(skipped.first?.message == "`docs/secret.md` is a symbolic link that leads outside the content folder; it is not read")
        #expect(skipped.last?.message == "`prompts/b` is a symbolic link to a folder; it is not followed, so nothing is read twice or in a loop")
    }

    /// A link to itself and a link to nothing, named like content files, were dropped without a word.
    @Test func loopingAndDanglingLinksAreReported() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "Hello"),
        ])
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: content.root.appendingPathComponent("prompts/a/v2.prompt").path, withDestinationPath: "v2.prompt")
        try manager.createSymbolicLink(atPath: content.root.appendingPathComponent("prompts/a/v3.prompt").path, withDestinationPath: "missing.prompt")
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(result.catalog.family("a")?.versions.map(\.number) == [1])
        let skipped = result.diagnostics.filter { $0.code == "symlink-skipped" }
        #expect(skipped.compactMap(\.location?.file) == ["prompts/a/v2.prompt", "prompts/a/v3.prompt"])
        #expect(skipped.first?.message == "`prompts/a/v2.prompt` is a symbolic link that leads nowhere (its target is missing, or links loop); it is not read")
        #expect(skipped.allSatisfy { $0.level == .warning })
    }
}

@Suite struct RegexSafetyTests {
    @Test(arguments: [
        (#"(a+)+$"#, "(a+)+"), (#"(\w*x?)*"#, #"(\w*x?)*"#), (#"((a+)b)*"#, "((a+)b)*"), (#"(?:x|y+){2,}"#, "(?:x|y+){2,}"),
        (#"(a)\1"#, #"\1"#),
    ])
    func catastrophicPatternsAreFound(pattern: String, fragment: String) {
        #expect(RegexSafety.catastrophicFragment(in: pattern) == fragment)
    }

    @Test(arguments: [#"\b(gore|dismember\w*)\b"#, "(a?)+", "(x{2})+", "[(a+)]+", #"\(a+\)+"#, "(?:ab)+c*", "a*b+c{1,9}", "([a-z]+) [0-9]+"])
    func ordinaryPatternsPass(pattern: String) {
        #expect(RegexSafety.catastrophicFragment(in: pattern) == nil)
    }

    @Test func aNestedQuantifierInAPluginIsRefusedWhereItIsWritten() throws {
        let content = try TemporaryContent([
            "plugins/p/plugin.yaml": "id: p\nname: P\nvalidators:\n  - { id: slow, forbid_regex: \"(a+)+$\" }\ntransformers:\n  - { replace: \"(x*y)*\", with: z }\n",
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        let problems = result.diagnostics.filter { $0.message.contains("nests quantifiers") }
        #expect(problems.map { $0.location?.line } == [4, 6])
        #expect(problems.first?.message == "`forbid_regex` of validator `slow` cannot be used: `(a+)+` nests quantifiers, which can take exponential time on some prompts; quantify the group or its inside, not both")
        #expect(result.catalog.plugins.first?.validators.isEmpty == true)
    }

    @Test func aLongPromptIsMatchedOnItsBoundedHead() {
        let text = String(repeating: "a", count: RegexSafety.inputLimit + 10)
        #expect(RegexSafety.bounded(text).count == RegexSafety.inputLimit)
        #expect(RegexSafety.bounded("short") == "short")
    }
}

@Suite struct BaseURLTests {
    @Test(arguments: ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.example/", "https://", "/a b", "vbscript:x", "\u{1B}[2J/"])
    func refusedBaseURLs(url: String) throws {
        let content = try TemporaryContent()
        let quoted = url.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04X", $0.value) : String($0) }.joined()
        let file = try content.writeProjectFile("Site.json", "{ \"baseURL\": \"\(quoted)\" }")
        guard case .failure(let unreadable) = SiteConfig.load(from: file) else {
            Issue.record("Site.json with baseURL \(url) should be refused")
            return
        }
        #expect(unreadable.diagnostics.map(\.code) == ["invalid-field"])
        #expect(unreadable.diagnostics.first?.location?.line == 1)
        #expect(unreadable.diagnostics.first?.message.hasPrefix("`baseURL` must be a path starting with `/` or an http(s) address") == true)
    }

    @Test(arguments: ["/", "/prompts/", "https://example.org/prompts/", "http://localhost:8080/"])
    func acceptedBaseURLs(url: String) throws {
        let content = try TemporaryContent()
        let file = try content.writeProjectFile("Site.json", "{ \"baseURL\": \"\(url)\" }")
        guard case .success(let (config, diagnostics)) = SiteConfig.load(from: file) else {
            Issue.record("Site.json should load")
            return
        }
        #expect(config.baseURL == url)
        #expect(diagnostics.isEmpty)
    }
}

@Suite struct HostileLocationTests {
    @Test func aFIFOIsReportedNotReadForever() throws {
        let content = try TemporaryContent(["docs/guide.md": "# Guide\n"])
        #expect(mkfifo(content.root.appendingPathComponent("docs/pipe.md").path, 0o644) == 0)
        let result = CatalogLoader.load(contentDirectory: content.root)
        let unreadable = result.diagnostics.filter { $0.code == "unreadable-file" }
        #expect(unreadable.map(\.message) == ["cannot read the file: it is a FIFO, not a regular file"])
        #expect(unreadable.first?.location?.file == "docs/pipe.md")
        #expect(result.catalog.docs.map(\.path) == ["docs/guide.md"])
    }

    /// A 3 GB sparse file costs nothing in git; read whole it took the build down.
    @Test func aFileOfGigabytesIsReportedNotRead() throws {
        let content = try TemporaryContent(["docs/guide.md": "# Guide\n", "prompts/walk/family.yaml": "title: Walk\n",
                                            "prompts/walk/v1.prompt": "---\nversion: 1\n---\nfog\n"])
        let huge = content.root.appendingPathComponent("prompts/walk/v2.prompt")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        #expect(truncate(huge.path, 3 << 30) == 0)
        let justOver = content.root.appendingPathComponent("docs/big.md")
        try Data(repeating: 0x61, count: (16 << 20) + 1).write(to: justOver)
        try Data(repeating: 0x61, count: 16 << 20).write(to: content.root.appendingPathComponent("docs/fits.md"))
        let result = CatalogLoader.load(contentDirectory: content.root)
        let tooLarge = result.diagnostics.filter { $0.code == "file-too-large" }.sorted { $0.location?.file ?? "" < $1.location?.file ?? "" }
        #expect(tooLarge.map { $0.location?.file } == ["docs/big.md", "prompts/walk/v2.prompt"])
        #expect(tooLarge.map(\.message) == ["the file is 16.0 MB; content files are read up to 16 MB",
                                            "the file is 3072.0 MB; content files are read up to 16 MB"])
        #expect(result.catalog.docs.map(\.path) == ["docs/fits.md", "docs/guide.md"])
        #expect(result.catalog.families.first?.versions.map(\.number) == [1])
    }

    @Test func jsonProblemsWithoutAnIndexArePointedAt() throws {
        let huge = try #require(JSONSyntax.firstProblem(in: "{\n  \"a\": 1e400\n}", file: "x.json"))
        #expect(huge.location == SourceLocation(file: "x.json", line: 2, column: 8))
        let surrogate = try #require(JSONSyntax.firstProblem(in: "{\"a\": \"ok\",\n \"b\": \"x\\ud800\"}", file: "x.json"))
        #expect(surrogate.location == SourceLocation(file: "x.json", line: 2, column: 9))
    }

    @Test func anIntegerPastIntMaxIsANumberOutOfRangeNotAString() throws {
        #expect(YAMLReader.resolvePlain("99999999999999999999999") == .double(1e23))
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 99999999999999999999999", "Hi"),
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        let range = result.diagnostics.filter { $0.message.contains("out of range") }
        #expect(range.map(\.message) == ["`version` in the front matter of a/v1 is 99999999999999999999999, out of range (at most 9007199254740991)"])
        #expect(range.first?.location?.line == 2)
    }
}

/// `1e300` is text to YAML 1.1 (PyYAML): a number field given it says why, and how to write the number.
@Suite struct ExponentWithoutDotTests {
    @Test func aNumberWithABareExponentGetsAHint() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": "---\nversion: 1\nvariables:\n  n: { type: int, max: 1e300, min: 2E5 }\n  m: { type: string, max_length: \"abc\" }\n---\nHi {{n}} {{m}}\n",
        ])
        let diagnostics = CatalogLoader.load(contentDirectory: content.root).diagnostics.filter { $0.message.contains("must be a number") }
        #expect(diagnostics.compactMap(\.hint).sorted() == [
            "YAML reads `1e300` as text: a number with an exponent needs a dot and a signed exponent, as in `1.0e+300`",
            "YAML reads `2E5` as text: a number with an exponent needs a dot and a signed exponent, as in `200000.0`",
        ])
        #expect(FieldReader.yamlFloat(1.5e-7) == "1.5e-07")
        #expect(FieldReader.yamlFloat(3) == "3.0")
    }
}

/// The cache folder and the folders inside it are written only when each is a folder of its own.
@Suite struct CacheFolderTests {
    @Test func aLinkAnywhereOnTheWayIsAProblem() throws {
        let content = try TemporaryContent([:])
        let cache = content.project.appendingPathComponent(".promptsite-cache")
        let folder = cache.appendingPathComponent("site/abc")
        #expect(SiteConfig.cacheFolderProblem(folder, in: cache) == nil, "nothing exists yet: it will be made")
        try FileManager.default.createDirectory(at: cache.appendingPathComponent("site"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: content.root.path)
        #expect(SiteConfig.cacheFolderProblem(folder, in: cache) == "\(folder.standardizedFileURL.path) is a symbolic link: the cache is not written through it")
        try FileManager.default.removeItem(at: folder)
        try Data("x".utf8).write(to: folder)
        #expect(SiteConfig.cacheFolderProblem(folder, in: cache) == "\(folder.standardizedFileURL.path) is not a folder")
        try FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(SiteConfig.cacheFolderProblem(folder, in: cache) == nil)
        #expect(SiteConfig.cacheFolderProblem(content.root, in: cache)?.hasSuffix("is not inside the cache folder \(cache.standardizedFileURL.path)") == true)
    }
}
