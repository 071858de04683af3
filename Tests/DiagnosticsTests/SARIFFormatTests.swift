import Foundation
import Testing
import Diagnostics

@Suite struct SARIFFormatTests {
    static let diagnostics: [Diagnostic] = [
        .error("template.syntax", "unclosed `{{`", at: SourceLocation(file: "families/harbor/v2.md", line: 7, column: 3), hint: "close it"),
        .warning("length.budget", "too long", at: SourceLocation(file: "families/harbor/v1.md", line: 1)),
        .error("template.syntax", "stray `}}`", at: SourceLocation(file: "families/harbor/v1.md", line: 4, column: 1)),
        .info("style.title", "title has trailing space", at: SourceLocation(file: "families/gull/v1.md")),
        .warning("config.unknown-key", "unknown key", at: nil),
    ]

    static func parsed(_ report: DiagnosticReport) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(report.rendered(as: .sarif).utf8))
        return try #require(object as? [String: Any])
    }

    static func run(_ document: [String: Any]) throws -> [String: Any] {
        let runs = try #require(document["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        return try #require(runs.first)
    }

    @Test func topLevelStructure() throws {
        let document = try Self.parsed(DiagnosticReport(diagnostics: Self.diagnostics, checkedFiles: []))
        #expect(document["version"] as? String == "2.1.0")
        let schema = try #require(document["$schema"] as? String)
        #expect(schema.hasPrefix("https://"))
        #expect(schema.contains("sarif-2.1.0"))
        let driver = try #require(((try Self.run(document))["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "promptsite")
        #expect(driver["version"] is String)
    }

    @Test func oneRulePerCodeAndResultsPointAtTheirRule() throws {
        let run = try Self.run(try Self.parsed(DiagnosticReport(diagnostics: Self.diagnostics, checkedFiles: [])))
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(ids.count == rules.count)
        #expect(Set(ids) == ["template.syntax", "length.budget", "style.title", "config.unknown-key"])
        #expect(ids.count == Set(ids).count, "each code appears once")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == Self.diagnostics.count)
        for result in results {
            let ruleId = try #require(result["ruleId"] as? String)
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(rules.indices.contains(ruleIndex))
            #expect(rules[ruleIndex]["id"] as? String == ruleId)
            #expect(["error", "warning", "note"].contains(result["level"] as? String))
            let text = try #require((result["message"] as? [String: Any])?["text"] as? String)
            #expect(!text.isEmpty)
        }
    }

    @Test func resultsCarryLevelsMessagesAndLocations() throws {
        let run = try Self.run(try Self.parsed(DiagnosticReport(diagnostics: Self.diagnostics, checkedFiles: [], displayPath: { "Content/" + $0 })))
        let results = try #require(run["results"] as? [[String: Any]])
        // Same reading order as the other formats.
        #expect(results.map { $0["ruleId"] as? String } == ["config.unknown-key", "style.title", "length.budget", "template.syntax", "template.syntax"])
        #expect(results.map { $0["level"] as? String } == ["warning", "note", "warning", "error", "error"])

        func physical(_ result: [String: Any]) -> [String: Any]? {
            ((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any]
        }
        func uri(_ result: [String: Any]) -> String? {
            (physical(result)?["artifactLocation"] as? [String: Any])?["uri"] as? String
        }
        func region(_ result: [String: Any]) -> [String: Any]? {
            physical(result)?["region"] as? [String: Any]
        }

        // No location at all: no locations.
        #expect(results[0]["locations"] == nil)

        // A file without a line: a location, but no region.
        #expect(uri(results[1]) == "Content/families/gull/v1.md")
        #expect(physical(results[1]) != nil)
        #expect(region(results[1]) == nil)

        // A line without a column.
        #expect(uri(results[2]) == "Content/families/harbor/v1.md")
        #expect(region(results[2])?["startLine"] as? Int == 1)
        #expect(region(results[2])?["startColumn"] == nil)

        #expect(region(results[3])?["startLine"] as? Int == 4)
        #expect(region(results[3])?["startColumn"] as? Int == 1)

        let last = results[4]
        #expect(uri(last) == "Content/families/harbor/v2.md")
        #expect(region(last)?["startLine"] as? Int == 7)
        #expect(region(last)?["startColumn"] as? Int == 3)
        #expect((last["message"] as? [String: Any])?["text"] as? String == "unclosed `{{` Hint: close it")

        for result in results {
            if let region = region(result) {
                #expect((region["startLine"] as? Int ?? 0) >= 1)
                if let column = region["startColumn"] as? Int { #expect(column >= 1) }
            }
        }
    }

    @Test func nonPositiveLinesAndColumnsAreLeftOut() throws {
        let report = DiagnosticReport(diagnostics: [
            .error("a", "line zero", at: SourceLocation(file: "a.md", line: 0, column: 3)),
            .error("b", "column zero", at: SourceLocation(file: "b.md", line: 2, column: 0)),
        ], checkedFiles: [])
        let results = try #require(try Self.run(try Self.parsed(report))["results"] as? [[String: Any]])
        let regions = results.map { (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any] }
        #expect(regions[0] == nil)
        #expect(regions[1]?["startLine"] as? Int == 2)
        #expect(regions[1]?["startColumn"] == nil)
    }

    @Test func urisArePercentEncodedWithSlashesKept() throws {
        let report = DiagnosticReport(diagnostics: [
            .error("a", "m", at: SourceLocation(file: "families/harbor light/café #1.md", line: 1)),
        ], checkedFiles: [])
        let results = try #require(try Self.run(try Self.parsed(report))["results"] as? [[String: Any]])
        let location = (results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        let uri = (location?["artifactLocation"] as? [String: Any])?["uri"] as? String
        #expect(uri == "families/harbor%20light/caf%C3%A9%20%231.md")
    }

    @Test func emptyReportStillHasARun() throws {
        let run = try Self.run(try Self.parsed(DiagnosticReport(diagnostics: [], checkedFiles: ["a.md"])))
        #expect((run["results"] as? [Any])?.isEmpty == true)
        let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect((driver?["rules"] as? [Any])?.isEmpty == true)
    }
}
