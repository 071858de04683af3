import Checks
import Foundation
import PromptCatalog
import PromptTemplates
import Testing
import TestSupport

/// Mangled copies of real files must give diagnostics, never a crash.
@Suite struct RobustnessTests {
    @Test func truncatedAndCorruptedVersionsNeverCrash() throws {
        let sample = Repository.sampleContent.appendingPathComponent("prompts/keeper-dialogue")
        let originals = try FileManager.default.contentsOfDirectory(atPath: sample.path).filter { $0.hasSuffix(".prompt") }.sorted()
        var random = SeededRandom(seed: 2026)
        var files: [String: String] = ["prompts/a/family.yaml": Fixture.family()]
        var number = 1
        for name in originals {
            let bytes = Array(try Data(contentsOf: sample.appendingPathComponent(name)))
            for _ in 0..<25 {
                var mangled = Array(bytes.prefix(random.next(below: bytes.count + 1)))
                for _ in 0..<random.next(below: 4) where !mangled.isEmpty {
                    mangled[random.next(below: mangled.count)] = Array("{}:-\n\"'[]\\#&*!|>%@`".utf8)[random.next(below: 19)]
                }
                files["prompts/a/v\(number).prompt"] = String(decoding: mangled, as: UTF8.self)
                number += 1
            }
        }
        let found = try check(files)
        // Every mangled file is accounted for: loaded or reported, and every report has a place.
        #expect(found.allSatisfy { $0.location != nil })
        #expect(!found.isEmpty)
    }

    @Test func binaryGarbageEverywhere() throws {
        var random = SeededRandom(seed: 7)
        func garbage() -> Data { Data((0..<random.next(below: 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }) }
        let content = try TemporaryContent()
        try content.write("prompts/x/family.yaml", data: garbage())
        try content.write("prompts/x/v1.prompt", data: garbage())
        try content.write("prompts/x/v2.prompt", data: Data("---\n".utf8) + garbage())
        try content.write("providers/p.yaml", data: garbage())
        let site = try content.writeProjectFile("Site.json", "{}")
        guard case .success(var (config, _)) = SiteConfig.load(from: site) else { Issue.record("config"); return }
        config.contentDirectory = content.root
        let outcome = runChecks(config: config)
        #expect(outcome.failed)
        #expect(outcome.diagnostics.contains { $0.code == "encoding" || $0.code == "yaml-syntax" || $0.code == "front-matter" })
    }
}
