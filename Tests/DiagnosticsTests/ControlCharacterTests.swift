import Testing
import Diagnostics

/// Escape sequences and bells from content are shown, never obeyed, in every text output.
@Suite struct ControlCharacterTests {
    @Test func textFormatShowsControlsAsPictures() {
        let diagnostic = Diagnostic.error("x", "bad \u{1B}[2J value\u{07}", at: SourceLocation(file: "a\u{1B}.md", line: 1, column: 3),
                                          hint: "remove \u{9B}31m")
        let report = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: [], displayPath: { $0 })
        let text = report.rendered(as: .text, color: false, sourceLine: { _ in "\tab\u{1B}]0;title\u{07}" })
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(text.hasPrefix("a␛.md:1:3: error[x]: bad ␛[2J value␇\n 1 | \tab␛]0;title␇\n   | \t ^\n  hint: remove \\u{9B}31m\n"))
    }

    @Test func gitHubAnnotationsCannotBeForged() {
        let diagnostic = Diagnostic.error("x", "line\n::error::forged\u{1B}[1m", at: SourceLocation(file: "a.md", line: 1))
        let output = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: [], displayPath: { $0 }).rendered(as: .github)
        #expect(output == "::error file=a.md,line=1,title=promptsite[x]::line%0A::error::forged␛[1m\n")
    }

    @Test func plainTextIsUnchanged() {
        #expect("Ünïcode, tabs\tand text".visibleControls(keeping: ["\t"]) == "Ünïcode, tabs\tand text")
        #expect("\u{7F}\u{0}".visibleControls() == "␡␀")
    }
}
