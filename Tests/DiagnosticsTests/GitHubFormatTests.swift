import Testing
import Diagnostics

@Suite struct GitHubFormatTests {
    static func render(_ diagnostics: [Diagnostic], displayPath: @escaping @Sendable (String) -> String = { $0 }) -> String {
        DiagnosticReport(diagnostics: diagnostics, checkedFiles: [], displayPath: displayPath).rendered(as: .github)
    }

    @Test func errorWithFullLocation() {
        let output = Self.render([.error("template.syntax", "unclosed tag", at: SourceLocation(file: "families/a.md", line: 3, column: 5))],
                                 displayPath: { "Content/" + $0 })
        #expect(output == "::error file=Content/families/a.md,line=3,col=5,title=promptsite[template.syntax]::unclosed tag\n")
    }

    @Test func levelsMapToErrorWarningNotice() {
        let output = Self.render([
            .error("e", "one", at: SourceLocation(file: "a.md", line: 1)),
            .warning("w", "two", at: SourceLocation(file: "a.md", line: 2)),
            .info("i", "three", at: SourceLocation(file: "a.md")),
            .info("g", "four", at: nil),
        ])
        #expect(output == """
            ::notice title=promptsite[g]::four
            ::notice file=a.md,title=promptsite[i]::three
            ::error file=a.md,line=1,title=promptsite[e]::one
            ::warning file=a.md,line=2,title=promptsite[w]::two

            """)
    }

    @Test func hintGoesOnAnEscapedNewLine() {
        let output = Self.render([.warning("w", "too long", at: SourceLocation(file: "a.md", line: 1, column: 1), hint: "cut 40%")])
        #expect(output == "::warning file=a.md,line=1,col=1,title=promptsite[w]::too long%0AHint: cut 40%25\n")
    }

    @Test func messageDataEscapesPercentCarriageReturnAndNewline() {
        let output = Self.render([.error("e", "100%\r\nsure, really: yes", at: nil)])
        // `,` and `:` are only special in properties, not in the message.
        #expect(output == "::error title=promptsite[e]::100%25%0D%0Asure, really: yes\n")
        // Every diagnostic is exactly one line.
        #expect(output.split(separator: "\n").count == 1)
    }

    @Test func propertiesEscapeCommaAndColon() {
        let output = Self.render([.error("plugin:lint", "m", at: SourceLocation(file: "odd,name: 50%.md", line: 2))])
        #expect(output == "::error file=odd%2Cname%3A 50%25.md,line=2,title=promptsite[plugin%3Alint]::m\n")
    }

    @Test func noDiagnosticsNoOutput() {
        #expect(Self.render([]) == "")
    }
}
