@testable import Analytics
import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

/// The report on a small repository whose numbers are computed by hand (and with scipy:
/// scripts/statistics-fixtures.py gives the same Wilson and z-test formulas).
@Suite struct ReportTests {
    static func record(_ version: String?, provider: String = "inkwell", status: String, error: String? = nil,
                       experiment: String? = nil, arm: String? = nil, rating: Int? = nil, cost: Double = 0.5) -> String {
        func quoted(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "null" }
        return #"{"version":\#(quoted(version)),"provider":"\#(provider)","status":"\#(status)","error":\#(quoted(error)),"latency_ms":4000,"cost":\#(cost),"created_at":"2026-11-01T10:00:00Z","rating":\#(rating.map(String.init) ?? "null"),"experiment":\#(quoted(experiment)),"arm":\#(quoted(arm))}"#
    }

    static func records(_ count: Int, _ make: (Int) -> String) -> [String] { (0..<count).map(make) }

    func report(_ lines: [String], minSamples: Int = 30) throws -> (AnalyticsReport, [Diagnostic]) {
        let longText = String(repeating: "long words here ", count: 40)
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 300),
            "providers/loremind.yaml": Fixture.provider("loremind", limit: 8000),
            "prompts/walk/family.yaml": "title: Walk\nprompt_type: visual\n",
            "prompts/walk/v1.prompt": "---\nversion: 1\n---\nA walk by the harbor.\n",
            "prompts/walk/v2.prompt": "---\nversion: 2\nparent: 1\n---\nA slow walk by the harbor.\n",
            "prompts/walk/v3.prompt": "---\nversion: 3\nparent: 2\nproviders: [loremind]\n---\n\(longText)\n",
            "logs/a.jsonl": lines.joined(separator: "\n") + "\n",
        ])
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        let ingest = LogIngestion.ingest(loaded.catalog.logFiles)
        let report = AnalyticsReport(ingest, catalog: loaded.catalog, minSamples: minSamples, confidence: 0.95)
        return (report, LogReferences.diagnostics(ingest, catalog: loaded.catalog))
    }

    @Test func successRateHasItsWilsonInterval() throws {
        let (report, _) = try report(Self.records(10) { Self.record("walk@1", status: $0 < 8 ? "success" : "failed") }
                                     + [Self.record("walk@1", status: "cancelled")])
        let walk = try #require(report.version("walk", 1))
        #expect(walk.metrics.successRate == 0.8)
        #expect(abs(walk.metrics.successInterval!.lower - 0.4901624715366418) < 1e-12)
        #expect(abs(walk.metrics.successInterval!.upper - 0.9433178485456248) < 1e-12)
        #expect(walk.metrics.generations == 11)
        #expect(walk.metrics.totalCost == 5.5)
        #expect(walk.metrics.costPerSuccess == 5.5 / 8)
        #expect(report.family("walk")?.metrics.generations == 11)
        #expect(report.providers.map(\.name) == ["inkwell"])
    }

    @Test func aClearDifferenceDeclaresAWinnerAndASmallOneDoesNot() throws {
        var lines = Self.records(100) { Self.record("walk@1", status: $0 < 70 ? "success" : "failed", experiment: "clear", arm: "control", rating: 3) }
        lines += Self.records(100) { Self.record("walk@2", status: $0 < 85 ? "success" : "failed", experiment: "clear", arm: "B", rating: $0 % 2 == 0 ? 4 : 5) }
        lines += Self.records(50) { Self.record("walk@1", status: $0 < 40 ? "success" : "failed", experiment: "flat", arm: "A") }
        lines += Self.records(50) { Self.record("walk@2", status: $0 < 41 ? "success" : "failed", experiment: "flat", arm: "B") }
        let (report, _) = try report(lines)
        #expect(report.experiments.map(\.name) == ["clear", "flat"])
        let clear = report.experiments[0]
        #expect(clear.control.name == "control")
        #expect(clear.verdict == .winner("B"))
        let test = try #require(clear.treatments[0].successTest)
        #expect(abs(test.z - 2.5400025400038104) < 1e-9)
        #expect(abs(test.pValue - 0.011085166380602684) < 1e-9)
        #expect(abs(test.lift - 0.15) < 1e-12)
        #expect(abs(test.liftInterval.lower - 0.03613638193065061) < 1e-9)
        #expect(clear.treatments[0].ratingTest.map { $0.difference } == 1.5)
        #expect(clear.treatments[0].versions.map(\.version) == ["walk@2"])

        let flat = report.experiments[1]
        #expect(flat.control.name == "A", "without an arm named control, the first by name")
        #expect(flat.verdict == .noWinner)
        #expect(abs(flat.treatments[0].successTest!.pValue - 0.7987954154621199) < 1e-9)
    }

    @Test func tooFewSamplesDeclareNothing() throws {
        var lines = Self.records(10) { _ in Self.record("walk@1", status: "failed", experiment: "tiny", arm: "control") }
        lines += Self.records(10) { _ in Self.record("walk@2", status: "success", experiment: "tiny", arm: "B") }
        let (report, _) = try report(lines)
        #expect(report.experiments[0].verdict == .tooFewSamples)
        #expect(report.experiments[0].treatments[0].comparison == .tooFewSamples(needed: 30))
    }

    /// A stray arm with too few samples (a typo'd arm name) does not hold back an arm that won; it
    /// does keep the control from winning over it, and a short control declares nothing.
    @Test func aStrayArmDoesNotHoldBackAWinner() throws {
        var lines = Self.records(200) { Self.record("walk@1", status: $0 < 100 ? "success" : "failed", experiment: "e", arm: "control") }
        lines += Self.records(200) { Self.record("walk@2", status: $0 < 160 ? "success" : "failed", experiment: "e", arm: "treat") }
        lines += Self.records(2) { _ in Self.record("walk@2", status: "success", experiment: "e", arm: "Treat") }
        lines += Self.records(200) { Self.record("walk@1", status: $0 < 160 ? "success" : "failed", experiment: "f", arm: "control") }
        lines += Self.records(200) { Self.record("walk@2", status: $0 < 100 ? "success" : "failed", experiment: "f", arm: "worse") }
        lines += Self.records(2) { _ in Self.record("walk@2", status: "success", experiment: "f", arm: "stray") }
        let (report, _) = try report(lines)
        #expect(report.experiments.map(\.name) == ["e", "f"])
        #expect(report.experiments[0].verdict == .winner("treat"))
        #expect(report.experiments[0].treatments.map(\.comparison) == [.tooFewSamples(needed: 30), .better])
        #expect(report.experiments[1].verdict == .tooFewSamples, "the control is not shown better than an arm it was not compared with")
    }

    @Test func versionsAreComparedWithTheirParentAndRankedByTheLowerBound() throws {
        var lines = Self.records(100) { Self.record("walk@1", status: $0 < 70 ? "success" : "failed") }
        lines += Self.records(100) { Self.record("walk@2", status: $0 < 85 ? "success" : "failed") }
        // 3/3 is a higher rate than 85/100, but with three samples it ranks below.
        lines += Self.records(3) { _ in Self.record("walk@3", provider: "loremind", status: "success") }
        let (report, _) = try report(lines, minSamples: 3)
        let v2 = try #require(report.version("walk", 2))
        #expect(v2.parent == 1)
        #expect(v2.parentComparison == .better)
        #expect(abs(v2.parentTest!.pValue - 0.011085166380602684) < 1e-9)
        #expect(report.version("walk", 1)?.parentComparison == nil)
        #expect(report.topPerformers.map(\.key) == ["walk@2", "walk@1", "walk@3"])
    }

    @Test func limitErrorsAreCaughtWhenTheLengthCheckFindsThePromptTooLong() throws {
        // v3 is 640 characters: over inkwell's 300 (caught) even though it only lists loremind; v1 fits (not caught).
        var lines = Self.records(19) { _ in Self.record("walk@3", provider: "inkwell", status: "failed", error: "prompt_too_long") }
        lines.append(Self.record("walk@1", provider: "inkwell", status: "failed", error: "prompt_too_long"))
        lines.append(Self.record(nil, provider: "inkwell", status: "failed", error: "prompt_too_long"))
        let (report, _) = try report(lines)
        #expect(report.limitErrors.total == 20)
        #expect(report.limitErrors.caught == 19)
        #expect(report.limitErrors.share == 0.95)
        #expect(report.limitErrors.unattributed == 1)
        let pair = try #require(report.limitErrors.pairs.first { $0.version == "walk@3" })
        #expect(pair.limit == 300 && pair.exampleLength == 640 && pair.caught)
    }

    @Test func unknownVersionsAreReportedByLine() throws {
        var lines = [Self.record("walk@1", status: "success"), Self.record("walk@9", status: "success"), Self.record("wlak@1", status: "success")]
        lines += Self.records(30) { _ in Self.record("ghost", status: "failed") }
        let (report, diagnostics) = try report(lines)
        #expect(report.unknownVersions.map(\.name) == ["ghost", "walk@9", "wlak@1"])
        #expect(diagnostics.count == 21)
        #expect(diagnostics[0].code == "log-unknown-version")
        #expect(diagnostics[0].location == SourceLocation(file: "logs/a.jsonl", line: 2, column: nil))
        #expect(diagnostics[0].message == "no version `walk@9` in the catalog")
        // walk@1, walk@2 and walk@3 are equally close: the first by name, in every run.
        #expect(diagnostics[0].hint == "did you mean `walk@1`?")
        #expect(diagnostics[1].hint == "did you mean `walk@1`?")
        #expect(diagnostics[2].message == "`ghost` is not a version reference (`<family>@<N>`)")
        #expect(diagnostics[20].message.hasPrefix("12 more records in this file name unknown values"))
    }
}
