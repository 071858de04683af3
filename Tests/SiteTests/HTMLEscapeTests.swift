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
}
