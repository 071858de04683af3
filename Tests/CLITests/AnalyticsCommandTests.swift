import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct AnalyticsCommandTests {
    @Test func sampleHeadlines() throws {
        let result = try CLI.run(["analytics", "--config", "Site.json", "--no-cache"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "logs: 4 files, 13,514 generations; 13,515 lines read, 0 files from the cache")
        #expect(lines.contains("limit errors caught: 142 of 150 prompt_too_long failures (94.7%)"))
        #expect(lines.contains("experiment keeper-warmth: warm wins: +11.9 points (95% CI +8.1 to +15.8), p < 0.001 with 670 and 684 decided generations"))
        #expect(lines.contains("experiment stall-lighting: No winner: the difference of +2.1 points is not significant (p = 0.512)"))
        #expect(lines.contains("  harbor-storm-arrival@6: 92.5% (90.8–93.8%), n = 1,196"))
    }

    @Test func malformedLinesGoToStderrAndTheCacheIsUsedTheSecondTime() throws {
        let content = try TemporaryContent([
            "logs/a.jsonl": #"{"status":"success","latency_ms":1200}"# + "\n{oops\n" + #"{"status":"failed","error":"timeout"}"# + "\n",
        ])
        let first = try CLI.run(["analytics", "--content", content.root.path], in: content.project)
        #expect(first.status == 0)
        #expect(first.stderr.contains("logs/a.jsonl:2:2: warning[log-malformed]"))
        #expect(first.stdout.hasPrefix("logs: 1 files, 2 generations; 3 lines read, 0 files from the cache"))
        #expect(first.stdout.contains("success rate: 50.0% (9.5–90.5%)"))
        let second = try CLI.run(["analytics", "--content", content.root.path], in: content.project)
        #expect(second.stdout.hasPrefix("logs: 1 files, 2 generations; 0 lines read, 1 files from the cache"))
        #expect(FileManager.default.fileExists(atPath: content.project.appendingPathComponent(".promptsite-cache/logs").path))
    }

    /// Log problems are shown from the working folder, as `check` shows them; a negative `--top`
    /// is bad usage (it trapped).
    @Test func pathsAsCheckShowsThemAndANegativeTopIsBadUsage() throws {
        let content = try TemporaryContent(["logs/a.jsonl": "{oops\n" + #"{"status":"failed","error":"timeout"}"# + "\n"])
        let result = try CLI.run(["analytics", "--content", "Content"], in: content.project)
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("Content/logs/a.jsonl:1:2: warning[log-malformed]"), "\(result.stderr)")
        let negative = try CLI.run(["analytics", "--content", "Content", "--top=-1"], in: content.project)
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--top must be 0 or more (got -1)"))
    }

    /// Records naming an experiment but no arm are in no arm: as an arm named "" they sorted
    /// first, became the control and could win.
    @Test func recordsWithoutAnArmAreNotAnArm() throws {
        func records(_ arm: String?, successes: Int, failures: Int) -> [String] {
            let armField = arm.map { #","arm":"\#($0)""# } ?? ""
            return (0..<successes).map { _ in #"{"status":"success","experiment":"x"\#(armField)}"# }
                + (0..<failures).map { _ in #"{"status":"failed","experiment":"x"\#(armField)}"# }
        }
        let lines = records(nil, successes: 100, failures: 0) + records("a", successes: 50, failures: 50) + records("b", successes: 60, failures: 40)
        let content = try TemporaryContent(["logs/a.jsonl": lines.joined(separator: "\n") + "\n"])
        let result = try CLI.run(["analytics", "--content", "Content", "--no-cache"], in: content.project)
        #expect(result.status == 0)
        let experiment = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("experiment x:") })
        // b (60%) against a (50%), the first arm by name: the 100 arm-less successes compare with neither.
        #expect(experiment == "experiment x: No winner: the difference of +10.0 points is not significant (p = 0.155)")
    }
}
