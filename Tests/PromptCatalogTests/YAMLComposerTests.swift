import Diagnostics
import Testing
@testable import PromptCatalog

/// `YAMLComposer` reads the common documents straight from libyaml's events and leaves the rest
/// to Yams: both readings must give the same tree, locations included, and the same diagnostics.
@Suite struct YAMLComposerTests {
    /// The whole result as text: `SourceNode` equality would call a NaN unequal to itself.
    private func described(_ result: Result<SourceNode?, Diagnostic>) -> String {
        switch result {
        case .success(let node): "ok \(String(reflecting: node))"
        case .failure(let diagnostic): "error \(String(reflecting: diagnostic))"
        }
    }

    private func composed(_ text: String) -> Result<SourceNode?, Diagnostic>? {
        YAMLComposer.compose(text, file: "f.yaml", lineOffset: 3, budget: YAMLReader.nodeBudget(forBytes: text.utf8.count))?.result
    }

    static let common: [String] = [
        "version: 1\nparent: 0x0F\nmessage: Revision 2\ndate: 2025-01-01T00:00:00Z\n",
        "a: \"3\"\nb: '1.5'\nc: 3\nd: |\n  true\n  two lines\ne: >\n  folded\n  text\nf:\ng: ~\nh: null\ni: yes\nj: .inf\nk: -.5e3\nl: 1_000\n",
        "variables:\n  lead: { type: string, max_length: 30 }\n  time: { type: enum, values: [dusk, night] }\nexamples:\n  - { name: e, vars: { lead: Mara, time: dusk } }\n",
        "tags: [a, 'b c', \"d\\te\", 4, 5.5, true, ~]\nnested:\n  - - deep\n    - [x, {y: z}]\n  - key: value\n    other: [ ]\n  - {}\n",
        "# a comment\nkey: value # trailing\n\n\nlast: \"with \\\"quotes\\\" and \\u00e9 and \\0 nul\"\n",
        "unicode: é e\u{301} 😀 日本語\n\"quoted key\": 1\n'single': 2\n? explicit\n: value\n",
        "anchored: &a [1, 2]\nplain: text without a colon\n",
        "- just\n- a\n- list\n",
        "scalar only",
        "\"a quoted root\"",
        "",
        "   \n# only a comment\n",
        "---\nexplicit: document\n...\n",
        "%YAML 1.1\n---\ndirective: kept\n",
        "crlf: yes\r\nnext: line\r\n",
        "tabs:\t\"after\"\nmultiline plain: one\n  two\n  three\n",
        "e\u{301}: 1\né: 2\n",
    ]

    @Test(arguments: common)
    func bothReadingsAgree(_ text: String) {
        #expect(described(YAMLReader.parse(text, file: "f.yaml", lineOffset: 3)) == described(YAMLReader.parseWithYams(text, file: "f.yaml", lineOffset: 3)))
    }

    @Test func commonDocumentsAreReadWithoutYams() {
        for text in Self.common where text != "" && !text.contains("e\u{301}: 1") {
            #expect(composed(text) != nil, "\(text)")
        }
    }

    @Test(arguments: [
        "a: &x 1\nb: *x\n",                    // an alias: Yams repeats the anchored node
        "version: !!int 4\n",                  // a tag
        "plain: !!str text\n",
        "seq: !!seq [a]\n",
        "? [complex, key]\n: value\n",         // a key that is not a scalar
        "one: 1\n---\ntwo: 2\n",               // two documents
        "version: 10\n  bad: [\n",             // a syntax error
        "key: \"\\ufeffbom first\"\n",          // a scalar that starts with a byte-order mark
        String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
    ])
    func everythingElseIsLeftToYams(_ text: String) {
        #expect(composed(text) == nil)
        #expect(described(YAMLReader.parse(text, file: "f.yaml", lineOffset: 3)) == described(YAMLReader.parseWithYams(text, file: "f.yaml", lineOffset: 3)))
    }

    @Test func manyKeysAreCheckedForRepeats() {
        let distinct = (0..<40).map { "key\($0): \($0)\n" }.joined()
        #expect(composed(distinct) != nil)
        for (key, line) in [("key17", 18), ("key39", 40)] {
            guard case .failure(let repeated)? = composed(distinct + "\(key): again\n") else {
                Issue.record("\(key) repeated was not reported")
                continue
            }
            #expect(repeated.message == "duplicate key `\(key)` (first defined at line \(line + 3))")
            #expect(repeated.location == SourceLocation(file: "f.yaml", line: 44, column: 1))
        }
    }

    /// A repeated key is reported where it is written, as Yams' reading reports it for plain
    /// spellings, and also when it is spelled another way (an escape, a JSON object on one line).
    @Test(arguments: ["version: 3\nversion: 4\n", "e\u{301}: 1\né: 2\n", "a:\n  b: 1\n  c: 2\n  b: 3\n"])
    func repeatedKeysAreReportedAsYamsDoes(_ text: String) {
        guard case .failure(let repeated)? = composed(text) else {
            Issue.record("not reported")
            return
        }
        #expect(repeated.message.hasPrefix("duplicate key"))
        #expect(described(YAMLReader.parse(text, file: "f.yaml", lineOffset: 3)) == described(YAMLReader.parseWithYams(text, file: "f.yaml", lineOffset: 3)))
    }

    @Test func repeatedKeysSpelledAnotherWayAreLocated() {
        let json = #"{"title":"t","content":"Content","\u0074itle":"u"}"#
        guard case .failure(let repeated) = YAMLReader.parse(json, file: "Site.json") else {
            Issue.record("not reported")
            return
        }
        #expect(repeated.message == "duplicate key `title` (first defined at line 1)")
        #expect(repeated.location == SourceLocation(file: "Site.json", line: 1, column: 34))
        guard case .failure(let quoted) = YAMLReader.parse("'a': 1\nb: 2\n\"\\x61\": 3\n", file: "f.yaml", lineOffset: 2) else {
            Issue.record("not reported")
            return
        }
        #expect(quoted.message == "duplicate key `a` (first defined at line 3)")
        #expect(quoted.location == SourceLocation(file: "f.yaml", line: 5, column: 1))
    }

    /// Documents stitched from fragments, valid and not: the two readings never differ.
    @Test func generatedDocumentsReadTheSame() {
        let fragments = ["a: 1\n", "b: [x, y]\n", "c: { d: e }\n", "- item\n", "  nested: 2\n", "f: 'q'\n", "g: \"w\\n\"\n", "h: |\n  lit\n",
                         "a: 2\n", "i: &k v\n", "j: *k\n", "k: !!str x\n", "l:\n", "  - m\n", "n: é\n", "o: [\n", "p: }\n", "\t\n", "# c\n",
                         "q: 0x1F\n", "r: -3.5\n", "s: .nan\n", "t: ~\n", "u: yes\n", "? v\n", ": w\n", "x: y: z\n", "\"k\": 1\n", "---\n"]
        var state: UInt64 = 0x5EED
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(state % 7) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += fragments[Int((state >> 33) % UInt64(fragments.count))]
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let ours = YAMLReader.parse(text, file: "f.yaml", lineOffset: 3), yams = YAMLReader.parseWithYams(text, file: "f.yaml", lineOffset: 3)
            if case .failure(let repeated) = yams, repeated.message.hasPrefix("duplicate key") {
                // Yams names one repeated key, found by searching the text; the composer names the
                // first it met, where it is.
                guard case .failure(let found) = ours else {
                    Issue.record("a repeated key was not reported: \(text)")
                    continue
                }
                #expect(found.code == "yaml-syntax" && found.message.hasPrefix("duplicate key"), "\(text)")
                continue
            }
            #expect(described(ours) == described(yams), "\(text)")
        }
    }

    /// Merge keys, `!!str` and keys that are not single values, read as PyYAML's `safe_load`
    /// reads them (PixSim7 reads its packs with it).
    @Suite struct PyYAMLConstructs {
        private func members(_ text: String) throws -> [(String, String)] {
            let node = try #require(try YAMLReader.parse(text, file: "f.yaml").get())
            return try #require(node.members).map { ($0.key, $0.value.scalarText ?? $0.value.kindName) }
        }

        private func refusal(_ text: String) -> Diagnostic? {
            if case .failure(let diagnostic) = YAMLReader.parse(text, file: "f.yaml") { return diagnostic }
            return nil
        }

        @Test func mergeKeysBringInTheNamedMapsAndOwnKeysWin() throws {
            let merged = try members("base: &b {x: 1, y: no}\ntags:\n  <<: *b\n  y: 2\n")
            #expect(merged.map(\.0) == ["base", "tags"])
            let tags = try #require(try YAMLReader.parse("base: &b {x: 1, y: no}\ntags:\n  <<: *b\n  y: 2\n", file: "f.yaml").get()?.members?[1].value.members)
            #expect(tags.map(\.key) == ["x", "y"])
            #expect(tags.map { $0.value.scalar } == [.int(1), .int(2)])
            // A list of maps: the earlier map wins; the mapping's own keys win over both; a key keeps its first place.
            let list = try #require(try YAMLReader.parse("a: &a {k: a1, m: a2}\nb: &b {k: b1, n: b2}\nc:\n  z: own\n  <<: [*a, *b]\n  m: own-m\n",
                                                          file: "f.yaml").get()?.members?[2].value.members)
            #expect(list.map(\.key) == ["k", "n", "m", "z"])
            #expect(list.map { $0.value.scalarText } == ["a1", "b2", "own-m", "own"])
            // A merge without an alias (a flow map written in place) is merged too.
            let inline = try #require(try YAMLReader.parse("t:\n  <<: {x: 1}\n  y: 2\n", file: "f.yaml").get()?.members?[0].value.members)
            #expect(inline.map(\.key) == ["x", "y"])
            // A quoted "<<" is an ordinary key.
            #expect(try members("\"<<\": 1\n").map(\.0) == ["<<"])
        }

        @Test func aMergeKeyNeedsMaps() {
            #expect(refusal("a: &a 1\nb:\n  <<: *a\n")?.message == "a merge key (`<<`) takes a mapping or a list of mappings")
            #expect(refusal("a: &a [1]\nb:\n  <<: [*a]\n")?.location == SourceLocation(file: "f.yaml", line: 3, column: 7))
        }

        /// `!!int`, `!!float`, `!!bool` and `!!null` construct their values as PyYAML's constructors
        /// do (a file with them had been refused whole); a value they cannot read is refused, as
        /// PyYAML raises.
        @Test func explicitScalarTagsConstructTheirValues() throws {
            let node = try #require(try YAMLReader.parse(
                "a: !!int \"3\"\nb: !!int 0x1F\nc: !!int -1_000\nd: !!float 2\ne: !!float \"1e3\"\nf: !!float -.inf\ng: !!float 1:30\n"
                    + "h: !!bool \"yes\"\ni: !!bool OFF\nj: !!null anything\nk: !!float 2.5\n", file: "f.yaml").get())
            #expect(node.members?.map { $0.value.scalar } == [.int(3), .int(31), .int(-1000), .double(2), .double(1000), .double(-.infinity), .double(90),
                                                              .bool(true), .bool(false), .null, .double(2.5)])
            #expect(refusal("a: !!int 3.5\n")?.description == "f.yaml:1:4: error[yaml-syntax]: `!!int 3.5` is not a whole number, as PyYAML reads it")
            // construct_yaml_int's own forms, beyond a plain int's: `0o`, base 60 without bounds, whitespace, a second sign.
            let ints = try #require(try YAMLReader.parse("a: !!int 0o17\nb: !!int 1:60\nc: !!int 1_2:3_0\nd: !!int \"12 \"\ne: !!int \"+-1\"\n", file: "f.yaml").get())
            #expect(ints.members?.map { $0.value.scalar } == [.int(15), .int(120), .int(750), .int(12), .int(-1)])
            #expect(refusal("a: !!int 08\n") != nil && refusal("a: !!int 0X1F\n") != nil)
            #expect(refusal("a: !!float 0x1F\n")?.message == "`!!float 0x1F` is not a number, as PyYAML reads it")
            #expect(refusal("a: !!bool maybe\n")?.message == "`!!bool maybe` is not true or false, as PyYAML reads it")
            #expect(refusal("a: !!binary aGk=\n")?.message == "YAML tag `!!binary` is not supported")
        }

        @Test func anExplicitStrTagKeepsTheText() throws {
            let node = try #require(try YAMLReader.parse("a: &x 1\nb: !!str 2024\nc: !!str yes\nd: 2024\ne: '2024'\n", file: "f.yaml").get())
            #expect(node.members?.map { $0.value.scalar } == [.int(1), .string("2024"), .string("yes"), .int(2024), .string("2024")])
        }

        @Test func keysThatAreNotSingleValuesAreRefused() {
            #expect(refusal("? [a, b]\n: value\n")?.message == "a key must be a single value, not a list")
            #expect(refusal("? {a: 1}\n: value\n")?.message == "a key must be a single value, not a mapping")
        }

        /// A character libyaml's reader refuses is shown where it is (it was at 1:1, its place only
        /// inside the message, and a front matter's place a line off).
        @Test func readerErrorsAreLocated() {
            let found = refusal("a: 1\nbb: 2\ncc: \"é x\u{7F}\"\n")
            #expect(found?.message == "invalid YAML: control characters are not allowed (U+007F)")
            #expect(found?.location == SourceLocation(file: "f.yaml", line: 3, column: 9))
            guard case .failure(let offset) = YAMLReader.parse("a: \u{1}\n", file: "v.prompt", lineOffset: 1) else {
                Issue.record("not refused")
                return
            }
            #expect(offset.location == SourceLocation(file: "v.prompt", line: 2, column: 4))
        }

        @Test func mergeAndValueIndicatorsAreNotValues() {
            #expect(refusal("text: =\n")?.message == "`=` alone is a YAML merge or value indicator, not a value")
            #expect(refusal("text: <<\n")?.location == SourceLocation(file: "f.yaml", line: 1, column: 7))
            #expect(refusal("text: '='\nother: a = b\n\"=\": 1\n") == nil)
        }
    }
}
