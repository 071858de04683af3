import Foundation
import PromptCatalog
import Testing
import TestSupport
@testable import Site

/// A version page shows at most 8 MB of previews: 5,000 examples of a 100 KB template made a
/// 500 MB page the renderer refused, and no site was written at all.
@Suite struct PreviewBudgetTests {
    @Test func previewsPastTheBudgetKeepTheirLengthAndSayHowToPrintThem() throws {
        // 300 examples of a 40,000-character text: 12 MB of previews.
        let examples = (0..<300).map { "  - { name: e\($0), vars: { lead: M\($0) } }" }.joined(separator: "\n")
        let body = "{{lead}} " + String(repeating: "walks the pier. ", count: 2_500)
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 100_000),
            "prompts/fam/family.yaml": Fixture.family(title: "Fam"),
            "prompts/fam/v1.prompt": Fixture.version("version: 1\nvariables:\n  lead: { type: string, max_length: 40 }\nexamples:\n" + examples, body),
        ])
        let site = try BuiltSite.build(content: content.root, project: content.project)
        let page = try site.text("prompts/fam/v1/index.html")
        let length = 4 + 1 + 2_500 * 16
        let shown = page.components(separatedBy: "<pre>M").count - 1
        // Each preview is 40,003–40,005 bytes: 209 fit in 8 MB.
        #expect(shown == 209)
        #expect(page.contains("<figcaption>e208 <small>\(length) characters</small></figcaption><pre>M208 walks"))
        #expect(page.contains("<figcaption>e209 <small>\(length) characters</small></figcaption><pre>(not shown: the previews above fill the 8 MB a page shows; `promptsite render fam@1 --example e209` prints it)</pre>"))
        #expect(page.contains("<figcaption>e299 <small>\(length) characters</small></figcaption><pre>(not shown:"))
        #expect(page.utf8.count < 10 << 20)
        #expect(PagePlanner.shellWord("e209") == "e209" && PagePlanner.shellWord("fam@1") == "fam@1")
        #expect(PagePlanner.shellWord("night shot") == "'night shot'" && PagePlanner.shellWord("it's") == "'it'\\''s'")
    }

    /// Two templates of more than 2 MB together are not diffed word by word on the page (two of
    /// 16 MB took 2.6 GB): it says so and names the command that prints the diff.
    @Test func largeTemplatesAreNotDiffedOnThePage() throws {
        let text = String(repeating: "the keeper walks the pier ", count: 45_000)  // 1.17 MB
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 10_000_000),
            "prompts/fam/family.yaml": Fixture.family(title: "Fam"),
            "prompts/fam/v1.prompt": Fixture.version("version: 1", text),
            "prompts/fam/v2.prompt": Fixture.version("version: 2\nparent: 1", text + "at dusk"),
            "prompts/small/family.yaml": Fixture.family(title: "Small"),
            "prompts/small/v1.prompt": Fixture.version("version: 1", "A lamp."),
            "prompts/small/v2.prompt": Fixture.version("version: 2\nparent: 1", "A lamp at dusk."),
        ])
        let site = try BuiltSite.build(content: content.root, project: content.project)
        let page = try site.text("prompts/fam/v2/index.html")
        let note = "<p class=\"note\">The two templates hold 2 MB together, more than the 2 MB a page compares word by word: <code>promptsite diff fam@1 fam@2 --words</code> prints the diff.</p>"
        #expect(page.components(separatedBy: note).count == 3, "in both views")
        #expect(page.contains("too large to compare on the page"))
        #expect(!(try site.text("prompts/small/v2/index.html")).contains("too large to compare"))
    }
}
