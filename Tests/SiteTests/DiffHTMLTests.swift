import Site
import Testing

@Suite struct DiffHTMLTests {
    /// The class of every table row, in order.
    private func rowClasses(_ html: String) -> [String] {
        html.matches(of: /<tr class="([^"]*)">/).map { String($0.output.1) }
    }

    private func occurrences(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    private func numbered(_ range: ClosedRange<Int>) -> String {
        range.map { "Unchanged line \($0)\n" }.joined()
    }

    @Test func aOneLineChangeHighlightsWords() {
        let old = "Soft light at dusk.", new = "Warm light at night."
        let inline = DiffHTML.inline(old: old, new: new)
        let side = DiffHTML.sideBySide(old: old, new: new)
        for html in [inline, side] {
            #expect(html.contains("<del>Soft</del>"))
            #expect(html.contains("<ins>Warm</ins>"))
            #expect(html.contains("<del>dusk</del>"))
            #expect(html.contains("<ins>night</ins>"))
            #expect(!html.contains("<del>light"))
            #expect(!html.contains("<ins>light"))
        }
        #expect(inline.hasPrefix("<table class=\"diff diff-inline\">"))
        #expect(rowClasses(inline) == ["del", "ins"])
        #expect(inline.contains("<tr class=\"del\"><td class=\"num\">1</td><td class=\"num\"></td><td class=\"sign\">-</td><td class=\"text\"><del>Soft</del> light at <del>dusk</del>.</td></tr>"))
        #expect(inline.contains("<tr class=\"ins\"><td class=\"num\"></td><td class=\"num\">1</td><td class=\"sign\">+</td><td class=\"text\"><ins>Warm</ins> light at <ins>night</ins>.</td></tr>"))
        #expect(side.hasPrefix("<table class=\"diff diff-side\">"))
        #expect(rowClasses(side) == ["change"])
        #expect(side.contains("<td class=\"num\">1</td><td class=\"text old del\"><del>Soft</del> light at <del>dusk</del>.</td><td class=\"num\">1</td><td class=\"text new ins\"><ins>Warm</ins> light at <ins>night</ins>.</td>"))
    }

    @Test func statsCountLinesAndWords() {
        #expect(DiffHTML.stats(old: "Soft light at dusk.", new: "Warm light at night.")
            == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 2, wordsDeleted: 2))
        #expect(DiffHTML.stats(old: "same\ntext\n", new: "same\ntext\n") == DiffStats(linesAdded: 0, linesRemoved: 0, wordsInserted: 0, wordsDeleted: 0))
        #expect(DiffHTML.stats(old: "", new: "Two words\nand three more\n") == DiffStats(linesAdded: 2, linesRemoved: 0, wordsInserted: 5, wordsDeleted: 0))
        #expect(DiffHTML.stats(old: "keep\ndrop this line\nkeep too\n", new: "keep\nkeep too\n")
            == DiffStats(linesAdded: 0, linesRemoved: 1, wordsInserted: 0, wordsDeleted: 3))
        // Punctuation is not a word.
        #expect(DiffHTML.stats(old: "a, b", new: "a; b").wordsInserted == 0)
    }

    @Test func scriptIsEscapedInBothTexts() {
        let old = "<script>alert(1)</script> & \"quoted\"\nshared\n"
        let new = "<script>alert(2)</script> & 'single'\nshared\n<img src=x onerror=alert(3)>\n"
        for html in [DiffHTML.inline(old: old, new: new), DiffHTML.sideBySide(old: old, new: new)] {
            #expect(!html.contains("<script"))
            #expect(!html.contains("<img"))
            #expect(html.contains("&lt;script&gt;alert("))
            #expect(html.contains("&amp; <del>&quot;quoted&quot;</del>"))
            #expect(html.contains("<ins>&#39;single&#39;</ins>"))
            #expect(html.contains("&lt;img src=x onerror=alert(3)&gt;"))
            #expect(html.contains("<del>1</del>"))
            #expect(html.contains("<ins>2</ins>"))
        }
    }

    @Test func aLongUnchangedMiddleCollapses() {
        let old = "Opening line\n" + numbered(1...30) + "Closing line\n"
        let new = "Opening shot\n" + numbered(1...30) + "Closing shot\n"
        let inline = DiffHTML.inline(old: old, new: new)
        #expect(rowClasses(inline) == ["del", "ins", "eq", "eq", "eq", "skip", "eq", "eq", "eq", "del", "ins"])
        #expect(inline.contains("<tr class=\"skip\"><td colspan=\"4\">⋯ 24 unchanged lines hidden</td></tr>"))
        #expect(inline.contains(">Unchanged line 3</td>"))
        #expect(!inline.contains(">Unchanged line 4</td>"))
        #expect(!inline.contains(">Unchanged line 27</td>"))
        #expect(inline.contains(">Unchanged line 28</td>"))
        // The last line keeps its true numbers after the hidden stretch.
        #expect(inline.contains("<tr class=\"del\"><td class=\"num\">32</td><td class=\"num\"></td>"))
        let side = DiffHTML.sideBySide(old: old, new: new)
        #expect(rowClasses(side) == ["change", "eq", "eq", "eq", "skip", "eq", "eq", "eq", "change"])
        #expect(occurrences("24 unchanged lines hidden", in: side) == 1)
    }

    @Test func unchangedEdgesCollapseOnTheirOuterSide() {
        let old = numbered(1...19) + "The middle\n" + numbered(21...40)
        let new = numbered(1...19) + "The centre\n" + numbered(21...40)
        let inline = DiffHTML.inline(old: old, new: new)
        #expect(rowClasses(inline) == ["skip", "eq", "eq", "eq", "del", "ins", "eq", "eq", "eq", "skip"])
        #expect(inline.contains("16 unchanged lines hidden"))
        #expect(inline.contains("17 unchanged lines hidden"))
        // Two or three extra lines are shown rather than hidden behind a row of their own.
        let short = DiffHTML.inline(old: "a\nb\nc\nd\nold\n", new: "a\nb\nc\nd\nnew\n")
        #expect(rowClasses(short) == ["eq", "eq", "eq", "eq", "del", "ins"])
        let five = DiffHTML.inline(old: "a\nb\nc\nd\ne\nold\n", new: "a\nb\nc\nd\ne\nnew\n")
        #expect(rowClasses(five) == ["skip", "eq", "eq", "eq", "del", "ins"])
        #expect(five.contains("2 unchanged lines hidden"))
    }

    @Test func lineNumbersOnBothSides() {
        let old = "alpha\nbeta\ngamma\n", new = "alpha\ninserted\nbeta\ngamma\n"
        let inline = DiffHTML.inline(old: old, new: new)
        #expect(rowClasses(inline) == ["eq", "ins", "eq", "eq"])
        #expect(inline.contains("<tr class=\"eq\"><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"sign\"></td><td class=\"text\">alpha</td></tr>"))
        #expect(inline.contains("<tr class=\"ins\"><td class=\"num\"></td><td class=\"num\">2</td><td class=\"sign\">+</td><td class=\"text\">inserted</td></tr>"))
        #expect(inline.contains("<tr class=\"eq\"><td class=\"num\">2</td><td class=\"num\">3</td><td class=\"sign\"></td><td class=\"text\">beta</td></tr>"))
        #expect(inline.contains("<tr class=\"eq\"><td class=\"num\">3</td><td class=\"num\">4</td><td class=\"sign\"></td><td class=\"text\">gamma</td></tr>"))
        let side = DiffHTML.sideBySide(old: old, new: new)
        #expect(rowClasses(side) == ["eq", "ins", "eq", "eq"])
        #expect(side.contains("<tr class=\"ins\"><td class=\"num\"></td><td class=\"text old empty\"></td><td class=\"num\">2</td><td class=\"text new ins\">inserted</td></tr>"))
        #expect(side.contains("<tr class=\"eq\"><td class=\"num\">2</td><td class=\"text old\">beta</td><td class=\"num\">3</td><td class=\"text new\">beta</td></tr>"))
        let removed = DiffHTML.sideBySide(old: new, new: old)
        #expect(removed.contains("<tr class=\"del\"><td class=\"num\">2</td><td class=\"text old del\">inserted</td><td class=\"num\"></td><td class=\"text new empty\"></td></tr>"))
    }

    @Test func changedBlocksPairLineByLine() {
        let old = "keep\nthe first line\nthe second line\nend\n"
        let new = "keep\nthe 1st line\nthe 2nd line\nan extra line\nend\n"
        let inline = DiffHTML.inline(old: old, new: new)
        #expect(rowClasses(inline) == ["eq", "del", "del", "ins", "ins", "ins", "eq"])
        #expect(inline.contains("the <del>first</del> line"))
        #expect(inline.contains("the <ins>1st</ins> line"))
        #expect(inline.contains("the <del>second</del> line"))
        #expect(inline.contains("the <ins>2nd</ins> line"))
        #expect(inline.contains("<td class=\"text\">an extra line</td>"), "an unpaired line is a whole-line insertion")
        let side = DiffHTML.sideBySide(old: old, new: new)
        #expect(rowClasses(side) == ["eq", "change", "change", "ins", "eq"])
        #expect(DiffHTML.stats(old: old, new: new) == DiffStats(linesAdded: 3, linesRemoved: 2, wordsInserted: 5, wordsDeleted: 2))
    }

    @Test func identicalTextsSayNoChanges() {
        let text = "Same prompt.\nSecond line.\n"
        for html in [DiffHTML.inline(old: text, new: text), DiffHTML.sideBySide(old: text, new: text), DiffHTML.inline(old: "", new: "")] {
            #expect(rowClasses(html) == ["unchanged"])
            #expect(html.contains(">No changes</td>"))
        }
    }

    @Test func anEmptyOldTextIsAllInsertions() {
        let new = "Rain on the harbor.\nBoats racing home."
        let inline = DiffHTML.inline(old: "", new: new)
        #expect(rowClasses(inline) == ["ins", "ins"])
        #expect(inline.contains("<td class=\"num\">2</td><td class=\"sign\">+</td><td class=\"text\">Boats racing home.</td>"))
        #expect(rowClasses(DiffHTML.sideBySide(old: "", new: new)) == ["ins", "ins"])
        #expect(rowClasses(DiffHTML.inline(old: new, new: "")) == ["del", "del"])
    }

    @Test func aMissingFinalNewlineIsShownWhenTheTextsDisagree() {
        let inline = DiffHTML.inline(old: "one\ntwo", new: "one\ntwo\n")
        #expect(rowClasses(inline) == ["eq", "del", "ins"])
        #expect(inline.contains("two <span class=\"no-newline\">(no newline at end of file)</span>"))
        #expect(occurrences("no-newline", in: inline) == 1)
        #expect(DiffHTML.stats(old: "one\ntwo", new: "one\ntwo\n") == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 0, wordsDeleted: 0))
        // When both lack it, it is no difference at all.
        #expect(rowClasses(DiffHTML.inline(old: "one\ntwo", new: "one\nthree")) == ["eq", "del", "ins"])
        #expect(!DiffHTML.inline(old: "one\ntwo", new: "one\nthree").contains("no-newline"))
    }

    /// Byte for byte: `==` on Strings would accept a canonically equivalent text.
    private func expectBytes(_ html: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Array(html.utf8) == Array(expected.utf8), "\(html.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func crlfLinesLoseTheirBreakAndKeepTheirWords() {
        let rendered = DiffHTML.render(old: "Keep the lamp lit.\r\nWatch the tide.\r\n", new: "Keep the lamp lit.\r\nWatch the night tide.\r\n")
        expectBytes(rendered.sideBySide, "<table class=\"diff diff-side\"><tbody>\n"
            + "<tr class=\"eq\"><td class=\"num\">1</td><td class=\"text old\">Keep the lamp lit.</td><td class=\"num\">1</td><td class=\"text new\">Keep the lamp lit.</td></tr>\n"
            + "<tr class=\"change\"><td class=\"num\">2</td><td class=\"text old del\">Watch the tide.</td><td class=\"num\">2</td><td class=\"text new ins\">Watch the <ins>night </ins>tide.</td></tr>\n"
            + "</tbody></table>")
        #expect(rendered.stats == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 1, wordsDeleted: 0))
    }

    @Test func unicodeAndEscapedWordsInExactTables() {
        let unicode = DiffHTML.render(old: "Le café du port.\nLe phare 灯台.\n", new: "Le thé du port.\nLe phare 灯台.\n")
        expectBytes(unicode.inline, "<table class=\"diff diff-inline\"><tbody>\n"
            + "<tr class=\"del\"><td class=\"num\">1</td><td class=\"num\"></td><td class=\"sign\">-</td><td class=\"text\">Le <del>café</del> du port.</td></tr>\n"
            + "<tr class=\"ins\"><td class=\"num\"></td><td class=\"num\">1</td><td class=\"sign\">+</td><td class=\"text\">Le <ins>thé</ins> du port.</td></tr>\n"
            + "<tr class=\"eq\"><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"sign\"></td><td class=\"text\">Le phare 灯台.</td></tr>\n"
            + "</tbody></table>")
        #expect(unicode.stats == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 1, wordsDeleted: 1))
        // `'` belongs to words, so `'lamp'` is one token against `"`, `lamp`, `"`.
        let escaped = DiffHTML.render(old: "Mara's \"lamp\" & <b>\n", new: "Mara's 'lamp' & <i>\n")
        expectBytes(escaped.sideBySide, "<table class=\"diff diff-side\"><tbody>\n"
            + "<tr class=\"change\"><td class=\"num\">1</td><td class=\"text old del\">Mara&#39;s <del>&quot;lamp&quot;</del> &amp; &lt;<del>b</del>&gt;</td>"
            + "<td class=\"num\">1</td><td class=\"text new ins\">Mara&#39;s <ins>&#39;lamp&#39;</ins> &amp; &lt;<ins>i</ins>&gt;</td></tr>\n"
            + "</tbody></table>")
        #expect(escaped.stats == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 2, wordsDeleted: 2))
    }

    @Test func whitespaceOnlyChangesAreMarkedButCountNoWords() {
        let rendered = DiffHTML.render(old: "a  b\tc\n", new: "a b c\n")
        expectBytes(rendered.sideBySide, "<table class=\"diff diff-side\"><tbody>\n"
            + "<tr class=\"change\"><td class=\"num\">1</td><td class=\"text old del\">a<del>  </del>b<del>\t</del>c</td>"
            + "<td class=\"num\">1</td><td class=\"text new ins\">a<ins> </ins>b<ins> </ins>c</td></tr>\n"
            + "</tbody></table>")
        #expect(rendered.stats == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 0, wordsDeleted: 0))
    }

    @Test func canonicallyEquivalentWordsAreEqualAndShownAsTheOldTextWritesThem() {
        // `e` + U+0301 and `é` are the same word to Swift's String, so only the `!` changed;
        // kept words are shown on both sides with the old text's bytes.
        let rendered = DiffHTML.render(old: "cafe\u{301} au lait\nx\n", new: "caf\u{E9} au lait!\nx\n")
        expectBytes(rendered.sideBySide, "<table class=\"diff diff-side\"><tbody>\n"
            + "<tr class=\"change\"><td class=\"num\">1</td><td class=\"text old del\">cafe\u{301} au lait</td>"
            + "<td class=\"num\">1</td><td class=\"text new ins\">cafe\u{301} au lait<ins>!</ins></td></tr>\n"
            + "<tr class=\"eq\"><td class=\"num\">2</td><td class=\"text old\">x</td><td class=\"num\">2</td><td class=\"text new\">x</td></tr>\n"
            + "</tbody></table>")
        #expect(rendered.stats == DiffStats(linesAdded: 1, linesRemoved: 1, wordsInserted: 0, wordsDeleted: 0))
    }
}
