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

    /// Control characters from a log (an escape sequence in an error code, in a quoted gzip line)
    /// are shown, never written to the terminal, as `check` shows them.
    @Test func controlCharactersFromLogsNeverReachTheTerminal() throws {
        let content = try TemporaryContent(["logs/a.jsonl": #"{"status":"failed","error":"\u001b[31mred\u0007"}"# + "\n{\u{1B}]0;x\u{07}\n",
                                            "logs/b.jsonl": "{\u{1B}]0;title\u{07}\n"])
        // A gzipped file's diagnostic quotes its line (no editor shows it): the quote is where controls hid.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [content.root.appendingPathComponent("logs/b.jsonl").path]
        try gzip.run()
        gzip.waitUntilExit()
        let result = try CLI.run(["analytics", "--content", "Content"], in: content.project)
        #expect(result.stderr.contains("Content/logs/b.jsonl.gz:1:2: warning[log-malformed]"), "\(result.stderr)")
        #expect(result.stderr.contains("line 1 reads: {␛]0;title␇"), "\(result.stderr)")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}") && !result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{07}") && !result.stderr.contains("\u{07}"))
        #expect(result.stderr.contains("Content/logs/a.jsonl:2:2: warning[log-malformed]"), "\(result.stderr)")
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
