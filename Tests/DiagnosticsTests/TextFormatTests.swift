import Testing
import Diagnostics

@Suite struct TextFormatTests {
    /// Source lines of one pretend file, 1-based.
    static func lines(_ lines: [String]) -> (SourceLocation) -> String? {
        { location in
            guard let line = location.line, line >= 1, line <= lines.count else { return nil }
            return lines[line - 1]
        }
    }

    @Test func locatedErrorShowsSourceLineCaretHintAndSummary() {
        let source = [
            "---",
            "title: Harbor",
            "---",
            "Answer as {{lead}} would.",
        ]
        let diagnostic = Diagnostic.error(
            "template.unknown-variable", "unknown variable `lead`",
            at: SourceLocation(file: "families/harbor/v2.md", line: 4, column: 11),
            hint: "declare `lead` under variables:"
        )
        let report = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: ["families/harbor/v2.md"])
        let text = report.rendered(as: .text, color: false, sourceLine: Self.lines(source))
        #expect(text == """
            families/harbor/v2.md:4:11: error[template.unknown-variable]: unknown variable `lead`
             4 | Answer as {{lead}} would.
               |           ^
              hint: declare `lead` under variables:
            1 error, 0 warnings, 0 infos

            """)
        // The caret sits under column 11, the first `{`.
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sourceRow = Array(rows[1]), caretRow = Array(rows[2])
        let caretIndex = caretRow.firstIndex(of: "^")!
        #expect(sourceRow[caretIndex] == "{")
    }

    @Test func gutterWidthFollowsTheLineNumber() {
        let source = Array(repeating: "x", count: 119) + ["  bad: [1, 2"]
        let diagnostic = Diagnostic.error("yaml.syntax", "unclosed flow sequence", at: SourceLocation(file: "a.yaml", line: 120, column: 8))
        let text = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: [])
            .rendered(as: .text, sourceLine: Self.lines(source))
        #expect(text == """
            a.yaml:120:8: error[yaml.syntax]: unclosed flow sequence
             120 |   bad: [1, 2
                 |        ^
            1 error, 0 warnings, 0 infos

            """)
    }

    @Test func tabsBeforeTheColumnAreKeptSoTheCaretLinesUp() {
        let source = ["\tname: {{who}}"]
        let diagnostic = Diagnostic.warning("template.unused", "`who` is never set", at: SourceLocation(file: "t.md", line: 1, column: 8))
        let text = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: ["t.md"])
            .rendered(as: .text, sourceLine: Self.lines(source))
        #expect(text == "t.md:1:8: warning[template.unused]: `who` is never set\n"
            + " 1 | \tname: {{who}}\n"
            + "   | \t      ^\n"
            + "0 errors, 1 warning, 0 infos\n")
    }

    @Test func displayPathIsUsedForTheShownPath() {
        let diagnostic = Diagnostic.info("style.note", "fine", at: SourceLocation(file: "a.md", line: 2))
        let report = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: ["a.md"], displayPath: { "Content/" + $0 })
        // A line but no column: no caret; no source provider: no source line.
        #expect(report.rendered(as: .text) == "Content/a.md:2: info[style.note]: fine\n0 errors, 0 warnings, 1 info\n")
    }

    @Test func diagnosticWithoutLocationHasNoPathPrefix() {
        let diagnostic = Diagnostic.warning("config.unknown-key", "unknown key `thme`", at: nil, hint: "did you mean `theme`?")
        let text = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: [])
            .rendered(as: .text, sourceLine: { _ in "never shown" })
        #expect(text == "warning[config.unknown-key]: unknown key `thme`\n  hint: did you mean `theme`?\n0 errors, 1 warning, 0 infos\n")
    }

    @Test func fileOnlyLocationPrintsJustThePath() {
        let diagnostic = Diagnostic.error("config.missing", "no `title`", at: SourceLocation(file: "Site.json"))
        let text = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: [])
            .rendered(as: .text, sourceLine: { _ in "never shown" })
        #expect(text == "Site.json: error[config.missing]: no `title`\n1 error, 0 warnings, 0 infos\n")
    }

    @Test func summaryCountsAndPluralsAndOrder() {
        let diagnostics: [Diagnostic] = [
            .info("c", "third", at: SourceLocation(file: "b.md", line: 1)),
            .error("a", "second", at: SourceLocation(file: "a.md", line: 10)),
            .warning("b", "first", at: SourceLocation(file: "a.md", line: 9)),
            .error("d", "fourth", at: SourceLocation(file: "b.md", line: 2)),
        ]
        let report = DiagnosticReport(diagnostics: diagnostics, checkedFiles: [])
        #expect(report.summary == DiagnosticSummary(diagnostics))
        #expect(report.summary.errors == 2)
        #expect(report.summary.warnings == 1)
        #expect(report.summary.infos == 1)
        #expect(report.rendered(as: .text) == """
            a.md:9: warning[b]: first
            a.md:10: error[a]: second
            b.md:1: info[c]: third
            b.md:2: error[d]: fourth
            2 errors, 1 warning, 1 info

            """)
    }

    @Test func emptyReportIsJustTheSummary() {
        #expect(DiagnosticReport(diagnostics: [], checkedFiles: ["a.md"]).rendered(as: .text) == "0 errors, 0 warnings, 0 infos\n")
    }

    @Test func colorOnlyWhenAsked() {
        let diagnostic = Diagnostic.error("x.y", "broken", at: SourceLocation(file: "a.md", line: 1, column: 1), hint: "fix it")
        let report = DiagnosticReport(diagnostics: [diagnostic], checkedFiles: ["a.md"])
        let plain = report.rendered(as: .text, color: false, sourceLine: { _ in "text" })
        let colored = report.rendered(as: .text, color: true, sourceLine: { _ in "text" })
        #expect(!plain.contains("\u{1B}"))
        #expect(colored.contains("\u{1B}[1;31merror\u{1B}[0m[x.y]: broken"))
        #expect(colored.contains("\u{1B}[1ma.md:1:1: \u{1B}[0m"))
        #expect(colored.contains("\u{1B}[36mhint:\u{1B}[0m fix it"))
        #expect(colored.hasSuffix("\u{1B}[1;31m1 error, 0 warnings, 0 infos\u{1B}[0m\n"))
        // Removing the escapes gives back the plain text.
        #expect(Self.strippingEscapes(colored) == plain)
    }

    @Test func warningsAndInfosHaveTheirOwnColors() {
        let report = DiagnosticReport(diagnostics: [
            .warning("w", "careful", at: nil),
            .info("i", "fyi", at: nil),
        ], checkedFiles: [])
        let colored = report.rendered(as: .text, color: true)
        #expect(colored.contains("\u{1B}[1;33mwarning\u{1B}[0m[w]"))
        #expect(colored.contains("\u{1B}[1;34minfo\u{1B}[0m[i]"))
        // No errors: the summary is bold, not red.
        #expect(colored.hasSuffix("\u{1B}[1m0 errors, 1 warning, 1 info\u{1B}[0m\n"))
    }

    static func strippingEscapes(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if scalar == "\u{1B}" { inEscape = true; continue }
            if inEscape { if scalar == "m" { inEscape = false }; continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

@Suite struct DiagnosticValueTests {
    @Test func descriptionIsPathLineColumnLevelCodeMessage() {
        let located = Diagnostic.error("a.b", "bad", at: SourceLocation(file: "x.md", line: 3, column: 7))
        #expect(located.description == "x.md:3:7: error[a.b]: bad")
        #expect(Diagnostic.info("a.b", "ok", at: nil).description == "info[a.b]: ok")
        #expect(SourceLocation(file: "x.md", column: 4).description == "x.md")
    }

    @Test func offsetShiftsOnlyKnownLines() {
        #expect(SourceLocation(file: "f", line: 2, column: 5).offset(lines: 3) == SourceLocation(file: "f", line: 5, column: 5))
        #expect(SourceLocation(file: "f").offset(lines: 3) == SourceLocation(file: "f"))
    }

    @Test func withLevelKeepsEverythingElse() {
        let warning = Diagnostic.warning("c", "m", at: SourceLocation(file: "f", line: 1), hint: "h")
        let raised = warning.with(level: .error)
        #expect(raised == Diagnostic.error("c", "m", at: SourceLocation(file: "f", line: 1), hint: "h"))
    }

    @Test func severityOrder() {
        #expect(Severity.info < .warning)
        #expect(Severity.warning < .error)
        #expect(Severity.allCases.max() == .error)
    }

    @Test func sortedIsByFileLineColumnThenCodeThenMessage() {
        let input: [Diagnostic] = [
            .error("z", "m", at: SourceLocation(file: "b.md", line: 1)),
            .error("b", "m", at: SourceLocation(file: "a.md", line: 2, column: 5)),
            .error("a", "y", at: SourceLocation(file: "a.md", line: 2, column: 5)),
            .error("a", "x", at: SourceLocation(file: "a.md", line: 2, column: 5)),
            .error("c", "m", at: SourceLocation(file: "a.md", line: 2, column: 1)),
            .error("d", "m", at: SourceLocation(file: "a.md", line: 11)),
            .error("e", "m", at: nil),
        ]
        let order = Diagnostic.sorted(input).map { "\($0.code)\($0.message)" }
        #expect(order == ["em", "cm", "ax", "ay", "bm", "dm", "zm"])
    }
}

/// `..` steps back over the folder before it, by the text; a path without `..` comes back as it was.
@Suite struct ParentFolderTests {
    @Test func collapsesOnlyWhereThereIsAParentStep() {
        #expect(collapsingParentFolders("Content/../Site.json") == "Site.json")
        #expect(collapsingParentFolders("a/b/../../c") == "c")
        #expect(collapsingParentFolders("a/..") == ".")
        #expect(collapsingParentFolders("../a") == "../a")
        #expect(collapsingParentFolders("./../a") == "./../a")
        // Nothing to collapse: the text as it is (empty, doubled and trailing slashes, dots in names).
        #expect(collapsingParentFolders("") == "")
        #expect(collapsingParentFolders("a//b/") == "a//b/")
        #expect(collapsingParentFolders("prompts/v1.prompt") == "prompts/v1.prompt")
        #expect(collapsingParentFolders("a/.b/c.") == "a/.b/c.")
        // `..` inside a name is not a step back.
        #expect(collapsingParentFolders("a/b..c/d") == "a/b..c/d")
        #expect(collapsingParentFolders("a/...") == "a/...")
    }
}
