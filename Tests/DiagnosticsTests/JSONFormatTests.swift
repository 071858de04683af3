import Foundation
import Testing
import Diagnostics

@Suite struct JSONFormatTests {
    static let diagnostics: [Diagnostic] = [
        .warning("length.budget", "may exceed 4000 characters", at: SourceLocation(file: "b/v1.md", line: 3, column: 2)),
        .error("template.syntax", "unclosed `{{`", at: SourceLocation(file: "a/v2.md", line: 10, column: 5), hint: "close it with `}}`"),
        .info("style.title", "title is long", at: SourceLocation(file: "a/v2.md", line: 2)),
        .error("config.invalid", "`strict` must be a boolean", at: SourceLocation(file: "Site.json")),
        .warning("plugin:lint", "something global", at: nil),
    ]

    static func parsed(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func documentHasDiagnosticsAndSummary() throws {
        let report = DiagnosticReport(diagnostics: Self.diagnostics, checkedFiles: ["a/v2.md", "b/v1.md"])
        let document = try Self.parsed(report.rendered(as: .json))
        #expect(Set(document.keys) == ["diagnostics", "summary"])
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 2)
        #expect(summary["warnings"] as? Int == 2)
        #expect(summary["infos"] as? Int == 1)
    }

    @Test func everyDiagnosticHasAllKeysWithNullForUnknowns() throws {
        let report = DiagnosticReport(diagnostics: Self.diagnostics, checkedFiles: [])
        let document = try Self.parsed(report.rendered(as: .json))
        let items = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(items.count == 5)
        for item in items {
            #expect(Set(item.keys) == ["code", "level", "file", "line", "column", "message", "hint"])
        }
        // Sorted: no location first, then by file, then by line (numerically: 2 before 10).
        #expect(items.map { $0["code"] as? String } == ["plugin:lint", "config.invalid", "style.title", "template.syntax", "length.budget"])
        #expect(items.map { $0["file"] as? String } == [nil, "Site.json", "a/v2.md", "a/v2.md", "b/v1.md"])

        let global = items[0]
        #expect(global["file"] is NSNull)
        #expect(global["line"] is NSNull)
        #expect(global["column"] is NSNull)
        #expect(global["hint"] is NSNull)
        #expect(global["level"] as? String == "warning")

        let fileOnly = items[1]
        #expect(fileOnly["line"] is NSNull)
        #expect(fileOnly["column"] is NSNull)
        #expect(fileOnly["message"] as? String == "`strict` must be a boolean")

        let lineOnly = items[2]
        #expect(lineOnly["line"] as? Int == 2)
        #expect(lineOnly["column"] is NSNull)
        #expect(lineOnly["level"] as? String == "info")

        let full = items[3]
        #expect(full["code"] as? String == "template.syntax")
        #expect(full["level"] as? String == "error")
        #expect(full["line"] as? Int == 10)
        #expect(full["column"] as? Int == 5)
        #expect(full["message"] as? String == "unclosed `{{`")
        #expect(full["hint"] as? String == "close it with `}}`")
    }

    @Test func keysAreWrittenInAFixedOrder() throws {
        let report = DiagnosticReport(diagnostics: [.error("c", "m", at: SourceLocation(file: "f", line: 1, column: 2), hint: "h")], checkedFiles: [])
        #expect(report.rendered(as: .json) == """
            {
              "diagnostics": [
                {
                  "code": "c",
                  "level": "error",
                  "file": "f",
                  "line": 1,
                  "column": 2,
                  "message": "m",
                  "hint": "h"
                }
              ],
              "summary": {
                "errors": 1,
                "warnings": 0,
                "infos": 0
              }
            }

            """)
    }

    @Test func filesAreContentRelativeNotDisplayPaths() throws {
        let report = DiagnosticReport(
            diagnostics: [.error("c", "m", at: SourceLocation(file: "a.md", line: 1))],
            checkedFiles: ["a.md"], displayPath: { "Content/" + $0 }
        )
        let items = try #require(try Self.parsed(report.rendered(as: .json))["diagnostics"] as? [[String: Any]])
        #expect(items.first?["file"] as? String == "a.md")
    }

    @Test func messagesWithSpecialCharactersSurvive() throws {
        let message = "bad \"quote\" \\ </script> \n\t line\u{2028}end \u{1}"
        let report = DiagnosticReport(diagnostics: [.error("c", message, at: nil)], checkedFiles: [])
        let rendered = report.rendered(as: .json)
        #expect(!rendered.contains("</script>"))
        let items = try #require(try Self.parsed(rendered)["diagnostics"] as? [[String: Any]])
        #expect(items.first?["message"] as? String == message)
    }

    @Test func emptyReport() throws {
        let document = try Self.parsed(DiagnosticReport(diagnostics: [], checkedFiles: []).rendered(as: .json))
        #expect((document["diagnostics"] as? [Any])?.isEmpty == true)
        #expect((document["summary"] as? [String: Any])?["errors"] as? Int == 0)
    }
}
