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

    @Test func aTemplateWithoutReferencesIsItsEscapedSource() {
        #expect(TemplateHighlighter.html(Template(parsing: "a \\{{b}} & <c>")) == "a \\{{b}} &amp; &lt;c&gt;")
        #expect(TemplateHighlighter.html(Template(parsing: "")) == "")
    }
}
