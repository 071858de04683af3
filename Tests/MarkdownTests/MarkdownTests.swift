import Foundation
import Testing
@testable import Markdown

@Suite struct MarkdownTests {
    @Test func plainParagraphAndEmphasis() {
        #expect(Markdown.html("A *gull* over the **harbor**.") == "<p>A <em>gull</em> over the <strong>harbor</strong>.</p>\n")
    }

    @Test func tables() {
        let html = Markdown.html("| Version | Success |\n|:--|--:|\n| v1 | 82% |\n| v2 | 91% |")
        #expect(html == """
            <table>
            <thead>
            <tr>
            <th align="left">Version</th>
            <th align="right">Success</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td align="left">v1</td>
            <td align="right">82%</td>
            </tr>
            <tr>
            <td align="left">v2</td>
            <td align="right">91%</td>
            </tr>
            </tbody>
            </table>

            """)
    }

    /// A row of 40,000 pipes ran cmark-gfm's table extension for minutes: past 500 pipes on a
    /// line the text is rendered without tables, and at once.
    @Test func aLineOfThousandsOfPipesIsTextNotAQuadraticTable() {
        let pipes = "|a|\n|-|\n" + String(repeating: String(repeating: "|", count: 40_000) + "\n", count: 5)
        let clock = ContinuousClock()
        let start = clock.now
        let html = Markdown.html(pipes)
        #expect(clock.now - start < .seconds(20))
        #expect(!html.contains("<table>"))
        #expect(html.hasPrefix("<p>|a|\n|-|\n|||"))
        // At the limit, a table is still a table.
        let wide = "|" + String(repeating: "a|", count: 499) + "\n|" + String(repeating: "-|", count: 499) + "\n"
        #expect(Markdown.html(wide).hasPrefix("<table>"))
        #expect(Markdown.hasLineWithMorePipes(than: 500, in: wide) == false)
        #expect(Markdown.hasLineWithMorePipes(than: 500, in: String(repeating: "|", count: 501)))
        // Narrow rows, too many in all (499 × 8,000 cells took 1.9 GB): the count over the whole text.
        let rows = String(repeating: "|a|b|\n", count: 3)
        #expect(Markdown.hasLineWithMorePipes(than: 500, orInAll: 9, in: rows) == false)
        #expect(Markdown.hasLineWithMorePipes(than: 500, orInAll: 8, in: rows))
        #expect(Markdown.mostTableCellsInAll == 500_000)
    }

    /// A line opening more containers than `deepestNesting` (cmark-gfm is quadratic in them when
    /// a later line is full of `[`) is shown as escaped text; ordinary nesting is Markdown.
    @Test func deeplyNestedContainersAreShownAsText() {
        let deep = String(repeating: "- ", count: 20_000) + "y\n" + String(repeating: "[", count: 20_000) + "\n<b>"
        #expect(Markdown.hasLineNestedDeeperThan(Markdown.deepestNesting, in: deep))
        let html = Markdown.html(deep)
        #expect(html.hasPrefix("<pre><code>- - - ") && html.hasSuffix("&lt;b&gt;\n</code></pre>\n"))
        // A fence inside the text does not close the block.
        #expect(Markdown.fenced("a\n```\nb ````") == "`````\na\n```\nb ````\n`````\n")
        #expect(Markdown.hasLineNestedDeeperThan(100, in: String(repeating: "> ", count: 101) + "q"))
        #expect(Markdown.hasLineNestedDeeperThan(100, in: String(repeating: "1. ", count: 101) + "q"))
        #expect(!Markdown.hasLineNestedDeeperThan(100, in: String(repeating: "> ", count: 100) + "q"))
        #expect(!Markdown.hasLineNestedDeeperThan(100, in: String(repeating: "12 ", count: 200) + "\n" + String(repeating: "--", count: 200)))
        #expect(Markdown.html("- a\n  - b\n").contains("<li>a\n<ul>\n<li>b</li>"))
    }

    @Test func strikethrough() {
        #expect(Markdown.html("~~gone~~ kept") == "<p><del>gone</del> kept</p>\n")
    }

    @Test func autolinkOfABareURL() {
        #expect(Markdown.html("see https://example.com now") == "<p>see <a href=\"https://example.com\">https://example.com</a> now</p>\n")
        #expect(Markdown.html("www.example.com").contains("<a href=\"http://www.example.com\">www.example.com</a>"))
    }

    @Test func taskList() {
        #expect(Markdown.html("- [x] done\n- [ ] todo") == """
            <ul>
            <li><input type="checkbox" checked="" disabled="" /> done</li>
            <li><input type="checkbox" disabled="" /> todo</li>
            </ul>

            """)
    }

    @Test func fencedCodeKeepsItsLanguageAsPreLang() {
        // CMARK_OPT_GITHUB_PRE_LANG: the language goes on <pre lang>, not a class on <code>.
        let html = Markdown.html("```swift\nlet x = 1 < 2\n```")
        #expect(html == "<pre lang=\"swift\"><code>let x = 1 &lt; 2\n</code></pre>\n")
        #expect(!html.contains("class=\"language-swift\""))
    }

    @Test func rawHTMLIsOmittedByDefault() {
        let html = Markdown.html("<script>alert(1)</script>\n\nText <b>bold</b>\n\n<div>block</div>")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<div>"))
        #expect(html == "<!-- raw HTML omitted -->\n<p>Text <!-- raw HTML omitted -->bold<!-- raw HTML omitted --></p>\n<!-- raw HTML omitted -->\n")
    }

    @Test func unsafeHTMLKeepsRawHTMLButTagfilterStillDisarmsScript() {
        let html = Markdown.html("<script>alert(1)</script>\n\nText <b>bold</b>\n\n<div>block</div>", unsafeHTML: true)
        // Ordinary raw HTML passes through once unsafe HTML is allowed…
        #expect(html.contains("<p>Text <b>bold</b></p>"))
        #expect(html.contains("<div>block</div>"))
        // …but the GFM tagfilter extension rewrites the `<` of `<script>` (and `</script>`)
        // as `&lt;`, so the browser shows the tag as text instead of running it.
        #expect(!html.contains("<script"))
        #expect(html.hasPrefix("&lt;script>alert(1)&lt;/script>\n"))
    }

    @Test func tagfilterCoversTheOtherDangerousTags() {
        let html = Markdown.html("<iframe src=x></iframe> <style>p{}</style> <textarea></textarea> <plaintext>", unsafeHTML: true)
        for tag in ["iframe", "style", "textarea", "plaintext"] {
            #expect(!html.contains("<\(tag)"), "\(tag)")
            #expect(html.contains("&lt;\(tag)"), "\(tag)")
        }
    }

    @Test func javascriptLinksAreBlankedByDefault() {
        let html = Markdown.html("[x](javascript:alert(1)) and <javascript:alert(2)> and [y](JAVASCRIPT:alert(3))")
        // Every href is blanked; the autolink's text stays visible as plain text.
        #expect(!html.lowercased().contains("href=\"javascript"))
        #expect(html == "<p><a href=\"\">x</a> and <a href=\"\">javascript:alert(2)</a> and <a href=\"\">y</a></p>\n")
    }

    /// `unsafeHTML` keeps raw HTML, not dangerous Markdown links (cmark stops blanking them in its
    /// unsafe mode; the SPEC neutralises them always). Safe links and inline images stay.
    @Test func javascriptLinksAreBlankedWithUnsafeHTMLToo() {
        let html = Markdown.html("""
        [a](javascript:alert(1)) [b](<JaVa\tScRiPt:alert(2)>) ![c](vbscript:x) [d](data:text/html;base64,PHNjcmlwdD4=) [e](file:///etc/passwd)
        [f](java&#115;cript:alert(3)) <span>raw</span> [g](https://example.com) ![h](data:image/png;base64,iVBO) [i](javascripts.html)
        """, unsafeHTML: true)
        #expect(html == """
        <p><a href="">a</a> <a href="">b</a> <img src="" alt="c" /> <a href="">d</a> <a href="">e</a>
        <a href="">f</a> <span>raw</span> <a href="https://example.com">g</a> <img src="data:image/png;base64,iVBO" alt="h" /> <a href="javascripts.html">i</a></p>

        """)
    }

    @Test func safeLinksAndImagesAreKept() {
        #expect(Markdown.html("[docs](https://example.com/a?b=1&c=2 \"Title\")") == "<p><a href=\"https://example.com/a?b=1&amp;c=2\" title=\"Title\">docs</a></p>\n")
        #expect(Markdown.html("![gull](img/gull.png)") == "<p><img src=\"img/gull.png\" alt=\"gull\" /></p>\n")
    }

    @Test func nonASCIITextSurvives() {
        #expect(Markdown.html("Café — 灯台 🐚") == "<p>Café — 灯台 🐚</p>\n")
        #expect(Markdown.html("# Über 灯台") == "<h1>Über 灯台</h1>\n")
    }

    @Test func textIsEscaped() {
        #expect(Markdown.html("1 < 2 & \"quoted\"") == "<p>1 &lt; 2 &amp; &quot;quoted&quot;</p>\n")
    }

    @Test func templateBracesAreLeftAlone() {
        #expect(Markdown.html("Answer as {{lead}}.") == "<p>Answer as {{lead}}.</p>\n")
    }

    @Test func footnotes() {
        let html = Markdown.html("Claim.[^1]\n\n[^1]: Source.")
        #expect(html.contains("<section class=\"footnotes\""))
        #expect(html.contains("href=\"#fn-1\""))
    }

    @Test func emptyInput() {
        #expect(Markdown.html("") == "")
    }

    @Test func nulCharacterBecomesReplacementCharacter() {
        #expect(Markdown.html("a\u{0}b") == "<p>a\u{FFFD}b</p>\n")
    }
}

/// cmark-gfm is not safe to call from several threads at once; `Markdown.html` serialises it.
@Suite struct MarkdownConcurrencyTests {
    @Test func manyThreadsAtOnce() {
        let source = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ https://example.com\n"
        let expected = Markdown.html(source)
        nonisolated(unsafe) var results = [String](repeating: "", count: 400)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            let html = Markdown.html(source)
            lock.lock(); results[index] = html; lock.unlock()
        }
        #expect(results.allSatisfy { $0 == expected })
    }
}
