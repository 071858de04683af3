import Foundation
import Testing
import TestSupport
@testable import Site

@Suite struct DashboardCountTests {
    @Test func aCatalogWithoutFamiliesShowsItsBlocksProgramsAndContexts() throws {
        let content = try TemporaryContent([
            "action-blocks/lib.json": #"[{"id": "walk", "prompt": "A walk."}, {"id": "run", "prompt": "A run."}]"#,
            "programs/p.json": #"{"id": "p", "stages": [{"id": "t", "type": "template", "template": "x"}]}"#,
            "contexts/c.yaml": "npc.name: Mara\n",
        ])
        let page = try BuiltSite.build(content: content.root).text("index.html")
        #expect(page.contains("<strong>0</strong> families"))
        #expect(page.contains("<a class=\"card\" href=\"action-blocks/index.html\"><strong>2</strong> action blocks</a>"))
        #expect(page.contains("<a class=\"card\" href=\"programs/index.html\"><strong>1</strong> program</a>"))
        #expect(page.contains("<a class=\"card\" href=\"programs/index.html\"><strong>1</strong> context</a>"))
    }

    @Test func kindsWithNothingGetNoCard() throws {
        let content = try TemporaryContent(["action-blocks/lib.json": #"[{"id": "walk", "prompt": "A walk."}]"#])
        let page = try BuiltSite.build(content: content.root).text("index.html")
        #expect(page.contains("<strong>1</strong> action block</a>"))
        #expect(!page.contains("program</a>") && !page.contains("programs</a>"))
        #expect(!page.contains("context</a>") && !page.contains("contexts</a>"))
        #expect(!page.contains("content pack"))
    }

    @Test func contentPacksGetCards() throws {
        let content = try TemporaryContent(ContentPackFixture.files)
        let page = try BuiltSite.build(content: content.root).text("index.html")
        #expect(page.contains("<a class=\"card\" href=\"content-packs/index.html\"><strong>2</strong> content packs</a>"))
        #expect(page.contains("<a class=\"card\" href=\"content-packs/index.html\"><strong>10</strong> content-pack blocks</a>"))
    }
}
