import Foundation
import Testing
import TestSupport
@testable import Site

private let hasPixSim7 = FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("example_vampire_pack.json").path)
    && FileManager.default.fileExists(atPath: Repository.pixsim7.appendingPathComponent("bench_park_actions.json").path)

/// The real PixSim7 files, copied into a temporary content folder (never into the project).
private func realBlocksSite() throws -> (BuiltSite, TemporaryContent) {
    let content = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell", limit: 4000)])
    for name in ["bench_park_actions.json", "example_vampire_pack.json"] {
        try content.write("action-blocks/\(name)", data: Data(contentsOf: Repository.pixsim7.appendingPathComponent(name)))
    }
    return (try BuiltSite.build(content: content.root), content)
}

@Suite struct BlockPageTests {
    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func realFilesMakeOnePagePerBlock() throws {
        let (site, content) = try realBlocksSite()
        defer { withExtendedLifetime(content) {} }
        let blockPages = site.files().filter { $0.hasPrefix("action-blocks/block/") && $0.hasSuffix("/index.html") }
        #expect(blockPages.count == 11)
        #expect(site.exists("action-blocks/index.html"))
        #expect(site.exists("action-blocks/bench_park_actions/index.html"))
        #expect(site.exists("action-blocks/example_vampire_pack/index.html"))

        let index = try site.text("action-blocks/index.html")
        #expect(count("<tr data-type=", in: index) == 11)
        #expect(index.contains("data-filter=\"blocks\""))
        #expect(index.contains("href=\"../action-blocks/example_vampire_pack/index.html\">vampire_seduction</a>"))
        #expect(index.contains("<svg") && index.contains("class=\"transition-graph\""))

        let package = try site.text("action-blocks/example_vampire_pack/index.html")
        #expect(package.contains("vampire_hypnotic_seduction"))
        #expect(package.contains("ancient_vampire"))
        #expect(package.contains("<code>character</code>"))
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func blockPageShowsTheLayeredPromptAndLinks() throws {
        let (site, content) = try realBlocksSite()
        defer { withExtendedLifetime(content) {} }
        let vampire = try site.text("action-blocks/block/vampire_mirror_seduction/index.html")
        #expect(vampire.contains("The camera dollies slowly in a straight line, focused on mirror reflection."))
        #expect(vampire.contains("<pre class=\"prompt layered\">"))
        #expect(vampire.contains("unversioned"))
        #expect(vampire.contains("<code>vampire_bite</code> <span class=\"badge elsewhere\">defined elsewhere</span>"))

        let approach = try site.text("action-blocks/block/bench_approach_and_sit/index.html")
        let previous = try #require(approach.range(of: "park_walking_together"))
        #expect(approach[previous.upperBound...].prefix(120).contains("defined elsewhere"))

        let almost = try site.text("action-blocks/block/bench_almost_kiss/index.html")
        let link = try #require(almost.range(of: "<a href=\"../../../action-blocks/block/bench_interrupted/index.html\">bench_interrupted</a>"))
        #expect(almost[link.upperBound...].prefix(80).contains("pose gap"))
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func transitionGraphDashesPoseGaps() throws {
        let (site, content) = try realBlocksSite()
        defer { withExtendedLifetime(content) {} }
        let index = try site.text("action-blocks/index.html")
        let edge = try #require(index.firstMatch(of: /<path class="([^"]*)" data-from="bench_almost_kiss" data-to="bench_interrupted"[^>]*>/))
        #expect(edge.1.split(separator: " ").contains("gap"))
        #expect(edge.0.contains("stroke-dasharray"))
        // A link into a library the site does not load is listed under its graph, not drawn.
        #expect(!index.contains("node external"))
        #expect(index.contains("→ <code>bench_turn_toward_partner</code> <span class=\"badge elsewhere\">defined elsewhere</span>"))
        #expect(index.contains("<a href=\"../action-blocks/block/bench_hair_tuck/index.html\">"))
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func apiListsEveryBlock() throws {
        let (site, content) = try realBlocksSite()
        defer { withExtendedLifetime(content) {} }
        let api = try #require(try site.json("api/v1/blocks.json") as? [String: Any])
        let blocks = try #require(api["blocks"] as? [[String: Any]])
        #expect(blocks.count == 11)
        let vampire = try #require(blocks.first { $0["id"] as? String == "vampire_mirror_seduction" })
        #expect(vampire["package"] as? String == "vampire_seduction")
        #expect(vampire["file"] as? String == "action-blocks/example_vampire_pack.json")
        #expect((vampire["layered_prompt"] as? String)?.contains("The camera dollies slowly") == true)
        #expect(vampire["compatible_next"] as? [String] == ["vampire_bite", "vampire_embrace", "character_surrender"])
        #expect(vampire["family"] is NSNull)
        let bench = try #require(blocks.first { $0["id"] as? String == "bench_approach_and_sit" })
        #expect(bench["package"] is NSNull)
    }

    @Test(.enabled(if: hasPixSim7, "../shared/pixsim7 is absent"))
    func everyLocalLinkResolves() throws {
        let (site, content) = try realBlocksSite()
        defer { withExtendedLifetime(content) {} }
        let links = try site.linkProblems()
        #expect(links.problems.isEmpty, "\(links.problems)")
        #expect(links.checked > 300)
        // Diagnostics of block files link to the file's page.
        #expect(try site.text("checks/index.html").contains("href=\"../action-blocks/bench_park_actions/index.html\""))
    }

    @Test func noBlocksStillBuildsTheIndex() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        let site = try BuiltSite.build(content: content.root)
        let index = try site.text("action-blocks/index.html")
        #expect(index.contains("There are no action blocks"))
        #expect(index.contains("aria-current=\"page\">Action blocks</a>"))
        let api = try #require(try site.json("api/v1/blocks.json") as? [String: Any])
        #expect((api["blocks"] as? [Any])?.isEmpty == true)
    }

    @Test func versionedBlockLinksItsFamily() throws {
        let content = try TemporaryContent([
            "action-blocks/walks.json": #"[{"id": "walk", "kind": "single_state", "prompt": "A walk."}, {"id": "run", "kind": "single_state", "prompt": "A run."}]"#,
            "prompts/block-walk/family.yaml": Fixture.family(title: "Walk block", extra: "action_block: walk"),
            "prompts/block-walk/v1.prompt": Fixture.version("version: 1", "A walk."),
        ])
        let site = try BuiltSite.build(content: content.root)
        let walk = try site.text("action-blocks/block/walk/index.html")
        #expect(walk.contains("versioned by <a href=\"../../../prompts/block-walk/index.html\">Walk block</a>"))
        #expect(try site.text("action-blocks/block/run/index.html").contains("unversioned"))
        let api = try #require(try site.json("api/v1/blocks.json") as? [String: Any])
        let blocks = try #require(api["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["family"] as? String } == ["block-walk", nil])
        #expect(try site.text("action-blocks/walks/index.html").contains("library"))
    }

    @Test func aRejectedBlockFileHasNoKindBadge() throws {
        let content = try TemporaryContent([
            "action-blocks/broken.json": "{\"action_blocks\": [",
            "action-blocks/lib.json": #"[{"id": "walk", "prompt": "A walk."}]"#,
        ])
        let site = try BuiltSite.build(content: content.root)
        let broken = try site.text("action-blocks/broken/index.html")
        #expect(broken.contains("<h1>broken</h1>"))
        #expect(broken.contains("This file could not be read as a library or a package"))
        #expect(!broken.contains("<span class=\"badge\">library</span>"))
        #expect(try site.text("action-blocks/lib/index.html").contains("<h1>lib <span class=\"badge\">library</span></h1>"))
        let index = try site.text("action-blocks/index.html")
        #expect(index.contains("<td>not read (see its errors)</td><td><code>action-blocks/broken.json</code></td>"))
    }

    @Test func hostileBlockTextIsEscaped() throws {
        let evil = #"<script>alert(1)</script>\"' onmouseover=\"alert(2)"#
        let content = try TemporaryContent([
            "action-blocks/evil lib.json": """
            [
              {"id": "\(evil)", "kind": "single_state", "prompt": "A <b>walk</b> </pre><script>alert(3)</script>",
               "tags": {"location": "<i>park</i>", "mood": "<script>m</script>", "custom": ["<u>c</u>"]},
               "startPose": "<s>a</s>", "endPose": "b", "compatibleNext": ["<img src=x onerror=alert(4)>", "dup"],
               "compatiblePrev": ["javascript:alert(5)"], "weird_field": {"<x>": "</code><script>alert(6)</script>"}},
              {"id": "dup", "kind": "transition", "prompt": "one", "from": {"pose": "c"}, "to": {"pose": "d"}},
              {"id": "dup", "kind": "<script>k</script>", "prompt": "two"},
              {"id": "../../etc", "kind": "single_state", "prompt": "three"}
            ]
            """,
            "action-blocks/block/nested.json": #"[{"id": "nested", "kind": "single_state", "prompt": "four"}]"#,
        ])
        let site = try BuiltSite.build(content: content.root)
        let blockPages = site.files().filter { $0.hasPrefix("action-blocks/block/") && $0.hasSuffix("/index.html") }
        #expect(blockPages.count == 5, "\(blockPages)")
        #expect(site.exists("action-blocks/block/dup/index.html"))
        #expect(site.exists("action-blocks/block/dup~d2/index.html"))
        #expect(site.exists("action-blocks/evil~20lib/index.html"))
        #expect(site.exists("action-blocks/~62lock/nested/index.html"))
        #expect(site.files().allSatisfy { !$0.contains("..") && !$0.hasPrefix("etc") })
        var scanned = 0
        for page in site.files() where page.hasPrefix("action-blocks/") || page == "checks/index.html" {
            let html = try site.text(page)
            #expect(count("<script", in: html) == 1, "\(page) has a script tag from content")
            #expect(count("</script>", in: html) == 1, "\(page) closes a script early")
            let unquoted = html.replacing(/="[^"]*"/, with: "=\"\"")
            #expect(unquoted.matches(of: /<[a-zA-Z][^>]*\son[a-z]+\s*=/).isEmpty, "\(page) has an event handler attribute")
            #expect(!html.contains("href=\"javascript:"), "\(page)")
            #expect(!html.contains("<b>walk</b>") && !html.contains("<i>park</i>") && !html.contains("<u>c</u>") && !html.contains("<s>a</s>"), "\(page)")
            scanned += 1
        }
        #expect(scanned >= 7)
        let api = try site.text("api/v1/blocks.json")
        #expect(!api.contains("<script") && !api.contains("</script"))
        let index = try site.text("action-blocks/index.html")
        #expect(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(index.contains("→ <code>&lt;img src=x onerror=alert(4)&gt;</code> <span class=\"badge elsewhere\">defined elsewhere</span>"))
    }
}
