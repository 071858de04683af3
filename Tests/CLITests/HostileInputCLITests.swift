import Foundation
import Testing
import TestSupport

/// Hostile input through the real binary, under a memory ceiling: no crash, no hang, no lost file.
@Suite struct HostileInputCLITests {
    /// Runs the binary through `sh` with `ulimit -v` (KiB of address space) and a time limit.
    static func runBounded(_ arguments: [String], in directory: URL, memoryKiB: Int = 2_000_000, seconds: Int = 60) throws -> CLI.Result {
        let quoted = ([CLI.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try CLI.run(["-c", "ulimit -v \(memoryKiB); exec timeout \(seconds) \(quoted)"], in: directory, executable: URL(fileURLWithPath: "/bin/sh"))
    }

    @Test func anAliasBombAndANestedConditionAreDiagnosticsUnderAMemoryCeiling() throws {
        var bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<10 { bomb.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]") }
        let content = try TemporaryContent([
            "providers/bomb.yaml": bomb.joined(separator: "\n"),
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1\nvariables:\n  lead: { type: string, max_length: 9223372036854775807 }", "{{lead}}"),
        ])
        let result = try Self.runBounded(["check", "--content", content.root.path], in: content.project)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("providers/bomb.yaml:1:22: error[yaml-syntax]: too many aliases"))
        #expect(result.stdout.contains("prompts/a/v1.prompt:4:37: error[front-matter]: `max_length` in variable `lead` is 9223372036854775807, out of range"))
    }

    /// A reference with a 50,000-component path (no closest-name search over 100 KB, no join of
    /// every prefix) and a line of 40,000 empty references (each quoted line cut without counting
    /// the whole line again) are diagnostics in bounded time.
    @Test func hugePathsAndLinesOfErrorsAreDiagnosedInBoundedTime() throws {
        let content = try TemporaryContent([
            "prompts/a/family.yaml": Fixture.family(),
            "prompts/a/v1.prompt": Fixture.version("version: 1", "{{" + String(repeating: "a.", count: 50_000) + "b}}"),
            "prompts/a/v2.prompt": Fixture.version("version: 2\nparent: 1", String(repeating: "{{}}", count: 40_000)),
        ])
        let result = try Self.runBounded(["check", "--content", content.root.path], in: content.project, seconds: 30)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("prompts/a/v1.prompt:4:1: error[undefined-variable]: `a.a.a.a."))
        // The first 99 syntax errors the parser keeps, then their count (the 40,000 were all printed).
        #expect(result.stdout.components(separatedBy: "prompts/a/v2.prompt:5:").count - 1 == 99)
        #expect(result.stdout.contains("prompts/a/v2.prompt: error[template-syntax]: 39901 more template syntax errors in this file, not listed"))
        #expect(result.stdout.hasSuffix("101 errors, 0 warnings, 0 infos\n"))
    }

    /// A diagnostic far into a minified JSON line quotes the stretch around its column, with the
    /// caret under it (the line was cut after 240 characters, and the caret lost).
    @Test func aDiagnosticOnALongLineQuotesTheStretchAroundItsColumn() throws {
        let blocks = (0..<200).map { #"{"id":"b\#($0)","kind":"single_state","prompt":"p\#($0) \#(String(repeating: "x", count: 20))"}"# }
        // (Block `b50` is among the first 100 `block-unversioned` of the file, the ones listed.)
        let content = try TemporaryContent(["action-blocks/min.json": "[" + blocks.joined(separator: ",") + "]"])
        let result = try CLI.run(["check", "--content", content.root.path], in: content.project)
        let lines = result.stdout.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("warning[block-unversioned]: block `b50`") })
        let quoted = lines[index + 1], caret = lines[index + 2]
        #expect(quoted.hasPrefix(" 1 | …") && quoted.hasSuffix("…"))
        #expect(quoted.count < 260)
        // The block's location is its id's value.
        let target = try #require(quoted.range(of: #""id":"b50""#)).upperBound
        let value = quoted.index(target, offsetBy: -5)
        #expect(caret.count == quoted.distance(from: quoted.startIndex, to: value) + 1)
        #expect(caret.hasSuffix("^"))
    }

    @Test func buildRefusesOutputsItDidNotWriteWithExitTwo() throws {
        let content = try TemporaryContent(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": Fixture.version("version: 1", "Hi")])
        let notes = try content.writeProjectFile("notes.txt", "my notes")
        let mine = try content.writeProjectFile("mydocs/README.md", "# mine")
        for output in [notes.path, mine.deletingLastPathComponent().path] {
            let result = try CLI.run(["build", "--content", content.root.path, "--output", output], in: content.project)
            #expect(result.status == 2, "\(output): \(result.stderr)")
            #expect(result.stderr.contains("refusing to replace \(output)"))
        }
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes")
        #expect(try String(contentsOf: mine, encoding: .utf8) == "# mine")
        // A folder the build wrote is replaced by the next build.
        let site = content.project.appendingPathComponent("Site").path
        #expect(try CLI.run(["build", "--content", content.root.path, "--output", site], in: content.project).status == 0)
        #expect(try CLI.run(["build", "--content", content.root.path, "--output", site], in: content.project).status == 0)
        #expect(FileManager.default.fileExists(atPath: site + "/.promptsite-output"))
    }
}
