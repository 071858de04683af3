import Checks
import Diagnostics
import Foundation
import PromptCatalog
import Testing
import TestSupport

private func packChecks(_ extra: [String: String] = [:], providerLimit: Int = 1000, flaggedWords: [FlaggedWord] = []) throws -> [Diagnostic] {
    var files = ContentPackFixture.files
    files["providers/p.yaml"] = Fixture.provider("p", limit: providerLimit)
    for (path, text) in extra { files[path] = text }
    let content = try TemporaryContent(files)
    var config = SiteConfig(root: content.project)
    config.contentDirectory = content.root
    config.defaultProviders = ["p"]
    config.flaggedWords = flaggedWords
    return runChecks(config: config).diagnostics.filter { $0.code.hasPrefix("pack-") }
}

private func line(_ diagnostic: Diagnostic) -> String {
    "\(diagnostic.location?.description ?? "-") \(diagnostic.level.rawValue)[\(diagnostic.code)] \(diagnostic.message)"
}

@Suite struct ContentPackRuleTests {
    @Test func theFixtureHasOnlyItsTemplateSize() throws {
        let found = try packChecks().map(line)
        #expect(found == ["content-packs/prompt/lantern_scenes/templates.yaml:3:5 info[pack-template-size] template `lantern-harbor-shot`: "
            + "24 combinations of 4 slots, composed prompts of 83–129 characters (p fits 1000)"])
    }

    @Test func composedLengthsAreThoseOfTheShortestAndLongestTexts() throws {
        let content = try TemporaryContent(ContentPackFixture.files)
        let packs = CatalogLoader.load(contentDirectory: content.root).catalog.contentPacks
        let composition = try #require(packs.compositions.first)
        #expect(composition.shortest == "A plain stone quay.\nLantern light: amber glow.\nCamera drift.\nHushed harbor at dusk.")
        #expect(composition.longest == "Wooden dock at the boathouse.\nLantern light: festival glow.\nA slow camera drift to the left.\nBustling quay with festival chatter.")
        #expect(composition.samples(5).count == 3)
        #expect(composition.samples(5)[1] == "Wooden dock at the boathouse.\nLantern light: festival glow.\nCamera drift.\nBustling quay with festival chatter.")
        #expect(PackComposition.compose(["  ends with colon:", "", "adds a period "]) == "ends with colon:\nadds a period.")
    }

    @Test func duplicateIDsAcrossPacks() throws {
        let found = try packChecks(["content-packs/primitives/copy/blocks/a.yaml": "blocks:\n  - {block_id: harbor.mood.hush, category: mood, text: again}"])
        #expect(found.codes("pack-duplicate-block").map(line) == [
            "content-packs/primitives/harbor_moods/blocks/mood.yaml:2:5 error[pack-duplicate-block] block id `harbor.mood.hush` of pack harbor_moods "
                + "is also defined in pack copy (content-packs/primitives/copy/blocks/a.yaml:2:5)",
        ])
    }

    @Test func flaggedWordsBuiltInAndFromSiteJSON() throws {
        let found = try packChecks(["content-packs/primitives/words/blocks/a.yaml": """
            blocks:
              - {block_id: w.one, category: mood, text: "She stands frozen by the furniture."}
              - {block_id: w.two, category: mood, text: "A lantern sways."}
            """], flaggedWords: [FlaggedWord(pattern: #"\blanterns?\b"#, suggestion: "say 'lamp'")])
        #expect(found.codes("pack-flagged-word").map(line) == [
            "content-packs/primitives/words/blocks/a.yaml:2:45 warning[pack-flagged-word] block `w.one` has `frozen`, a flagged word: …She stands frozen by the furniture.…",
            "content-packs/primitives/words/blocks/a.yaml:2:45 warning[pack-flagged-word] block `w.one` has `furniture`, a flagged word: …tands frozen by the furniture.…",
            "content-packs/primitives/words/blocks/a.yaml:3:45 warning[pack-flagged-word] block `w.two` has `lantern`, a flagged word: …A lantern sways.…",
            "content-packs/prompt/lantern_scenes/schema.yaml:12:22 warning[pack-flagged-word] block `lantern.light.glow.amber` has `Lantern`, a flagged word: …Lantern light: amber glow.…",
            "content-packs/prompt/lantern_scenes/schema.yaml:12:22 warning[pack-flagged-word] block `lantern.special.festival_glow` has `Lantern`, a flagged word: …Lantern light: festival glo…",
            "content-packs/prompt/lantern_scenes/schema.yaml:19:17 warning[pack-flagged-word] block `lantern.light.glow.teal` has `lantern`, a flagged word: …Cold teal lantern light over the wate…",
        ])
        #expect(found.codes("pack-flagged-word").first { $0.message.contains("frozen") }?.hint == "use 'rigid', 'locked', 'still'")
    }

    @Test func blockAndTemplateOverAProvidersLimit() throws {
        let found = try packChecks(providerLimit: 30)
        #expect(found.codes("pack-block-too-long").map(\.message) == [
            "block `harbor.mood.bustle` is 36 characters, over p's prompt limit of 30",
            "block `lantern.light.glow.teal` is 39 characters, over p's prompt limit of 30",
            "block `lantern.camera.drift.pan_left` is 32 characters, over p's prompt limit of 30",
        ])
        #expect(found.codes("pack-template-too-long").map(line) == [
            "content-packs/prompt/lantern_scenes/templates.yaml:3:5 error[pack-template-too-long] every composition of template `lantern-harbor-shot` "
                + "is over p's prompt limit of 30 (shortest 83 characters)",
        ])
        let some = try packChecks(providerLimit: 100).codes("pack-template-too-long").map(line)
        #expect(some == ["content-packs/prompt/lantern_scenes/templates.yaml:3:5 warning[pack-template-too-long] the longest composition of template "
            + "`lantern-harbor-shot` is 129 characters, over p's prompt limit of 100"])
    }

    @Test func aSlotWithNoCandidate() throws {
        let found = try packChecks(["content-packs/prompt/extra/templates.yaml": """
            templates:
              - slug: nothing-fits
                slots:
                  - key: sky
                    category: weather
                  - key: light
                    category: light
                    tags: { all: { light_temperature: ultraviolet }, any: { role: [lighting] }, not: { variant: amber } }
            """])
        #expect(found.codes("pack-slot-empty").map(line) == [
            "content-packs/prompt/extra/templates.yaml:4:9 warning[pack-slot-empty] slot `sky` of template `nothing-fits` has no candidate block "
                + "in the content packs (category weather)",
            "content-packs/prompt/extra/templates.yaml:6:9 warning[pack-slot-empty] slot `light` of template `nothing-fits` has no candidate block "
                + "in the content packs (category light, all {light_temperature: ultraviolet}, any {role: lighting}, not {variant: amber})",
        ])
        #expect(found.codes("pack-slot-empty").first?.hint?.hasSuffix("blocks PixSim7 seeds into its database from elsewhere are not seen here") == true)
        #expect(found.codes("pack-template-size").count == 1)
    }

    @Test func siteJSONFlaggedWordsAreRead() throws {
        let content = try TemporaryContent()
        let good = try content.writeProjectFile("Site.json", #"{"contentPacks": {"flaggedWords": [{"pattern": "\\bcandle\\b", "suggestion": "say lamp"}]}}"#)
        let loaded = SiteConfig.load(from: good)
        guard case .success(let (config, diagnostics)) = loaded else { Issue.record("unreadable: \(loaded)"); return }
        #expect(diagnostics.isEmpty)
        #expect(config.flaggedWords == [FlaggedWord(pattern: #"\bcandle\b"#, suggestion: "say lamp")])
        let bad = try content.writeProjectFile("Bad.json", #"{"contentPacks": {"flaggedWords": [{"pattern": "(unclosed"}, {"suggestion": "x"}]}}"#)
        // A bad pattern leaves the configuration unusable (exit 2), like every other wrong field of Site.json.
        guard case .failure(let unreadable) = SiteConfig.load(from: bad) else { Issue.record("a bad pattern was accepted"); return }
        let problems = unreadable.diagnostics
        #expect(problems.map(\.message) == ["flagged word pattern `(unclosed` is not a regular expression",
                                            "a flagged word needs a `pattern` (a regular expression such as `\\\\bfrozen\\\\b`)"])
    }
}
