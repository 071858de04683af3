import PromptTemplates
import Testing

@Suite struct IncludeParsingTests {
    @Test func latestLabelAndNumber() {
        let template = Template(parsing: "A {{> style}} B {{>style@production}} C {{ >  style @ 3 }} D {{> style@latest}}")
        #expect(template.errors.isEmpty)
        #expect(template.includes.map(\.family) == ["style", "style", "style", "style"])
        #expect(template.includes.map(\.selector) == [.latest, .label("production"), .number(3), .latest])
        #expect(template.includes.map(\.source) == ["{{> style}}", "{{>style@production}}", "{{ >  style @ 3 }}", "{{> style@latest}}"])
        #expect(template.includes.map(\.position.column) == [3, 17, 41, 62])
        #expect(template.includes.map(\.target) == ["style", "style@production", "style@3", "style"])
        #expect(template.variablePaths.isEmpty)
        #expect(template.literalLength == "A  B  C  D ".count)
    }

    @Test func escapedIncludeIsLiteral() {
        let template = Template(parsing: "Write \\{{> style}} to include.")
        #expect(template.errors.isEmpty)
        #expect(template.includes.isEmpty)
        #expect(template.segments == [.text("Write {{> style}} to include.")])
    }

    @Test(arguments: [
        ("{{>}}", "include `{{>}}` names no family"),
        ("{{> @2}}", "include `{{> @2}}` names no family"),
        ("{{> a b}}", "invalid family name `a b` in `{{> a b}}`"),
        ("{{> style@}}", "include `{{> style@}}` has nothing after `@`"),
        ("{{> style@0}}", "invalid version or label `0` in `{{> style@0}}`"),
        ("{{> style@a@b}}", "invalid version or label `a@b` in `{{> style@a@b}}`"),
        ("{{> style@-x}}", "invalid version or label `-x` in `{{> style@-x}}`"),
    ])
    func malformedIncludesAreErrors(source: String, message: String) {
        let template = Template(parsing: "Hi " + source)
        #expect(template.errors.map(\.message) == [message])
        #expect(template.errors[0].hint.contains("`{{> family@label}}`"))
        #expect(template.includes.isEmpty)
        #expect(template.segments == [.text("Hi " + source)])
    }

    @Test func renderingWithoutCompositionLeavesIncludesOut() {
        let template = Template(parsing: "{{lead}} {{> style}}.")
        var values = TemplateValues()
        values.set(.string("Mara"), at: "lead")
        #expect(template.render(with: values).text == "Mara .")
    }
}
