import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import PromptCatalog

/// `PlainYAML` reads the common shape of front matter from its bytes and declines everything
/// else: whatever it reads must be exactly what libyaml's events (`YAMLComposer`) give, locations
/// included, and what it declines must still be read as before.
@Suite struct PlainYAMLTests {
    private func described(_ node: SourceNode?) -> String { "ok \(String(reflecting: node))" }

    private func plain(_ text: String, file: String = "f.yaml") -> SourceNode? {
        PlainYAML.parse(text, file: file, lineOffset: 3, budget: YAMLReader.nodeBudget(forBytes: text.utf8.count))
    }

    private func composed(_ text: String, file: String = "f.yaml") -> String {
        guard let result = YAMLComposer.compose(text, file: file, lineOffset: 3, budget: YAMLReader.nodeBudget(forBytes: text.utf8.count))?.result else {
            return "declined by the composer"
        }
        switch result {
        case .success(let node): return described(node)
        case .failure(let diagnostic): return "error \(String(reflecting: diagnostic))"
        }
    }

    /// Front matter as people write it: every one is read here, and read as libyaml reads it.
    static let taken: [String] = [
        "version: 3\nparent: 2\nmessage: Revision 3\nauthor: bench\ndate: 2025-01-01T00:00:00Z\nvariables:\n  lead: { type: string, max_length: 30 }\n"
            + "  time: { type: enum, values: [dusk, night] }\nexamples:\n  - { name: e, vars: { lead: Mara, time: dusk } }\nprovider_hints:\n  video: { duration: 5 }\n",
        "version: 1\nmessage: \"First: a quoted message\"\ntags: [noir, 'rainy night', \"x\"]\nnegative: blurry, low quality\n",
        "version: 2\nvariables:\n  character:\n    type: string\n    required: true\n    max_length: 40\n    description: Who is in the shot\n"
            + "  mood: string\nexamples:\n  - name: default\n    vars:\n      character: Mara\n      mood: calm\n  - name: second\n    vars: { character: Ilse }\n",
        "strategies:\n- once\n- always\nrandomization:\n  weather: [rain, fog, snow]\n  light: { values: [dawn, dusk], weights: [1, 2.5] }\n",
        "# a comment line\nversion: 4   \n\n   # indented comment\nbranch: experiment/one\nsemver: 1.2\nactive: yes\nratio: .5\nhex: 0x1F\nneg: -3\ntime: 12:30\nurl: http://example.com/a?b=1\n",
        "unicode: é e\u{301} 😀 日本語\nafter: { k: 日本, m: [é, 😀] }\nkey é: 1\n",
        "nested:\n  - [x, {y: z}]\n  - key: value\n    other: [ ]\n  - {}\n  - []\n",
        "  indented: root\n  second: 2\n",
        "- a\n- b: 1\n  c: 2\n-\n  d: 3\n",
        "quotes: 'it''s'\nempty: ''\nspaces: '  padded  '\ndouble: \"a 'b' c\"\nplain with 'quotes': it's fine\n",
        "1: one\ntrue: yes\n~: null\n3.5: x\n",
        "a:\n- x\n- y\nb:\n  - z\n",
    ]

    @Test(arguments: taken)
    func commonFrontMatterIsTakenAndReadAsLibyamlReadsIt(_ text: String) {
        let node = plain(text)
        #expect(node != nil, "declined: \(text)")
        #expect(described(node) == composed(text))
    }

    /// Shapes it leaves to libyaml: each is declined, and the reading is the one it was.
    static let declined: [String] = [
        "a: 1\nb:\nc: 3\n",                          // an empty value
        "a: 1 # comment\n",                          // a comment after a value
        "a #b: 1\n",                                 // a comment sign in a key
        "a: \"esc\\n\"\n",                           // an escape
        "\"quoted key\": 1\n",
        "a: b: c\n",
        "a: multi\n  line\n",
        "a: |\n  block\n",
        "a: >\n  folded\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",                              // a repeated key: the composer reports it
        "é: 1\ne\u{301}: 2\n",                       // the same key by String equality
        "<<: {a: 1}\n",
        "a: <<\n",
        "a: =\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "a:\t1\n",
        "a: 1\r\nb: 2\r\n",
        "a: [1, 2\n",
        "a: {b: 1, }\n",
        "a: {b:1}\n",
        "a: [x:y]\n",
        "a: [12:30]\n",
        "a: {b: c:d}\n",
        "a: [b #c]\n",
        "a: - b\n",
        "a: -\n",
        "- - x\n",
        "nested:\n  - - deep\n",
        "a: 1\n - b\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "? a\n: b\n",
        "a: ?b\n",
        "a: @b\n",
        "a: `b`\n",
        "a: --x\n",
        "scalar only\n",
        "[a, b]\n",
        "",
        "# only a comment\n",
        "a: \"unclosed\n",
        "a: 'x' y\n",
        "a: \u{FEFF}b\n",
        "a: \u{85}b\n",
        "a: x\u{2028}y\n",
        "a: x\u{2029}y\n",
        "a: 1\n- b\n",
    ]

    @Test(arguments: declined)
    func otherShapesAreLeftToLibyaml(_ text: String) {
        #expect(plain(text) == nil, "taken: \(text)")
    }

    /// Every YAML file and front matter of the sample content (its files are written as people
    /// write them): read as libyaml reads it, and most of them taken.
    @Test func sampleContentReadsAsLibyamlReadsIt() throws {
        let root = Repository.sampleContent
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".prompt") }
        var taken = 0
        for path in files {
            var text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            if path.hasSuffix(".prompt") {
                guard case .success(let parts) = FrontMatter.split(text, file: path) else { continue }
                text = parts.yaml
            }
            if let node = plain(text, file: path) {
                taken += 1
                #expect(described(node) == composed(text, file: path), "\(path)")
            }
        }
        #expect(files.count > 50)
        #expect(taken * 4 > files.count * 3, "\(taken) of \(files.count) taken")
    }

    /// libyaml refuses an implicit key of 1,024 characters or more: such keys are its to refuse.
    @Test func longKeysAreLeftToLibyaml() {
        let long = String(repeating: "k", count: 1_030)
        for text in [long + ": 1\n", "a: {" + long + ": 1}\n", "- " + long + ": 1\n"] {
            #expect(plain(text) == nil)
            #expect(composed(text) == "declined by the composer")
        }
        let short = String(repeating: "k", count: 900)
        #expect(plain(short + ": 1\n") != nil)
        #expect(described(plain(short + ": 1\n")) == composed(short + ": 1\n"))
    }

    /// A long one-line flow list: its columns are counted on from node to node (counting each
    /// from the line's start was quadratic), and read as libyaml reads them, past non-ASCII too.
    @Test func aLongFlowListIsReadInLinearTime() throws {
        let text = "tags: [" + (0..<40_000).map { $0 % 7 == 0 ? "é\($0)" : "t\($0)" }.joined(separator: ", ") + "]\n"
        let started = ContinuousClock.now
        let node = try #require(plain(text))
        #expect(ContinuousClock.now - started < .seconds(10))
        let items = try #require(node["tags"]?.items)
        #expect(items.count == 40_000)
        #expect(items[1].location.column == 12 && items[7].location.column == 36)
        #expect(described(node) == composed(text))
    }

    @Test func deepNestingIsDeclined() {
        var text = ""
        for level in 0..<70 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        text += String(repeating: " ", count: 70) + "leaf: 1\n"
        #expect(plain(text) == nil)
        let flow = "a: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "\n"
        #expect(plain(flow) == nil)
    }

    @Test func aDocumentOverItsNodeBudgetIsDeclined() {
        let text = "a: [1, 2, 3]\n"
        // Six nodes: the mapping, its key, the list and its three items (the composer counts the same).
        #expect(PlainYAML.parse(text, file: "f.yaml", lineOffset: 0, budget: 5) == nil)
        #expect(PlainYAML.parse(text, file: "f.yaml", lineOffset: 0, budget: 6) != nil)
    }

    @Test func jsonFilesReadExponentsAsJSONDoes() {
        let text = "n: 1e5\n"
        #expect(plain(text, file: "f.json")?["n"]?.scalar == .double(100_000))
        #expect(plain(text)?["n"]?.scalar == .string("1e5"))
        #expect(described(plain(text, file: "f.json")) == composed(text, file: "f.json"))
    }

    /// Random documents built from the pieces front matter is made of, and from pieces just
    /// outside the shape: every one taken must read as libyaml reads it, and most are taken.
    @Test func generatedDocumentsReadAsLibyamlReadsThem() {
        var generator = SplitMix(seed: 0x5EED_F00D)
        var taken = 0, mismatches: [String] = []
        let total = 4_000
        for _ in 0..<total {
            let text = Self.document(&generator)
            guard let node = plain(text) else { continue }
            taken += 1
            let expected = composed(text)
            if described(node) != expected, mismatches.count < 5 { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "read differently:\n\(mismatches.joined(separator: "\n----\n"))")
        #expect(taken > total / 3, "only \(taken) of \(total) taken")
    }

    /// A generated document: a block mapping or sequence of scalars, flow collections and nested blocks.
    static func document(_ generator: inout SplitMix) -> String {
        var lines: [String] = []
        if generator.next(4) == 0 { sequence(&generator, indent: generator.next(2) * 2, depth: 0, into: &lines) }
        else { mapping(&generator, indent: generator.next(3) == 0 ? 2 : 0, depth: 0, into: &lines) }
        if generator.next(6) == 0 { lines.insert(generator.next(2) == 0 ? "# comment" : "", at: generator.next(lines.count + 1)) }
        return lines.joined(separator: "\n") + (generator.next(5) == 0 ? "" : "\n")
    }

    /// Values front matter has, then values at the edges of the shape (most documents use only the first).
    static let scalars = [
        "plain", "two words", "Mara", "3", "-3", "+3", "3.5", ".5", "1e5", "1.5e+3", "0x1F", "010", "08", "0b101", "12:30", "1_000",
        "yes", "No", "on", "OFF", "true", "~", "null", "Null", ".inf", "-.inf", ".nan", "é", "日本語", "e\u{301}", "😀", "it's",
        "a-b", "a_b", "a.b", "a/b", "http://x.y/z", "2025-01-01T00:00:00Z", "2025-01-01", "0", "-0", "-x",
        "'single'", "'it''s'", "''", "\"double\"", "\"with 'inner'\"", "\"\"", "trailing  ",
    ]
    static let edges = [
        "a:b", "a #b", "a#b", "-", "--x", "?x", ":x", "x:", "<<", "=", "@x", "`x`", "!x", "&x", "*x", "%x", "|", ">", "x,y", "[x", "x]",
        "{x", "x}", "\"esc\\t\"", "'unclosed", " lead", "x\u{2028}y", "x\u{85}y",
    ]
    static let keys = ["version", "parent", "message", "tags", "variables", "lead", "time", "type", "values", "name", "vars", "k", "a b", "1", "true",
                       "~", "é", "key-x", "-k", "x.y"]
    static let edgeKeys = ["a:b", "a #b", "<<", "?q", "\"q\"", "'q'"]

    static func scalar(_ generator: inout SplitMix) -> String {
        generator.next(20) == 0 ? edges[generator.next(edges.count)] : scalars[generator.next(scalars.count)]
    }
    static func key(_ generator: inout SplitMix) -> String {
        generator.next(20) == 0 ? edgeKeys[generator.next(edgeKeys.count)] : keys[generator.next(keys.count)]
    }

    static func flow(_ generator: inout SplitMix, depth: Int) -> String {
        let space = generator.next(3) == 0 ? "" : " "
        switch depth < 3 ? generator.next(3) : 2 {
        case 0:
            let count = generator.next(4)
            let items = (0..<count).map { _ in "\(key(&generator)): \(flow(&generator, depth: depth + 1))" }
            return "{" + space + items.joined(separator: generator.next(4) == 0 ? "," : ", ") + space + "}"
        case 1:
            let count = generator.next(4)
            let items = (0..<count).map { _ in flow(&generator, depth: depth + 1) }
            return "[" + space + items.joined(separator: generator.next(4) == 0 ? "," : ", ") + space + "]"
        default:
            return scalar(&generator)
        }
    }

    static func inline(_ generator: inout SplitMix) -> String {
        generator.next(3) == 0 ? flow(&generator, depth: 0) : scalar(&generator)
    }

    static func mapping(_ generator: inout SplitMix, indent: Int, depth: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        var used = Set<String>()
        for _ in 0..<(1 + generator.next(4)) {
            var name = key(&generator)
            if used.contains(name), generator.next(8) != 0 { name += "\(used.count)" }
            used.insert(name)
            let colon = generator.next(20) == 0 ? " :" : ":"
            if depth < 3, generator.next(4) == 0 {
                lines.append(pad + name + colon)
                if generator.next(3) == 0 { sequence(&generator, indent: indent + (generator.next(2) == 0 ? 0 : 2), depth: depth + 1, into: &lines) }
                else { mapping(&generator, indent: indent + 2 + generator.next(2) * 2, depth: depth + 1, into: &lines) }
            } else {
                lines.append(pad + name + colon + (generator.next(30) == 0 ? "" : " ") + inline(&generator) + (generator.next(10) == 0 ? "  " : ""))
            }
        }
    }

    static func sequence(_ generator: inout SplitMix, indent: Int, depth: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for _ in 0..<(1 + generator.next(3)) {
            switch depth < 3 ? generator.next(4) : 0 {
            case 1:
                // `- key: value` with more keys below it.
                var item: [String] = []
                mapping(&generator, indent: indent + 2, depth: depth + 1, into: &item)
                item[0] = pad + "- " + item[0].dropFirst(indent + 2)
                lines += item
            case 2:
                lines.append(pad + "-")
                mapping(&generator, indent: indent + 2, depth: depth + 1, into: &lines)
            default:
                lines.append(pad + "- " + inline(&generator))
            }
        }
    }
}

/// A small seeded generator, so a failure names a document that comes back on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return bound <= 1 ? 0 : Int(z % UInt64(bound))
    }
}
