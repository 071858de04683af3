import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Diagnostics

@Suite struct JUnitFormatTests {
    static func document(_ report: DiagnosticReport) throws -> XMLDocument {
        try XMLDocument(xmlString: report.rendered(as: .junit), options: [])
    }

    static func testcases(_ document: XMLDocument) throws -> [XMLElement] {
        try document.nodes(forXPath: "/testsuites/testsuite/testcase").compactMap { $0 as? XMLElement }
    }

    static func attribute(_ element: XMLElement?, _ name: String) -> String? {
        element?.attribute(forName: name)?.stringValue
    }

    @Test func oneTestcasePerCheckedFileAndFailuresCountFilesWithErrors() throws {
        let report = DiagnosticReport(
            diagnostics: [
                .error("template.syntax", "unclosed tag", at: SourceLocation(file: "b.md", line: 4, column: 2)),
                .error("template.unknown", "unknown `x`", at: SourceLocation(file: "b.md", line: 9)),
                .warning("length.budget", "long", at: SourceLocation(file: "c.md", line: 1)),
                .error("version.parent", "missing parent", at: SourceLocation(file: "d.md", line: 2)),
            ],
            checkedFiles: ["d.md", "a.md", "b.md", "c.md"],
            displayPath: { "Content/" + $0 }
        )
        let document = try Self.document(report)
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(Self.attribute(root, "tests") == "4")
        #expect(Self.attribute(root, "failures") == "2")
        let suite = try #require(root.elements(forName: "testsuite").first)
        #expect(Self.attribute(suite, "tests") == "4")
        #expect(Self.attribute(suite, "failures") == "2")

        let cases = try Self.testcases(document)
        #expect(cases.map { Self.attribute($0, "name") } == ["Content/a.md", "Content/b.md", "Content/c.md", "Content/d.md"])
        #expect(cases.allSatisfy { Self.attribute($0, "classname") == "promptsite.check" })

        // a.md passed: an empty test case.
        #expect(cases[0].childCount == 0)

        // b.md: one failure holding both errors, the first one's message and code as attributes.
        let failures = cases[1].elements(forName: "failure")
        #expect(failures.count == 1)
        let failure = try #require(failures.first)
        #expect(Self.attribute(failure, "message") == "unclosed tag")
        #expect(Self.attribute(failure, "type") == "template.syntax")
        let body = try #require(failure.stringValue).split(separator: "\n").map(String.init)
        #expect(body.count == 2)
        #expect(body.first?.hasSuffix(":4:2: error[template.syntax]: unclosed tag") == true)
        #expect(body.last?.hasSuffix(":9: error[template.unknown]: unknown `x`") == true)

        // c.md: a warning is not a failure, it goes to system-out.
        #expect(cases[2].elements(forName: "failure").isEmpty)
        #expect(cases[2].elements(forName: "system-out").first?.stringValue?.hasSuffix("c.md:1: warning[length.budget]: long") == true)

        #expect(cases[3].elements(forName: "failure").count == 1)
    }

    @Test func filesWithDiagnosticsButNotCheckedStillGetATestcase() throws {
        let report = DiagnosticReport(
            diagnostics: [
                .error("config.invalid", "bad config", at: nil),
                .error("x", "in an unlisted file", at: SourceLocation(file: "z.md", line: 1)),
            ],
            checkedFiles: ["a.md"]
        )
        let document = try Self.document(report)
        let cases = try Self.testcases(document)
        #expect(cases.map { Self.attribute($0, "name") } == ["(configuration)", "a.md", "z.md"])
        #expect(Self.attribute(document.rootElement(), "failures") == "2")
        #expect(Self.attribute(cases[0].elements(forName: "failure").first, "message") == "bad config")
    }

    @Test func specialCharactersAreEscapedSoTheDocumentParses() throws {
        let message = "bad <script>&\"' here"
        let report = DiagnosticReport(
            diagnostics: [
                .error("x<&>", message, at: SourceLocation(file: "a&b <c>.md", line: 1), hint: "use ' or \" & stop"),
                .warning("w", "line one\nline two\ttab", at: SourceLocation(file: "a&b <c>.md", line: 2)),
            ],
            checkedFiles: ["a&b <c>.md"]
        )
        let raw = report.rendered(as: .junit)
        #expect(!raw.contains("<script>"))
        let document = try XMLDocument(xmlString: raw, options: [])
        let testcase = try #require(try Self.testcases(document).first)
        #expect(Self.attribute(testcase, "name") == "a&b <c>.md")
        let failure = try #require(testcase.elements(forName: "failure").first)
        #expect(Self.attribute(failure, "message") == message)
        #expect(Self.attribute(failure, "type") == "x<&>")
        #expect(failure.stringValue == "a&b <c>.md:1: error[x<&>]: bad <script>&\"' here (hint: use ' or \" & stop)")
        #expect(testcase.elements(forName: "system-out").first?.stringValue == "a&b <c>.md:2: warning[w]: line one\nline two\ttab")
    }

    @Test func newlinesInAttributesSurviveAndControlCharactersAreReplaced() throws {
        let report = DiagnosticReport(
            diagnostics: [.error("c", "first\nsecond \u{1}\u{8} end", at: SourceLocation(file: "a.md"))],
            checkedFiles: ["a.md"]
        )
        let document = try Self.document(report)
        let failure = try #require(try Self.testcases(document).first?.elements(forName: "failure").first)
        // A literal newline in an attribute would be normalized to a space; `&#10;` keeps it.
        #expect(Self.attribute(failure, "message") == "first\nsecond \u{FFFD}\u{FFFD} end")
    }

    @Test func noFilesIsAnEmptySuite() throws {
        let document = try Self.document(DiagnosticReport(diagnostics: [], checkedFiles: []))
        #expect(Self.attribute(document.rootElement(), "tests") == "0")
        #expect(Self.attribute(document.rootElement(), "failures") == "0")
        #expect(try Self.testcases(document).isEmpty)
    }
}
