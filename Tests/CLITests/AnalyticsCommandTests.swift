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
}
