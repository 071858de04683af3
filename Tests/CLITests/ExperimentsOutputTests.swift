import Foundation
import Testing
import TestSupport

/// `api/v1/analytics/experiments.json` is the same file, byte for byte, from a `--no-cache` build, a
/// build that reads a grown log's tail after its cached head, one that recalls everything from the
/// cache, and one of the same records shuffled over three files; and its cost test on costs of
/// $1,000,000 that differ by cents is the exact one (t = 6.759391685632176 by Python's fractions,
/// see AnalyticsTests/ExactMomentsTests; sums of doubles gave 7.24, and their last digits moved
/// with the order and the grouping of the records).
@Suite(.serialized) struct ExperimentsOutputTests {
    /// Control: $1,000,000 + i mod 7 cents + i mod 3 mils; B: 3 cents more + i mod 5 cents + i mod 4 mils;
    /// latencies and ratings with decimals.
    static func lines() -> [String] {
        func cost(_ micros: Int) -> String {
            let fraction = String(micros % 1_000_000)
            return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
        }
        func line(_ index: Int, _ version: String, _ arm: String, _ micros: Int, _ latency: String, _ rating: String) -> String {
            #"{"id":"g-\#(index)","version":"\#(version)","provider":"inkwell","status":"success","latency_ms":\#(latency),"cost":\#(cost(micros)),"created_at":"2026-11-\#(10 + index % 9)T10:00:00Z","rating":\#(rating),"experiment":"budget","arm":"\#(arm)"}"#
        }
        let control = (0..<60).map { i in
            line(i, "walk@1", "control", 1_000_000_000_000 + i % 7 * 10_000 + i % 3 * 1_000, "\(1000 + i).\(i % 10)3", "\(3 + i % 2).\(i % 10)")
        }
        let treatment = (0..<60).map { i in
            line(60 + i, "walk@2", "B", 1_000_000_030_000 + i % 5 * 10_000 + i % 4 * 1_000, "\(2000 + 7 * i).\(i % 10)7", "4.\(i % 10)1")
        }
        return control + treatment
    }

    static func content(_ logs: [String: [String]]) throws -> TemporaryContent {
        var files = [
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 300),
            "prompts/walk/family.yaml": Fixture.family(title: "Walk"),
            "prompts/walk/v1.prompt": Fixture.version("version: 1\nproviders: [inkwell]", "A walk by the harbor."),
            "prompts/walk/v2.prompt": Fixture.version("version: 2\nparent: 1\nproviders: [inkwell]", "A slow walk by the harbor."),
        ]
        for (path, lines) in logs { files[path] = lines.joined(separator: "\n") + "\n" }
        return try TemporaryContent(files)
    }

    /// Builds into `output` (under the project) and returns experiments.json.
    static func build(_ content: TemporaryContent, output: String, cache: Bool) throws -> Data {
        let site = content.project.appendingPathComponent(output)
        let result = try CLI.run(["build", "--quiet", "--content", content.root.path, "--output", site.path] + (cache ? [] : ["--no-cache"]),
                                 in: content.project)
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: site.appendingPathComponent("api/v1/analytics/experiments.json"))
    }

    @Test func experimentsJSONIsTheSameHoweverTheLogsWereRead() throws {
        let lines = Self.lines()
        let whole = try Self.content(["logs/a.jsonl": lines])
        let fresh = try Self.build(whole, output: "fresh", cache: false)

        // The first 50 lines cached, then the rest appended: a tail read; then all recalled.
        let grown = try Self.content(["logs/a.jsonl": Array(lines[0..<50])])
        _ = try Self.build(grown, output: "head", cache: true)
        try grown.write("logs/a.jsonl", lines.joined(separator: "\n") + "\n")
        let tail = try Self.build(grown, output: "tail", cache: true)
        let recalled = try Self.build(grown, output: "recalled", cache: true)

        let shuffled = (0..<lines.count).map { lines[($0 * 37) % lines.count] }
        let split = try Self.content(["logs/a.jsonl": Array(shuffled[0..<17]), "logs/b/c.jsonl": Array(shuffled[17..<90]),
                                      "logs/d.jsonl": Array(shuffled[90...])])
        let files = try Self.build(split, output: "split", cache: false)

        #expect(tail == fresh, "a cached head and a tail read")
        #expect(recalled == fresh, "recalled from the cache")
        #expect(files == fresh, "shuffled over three files")

        let json = try #require(try JSONSerialization.jsonObject(with: fresh) as? [String: Any])
        let experiment = try #require((json["experiments"] as? [[String: Any]])?.first)
        let arms = try #require(experiment["arms"] as? [[String: Any]])
        let treatment = try #require(arms.first { $0["name"] as? String == "B" })
        let costTest = try #require(treatment["cost_test"] as? [String: Any])
        let t = try #require(costTest["t"] as? Double)
        #expect(abs(t - 6.759391685632176) <= 1e-12 * 6.759391685632176, "t = \(t)")
        #expect(costTest["difference"] as? Double == 0.0215)
    }
}
