import PromptTemplates
import Testing
@testable import Site

/// The version page shows the template as written, with its references highlighted.
@Suite struct TemplateHighlighterTests {
    @Test func theTextBetweenReferencesIsTheSourceAsWritten() {
        let template = Template(parsing: "{{lead}} types \\{{literal}} and {{ broken\nnext: é\u{301} {{ npc.name }} <b> {{> style@2}} {{#if}} end")
        #expect(TemplateHighlighter.html(template) { $0.description == "lead" } == """
            <a class="var" href="#var-lead" title="lead">{{lead}}</a> types \\{{literal}} and {{ broken
            next: é\u{301} <span class="var" title="npc.name">{{ npc.name }}</span> &lt;b&gt; \
            <span class="include" title="includes style@2">{{&gt; style@2}}</span> {{#if}} end
            """)
    }

    @Test func columnsCountScalarsOfEveryWidth() {
        // Four-byte and three-byte scalars, a carriage return and a line separator before references.
        let template = Template(parsing: "🌊 港 {{a}}\r\n\u{2028}x {{b}}🌊{{c}}")
        #expect(TemplateHighlighter.html(template) { _ in false } == """
            🌊 港 <span class="var" title="a">{{a}}</span>\r\n\u{2028}x <span class="var" title="b">{{b}}</span>🌊\
            <span class="var" title="c">{{c}}</span>
            """)
    }

    @Test func aTemplateWithoutReferencesIsItsEscapedSource() {
        #expect(TemplateHighlighter.html(Template(parsing: "a \\{{b}} & <c>")) == "a \\{{b}} &amp; &lt;c&gt;")
        #expect(TemplateHighlighter.html(Template(parsing: "")) == "")
    }
}
