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
        // b@1 is close to both versions of a; a@1 and a@2 are alike but one family.
        #expect(infos.count == 2)
        #expect(infos.allSatisfy { $0.level == .info && $0.location?.file == "prompts/b/v1.prompt" })
        // 21 of 23 shingles shared with a@1; 22 of 25 with a@2.
        #expect(Set(infos.map(\.message)) == ["b@1 is 91% similar to a@1 (prompts/a/v1.prompt)", "b@1 is 88% similar to a@2 (prompts/a/v2.prompt)"])
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
        #expect(runChecks(config: config).nearDuplicates.count == 1)
    }
}
