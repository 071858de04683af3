import Foundation
import Testing
import TestSupport

@Suite struct ServeCommandTests {
    /// `serve` prints its URL, and Ctrl-C stops it cleanly: exit 0 and its build folder removed —
    /// also on SIGTERM and SIGHUP (the terminal closed), which left the folder behind.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func startsAndStopsOnASignal(signal: Int32) throws {
        let content = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell"),
                                            "prompts/tide/family.yaml": "title: Tide\nprompt_type: visual\n",
                                            "prompts/tide/v1.prompt": "---\nversion: 1\n---\nHello.\n"])
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--port", "0", "--content", "Content"]
        process.currentDirectoryURL = content.project
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var printed = ""
        while !printed.contains("Ctrl-C stops)\n") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
        }
        let match = try #require(printed.firstMatch(of: /serving http:\/\/127\.0\.0\.1:[0-9]+\/ \(the site is built in (.+); Ctrl-C stops\)/))
        let folder = String(match.1)
        #expect(printed.hasPrefix("built in "))
        #expect(FileManager.default.fileExists(atPath: "\(folder)/site/index.html"))
        #expect(!FileManager.default.fileExists(atPath: content.project.appendingPathComponent("Output").path), "never the user's Output/")
        kill(process.processIdentifier, signal)
        printed += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed.hasSuffix("stopped\n"))
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

@Suite struct ServeBenchCommandTests {
    @Test func reportsTheLatencyOfEverySave() throws {
        let result = try CLI.run(["bench", "serve", "--families", "2", "--versions", "2", "--edits", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("promptsite serve: 4 versions; built in ") == true)
        #expect(lines.count == 4)
        #expect(try #require(lines.dropFirst().first).wholeMatch(of: /save → reload event: [0-9.]+, [0-9.]+ s; median [0-9.]+ s/) != nil)
        #expect(lines.dropFirst(2).allSatisfy { $0.hasPrefix("  rebuilt in ") })
    }
}

/// Stopped by a signal, a bench stops the build it is timing and removes the repository it
/// generated (50,000 files at the default size) instead of leaving it in the temporary folder.
@Suite struct BenchSignalTests {
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aStoppedBenchRemovesWhatItGenerated(signal: Int32) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["bench", "site", "--families", "300", "--versions", "4", "--runs", "5", "--no-hugo"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": scratch.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Stopped while the first build runs (the repository is generated and its settings written).
        let deadline = Date().addingTimeInterval(60)
        func generated() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? [] }
        while Date() < deadline, !generated().contains(where: {
            $0.hasPrefix("promptsite-bench-") && FileManager.default.fileExists(atPath: scratch.appendingPathComponent("\($0)/Site.json").path)
        }) {
            Thread.sleep(forTimeInterval: 0.02)
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(generated().contains { $0.hasPrefix("promptsite-bench-") }, "the bench generated its repository")
        kill(process.processIdentifier, signal)
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(said.contains("stopped: the bench's generated folders were removed"))
        #expect(generated() == [])
    }
}

/// A benchmark generates what it measures: counts that would fill the memory or the disk, or
/// overflow, are refused before anything is generated.
@Suite struct BenchBoundsTests {
    @Test(arguments: [
        (["bench", "similarity", "--prompts", "9223372036854775807"], "--prompts is at most 10,000,000"),
        (["bench", "diff", "--pairs", "9223372036854775807"], "--pairs is at most 1,000,000"),
        (["bench", "logs", "--lines", "9223372036854775807"], "--lines is at most 50,000,000"),
        (["bench", "site", "--families", "4294967296", "--versions", "4294967296"], "--families × --versions is at most 1,000,000 (got more)"),
        (["bench", "serve", "--families", "100000", "--versions", "100"], "--families × --versions is at most 1,000,000 (got 10,000,000)"),
    ])
    func countsPastTheBoundsAreBadUsage(arguments: [String], message: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
