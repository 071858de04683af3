import Diagnostics
import Testing
import TestSupport

/// `doc-broken-link`: links between docs, to their headings and to the images beside them are
/// checked against what the site publishes; other pages of the site and addresses are not.
@Suite struct DocRuleTests {
    @Test func linksToMissingDocsHeadingsAndImagesAreWarnings() throws {
        let found = try check([
            "docs/index.md": """
            # Home

            See [setup](setup.md), [install](setup.md#install), [typo](setpu.md), [gone](setup.md#instal),
            [here](#home), [nowhere](#away), [plugins](../plugins/index.html), [web](https://example.org/x.md),
            ![ok](img/a.png) ![missing](img/b.png) [out](../../secret.md)
            """,
            "docs/setup.md": "# Setup\n\n## Install\n\nBack [home](index.md#home).\n",
            "docs/img/a.png": "PNG",
        ]).codes("doc-broken-link")
        #expect(found.map(\.description) == [
            "docs/index.md:3:60: warning[doc-broken-link]: `setpu.md` names no doc: there is no docs/setpu.md",
            "docs/index.md:3:78: warning[doc-broken-link]: `setup.md#instal` names no heading of docs/setup.md",
            "docs/index.md:4:26: warning[doc-broken-link]: `#away` names no heading of this doc",
            "docs/index.md:5:29: warning[doc-broken-link]: `img/b.png` names no image beside the docs: there is no docs/img/b.png",
            "docs/index.md:5:46: warning[doc-broken-link]: `../../secret.md` leads out of the docs folder",
        ])
        #expect(found.first?.hint == "link to a doc under docs/ (`guide.md`, `guide.md#a-heading`), a heading of this one (`#a-heading`) or an image beside the docs")
    }

    /// Thousands of broken links: the first 99 located, the rest one count (each was a search of the doc).
    @Test func manyBrokenLinksAreListedThenCounted() throws {
        let doc = "# A\n\n" + (0..<3_000).map { "See [x](missing\($0).md) here.\n" }.joined()
        let found = try check(["docs/a.md": doc]).codes("doc-broken-link")
        #expect(found.count == 100)
        #expect(found.first?.description == "docs/a.md: warning[doc-broken-link]: 2901 more broken links in this doc, not listed")
        #expect(found.dropFirst().allSatisfy { $0.location?.line != nil })
        #expect(found.last?.location == SourceLocation(file: "docs/a.md", line: 101, column: 9))
    }

    /// cmark-gfm's footnotes link to ids it writes itself (`#fn-1`, `#fnref-1`): not broken. A link
    /// to another doc's footnote arrives too; a footnote id that no doc has is still reported.
    @Test func footnotesAreAnchorsLinksMayName() throws {
        let found = try check([
            "docs/index.md": "# Guide\n\nA claim.[^1] Another.[^note]\n\nSee [the source](other.md#fn-1) and [no such](other.md#fn-9).\n\n[^1]: The source.\n[^note]: More.\n",
            "docs/other.md": "# Other\n\nSaid.[^1]\n\n[^1]: Here.\n",
        ]).codes("doc-broken-link")
        #expect(found.map(\.description) == ["docs/index.md:5:47: warning[doc-broken-link]: `other.md#fn-9` names no heading of docs/other.md"])
    }
}
