import Foundation
@testable import Site
import Testing
import TestSupport

@Suite struct SiteTextTests {
    /// The search index takes a version's first 400 characters; the ASCII shortcut must take the
    /// same ones, also where the 401st byte joins the 400th character or starts a `\r\n`.
    @Test func searchTextTakesTheFirstFourHundredCharacters() {
        let long = String(repeating: "abcd ", count: 100)
        let texts = [
            "", "short", long, String(long.prefix(399)) + "e\u{301}tail", String(long.prefix(400)) + "\u{301}tail", String(long.prefix(399)) + "\r\nx",
            String(long.prefix(400)) + "\r\n", "é" + long, String(repeating: "😀", count: 450), String(long.prefix(398)) + "日本語",
        ]
        for text in texts {
            #expect(PagePlanner.searchText(text) == String(text.prefix(400)), "\(text.utf8.count) bytes")
        }
        #expect(PagePlanner.searchText(long).utf8.count == 400)
        #expect(PagePlanner.searchText(String(long.prefix(400)) + "\u{301}tail").utf8.count == 402)
    }

    @Test func datesReadTheSameAsThroughFoundation() {
        #expect(SiteDates.display(Date(timeIntervalSince1970: 1_763_373_600)) == "2025-11-17 10:00 UTC")
        #expect(SiteDates.display(Date(timeIntervalSince1970: 1_763_373_605.75)) == "2025-11-17 10:00:05Z")
        #expect(SiteDates.display(Date(timeIntervalSince1970: -86_400)) == "1969-12-31 00:00 UTC")
        var state: UInt64 = 7
        for _ in 0..<2_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // From year 1 to 9999, whole and fractional seconds, minutes on the hour and not.
            let seconds = Double(Int64(state >> 24) % 315_000_000_000) - 62_000_000_000 + (state & 1 == 0 ? 0 : 0.5)
            let date = Date(timeIntervalSince1970: seconds.rounded(.down) - (state & 2 == 0 ? seconds.truncatingRemainder(dividingBy: 60) : 0))
            #expect(SiteDates.display(date) == SiteDates.formatted(date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func htmlEscapesTheFiveCharactersAndKeepsEverythingElse() {
        #expect(HTML.escape(#"<a href="x">Tom & 'Jo'</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;")
        #expect(HTML.escape("café — ünïcödé 🚢") == "café — ünïcödé 🚢")
        #expect(HTML.escape("naïve <b>") == "naïve &lt;b&gt;")
        #expect(HTML.escape("") == "")
    }

    /// Doc headings carry GitHub's ids, so links to `#a-section` arrive (they went nowhere).
    @Test func docHeadingsGetGitHubsIDs() throws {
        let content = try TemporaryContent([
            "docs/guide.md": "# Getting started\n\nSee [usage](#usage) and [again](#getting-started-1).\n\n## Usage\n\n## Getting started\n\n### C++ & `Swift`!\n\n## ???\n",
            "docs/other.md": "# Other\n\n[The guide's usage](guide.md#usage)\n",
        ])
        let site = try BuiltSite.build(content: content.root)
        let guide = try site.text(SitePaths.doc("docs/guide.md"))
        #expect(guide.contains("<h1 id=\"getting-started\">Getting started</h1>"))
        #expect(guide.contains("<h2 id=\"usage\">Usage</h2>"))
        #expect(guide.contains("<h2 id=\"getting-started-1\">Getting started</h2>"))
        #expect(guide.contains("<h3 id=\"c--swift\">C++ &amp; <code>Swift</code>!</h3>"))
        #expect(guide.contains("<h2>???</h2>"))
        #expect(try site.linkProblems().problems == [])
    }
}
