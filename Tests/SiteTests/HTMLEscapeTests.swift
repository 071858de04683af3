import Site
import Testing

@Suite struct HTMLEscapeTests {
    @Test func escapesTheFiveCharactersAndNothingElse() {
        #expect(HTML.escape("<a href=\"x\">Tom & Mara's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Mara&#39;s&lt;/a&gt;")
        #expect(HTML.escape("&amp;") == "&amp;amp;")
        #expect(HTML.escape("plain text, 灯台\r\n") == "plain text, 灯台\r\n")
        #expect(HTML.escape("") == "")
        #expect(Array(HTML.escape("灯台 <b> & cafe\u{301}").utf8) == Array("灯台 &lt;b&gt; &amp; cafe\u{301}".utf8))
    }

    /// U+0600 before `<`, or U+0301 after `"`, makes one Character with it; a browser still
    /// reads the `<` or the `"`, so they are escaped all the same.
    /// Control characters are HTML parse errors: they show as their pictures, as the terminal shows
    /// them; tab, line feed and carriage return stay.
    @Test func controlCharactersShowAsTheirPictures() {
        #expect(HTML.escape("bell\u{07} esc\u{1B}[31m nul\u{00} del\u{7F}\tok\r\n") == "bell␇ esc␛[31m nul␀ del␡\tok\r\n")
    }

    @Test func marksJoinedToACharacterDoNotHideIt() {
        let hostile = "\u{0600}<img src=x onerror=alert(1)> \"\u{301} onmouseover=alert(2) &\u{301}"
        #expect(Array(HTML.escape(hostile).utf8)
            == Array("\u{0600}&lt;img src=x onerror=alert(1)&gt; &quot;\u{301} onmouseover=alert(2) &amp;\u{301}".utf8))
        for html in [DiffHTML.inline(old: "safe", new: hostile), DiffHTML.sideBySide(old: hostile, new: "safe")] {
            #expect(!Array(html.utf8).containsSubsequence(Array("<img".utf8)))
            #expect(Array(html.utf8).containsSubsequence(Array("&quot;\u{301} onmouseover".utf8)))
        }
    }
}

private extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
