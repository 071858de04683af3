import Foundation
import Testing
import TestSupport
@testable import PromptCatalog

@Suite struct ScaffoldTests {
    let date = ISODate.parse("2026-11-30T10:00:00Z")!

    @Test func newFamilyFiles() throws {
        let files = try Scaffold.family(slug: "tide-chart", title: nil, type: .hybrid, date: date) { _ in false }.get()
        #expect(files.map(\.path) == ["prompts/tide-chart/family.yaml", "prompts/tide-chart/v1.prompt"])
        #expect(files[0].contents == "title: Tide Chart\ndescription: \"\"\nprompt_type: hybrid\ntags: []\nlabels: {}\n")
        #expect(files[1].contents == "---\nversion: 1\nbranch: main\nmessage: First version\ndate: 2026-11-30T10:00:00Z\n---\nDescribe the shot, then what the character says.\n")
    }

    @Test func titlesThatAreNotPlainYAMLAreQuoted() throws {
        let files = try Scaffold.family(slug: "a", title: "Yes: no #1", type: .visual, date: date) { _ in false }.get()
        #expect(files[0].contents.hasPrefix("title: \"Yes: no #1\"\n"))
        #expect(Scaffold.yamlText("true") == "\"true\"")
        #expect(Scaffold.yamlText("Harbor at dusk") == "Harbor at dusk")
    }

    @Test func newFamilyRefusesBadSlugsAndExistingFolders() {
        #expect(Scaffold.family(slug: "Bad_Slug", title: nil, type: .visual, date: date) { _ in false }
            == .failure(.usage("`Bad_Slug` is not a valid family slug: use lowercase letters, digits and `-`, starting with a letter or digit (at most 100 characters)")))
        #expect(Scaffold.family(slug: "taken", title: nil, type: .visual, date: date) { $0 == "prompts/taken" }
            == .failure(.exists("prompts/taken already exists; nothing was written")))
    }

    static let v2 = """
        ---
        version: 2
        parent: 1
        message: |
          Two lines
          of message
        tags:
        - calm
        date: 2025-01-01T00:00:00Z
        ---
        {{lead}} at   dusk.\r
        keep  this

        """

    func family(_ files: [String: String]) throws -> (PromptFamily, TemporaryContent) {
        let content = try TemporaryContent(files)
        let family = try #require(CatalogLoader.load(contentDirectory: content.root).catalog.family("f"))
        return (family, content)
    }

    @Test func newVersionCopiesTheLatestAndSetsTheGraphFields() throws {
        let (family, content) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n",
                                            "prompts/f/v1.prompt": "---\nversion: 1\n---\nOne\n", "prompts/f/v2.prompt": Self.v2])
        let files = try Scaffold.version(of: family, from: nil, branch: "night", message: nil, date: date, versionFiles: ["v1.prompt", "v2.prompt"]) {
            try? String(contentsOf: content.root.appendingPathComponent($0), encoding: .utf8)
        }.get()
        #expect(files == [Scaffold.File(path: "prompts/f/v3.prompt", contents: """
            ---
            version: 3
            branch: night
            parent: 2
            message: ""
            tags:
            - calm
            date: 2026-11-30T10:00:00Z
            ---
            {{lead}} at   dusk.\r
            keep  this

            """)])
    }

    @Test func newVersionFromAnEarlierOneAddsParentAndKeepsNumbering() throws {
        let (family, content) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n",
                                            "prompts/f/v1.prompt": "---\nversion: 1\nbranch: main\n---\nOne\n", "prompts/f/v2.prompt": Self.v2])
        let files = try Scaffold.version(of: family, from: 1, branch: nil, message: "Shorter", date: date,
                                         versionFiles: ["v1.prompt", "v2.prompt", "v9.prompt", "notes.md"]) {
            try? String(contentsOf: content.root.appendingPathComponent($0), encoding: .utf8)
        }.get()
        #expect(files.map(\.path) == ["prompts/f/v10.prompt"])
        #expect(files.first?.contents == "---\nversion: 10\nparent: 1\ndate: 2026-11-30T10:00:00Z\nmessage: Shorter\nbranch: main\n---\nOne\n")
    }

    /// A version saved with CRLF line ends is copied (its "\r\n" was one Character, never split
    /// on "\n": "has no front matter"), and the lines written keep its line ends.
    @Test func newVersionCopiesACRLFFile() throws {
        let crlf = "---\r\nversion: 1\r\nmessage: m\r\n---\r\nline1\r\n"
        let (family, _) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n", "prompts/f/v1.prompt": crlf])
        let files = try Scaffold.version(of: family, from: nil, branch: nil, message: "Next", date: date, versionFiles: ["v1.prompt"]) { _ in crlf }.get()
        #expect(files.first?.contents == "---\r\nversion: 2\r\nparent: 1\r\ndate: 2026-11-30T10:00:00Z\r\nmessage: Next\r\n---\r\nline1\r\n")
    }

    /// A field runs from its key to the next key as YAML reads them: a block scalar with a blank
    /// line is replaced whole (its second paragraph was left dangling: `yaml-syntax`), a quoted
    /// key is the same field (a second `message:` was added: duplicate key), and the comments
    /// before the next field stay.
    @Test func newVersionReplacesFieldsAsYAMLReadsThem() throws {
        let source = "---\nversion: 1\n\"message\": |\n  first paragraph\n\n  second paragraph\n# about the date\n'date': 2025-01-01T00:00:00Z\nauthor: me\n---\nOne\n"
        let (family, _) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n", "prompts/f/v1.prompt": source])
        let files = try Scaffold.version(of: family, from: nil, branch: nil, message: "second", date: date, versionFiles: ["v1.prompt"]) { _ in source }.get()
        #expect(files.first?.contents == "---\nversion: 2\nparent: 1\nmessage: second\n# about the date\ndate: 2026-11-30T10:00:00Z\nauthor: me\n---\nOne\n")
        let loaded = CatalogLoader.load(files: ["prompts/f/family.yaml": "title: F\nprompt_type: visual\n", "prompts/f/v2.prompt": files[0].contents])
        #expect(loaded.diagnostics.filter { $0.level == .error }.isEmpty)
        let broken = "---\nversion: 1\nmessage: [\n---\nOne\n"
        #expect(Scaffold.version(of: family, from: nil, branch: nil, message: nil, date: date, versionFiles: ["v1.prompt"]) { _ in broken }
            == .failure(.usage("prompts/f/v1.prompt has front matter that is not a YAML mapping of fields: fix it first (`promptsite check` shows where)")))
    }

    /// A `---` inside a block scalar is text, not the closing fence (the loader's rule: only at the
    /// start of a line); a replaced field that carried an anchor others name is refused, not written
    /// broken; merged fields are named as such.
    @Test func newVersionKeepsToTheLoadersFenceAndRefusesWhatWouldNotRead() throws {
        let (family, _) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n", "prompts/f/v1.prompt": "---\nversion: 1\n---\nx\n"])
        func copy(_ text: String) -> Result<[Scaffold.File], Scaffold.Refusal> {
            Scaffold.version(of: family, from: nil, branch: nil, message: "next", date: date, versionFiles: ["v1.prompt"]) { _ in text }
        }
        let fenced = "---\nversion: 1\nmessage: |\n  above\n  ---\n  below\nauthor: ana\n---\nOne\n"
        #expect((try? copy(fenced).get())?.first?.contents == "---\nversion: 2\nparent: 1\ndate: 2026-11-30T10:00:00Z\nmessage: next\nauthor: ana\n---\nOne\n")
        let anchored = "---\nversion: 1\nmessage: &m hello\ntags: [*m]\n---\nOne\n"
        guard case .failure(.usage(let why)) = copy(anchored) else { Issue.record("an anchored field was copied"); return }
        #expect(why.hasPrefix("prompts/f/v1.prompt cannot be copied field by field: with `version`, `parent`, `date` and `message` replaced its front matter would not read ("))
        let merged = "---\nbase: &b {author: ana}\nversion: 1\n<<: *b\n---\nOne\n"
        #expect(copy(merged) == .failure(.usage("prompts/f/v1.prompt merges fields into its front matter with `<<`; write the fields out, then run this again")))
    }

    /// Fields that share a line (a flow mapping, as `check` accepts it) cannot be replaced line by
    /// line: the copy is refused, nothing is lost (the whole front matter had been replaced by the
    /// four fields written, dropping variables and examples).
    @Test func newVersionRefusesFieldsSharingALine() throws {
        let flow = "---\n{version: 1, message: x, author: ana, variables: {lead: {type: string, max_length: 9}}}\n---\n{{lead}}\n"
        let (family, _) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n", "prompts/f/v1.prompt": flow])
        let refusal = Scaffold.Refusal.usage("prompts/f/v1.prompt has front-matter fields that share a line (a flow mapping `{…}`); write one field per line (`version: 1`, `message: …`), then run this again")
        #expect(Scaffold.version(of: family, from: nil, branch: nil, message: nil, date: date, versionFiles: ["v1.prompt"]) { _ in flow } == .failure(refusal))
        let shared = "---\nversion: 1\nmessage: x\nauthor: ana\nvariables: {lead: {type: string}}\n---\n{{lead}}\n"
        #expect((try? Scaffold.version(of: family, from: nil, branch: nil, message: nil, date: date, versionFiles: ["v1.prompt"]) { _ in shared }.get())?.first?.contents
                == "---\nversion: 2\nparent: 1\ndate: 2026-11-30T10:00:00Z\nmessage: \"\"\nauthor: ana\nvariables: {lead: {type: string}}\n---\n{{lead}}\n")
    }

    /// Text written into front matter reads back as written: controls YAML refuses inside quotes
    /// (DEL, C1) and the characters it reads as line breaks there are escaped.
    @Test func quotedTextReadsBackAsWritten() throws {
        for text in ["a\u{7F}b", "c\u{90}d", "e\u{85}f", "g\u{2028}h", "tab\there \"q\" \\ end", "a\u{FEFF}b", "emoji 😀 é"] {
            let yaml = "title: \(Scaffold.yamlText(text))\n"
            let node = try #require(try YAMLReader.parse(yaml, file: "f.yaml").get())
            #expect(node.members?.first?.value.string == text, "\(yaml)")
        }
    }

    @Test func newVersionRefusesUnknownVersions() throws {
        let (family, _) = try family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n", "prompts/f/v1.prompt": "---\nversion: 1\n---\nOne\n"])
        let result = Scaffold.version(of: family, from: 4, branch: nil, message: nil, date: date, versionFiles: ["v1.prompt"]) { _ in "" }
        #expect(result == .failure(.usage("f has no version 4")))
        let (empty, _) = try self.family(["prompts/f/family.yaml": "title: F\nprompt_type: visual\n"])
        let none = Scaffold.version(of: empty, from: nil, branch: nil, message: nil, date: date, versionFiles: []) { _ in "" }
        #expect(none == .failure(.usage("f has no version to copy; write prompts/f/v1.prompt first (or run `promptsite new family`)")))
    }
}
