import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

/// Content whose pages once grew with the square of its size: what each page lists is capped
/// (sizes asserted), and what is derived per item is found once (time bounds far above the
/// time measured after the fix).
@Suite struct LinearPageTests {
    /// Each copy of an id tried `~d2`, `~d3`… from the start: eight thousand copies were 32 million tries.
    @Test func duplicateBlockIDsGetTheirAddressesInLinearTime() {
        let text = "[" + Array(repeating: #"{"id": "b", "prompt": "x"}"#, count: 20_000).joined(separator: ",") + "]"
        let blocks = ActionBlockLoader.parse(text, file: "action-blocks/d.json").blocks
        let started = ContinuousClock.now
        let addresses = BlockAddresses(blocks)
        // About 0.1 s in a debug build; before, minutes.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(addresses.paths.count == 20_000 && Set(addresses.paths).count == 20_000)
        #expect(addresses.paths[0] == "action-blocks/block/b/index.html")
        #expect(addresses.paths[1] == "action-blocks/block/b~d2/index.html")
        #expect(addresses.paths[19_999] == "action-blocks/block/b~d20000/index.html")
    }

    /// A library on one line has every block on line 1: each block page listed every diagnostic
    /// of the file (N duplicate ids made N² rows). A block's diagnostics run from its `{` to the next.
    @Test func blockPagesOfAOneLineLibraryListOnlyTheirOwnDiagnostics() throws {
        let content = try TemporaryContent([
            "action-blocks/one.json": "[" + Array(repeating: #"{"id": "b", "kind": "single_state", "prompt": "x"}"#, count: 4).joined(separator: ", ") + "]",
        ])
        let site = try BuiltSite.build(content: content.root)
        let first = try site.text("action-blocks/block/b/index.html")
        #expect(count("is defined twice", in: first) == 0)
        for copy in 2...4 {
            let page = try site.text("action-blocks/block/b~d\(copy)/index.html")
            #expect(count("is defined twice", in: page) == 1, "copy \(copy)")
        }
        #expect(count("is defined twice", in: try site.text("action-blocks/one/index.html")) == 3)
    }

    /// Every doc page listed every doc (a thousand two-line docs were 48 MB): a doc lists the
    /// docs around it and links to the index, which lists them all.
    @Test func docPagesListTheDocsAroundThemAndTheIndexListsAll() throws {
        var files: [String: String] = [:]
        for number in 1...120 { files[String(format: "docs/d%03d.md", number)] = "# Doc \(number)\n\ntext\n" }
        let content = try TemporaryContent(files)
        let site = try BuiltSite.build(content: content.root)
        func navigation(_ page: String) throws -> String {
            let html = try site.text(page)
            let start = try #require(html.range(of: "<nav class=\"doc-nav\""))
            let end = try #require(html.range(of: "</nav>", range: start.upperBound..<html.endIndex))
            return String(html[start.lowerBound..<end.upperBound])
        }
        let index = try navigation("docs/index.html")
        #expect(count("<li>", in: index) == 120)
        #expect(!index.contains("All 120 docs"))
        let middle = try navigation("docs/d060.html")
        #expect(count("<li>", in: middle) == PagePlanner.docsListed)
        #expect(middle.contains(">Doc 35<") && middle.contains(">Doc 84<") && !middle.contains(">Doc 34<") && !middle.contains(">Doc 85<"))
        #expect(middle.contains("<a href=\"../docs/index.html\">All 120 docs</a>"))
        let last = try navigation("docs/d120.html")
        #expect(count("<li>", in: last) == PagePlanner.docsListed && last.contains(">Doc 71<") && last.contains(">Doc 120<"))
        #expect(try site.linkProblems().problems == [])
    }

    /// A block page listed every slot it can fill (B blocks × S slots of one category were
    /// B × S rows, found by scanning every slot's candidates for every block).
    @Test func packBlockPagesListAtMostFiftySlots() throws {
        let slots = 60, blocks = 60
        let content = try TemporaryContent([
            "content-packs/primitives/pp/manifest.yaml": "id: pp\nversion: \"1.0.0\"\ncategory: c\n",
            "content-packs/primitives/pp/blocks/b.yaml": "blocks:\n" + (0..<blocks).map { "  - block_id: p.c.\($0)\n    category: c\n    text: \"block \($0)\"\n" }.joined(),
            "content-packs/prompt/tt/manifest.yaml": "id: tt\nversion: 1.0.0\npackage_name: tt\n",
            "content-packs/prompt/tt/templates.yaml": "version: \"1.0.0\"\ntemplates:\n  - slug: big\n    name: Big\n    slots:\n"
                + (0..<slots).map { "      - key: s\($0)\n        category: c\n" }.joined(),
        ])
        let site = try BuiltSite.build(content: content.root)
        let page = try site.text("content-packs/primitives/pp/blocks/p.c.7/index.html")
        #expect(count("big · ", in: page) == PagePlanner.packSlotCandidateLimit)
        #expect(page.contains("big · s0<") && page.contains("big · s49<") && !page.contains("big · s50<"))
        #expect(page.contains("… and 10 more"))
        let template = try site.text("content-packs/prompt/tt/templates/big/index.html")
        #expect(template.contains("… and 10 more"))
    }
}
