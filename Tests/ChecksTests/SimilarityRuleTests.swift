import Diagnostics
import Checks
import PromptCatalog
import Testing
import TestSupport

@Suite struct SimilarityRuleTests {
    static let text = "The lighthouse keeper trims the lamp wick at dusk while gulls circle the mast and the harbor bells ring softly over the water"

    @Test func nearCopiesInDifferentFamiliesAreInfos() throws {
        var files = family([("version: 1", Self.text), ("version: 2\nparent: 1", Self.text + " tonight")])
        files["prompts/b/family.yaml"] = Fixture.family()
        files["prompts/b/v1.prompt"] = Fixture.version("version: 1", Self.text.replacingOccurrences(of: "water", with: "sea"))
        files["prompts/c/family.yaml"] = Fixture.family()
        files["prompts/c/v1.prompt"] = Fixture.version("version: 1", "Fog rolls into the night market and stall awnings drip")
        let infos = try check(files).codes("near-duplicate")
        // a@1, a@2 and b@1 form one cluster; a's versions are alike by design, b@1 is reported once.
        #expect(infos.count == 1)
        #expect(infos.allSatisfy { $0.level == .info && $0.location?.file == "prompts/b/v1.prompt" })
        // 22 of 24 words shared with a@1 (one changed of 23); 22 of 25 with a@2.
        #expect(infos.map(\.message) == ["b@1 is 92% alike to a@1 (prompts/a/v1.prompt), in near-duplicate cluster 1 of 3 prompts"])
    }

    @Test func aClusterOfThousandsGivesOneInfoPerPromptAtMost() throws {
        // 40 families × 10 versions of one text: one cluster of 400, infos for the 390 outside family f0.
        var files: [String: String] = [:]
        for family in 0..<40 {
            files["prompts/f\(family)/family.yaml"] = Fixture.family()
            for number in 1...10 {
                let parent = number > 1 ? "\nparent: \(number - 1)" : ""
                files["prompts/f\(family)/v\(number).prompt"] = Fixture.version("version: \(number)\(parent)", Self.text)
            }
        }
        let infos = try check(files).codes("near-duplicate")
        #expect(infos.count == 390)
        #expect(Set(infos.compactMap(\.location?.file)).count == 390)
        #expect(infos.allSatisfy { $0.message.hasSuffix("in near-duplicate cluster 1 of 400 prompts") && $0.message.contains("100% alike") })
    }

    @Test func theThresholdComesFromSiteJSON() throws {
        var files = family([("version: 1", Self.text)])
        files["prompts/b/family.yaml"] = Fixture.family()
        files["prompts/b/v1.prompt"] = Fixture.version("version: 1", Self.text.replacingOccurrences(of: "water", with: "sea"))
        let content = try TemporaryContent(files.merging(["providers/p.yaml": Fixture.provider("p")]) { a, _ in a })
        var config = SiteConfig(root: content.project)
        config.contentDirectory = content.root
        config.similarityThreshold = 0.95
        #expect(runChecks(config: config).diagnostics.codes("near-duplicate").isEmpty)
        config.similarityThreshold = 0.5
        let checked = runChecks(config: config)
        #expect(checked.project.similar.clusters.count == 1)
        #expect(checked.diagnostics.codes("near-duplicate").count == 1)
    }
}
