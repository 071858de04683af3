import Diagnostics
import Foundation
import Testing
import PromptTemplates
import TestSupport
@testable import PromptCatalog

@Suite struct VersionLoadingTests {
    @Test func frontMatterLocationsAreFileLines() throws {
        let content = try TemporaryContent([
            "prompts/walk/family.yaml": Fixture.family(),
            "prompts/walk/v1.prompt": """
            ---
            version: 1
            message: First
            variables:
              lead: { type: string, max_length: 40 }
            ---
            {{lead}} walks.
            """,
        ])
        let version = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("walk")?.version(1))
        #expect(version.declaredVersion?.location == SourceLocation(file: "prompts/walk/v1.prompt", line: 2, column: 10))
        #expect(version.variables[0].location.line == 5)
        #expect(version.variables[0].maxLength?.location.line == 5)
        #expect(version.bodyLine == 7)
        #expect(version.location(of: version.template.references[0].position) == SourceLocation(file: "prompts/walk/v1.prompt", line: 7, column: 1))
    }

    @Test func bodyIsByteExactButOneTrailingNewline() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": "---\nversion: 1\n---\n  indented\n\ntrailing spaces  \n\n",
            "prompts/a/v2.prompt": "---\r\nversion: 2\r\nparent: 1\r\n---\r\nline one\r\nline two\r\n",
        ])
        let family = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("a"))
        #expect(family.version(1)?.template.source == "  indented\n\ntrailing spaces  \n")
        #expect(family.version(2)?.template.source == "line one\r\nline two")
        #expect(family.version(2)?.parent?.value == 1)
        #expect(family.version(2)?.bodyLine == 5)
    }

    @Test func variableDefaultsAndRequired() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("""
            version: 1
            variables:
              lead: { type: string, max_length: 10 }
              time: { type: enum, values: [dusk, night], default: dusk }
              mood: { type: string, max_length: 5, required: false }
              short: int
            """, "{{lead}} {{time}} {{mood}} {{short}}"),
        ])
        let version = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("a")?.version(1))
        #expect(version.variable("lead")?.required == true)
        #expect(version.variable("time")?.required == false)
        #expect(version.variable("mood")?.required == false)
        #expect(version.variable("short")?.type == .int)
        #expect(version.variable("time")?.values.map(\.value) == ["dusk", "night"])
    }

    @Test func examplesFlattenNestedMaps() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("""
            version: 1
            examples:
              - name: nested
                vars: { npc: { name: Mara, personality: { background: sailor } }, lead: Ana }
              - name: flat
                vars: { npc.name: Orrin }
            """, "{{npc.name}}"),
        ])
        let version = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("a")?.version(1))
        #expect(version.examples[0].assignments.map(\.path.description) == ["npc.name", "npc.personality.background", "lead"])
        #expect(version.examples[1].values.value(at: "npc.name") == .string("Orrin"))
        #expect(version.template.render(with: version.examples[0].values).text == "Mara")
    }

    @Test func poolsWithAndWithoutWeights() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("""
            version: 1
            strategies: [always]
            randomization:
              mood: [calm, wistful]
              action: { values: [smiles, laughs softly], weights: [3, 1] }
            """, "{{mood}} {{action}}"),
        ])
        let version = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("a")?.version(1))
        #expect(version.pool("mood")?.pool.weights == nil)
        #expect(version.pool("action")?.pool.weights == [3, 1])
        #expect(version.pool("action")?.pool.longestValue == 13)
    }

    @Test func datesAreISO8601() throws {
        #expect(ISODate.parse("2025-11-17T10:00:00Z") != nil)
        #expect(ISODate.parse("2025-11-17T10:00:00.250+02:00") != nil)
        #expect(ISODate.parse("2025-11-17") != nil)
        #expect(ISODate.parse("17/11/2025") == nil)
    }

    /// Days a month does not have and times off the clock are refused, not rolled over into the
    /// next month or day (the format styles read `2025-02-30` as March 2); real ones still read,
    /// also in the forms only the format styles read.
    @Test func impossibleDatesAreRefused() throws {
        for text in ["2025-02-30T10:00:00Z", "2025-02-29", "2100-02-29T00:00:00+01:00", "2025-04-31", "2025-13-01", "2025-00-10",
                     "2025-11-00T10:00:00Z", "2025-11-17T24:00:00+02:00", "2025-11-17T10:60:00Z", "2025-11-17T10:00:61.5Z"] {
            #expect(ISODate.parse(text) == nil, "\(text)")
        }
        for text in ["2024-02-29", "2000-02-29T10:00:00.5Z", "2025-12-31T23:59:59+14:00", "2025-11-17T10:00:00-05:00"] {
            #expect(ISODate.parse(text) != nil, "\(text)")
        }
        #expect(ISODate.parse("2024-02-29").map(ISODate.format) == "2024-02-29T00:00:00Z")
    }

    /// The hand-read common form gives exactly the format style's date, and leaves every day it
    /// cannot vouch for to the format style.
    @Test func commonDatesReadByHandAsTheFormatStyleDoes() throws {
        var texts = ["1970-01-01T00:00:00Z", "2000-02-29T12:34:56Z", "2024-02-29T23:59:59Z", "2100-02-28T00:00:01Z",
                     "9999-12-31T23:59:59Z", "2025-11-17T10:00:00Z"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Int.random(in: 0..<253_402_300_800, using: &random)
            texts.append(Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601))
        }
        for text in texts {
            let byHand = try #require(ISODate.utcSeconds(text), "\(text)")
            #expect(byHand == (try Date(text, strategy: .iso8601)), "\(text)")
        }
        for text in ["2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-12-31T23:59:60Z", "1969-12-31T23:59:59Z",
                     "2025-13-01T00:00:00Z", "2025-11-17T24:00:00Z", "2025-11-17t10:00:00z", "2025-11-17T10:00:00+00:00", "2025-1a-17T10:00:00Z"] {
            #expect(ISODate.utcSeconds(text) == nil, "\(text)")
        }
    }
}

@Suite struct BrokenFileTests {
    func diagnostics(_ files: [String: String]) throws -> [Diagnostic] {
        let content = try TemporaryContent(files)
        return CatalogLoader.load(contentDirectory: content.root).diagnostics
    }

    @Test func emptyVersionFile() throws {
        let found = try diagnostics(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": ""])
        #expect(found.map(\.code) == ["front-matter"])
        #expect(found[0].message == "the file is empty")
    }

    @Test func missingOpeningFence() throws {
        let found = try diagnostics(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": "version: 1\nHello"])
        #expect(found.map(\.code) == ["front-matter"])
        #expect(found[0].location?.line == 1)
    }

    @Test func unclosedFrontMatter() throws {
        let found = try diagnostics(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": "---\nversion: 1\nHello"])
        #expect(found.map(\.code) == ["front-matter"])
        #expect(found[0].message.contains("not closed"))
    }

    @Test func yamlSyntaxErrorPointsAtTheFileLine() throws {
        let found = try diagnostics([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": "---\nversion: 1\nmessage: [unclosed\nauthor: ana\n---\nHello\n",
        ])
        #expect(found.map(\.code) == ["yaml-syntax"])
        let line = try #require(found[0].location?.line)
        #expect(line >= 3 && line <= 5, "the error is inside the front matter, on file lines 3-5, not YAML line \(line - 1)")
    }

    @Test func frontMatterThatIsAList() throws {
        let found = try diagnostics(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": "---\n- version\n---\nHello\n"])
        #expect(found.map(\.code) == ["front-matter"])
        #expect(found[0].location?.line == 2)
    }

    @Test func missingVersionField() throws {
        let found = try diagnostics(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": "---\nmessage: hi\n---\nHello\n"])
        #expect(found.map(\.code) == ["front-matter"])
        #expect(found[0].message.contains("`version`"))
    }

    @Test func mistypedFields() throws {
        let found = try diagnostics([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: one\ntags: { a: b }\ndate: yesterday\nexamples: nope", "Hi"),
        ])
        #expect(found.map(\.code) == ["front-matter", "front-matter", "front-matter", "front-matter"])
        #expect(found.compactMap(\.location?.line).sorted() == [2, 3, 4, 5])
    }

    @Test func notUTF8() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family()])
        try content.write("prompts/a/v1.prompt", data: Data([0x2D, 0x2D, 0x2D, 0x0A, 0x76, 0x0A, 0xFF, 0xFE, 0x0A]))
        let found = CatalogLoader.load(contentDirectory: content.root).diagnostics
        #expect(found.map(\.code) == ["encoding"])
        #expect(found[0].location?.line == 3)
        #expect(found[0].location?.column == 1)
        try content.write("prompts/a/v1.prompt", data: Data("---\nmessage: café ".utf8) + Data([0xE9, 0x0A]))
        let later = CatalogLoader.load(contentDirectory: content.root).diagnostics
        #expect(later.map(\.description) == ["prompts/a/v1.prompt:2:15: error[encoding]: the file is not valid UTF-8 text"], "the column in code points before the bad byte")
    }

    @Test func unknownFieldsAreWarningsWithSuggestions() throws {
        let found = try diagnostics([
            "prompts/a/family.yaml": Fixture.family(extra: "categroy: x\n"),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nmesage: typo", "Hi"),
        ])
        #expect(found.map(\.code) == ["unknown-field", "unknown-field"])
        #expect(found.allSatisfy { $0.level == .warning })
        #expect(found.compactMap(\.hint).sorted() == ["did you mean `category`?", "did you mean `message`?"])
        #expect(found.first { $0.location?.file == "prompts/a/family.yaml" }?.location?.line == 3)
    }

    @Test func duplicateYAMLKeys() throws {
        let found = try diagnostics(["prompts/a/family.yaml": "title: A\ntitle: B\nprompt_type: visual\n"])
        #expect(found.map(\.code) == ["yaml-syntax"])
        #expect(found[0].message == "duplicate key `title` (first defined at line 1)")
        #expect(found[0].location?.line == 2)
    }

    @Test func familyFileShapes() throws {
        let found = try diagnostics([
            "prompts/list/family.yaml": "- title\n",
            "prompts/empty/family.yaml": "\n",
            "prompts/typed/family.yaml": "title: T\nprompt_type: painting\n",
            "prompts/nofile/v1.prompt": Fixture.version("version: 1", "Hi"),
            "prompts/Bad_Slug/family.yaml": Fixture.family(),
        ])
        let byFile = Dictionary(grouping: found) { $0.location?.file ?? "" }
        #expect(byFile["prompts/list/family.yaml"]?.map(\.code) == ["invalid-field"])
        #expect(byFile["prompts/empty/family.yaml"]?.map(\.message) == ["family.yaml is empty"])
        #expect(byFile["prompts/typed/family.yaml"]?.map(\.message) == ["unknown prompt_type `painting`"])
        #expect(byFile["prompts/nofile/family.yaml"]?.map(\.code) == ["invalid-field"])
        #expect(byFile["prompts/Bad_Slug/family.yaml"]?.map(\.code) == ["invalid-slug"])
    }

    @Test func strayFilesAreWarnings() throws {
        let found = try diagnostics([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/draft.prompt": "x",
            "prompts/a/notes.txt": "x",
            "prompts/loose.prompt": "x",
        ])
        #expect(found.map(\.code) == ["unexpected-file", "unexpected-file", "unexpected-file"])
        #expect(found.allSatisfy { $0.level == .warning })
    }

    @Test func hiddenAndUnderscoreFilesAreIgnored() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/.v1.prompt.swp": "junk",
            "prompts/a/_draft.prompt": "junk",
            "prompts/_wip/family.yaml": "junk: [",
        ])
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(result.diagnostics.isEmpty)
        #expect(result.catalog.families.map(\.slug) == ["a"])
    }

    @Test func symlinksOutOfTheContentTreeAreNotFollowed() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family()])
        let outside = content.project.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data(Fixture.family(title: "Secret").utf8).write(to: outside.appendingPathComponent("family.yaml"))
        try FileManager.default.createSymbolicLink(at: content.root.appendingPathComponent("prompts/escape"), withDestinationURL: outside)
        let catalog = CatalogLoader.load(contentDirectory: content.root).catalog
        #expect(catalog.families.map(\.slug) == ["a"])
    }

    /// Two links to one log counted its 19 generations as 57: a file is read once, under its first name.
    @Test func aLogReachedUnderSeveralNamesIsListedOnce() throws {
        let content = try TemporaryContent(["logs/a.jsonl": "{}\n", "logs/other.jsonl": "{}\n"])
        let logs = content.root.appendingPathComponent("logs")
        try FileManager.default.createSymbolicLink(at: logs.appendingPathComponent("b.jsonl"), withDestinationURL: logs.appendingPathComponent("a.jsonl"))
        try FileManager.default.linkItem(at: logs.appendingPathComponent("a.jsonl"), to: logs.appendingPathComponent("c.jsonl"))
        let result = CatalogLoader.load(contentDirectory: content.root)
        #expect(result.catalog.logFiles.map(\.path) == ["logs/a.jsonl", "logs/other.jsonl"])
        let duplicates = result.diagnostics.filter { $0.code == "log-duplicate-file" }
        #expect(duplicates.map(\.message) == [
            "logs/b.jsonl is the same file as logs/a.jsonl (a link); its generations are counted once, under logs/a.jsonl",
            "logs/c.jsonl is the same file as logs/a.jsonl (a link); its generations are counted once, under logs/a.jsonl",
        ])
        #expect(duplicates.allSatisfy { $0.level == .warning })
    }

    @Test func providerFileProblems() throws {
        let found = try diagnostics([
            "providers/a.yaml": "id: b\nprompt_limit: -4\nparameters:\n  - { name: x, type: colour }\n  - 7\n",
        ])
        #expect(found.map(\.code) == ["invalid-field", "invalid-field", "invalid-field", "invalid-field"])
        #expect(found.compactMap(\.location?.line).sorted() == [1, 2, 4, 5])
    }

    @Test func missingContentDirectoryIsAnEmptyCatalog() {
        let result = CatalogLoader.load(contentDirectory: URL(fileURLWithPath: "/nonexistent/promptsite/content"))
        #expect(result.catalog.families.isEmpty)
        #expect(result.diagnostics.isEmpty)
    }
}

@Suite struct SiteConfigTests {
    @Test func readsEveryField() throws {
        let content = try TemporaryContent()
        let file = try content.writeProjectFile("Site.json", """
        {"title": "T", "content": "Prompts", "defaultProviders": ["p"],
         "analytics": {"minSamples": 50, "confidence": 0.9}, "similarity": {"threshold": 0.7},
         "checks": {"strict": true, "ignore": ["unused-variable"], "errors": ["over-limit"]},
         "markdown": {"unsafeHTML": true}}
        """)
        guard case .success(let (config, diagnostics)) = SiteConfig.load(from: file) else { Issue.record("config should load"); return }
        #expect(diagnostics.isEmpty)
        #expect(config.title == "T")
        #expect(config.contentDirectory.lastPathComponent == "Prompts")
        #expect(config.defaultProviders == ["p"])
        #expect(config.minSamples == 50)
        #expect(config.similarityThreshold == 0.7)
        #expect(config.checks == CheckPolicy(ignore: ["unused-variable"], errors: ["over-limit"], strict: true))
        #expect(config.unsafeHTML)
    }

    /// A misspelled code in `checks` silenced nothing and failed nothing, without a word.
    @Test func checkPatternsThatNameNoCodeWarn() throws {
        let content = try TemporaryContent()
        let file = try content.writeProjectFile("Site.json", """
        {"checks": {"ignore": ["unused-variable", "pack-*", "plugin:quest-traker/*"],
                    "errors": ["inline-promt", "paks-*", ""]}}
        """)
        guard case .success(let (config, diagnostics)) = SiteConfig.load(from: file) else { Issue.record("config should load"); return }
        #expect(config.checks.errors == ["inline-promt", "paks-*", ""])
        #expect(diagnostics.map(\.message) == [
            "`checks.errors` names `inline-promt`, which is no code a check reports",
            "`checks.errors` names `paks-*`, which matches no code",
            "`checks.errors` names ``, which is no code a check reports",
        ])
        #expect(diagnostics.map(\.level) == [.warning, .warning, .warning])
        #expect(diagnostics.first?.hint?.hasPrefix("did you mean `inline-prompt`?") == true)
        #expect(diagnostics.first?.location?.line == 2)
    }

    /// A repeated key is valid JSON that the reader refuses: it is shown where it is, not as
    /// "must be a JSON object" at 1:1.
    @Test func aRepeatedKeyIsLocated() throws {
        let content = try TemporaryContent()
        let file = try content.writeProjectFile("Site.json", "{\"title\": \"T\",\n \"analytics\": {\"minSamples\": 1, \"minSamples\": 2}}")
        guard case .failure(let unreadable) = SiteConfig.load(from: file) else { Issue.record("must fail"); return }
        #expect(unreadable.diagnostics.map(\.description) == ["Site.json:2:33: error[json-syntax]: duplicate key `minSamples` (first defined at line 2)"])
    }

    @Test func invalidJSONIsUnreadableWithALine() throws {
        let content = try TemporaryContent()
        let file = try content.writeProjectFile("Site.json", "{\n  \"title\": \"T\",\n  \"content\" \"Content\"\n}")
        guard case .failure(let unreadable) = SiteConfig.load(from: file) else { Issue.record("must fail"); return }
        #expect(unreadable.diagnostics.map(\.code) == ["json-syntax"])
        #expect(unreadable.diagnostics[0].location?.line == 3)
    }

    @Test func wrongTypesAreUnreadableAndUnknownKeysWarn() throws {
        let content = try TemporaryContent()
        let typed = try content.writeProjectFile("Site.json", #"{"defaultProviders": 3}"#)
        guard case .failure(let unreadable) = SiteConfig.load(from: typed) else { Issue.record("must fail"); return }
        #expect(unreadable.diagnostics.map(\.code) == ["invalid-field"])

        let unknown = try content.writeProjectFile("Other.json", #"{"titel": "x"}"#)
        guard case .success(let (_, diagnostics)) = SiteConfig.load(from: unknown) else { Issue.record("must load"); return }
        #expect(diagnostics.map(\.code) == ["unknown-field"])
        #expect(diagnostics[0].hint == "did you mean `title`?")
    }

    /// Thresholds and confidences out of their ranges (or not finite) are errors, not nonsense:
    /// a similarity threshold of -1 crashed the near-duplicate search.
    @Test func outOfRangeNumbersAreErrors() throws {
        let content = try TemporaryContent()
        let cases: [(json: String, message: String)] = [
            (#"{"similarity": {"threshold": -1}}"#, "`threshold` in Site.json similarity is -1, out of range (greater than 0 and at most 1)"),
            (#"{"similarity": {"threshold": 0}}"#, "`threshold` in Site.json similarity is 0, out of range (greater than 0 and at most 1)"),
            (#"{"similarity": {"threshold": 1.5}}"#, "`threshold` in Site.json similarity is 1.5, out of range (greater than 0 and at most 1)"),
            (#"{"analytics": {"confidence": 1}}"#, "`confidence` in Site.json analytics is 1, out of range (greater than 0 and less than 1)"),
            (#"{"analytics": {"confidence": -0.5}}"#, "`confidence` in Site.json analytics is -0.5, out of range (greater than 0 and less than 1)"),
            (#"{"analytics": {"minSamples": -5}}"#, "`minSamples` in Site.json analytics is -5, out of range (1 to 9007199254740991)"),
        ]
        for (json, message) in cases {
            let file = try content.writeProjectFile("Site.json", json)
            let diagnostics: [Diagnostic]
            switch SiteConfig.load(from: file) {
            case .success(let (_, found)): diagnostics = found
            case .failure(let unreadable): diagnostics = unreadable.diagnostics
            }
            #expect(diagnostics.map(\.message) == [message], "\(json)")
            #expect(diagnostics.map(\.level) == [.error], "\(json)")
        }
        let fine = try content.writeProjectFile("Site.json", #"{"similarity": {"threshold": 1}, "analytics": {"confidence": 0.99, "minSamples": 1}}"#)
        guard case .success(let (config, diagnostics)) = SiteConfig.load(from: fine) else { Issue.record("must load"); return }
        #expect(diagnostics.isEmpty)
        #expect(config.similarityThreshold == 1)
        #expect(config.confidence == 0.99)
    }

    @Test func missingFileIsUnreadable() {
        guard case .failure(let unreadable) = SiteConfig.load(from: URL(fileURLWithPath: "/nonexistent/Site.json")) else {
            Issue.record("must fail")
            return
        }
        #expect(unreadable.diagnostics.map(\.code) == ["unreadable-file"])
    }
}

@Suite struct ScalarTypeTests {
    @Test(arguments: [
        ("3", ScalarValue.int(3)), ("-12", .int(-12)), ("1_000", .int(1000)), ("0x1F", .int(31)),
        ("2.5", .double(2.5)), ("-0.25", .double(-0.25)), (".5", .double(0.5)),
        ("true", .bool(true)), ("Yes", .bool(true)), ("off", .bool(false)), ("FALSE", .bool(false)),
        ("~", .null), ("null", .null), ("", .null),
        ("1.2.0", .string("1.2.0")), ("720p", .string("720p")), ("2025-11-17", .string("2025-11-17")),
        ("1e5", .string("1e5")), ("-", .string("-")), ("v3", .string("v3")),
        // PyYAML's resolver, as PixSim7 reads its packs: octal, binary, base 60, signed exponents.
        ("010", .int(8)), ("-0_17", .int(-15)), ("08", .string("08")), ("0b101", .int(5)), ("+12", .int(12)), ("0", .int(0)),
        ("12:30", .int(750)), ("190:20:30", .int(685_230)), ("1:30.5", .double(90.5)), ("0:30", .string("0:30")), ("12:60", .string("12:60")),
        ("1.5e3", .string("1.5e3")), ("1.5e+3", .double(1500)), ("1.", .double(1)), ("1.e-2", .double(0.01)), ("1_0.5", .double(10.5)),
        ("-.5", .string("-.5")), ("+.5", .string("+.5")), ("1.2e", .string("1.2e")), ("0x", .string("0x")), ("0b", .string("0b")),
        ("12:30:", .string("12:30:")), ("1:2:3:4.", .double(223_384)),
        ("._5", .string("._5")), ("._1e+2", .string("._1e+2")), (".5_0", .double(0.5)), ("7:38.84", .double(458.84000000000003)),
    ])
    func plainScalarsResolveLikeYAML11(text: String, expected: ScalarValue) {
        #expect(YAMLReader.resolvePlain(text) == expected)
    }

    @Test func quotedScalarsStayText() throws {
        guard case .success(let node?) = YAMLReader.parse("a: \"3\"\nb: '1.5'\nc: 3\nd: |\n  true\n", file: "x") else {
            Issue.record("must parse")
            return
        }
        #expect(node["a"]?.scalar == .string("3"))
        #expect(node["b"]?.scalar == .string("1.5"))
        #expect(node["c"]?.scalar == .int(3))
        #expect(node["d"]?.scalar == .string("true\n"))
    }

    /// In a `.json` file a number with an exponent and no dot is a number, as JSON says (YAML
    /// 1.1 keeps `1e5` text in `.yaml` files, as PyYAML does); both composers agree.
    @Test func jsonExponentsAreNumbersInJSONFilesOnly() throws {
        let text = #"{"a": 1e3, "b": -2E+2, "c": 1e-05, "d": 0.5E0, "e": "1e3", "f": 5}"#
        for parse in [YAMLReader.parse, YAMLReader.parseWithYams] {
            guard case .success(let node?) = parse(text, "action-blocks/x.json", 0) else { Issue.record("must parse"); return }
            #expect(node["a"]?.scalar == .double(1000))
            #expect(node["b"]?.scalar == .double(-200))
            #expect(node["c"]?.scalar == .double(0.00001))
            #expect(node["d"]?.scalar == .double(0.5))
            #expect(node["e"]?.scalar == .string("1e3"))
            #expect(node["f"]?.scalar == .int(5))
            guard case .success(let yaml?) = parse("a: 1e3\n", "providers/x.yaml", 0) else { Issue.record("must parse"); return }
            #expect(yaml["a"]?.scalar == .string("1e3"))
        }
        for notANumber in ["01e3", "1e", "e3", "1.e3", "1e3x", "--1e3", "+1e3"] {
            #expect(YAMLReader.jsonExponentNumber(notANumber) == nil, "\(notANumber)")
        }
    }
}

@Suite struct VersionFileNameTests {
    @Test func onlyVNumberDotPromptNamesAVersion() {
        #expect(FamilyLoader.versionNumber("v1.prompt") == 1)
        #expect(FamilyLoader.versionNumber("v42.prompt") == 42)
        #expect(FamilyLoader.versionNumber("v007.prompt") == 7)
        #expect(FamilyLoader.versionNumber("v999999999.prompt") == 999_999_999)
        for name in ["v0.prompt", "v1234567890.prompt", "V1.prompt", "v.prompt", "v1.prompt.bak", "v1.Prompt", "v-1.prompt", "v1a.prompt",
                     "v\u{0661}.prompt", "x1.prompt", ".prompt", "v1prompt", ""] {
            #expect(FamilyLoader.versionNumber(name) == nil, "\(name)")
        }
    }

    /// A name of the right shape whose number does not fit says so, not "is not named v<N>.prompt".
    @Test func aVersionNumberOutOfRangeSaysSo() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi"),
                                            "prompts/a/v0.prompt": "x", "prompts/a/v9007199254740991.prompt": "x", "prompts/a/v1a.prompt": "x"])
        let messages = CatalogLoader.load(contentDirectory: content.root).diagnostics.filter { $0.code == "unexpected-file" }.map(\.message)
        #expect(messages.sorted() == ["`v0.prompt` is not a version: N must be 1 to 999999999 and is ignored",
                                      "`v1a.prompt` is not named v<N>.prompt and is ignored",
                                      "`v9007199254740991.prompt` is not a version: N must be 1 to 999999999 and is ignored"])
    }
}

@Suite struct InMemoryLoadingTests {
    /// The sample content read from memory gives the catalog and diagnostics the folder gives.
    @Test func memoryLoadsWhatTheFolderLoads() throws {
        let root = Repository.sampleContent
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard !path.hasPrefix("logs"), FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            files[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        let disk = CatalogLoader.load(contentDirectory: root)
        let memory = CatalogLoader.load(files: files)
        #expect(memory.catalog.files == disk.catalog.files)
        #expect(memory.catalog.families.map(\.slug) == disk.catalog.families.map(\.slug))
        #expect(memory.catalog.versionCount == disk.catalog.versionCount)
        #expect(memory.catalog.blocks.map(\.id) == disk.catalog.blocks.map(\.id))
        #expect(memory.catalog.programs.map(\.id) == disk.catalog.programs.map(\.id))
        #expect(memory.catalog.plugins.map(\.id) == disk.catalog.plugins.map(\.id))
        #expect(memory.catalog.docs.map(\.path) == disk.catalog.docs.map(\.path))
        #expect(memory.diagnostics.map(\.description) == disk.diagnostics.map(\.description))
        #expect(memory.catalog.logFiles.isEmpty)
    }

    @Test func hiddenNamesAndFoldersFollowTheFolderRules() {
        let loaded = CatalogLoader.load(files: [
            "prompts/a/family.yaml": "title: A\nprompt_type: visual\n",
            "prompts/a/v1.prompt": "---\nversion: 1\n---\nHello",
            "prompts/.hidden/family.yaml": "title: H\nprompt_type: visual\n",
            "prompts/_draft/family.yaml": "title: D\nprompt_type: visual\n",
            "prompts/stray.txt": "x",
        ])
        #expect(loaded.catalog.families.map(\.slug) == ["a"])
        #expect(loaded.diagnostics.map(\.code) == ["unexpected-file"])
        #expect(loaded.diagnostics.first?.location?.file == "prompts/stray.txt")
    }
}

@Suite struct ContentWalkTests {
    /// Walked entries are read through a path made from their folder's, without a URL: it is the
    /// URL's path, whatever the names hold.
    @Test func walkedPathsAreTheURLsPaths() throws {
        let names = ["plain.prompt", "with space.yaml", "per%cent.md", "hash#and?query.txt", "ünïcödé.prompt", "semi;colon=eq.json"]
        let content = try TemporaryContent(Dictionary(uniqueKeysWithValues: names.map { ("prompts/fam ily/\($0)", "x") }))
        let tree = ContentTree(root: content.root)
        let folders = tree.entries(in: "prompts")
        #expect(folders.map(\.name) == ["fam ily"])
        let entries = folders.flatMap { tree.entries(in: $0.path) } + folders
        #expect(entries.count == names.count + 1)
        for entry in entries {
            #expect(entry.filePath == entry.url.path, "\(entry.path)")
        }
        #expect(try SourceFile.read(#require(entries.first { $0.name == "ünïcödé.prompt" })).get() == "x")
    }
}

@Suite struct FieldChangeTests {
    /// Unchanged fields are skipped without rendering them; what is reported is what the texts say.
    @Test func changesAreWhatTheTextsSay() throws {
        let loaded = CatalogLoader.load(files: [
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("""
            version: 1
            tags: ["x, y"]
            variables:
              lead: { type: string, max_length: 30 }
              time: { type: enum, values: [dusk, night] }
            examples:
              - { name: e, vars: { lead: Mara, time: dusk } }
            """, "{{lead}} {{time}}"),
            "prompts/a/v2.prompt": Fixture.version("""
            version: 2
            parent: 1
            tags: [x, y]
            variables:
              lead: { max_length: 40, type: string }
              time: { type: enum, values: [dusk, night, dawn] }
            examples:
              - { name: e, vars: { lead: Mara, time: dusk } }
            message: new
            """, "{{lead}} {{time}}"),
        ])
        let family = try #require(loaded.catalog.family("a"))
        let changes = try #require(family.version(2)).fieldChanges(from: try #require(family.version(1)))
        #expect(changes == [
            FieldChange(path: "variables.lead.max_length", kind: .changed, old: "30", new: "40"),
            FieldChange(path: "variables.time.values", kind: .changed, old: "[dusk, night]", new: "[dusk, night, dawn]"),
            FieldChange(path: "message", kind: .added, old: nil, new: "new"),
        ])
    }

    /// A version's source digest names its file's text as read: the same text, the same digest;
    /// one byte more (a comment the parsed fields do not show), another.
    @Test func theSourceDigestFollowsTheText() throws {
        let text = Fixture.version("version: 1", "{{lead}} at dusk")
        let loaded = CatalogLoader.load(files: [
            "prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": text,
            "prompts/b/family.yaml": Fixture.family(), "prompts/b/v1.prompt": text,
            "prompts/c/family.yaml": Fixture.family(), "prompts/c/v1.prompt": text.replacingOccurrences(of: "version: 1", with: "version: 1 # first"),
        ])
        let digests = try ["a", "b", "c"].map { try #require(loaded.catalog.family($0)?.version(1)).sourceDigest }
        var bytes = text
        #expect(digests[0] == bytes.withUTF8 { XXH64.hash(UnsafeRawBufferPointer($0)) })
        #expect(digests[0] == digests[1])
        #expect(digests[0] != digests[2])
    }

    /// Mappings with the same keys in the same order are compared pair by pair; a repeated key
    /// is read as its first, as a lookup by key reads it, whichever way the mapping is compared.
    @Test func sameKeysInOrderAndRepeatedKeys() {
        let at = SourceLocation(file: "f", line: 1, column: 1)
        func scalar(_ text: String) -> SourceNode { SourceNode(.scalar(.string(text), text: text), at: at) }
        func mapping(_ pairs: [(String, SourceNode)]) -> SourceNode {
            SourceNode(.mapping(pairs.map { SourceNode.Member(key: $0.0, keyLocation: at, value: $0.1) }), at: at)
        }
        let old = mapping([("a", scalar("1")), ("b", mapping([("c", scalar("x"))])), ("d", scalar("same"))])
        let new = mapping([("a", scalar("2")), ("b", mapping([("c", scalar("y"))])), ("d", scalar("same"))])
        #expect(FieldChanges.compare(old, new, path: "") == [
            FieldChange(path: "a", kind: .changed, old: "1", new: "2"),
            FieldChange(path: "b.c", kind: .changed, old: "x", new: "y"),
        ])
        let repeatedOld = mapping([("a", scalar("1")), ("a", scalar("2"))])
        let repeatedNew = mapping([("a", scalar("1")), ("a", scalar("3"))])
        #expect(FieldChanges.compare(repeatedOld, repeatedNew, path: "").isEmpty)
        #expect(FieldChanges.compare(repeatedNew, mapping([("a", scalar("4")), ("a", scalar("3"))]), path: "")
            == [FieldChange(path: "a", kind: .changed, old: "1", new: "4")])
    }
}
