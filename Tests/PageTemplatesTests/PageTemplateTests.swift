import PageTemplates
import Testing

private func render(_ template: String, _ value: PageValue, partials: [String: String] = [:]) throws -> String {
    var library = PageTemplateLibrary()
    try library.register(template, named: "page")
    for (name, source) in partials { try library.register(source, named: name) }
    let bytes = try library.render(value, withTemplate: "page")
    return String(decoding: try #require(bytes), as: UTF8.self)
}

private func object(_ pairs: KeyValuePairs<String, PageValue>) -> PageValue {
    .object(PageObject(keys: pairs.map(\.key), values: pairs.map(\.value)))
}

private struct Row: Encodable, Sendable {
    let name: String
    let url: String?
    let count: Int
}

private struct Page: Encodable, Sendable {
    let title: String
    let url: String
    let rows: [Row]
    let ratio: Double
    let tags: [String: Int]
    let missing: String?
}

@Suite struct PageTemplateRenderingTests {
    @Test func variablesAreEscapedUnlessTripleOrAmpersand() throws {
        let value = object(["text": .text(#"<a href="x">Tom & 'Jo'</a>"#)])
        #expect(try render("{{text}}|{{{text}}}|{{&text}}", value)
            == #"&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;|<a href="x">Tom & 'Jo'</a>|<a href="x">Tom & 'Jo'</a>"#)
    }

    /// Escaped text shows control characters as their pictures (raw, they are HTML parse errors);
    /// a triple mustache writes the text as it is.
    @Test func escapedControlCharactersShowAsTheirPictures() throws {
        let value = object(["text": .text("a\u{1B}[2Jb\u{07}\u{7F}\t\n")])
        #expect(try render("{{text}}|{{{text}}}", value) == "a␛[2Jb␇␡\t\n|a\u{1B}[2Jb\u{07}\u{7F}\t\n")
    }

    @Test func numbersAndFlagsPrintAsSwiftPrintsThem() throws {
        let value = object(["n": .integer(-3), "d": .number(0.25), "t": .flag(true)])
        #expect(try render("{{n}} {{d}} {{t}} [{{missing}}]", value) == "-3 0.25 true []")
    }

    @Test func sectionsIterateListsAndPushObjects() throws {
        let value = object([
            "items": .list([object(["name": .text("a")]), object(["name": .text("b")])]),
            "none": .list([]),
            "owner": object(["name": .text("Mara"), "team": object(["name": .text("Harbor")])]),
            "name": .text("outer"),
        ])
        #expect(try render("{{#items}}{{name}},{{/items}}", value) == "a,b,")
        #expect(try render("{{^none}}empty{{/none}}{{#none}}never{{/none}}", value) == "empty")
        #expect(try render("{{#owner}}{{name}} of {{team.name}}, in {{#team}}{{name}}{{/team}}{{/owner}}", value) == "Mara of Harbor, in Harbor")
        // A name the current object lacks is looked up further out; `.name` looks only in it.
        #expect(try render("{{#owner.team}}{{name}}/{{.name}}{{/owner.team}}|{{#items}}{{owner.name}}{{/items}}", value) == "Harbor/Harbor|MaraMara")
        #expect(try render("{{owner.team.name}} {{owner.nothing.name}}.", value) == "Harbor .")
    }

    @Test func flagsAndMissingValuesDecideSections() throws {
        let value = object(["yes": .flag(true), "no": .flag(false), "zero": .integer(0), "blank": .text("")])
        #expect(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}{{#missing}}M{{/missing}}{{^missing}}m{{/missing}}", value) == "Ynm")
        // Zero and the empty text are values, so their sections render (as in swift-mustache).
        #expect(try render("{{#zero}}[{{.}}]{{/zero}}{{#blank}}[{{.}}]{{/blank}}{{^zero}}no{{/zero}}", value) == "[0][]")
    }

    @Test func transformsApplyInnermostFirst() throws {
        let value = object([
            "list": .list([.text("b"), .text("a")]), "none": .list([]), "n": .integer(0), "word": .text("harbor"),
            "dict": .object(PageObject(keys: ["a", "b"], values: [.integer(1), .integer(2)], isDictionary: true)),
        ])
        #expect(try render("{{#empty(none)}}E{{/empty(none)}}{{^empty(list)}}L{{/empty(list)}}{{count(list)}}", value) == "EL2")
        #expect(try render("{{#equalzero(n)}}zero{{/equalzero(n)}} {{plusone(plusone(n))}} {{uppercased(word)}}", value) == "zero 2 HARBOR")
        #expect(try render("{{#sorted(list)}}{{.}}{{/sorted(list)}} {{first(list)}} {{#reversed(list)}}{{.}}{{/reversed(list)}}", value) == "ab b ab")
        #expect(try render("{{#list}}{{#first()}}[{{/first()}}{{.}}{{index()}}{{^last()}},{{/last()}}{{#last()}}]{{/last()}}{{/list}}", value) == "[b0,a1]")
        #expect(try render("{{#sorted(dict)}}{{key}}={{value}};{{/sorted(dict)}}", value) == "a=1;b=2;")
        // An unknown transform, or one on a missing value, gives nothing.
        #expect(try render("[{{shout(word)}}][{{empty(missing)}}]{{^empty(missing)}}inverted{{/empty(missing)}}", value) == "[][]inverted")
    }

    @Test func standaloneTagsTakeTheirWholeLine() throws {
        let value = object(["items": .list([.text("a"), .text("b")])])
        let template = "<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n  {{! a comment }}\n</ul>\n"
        #expect(try render(template, value) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
        // Not standalone: the surrounding text stays.
        #expect(try render("a {{#items}}{{.}}{{/items}} b\n", value) == "a ab b\n")
        #expect(try render("|\r\n{{#items}}\r\n{{.}}\r\n{{/items}}\r\n|", value) == "|\r\na\r\nb\r\n|")
    }

    @Test func standalonePartialsAreIndentedLineByLine() throws {
        let value = object(["name": .text("x")])
        let partials = ["row": "<b>\n{{name}}\n</b>\n"]
        #expect(try render("<div>\n    {{>row}}\n</div>\n", value, partials: partials) == "<div>\n    <b>\n    x\n    </b>\n</div>\n")
        #expect(try render("[{{>row}}]", value, partials: partials) == "[<b>\nx\n</b>\n]")
        #expect(try render("[{{>nothing}}]", value, partials: partials) == "[]")
    }

    @Test func parentsTakeTheBlocksTheChildGives() throws {
        let value = object(["title": .text("T")])
        let partials = ["layout": "<title>{{$title}}Default{{/title}}</title>\n<main>\n{{$main}}{{/main}}\n</main>\n"]
        let child = "{{<layout}}\n{{$main}}\n<h1>{{title}}</h1>\n{{/main}}\n{{/layout}}\n"
        #expect(try render(child, value, partials: partials) == "<title>Default</title>\n<main>\n<h1>T</h1>\n\n</main>\n")
        let both = "{{<layout}}{{$title}}Mine{{/title}}{{$main}}M{{/main}}{{/layout}}"
        #expect(try render(both, value, partials: partials) == "<title>Mine</title>\n<main>\nM\n</main>\n")
    }

    @Test func delimitersCanBeChanged() throws {
        #expect(try render("{{=<% %>=}}<% name %> {{name}}<%={{ }}=%> {{name}}", object(["name": .text("n")])) == "n {{name}} n")
    }

    @Test func textContentTypeStopsEscaping() throws {
        #expect(try render("{{%CONTENT_TYPE:TEXT}}{{text}}", object(["text": .text("a<b")])) == "a<b")
    }

    @Test func badTemplatesAreRejectedWithTheirPlace() throws {
        let cases: [(String, String)] = [
            ("{{#open}}never closed", "is never closed"),
            ("{{#a}}x{{/b}}", "closes a section opened as `a`"),
            ("line\n  {{/stray}}", "closes no open section"),
            ("{{name", "is not closed"),
            ("{{{name}}", "is not closed by `}}}`"),
            ("{{! comment", "comment is not closed"),
            ("{{empty(list}}", "unbalanced brackets"),
            ("{{<layout}}{{name}}{{/layout}}", "only blocks"),
            ("{{=<% =}}", "set delimiters"),
            ("{{%CONTENT_TYPE:XML}}", "unknown content type"),
        ]
        for (source, message) in cases {
            #expect {
                _ = try PageTemplate(source)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
        #expect(throws: PageTemplateError.self) { try PageTemplate("a\nb {{#x}}") }
        do {
            _ = try PageTemplate("one\ntwo {{/x}}")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
        }
        // 5,000 nested sections crashed the build (the parser recursed without a bound).
        let deep = String(repeating: "{{#page}}", count: 5_000) + String(repeating: "{{/page}}", count: 5_000)
        #expect { _ = try PageTemplate(deep) } throws: { error in
            "\(error)".contains("sections and blocks are nested more than 100 deep")
        }
        let fits = String(repeating: "{{#a}}", count: 100) + "x" + String(repeating: "{{/a}}", count: 100)
        #expect((try? PageTemplate(fits)) != nil)
    }

    @Test func aPartialIncludingItselfStopsWithAnError() throws {
        var library = PageTemplateLibrary()
        try library.register("x{{>loop}}", named: "loop")
        #expect {
            _ = try library.render(object([:]), withTemplate: "loop")
        } throws: { error in
            "\(error)".contains("`{{>loop}}` is nested more than 64")
        }
        #expect(try library.render(object([:]), withTemplate: "absent") == nil)
    }

    /// Within the depth limit, partials that each include the next twice expand 2^41 times:
    /// past two million expansions the page stops with an error instead of running for days.
    @Test func partialsFanningOutStopWithAnError() throws {
        var library = PageTemplateLibrary()
        for level in 0...40 { try library.register("{{> p\(level + 1)}}{{> p\(level + 1)}}", named: "p\(level)") }
        try library.register("x", named: "p41")
        #expect {
            _ = try library.render(object([:]), withTemplate: "p0")
        } throws: { error in
            "\(error)".contains("the page expands more than 2000000 partials and blocks or 256 MB")
        }
        // Twelve levels (4,096 copies) are fine.
        try library.register("x", named: "p12")
        #expect(try library.render(object([:]), withTemplate: "p0")?.count == 4_096)
    }
}

@Suite struct PageValueEncodingTests {
    private let page = Page(title: "T", url: "u", rows: [Row(name: "a", url: nil, count: 2), Row(name: "b", url: "b.html", count: 0)],
                            ratio: 0.5, tags: ["z": 1, "a": 2, "m": 3], missing: nil)

    @Test func encodableValuesBecomeTheTreeTheTemplatesRead() throws {
        let tree = try PageValue(encoding: page)
        guard case .object(let root) = tree else { Issue.record("not an object"); return }
        #expect(root.keys == ["title", "url", "rows", "ratio", "tags"])
        guard case .object(let tags)? = root["tags"] else { Issue.record("tags"); return }
        #expect(tags.keys == ["a", "m", "z"])
        #expect(tags.isDictionary)
        // A row without a url falls back to the page's url, as it would on the struct.
        #expect(try render("{{#rows}}{{name}}:{{url}}:{{count}};{{/rows}} {{ratio}} {{tags.m}}{{missing}}", tree) == "a:u:2;b:b.html:0; 0.5 3")
    }

    @Test func fingerprintsDoNotDependOnDictionaryOrder() throws {
        var first = Recorder(), second = Recorder()
        try PageValue(encoding: page).hash(into: &first)
        let reordered = Page(title: "T", url: "u", rows: page.rows, ratio: 0.5, tags: Dictionary(uniqueKeysWithValues: page.tags.reversed()), missing: nil)
        try PageValue(encoding: reordered).hash(into: &second)
        #expect(first.items == second.items)
        var changed = Recorder()
        try PageValue(encoding: Page(title: "T", url: "u", rows: [], ratio: 0.5, tags: page.tags, missing: nil)).hash(into: &changed)
        #expect(changed.items != first.items)
    }

    @Test func deferredPartsAreHashedByTheirInputsAndMadeOnlyForRendering() throws {
        struct Diffed: Encodable, Sendable {
            let diff: Deferred<Row>
        }
        let model = Diffed(diff: Deferred(inputs: ["old", "new"]) { Row(name: "made", url: nil, count: 1) })
        let full = try PageValue(encoding: model), hashOnly = try PageValue(encoding: model, makingDeferred: false)
        var a = Recorder(), b = Recorder()
        full.hash(into: &a)
        hashOnly.hash(into: &b)
        #expect(a.items == b.items)
        #expect(a.items.contains("old"))
        #expect(!a.items.contains("made"))
        #expect(try render("{{#diff}}{{name}}{{/diff}}", full) == "made")
        #expect(try render("[{{#diff}}{{name}}{{/diff}}]", hashOnly) == "[]")
    }
}

/// Records what a tree feeds a hasher, to compare two trees' fingerprints.
private struct Recorder: PageValueHasher {
    var items: [String] = []
    mutating func add(tag: UInt8) { items.append("#\(tag)") }
    mutating func add(_ text: String) { items.append(text) }
    mutating func add(_ number: UInt64) { items.append("=\(number)") }
}

/// Objects of more than 16 keys find keys through an index: by byte hashes when every key is
/// ASCII, by a dictionary otherwise. Either way a key is found as Swift compares Strings.
@Suite struct LargeObjectLookupTests {
    private func large(_ extra: [(String, PageValue)]) -> PageObject {
        let filler = (0..<40).map { ("field\($0)", PageValue.integer($0)) }
        let all = filler + extra
        return PageObject(keys: all.map(\.0), values: all.map(\.1))
    }

    @Test func asciiKeysAreFoundAndMissingOnesAreNot() throws {
        let object = large([("title", .text("Harbor")), ("K", .text("kelvin-free"))])
        for position in 0..<40 {
            guard case .integer(let found)? = object["field\(position)"] else { Issue.record("field\(position) not found"); continue }
            #expect(found == position)
        }
        guard case .text(let title)? = object["title"] else { Issue.record("title not found"); return }
        #expect(title == "Harbor")
        #expect(object["field40"] == nil && object["titles"] == nil && object[""] == nil)
        // A name that is not ASCII may still equal an ASCII key: the Kelvin sign is K to Swift.
        guard case .text(let kelvin)? = object["\u{212A}"] else { Issue.record("K not found by the Kelvin sign"); return }
        #expect(kelvin == "kelvin-free")
        #expect(try render("{{title}} {{field39}} {{\u{212A}}}", .object(object)) == "Harbor 39 kelvin-free")
    }

    @Test func keysThatAreNotAsciiAreComparedAsStrings() throws {
        // "é" precomposed as a key, looked up decomposed (and the other way round).
        let object = large([("caf\u{E9}", .text("precomposed")), ("nai\u{308}ve", .text("decomposed"))])
        guard case .text(let first)? = object["cafe\u{301}"], case .text(let second)? = object["na\u{EF}ve"] else {
            Issue.record("canonically equal keys not found")
            return
        }
        #expect(first == "precomposed" && second == "decomposed")
        #expect(object["cafe"] == nil)
    }

    @Test func theFirstOfEqualKeysWins() throws {
        let object = large([("twice", .integer(1)), ("twice", .integer(2))])
        guard case .integer(let found)? = object["twice"] else { Issue.record("not found"); return }
        #expect(found == 1)
        let mixed = large([("e\u{301}", .integer(1)), ("\u{E9}", .integer(2))])
        guard case .integer(let first)? = mixed["\u{E9}"] else { Issue.record("not found"); return }
        #expect(first == 1)
    }
}
