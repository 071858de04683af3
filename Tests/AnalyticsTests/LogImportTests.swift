@testable import Analytics
import Foundation
import PromptCatalog
import Testing
import TestSupport

@Suite struct LogImportTests {
    typealias Generation = LogImport.InlineGeneration

    // Three prompts, each edited over time, interleaved as a log would have them. The gull
    // and the fishmonger are chains of small edits; the ledger prompt is used once.
    static let gull1 = "A gull glides over Lanternfall harbor at dusk, boats rocking at their moorings"
    static let gull2 = "A gull glides low over Lanternfall harbor at dusk, boats rocking at their moorings"
    static let gull3 = "A gull glides low over Lanternfall harbor at dusk, boats rocking at their moorings, lanterns flickering on the quay"
    static let fish1 = "You are a fishmonger at the night market. Greet {{player_name}} and mention the fog, in one short line."
    static let fish2 = "You are a fishmonger at the night market. Greet the player by name and mention the fog, in one short line."
    static let ledger = "Sable Marrow's ledger, open on a barrel: \"paid in full\" in red ink"

    static let fixture: [Generation] = [
        Generation(prompt: fish1, line: 1, createdAt: "2026-10-02T09:00:00Z", provider: "loremind"),
        Generation(prompt: gull1, line: 2, createdAt: "2026-10-01T08:00:00Z", provider: "inkwell"),
        Generation(prompt: gull1, line: 3, createdAt: "2026-10-03T08:00:00Z", provider: "tidewave"),
        Generation(prompt: gull2, line: 4, createdAt: "2026-10-05T12:00:00Z", provider: "inkwell"),
        Generation(prompt: fish2, line: 5, createdAt: "2026-10-06T09:30:00Z", provider: "loremind"),
        Generation(prompt: ledger, line: 6, createdAt: "2026-10-06T10:00:00Z", provider: "inkwell"),
        Generation(prompt: gull2, line: 7, createdAt: "2026-10-09T12:00:00Z", provider: "inkwell"),
        Generation(prompt: gull3, line: 8, createdAt: "2026-10-12T07:15:00Z", provider: "inkwell"),
        Generation(prompt: fish2, line: 9, createdAt: "2026-10-13T09:30:00Z", provider: "mystery"),
        Generation(prompt: gull3, line: 10, createdAt: "2026-10-14T07:15:00Z", provider: "inkwell"),
    ]

    static let providers: [String: PromptType?] = ["inkwell": .visual, "tidewave": .visual, "loremind": .narrative]

    static func date(_ text: String) -> Date { ISODate.parse(text)! }

    @Test func groupsTheFixtureIntoItsPromptsInOrderOfFirstUse() {
        let plan = LogImport.plan(Self.fixture, existing: .init(providers: Self.providers), source: "logs/2026-10.jsonl")
        // The gull was used first (line 2 is dated before line 1), then the fishmonger, then the ledger.
        #expect(plan.families.map(\.slug) == ["gull-glides-lanternfall-harbor-dusk", "fishmonger-night-market-greet-player",
                                              "sable-marrows-ledger-open-barrel"])
        #expect(plan.families.map { $0.versions.map(\.text) } == [[Self.gull1, Self.gull2, Self.gull3], [Self.fish1, Self.fish2], [Self.ledger]])
        #expect(plan.families.map(\.promptType) == [.visual, .narrative, .visual])
        let gull = plan.families[0]
        #expect(gull.versions.map(\.uses) == [2, 2, 2])
        #expect(gull.versions.map(\.firstLine) == [2, 4, 8])
        #expect(gull.versions[0].firstUse == Self.date("2026-10-01T08:00:00Z"))
        #expect(gull.versions[0].lastUse == Self.date("2026-10-03T08:00:00Z"))
        #expect(gull.versions[0].providers == ["inkwell", "tidewave"])
        #expect(gull.uses == 6)
        #expect(gull.title == "A gull glides over Lanternfall harbor at dusk…")
        // A provider the catalog does not define is not written into `providers:`.
        #expect(plan.families[1].versions[1].providers == ["loremind"])
        #expect(plan.alreadyImported.isEmpty)
    }

    @Test func versionsFormAChainOfParents() {
        let plan = LogImport.plan(Self.fixture, existing: .init(providers: Self.providers), source: "logs/2026-10.jsonl")
        #expect(plan.families[0].versions.map(\.number) == [1, 2, 3])
        #expect(plan.families[0].versions.map(\.parent) == [nil, 1, 2])
        #expect(plan.files.map(\.path) == [
            "prompts/gull-glides-lanternfall-harbor-dusk/family.yaml",
            "prompts/gull-glides-lanternfall-harbor-dusk/v1.prompt",
            "prompts/gull-glides-lanternfall-harbor-dusk/v2.prompt",
            "prompts/gull-glides-lanternfall-harbor-dusk/v3.prompt",
            "prompts/fishmonger-night-market-greet-player/family.yaml",
            "prompts/fishmonger-night-market-greet-player/v1.prompt",
            "prompts/fishmonger-night-market-greet-player/v2.prompt",
            "prompts/sable-marrows-ledger-open-barrel/family.yaml",
            "prompts/sable-marrows-ledger-open-barrel/v1.prompt",
        ])
        #expect(plan.files[0].contents == """
            title: "A gull glides over Lanternfall harbor at dusk…"
            description: "Imported by `promptsite import logs` from logs/2026-10.jsonl: 6 inline generations of 3 prompt texts, 2026-10-01 to 2026-10-14."
            prompt_type: visual
            tags: ["imported"]

            """)
        #expect(plan.files[2].contents == """
            ---
            version: 2
            parent: 1
            message: "From logs/2026-10.jsonl: used 2 times, 2026-10-05 to 2026-10-09"
            date: 2026-10-05T12:00:00Z
            providers: ["inkwell"]
            ---
            \(Self.gull2)

            """)
    }

    @Test func slugsAreUniqueAgainstExistingFoldersAndEachOther() {
        let generations = [
            Generation(prompt: "Harbor at dusk, gulls overhead", line: 1),
            Generation(prompt: "The harbor at dusk: lanterns on the water, a ferry leaving, a bell ringing somewhere far", line: 2),
            Generation(prompt: "Harbor at dusk in winter snow, the whole quay frozen under a pale moon", line: 3),
        ]
        // Three different prompts that start with the same words.
        let existing = LogImport.Existing(slugs: ["harbor-dusk-gulls-overhead", "harbor-dusk-lanterns-water-ferry"])
        let plan = LogImport.plan(generations, existing: existing, source: "a.jsonl", threshold: 0.5)
        #expect(plan.families.map(\.slug) == ["harbor-dusk-gulls-overhead-2", "harbor-dusk-lanterns-water-ferry-2", "harbor-dusk-winter-snow-whole"])

        let same = (1...3).map { Generation(prompt: "Quiet harbor number \($0) at dawn with no boats at all, only fog \(String(repeating: "x", count: $0))", line: $0) }
        let separate = LogImport.plan(same, source: "a.jsonl", threshold: 1)
        #expect(separate.families.map(\.slug) == ["quiet-harbor-number-1-dawn", "quiet-harbor-number-2-dawn", "quiet-harbor-number-3-dawn"])
        let taken = LogImport.plan([same[0], same[0]], existing: .init(slugs: ["quiet-harbor-number-1-dawn", "quiet-harbor-number-1-dawn-2"]), source: "a.jsonl")
        #expect(taken.families.map(\.slug) == ["quiet-harbor-number-1-dawn-3"])
    }

    @Test func slugWords() {
        #expect(LogImport.slug(for: "Close-up of the keeper's weathered hands trimming the wick") == "close-up-keepers-weathered-hands")
        #expect(LogImport.slug(for: "Café au lait, Ünter den Linden") == "cafe-au-lait-unter-den")
        #expect(LogImport.slug(for: "The it of a") == "the-it-of-a")
        #expect(LogImport.slug(for: "!!! ??? 灯台") == "inline-prompt")
        #expect(LogImport.slug(for: String(repeating: "lighthouse", count: 30)).count == 100)
    }

    @Test func templateBracesAreEscapedAndTheFilesLoadWithoutErrors() throws {
        let text = "Greet {{player_name}}, \\{{raw}} \\ and {{{{ twice }} }}"
        let plan = LogImport.plan([Generation(prompt: text, line: 1, createdAt: "2026-11-17T10:00:00Z", provider: "inkwell")],
                                  existing: .init(providers: ["inkwell": .visual]), source: "logs/x.jsonl")
        let version = try #require(plan.families.first?.versions.first)
        #expect(version.body == "Greet \\{{player_name}}, \\\\{{raw}} \\ and \\{{\\{{ twice }} }}")

        let content = try TemporaryContent(["providers/inkwell.yaml": Fixture.provider("inkwell")])
        for file in plan.files { try content.write(file.path, file.contents) }
        let loaded = CatalogLoader.load(contentDirectory: content.root)
        #expect(loaded.diagnostics.filter { $0.level == .error }.isEmpty, "\(loaded.diagnostics)")
        let family = try #require(loaded.catalog.families.first)
        #expect(family.promptType == .visual)
        #expect(family.tags == ["imported"])
        let loadedVersion = try #require(family.version(1))
        #expect(loadedVersion.date == ISODate.parse("2026-11-17T10:00:00Z"))
        #expect(loadedVersion.providers?.map(\.value) == ["inkwell"])
        // No variables, and the literal text is the prompt exactly: it renders as itself.
        #expect(loadedVersion.template.errors.isEmpty)
        #expect(loadedVersion.template.references.isEmpty)
        #expect(loadedVersion.template.literalLength == text.count)
        // Imported again, the text is found in the catalog and nothing is planned.
        let again = LogImport.plan([Generation(prompt: text, line: 9)], existing: .init(catalog: loaded.catalog), source: "logs/x.jsonl")
        #expect(again.families.isEmpty)
        #expect(again.alreadyImported.map(\.version) == ["\(family.slug)@1"])
    }

    @Test func similarityIsTheJaccardIndexOfWordsAndWordPairs() {
        // {a, b, c, "a b", "b c"} and {a, b, d, "a b", "b d"} share 3 of 7.
        #expect(LogImport.similarity("A b, C!", "a B d") == 3.0 / 7.0)
        #expect(LogImport.similarity("same words", "Same  words.") == 1)
        #expect(LogImport.similarity("b a", "a b") == 2.0 / 4.0)
        #expect(LogImport.similarity("", "") == 0)
        #expect(LogImport.shingles("keeper's lamp") == ["keepers", "lamp", "keepers lamp"])
    }

    @Test func theThresholdDecidesWhetherAnEditJoinsTheFamily() {
        // gull1 → gull2 adds one word: similar enough at 0.5, not at 0.9.
        let similarity = LogImport.similarity(Self.gull1, Self.gull2)
        #expect(similarity > 0.8 && similarity < 0.9)
        let pair = [Generation(prompt: Self.gull1, line: 1), Generation(prompt: Self.gull2, line: 2)]
        #expect(LogImport.plan(pair, source: "a", threshold: 0.5).families.map(\.versions.count) == [2])
        #expect(LogImport.plan(pair, source: "a", threshold: similarity).families.map(\.versions.count) == [2])
        #expect(LogImport.plan(pair, source: "a", threshold: 0.9).families.map(\.versions.count) == [1, 1])
        // Single linkage: gull3 is closer to gull2 than to gull1, and joins through it.
        #expect(LogImport.similarity(Self.gull1, Self.gull3) < LogImport.similarity(Self.gull2, Self.gull3))
        let all = LogImport.plan(Self.fixture, source: "a", threshold: 0.95)
        #expect(all.families.count == 6)
        #expect(LogImport.plan(Self.fixture, source: "a", threshold: 0.01).families.count == 1)
    }

    @Test func planningIsDeterministic() {
        let first = LogImport.plan(Self.fixture, existing: .init(providers: Self.providers), source: "a")
        for _ in 0..<5 {
            #expect(LogImport.plan(Self.fixture, existing: .init(providers: Self.providers), source: "a") == first)
        }
    }

    @Test func promptTypes() {
        #expect(LogImport.promptType(operations: ["text_to_image", "image_to_image"]) == .visual)
        #expect(LogImport.promptType(operations: ["chat", "completion"]) == .narrative)
        #expect(LogImport.promptType(operations: ["chat", "text_to_video"]) == .hybrid)
        #expect(LogImport.promptType(operations: []) == nil)
        let mixed = [Generation(prompt: "Wren waves from the rocks", line: 1, provider: "inkwell"),
                     Generation(prompt: "Wren waves from the rocks!", line: 2, provider: "loremind")]
        #expect(LogImport.plan(mixed, existing: .init(providers: Self.providers), source: "a").families.map(\.promptType) == [.hybrid])
        // Providers that tell nothing: visual.
        #expect(LogImport.plan(mixed, source: "a").families.map(\.promptType) == [.visual])
    }

    @Test func theCollectorKeepsOnlyInlineGenerationsAndCountsMalformedLines() throws {
        let lines = [
            #"{"status":"success","version":"a@1","prompt":"versioned"}"#,
            #"{"status":"success","block":"b","prompt":"a block"}"#,
            #"{"status":"failed","provider":"inkwell","created_at":"2026-11-17T10:00:00Z","prompt":"Inline, \"quoted\""}"#,
            #"not json"#,
            #"{"status":"success","prompt":"   "}"#,
            #"{"status":"nope","prompt":"bad status"}"#,
            #"{"status":"success","version":"","block":null,"prompt":"empty version counts as none"}"#,
        ]
        let content = try TemporaryContent(["logs/a.jsonl": lines.joined(separator: "\n") + "\n"])
        var collector = InlineGenerationCollector(keptMessages: 1)
        _ = try LogReader.read(content.root.appendingPathComponent("logs/a.jsonl"), format: .jsonLines, into: &collector)
        #expect(collector.generations == [
            Generation(prompt: "Inline, \"quoted\"", line: 3, createdAt: "2026-11-17T10:00:00Z", provider: "inkwell"),
            Generation(prompt: "empty version counts as none", line: 7),
        ])
        #expect(collector.records == 5)
        #expect(collector.malformedCount == 2)
        #expect(collector.malformedLines.map(\.line) == [4])
    }
}

/// The families found with prefix filtering are the ones comparing each text with every
/// earlier text gives (the reference below is that algorithm as it was).
@Suite struct LogImportClusterTests {
    static func reference(_ texts: [String], threshold: Double) -> [[Int]] {
        var shingleIDs: [String: Int] = [:]
        var postings: [[Int]] = []
        var sizes: [Int] = [], familyOf: [Int] = [], families: [[Int]] = []
        for (index, text) in texts.enumerated() {
            let ids = LogImport.shingles(text).map { shingle -> Int in
                if let id = shingleIDs[shingle] { return id }
                shingleIDs[shingle] = postings.count
                postings.append([])
                return postings.count - 1
            }
            var overlap: [Int: Int] = [:]
            for id in ids { for other in postings[id] { overlap[other, default: 0] += 1 } }
            var best: (family: Int, similarity: Double)?
            for (other, shared) in overlap {
                let similarity = Double(shared) / Double(ids.count + sizes[other] - shared)
                let family = familyOf[other]
                if let current = best, similarity < current.similarity || (similarity == current.similarity && family > current.family) { continue }
                best = (family, similarity)
            }
            if let best, best.similarity >= threshold {
                familyOf.append(best.family)
                families[best.family].append(index)
            } else {
                familyOf.append(families.count)
                families.append([index])
            }
            sizes.append(ids.count)
            for id in ids { postings[id].append(index) }
        }
        return families
    }

    @Test func prefixFilteringFindsTheSameFamilies() {
        var seeded = UInt64(7)
        func next() -> UInt64 { seeded = seeded &* 6364136223846793005 &+ 1442695040888963407; return seeded >> 33 }
        let vocabulary = (0..<60).map { "w\($0)" } + ["the", "a", "of", "and"]
        for round in 0..<60 {
            var texts: [String] = []
            for _ in 0..<(40 + Int(next() % 80)) {
                if !texts.isEmpty, next() % 3 == 0 {
                    // A near copy of an earlier text: one or two words changed, added or dropped.
                    var words = texts[Int(next() % UInt64(texts.count))].split(separator: " ").map(String.init)
                    for _ in 0..<(1 + Int(next() % 2)) {
                        let at = Int(next() % UInt64(max(1, words.count)))
                        switch next() % 3 {
                        case 0 where !words.isEmpty: words[at] = vocabulary[Int(next() % UInt64(vocabulary.count))]
                        case 1: words.insert(vocabulary[Int(next() % UInt64(vocabulary.count))], at: min(at, words.count))
                        default: if !words.isEmpty { words.remove(at: at) }
                        }
                    }
                    texts.append(words.joined(separator: " "))
                } else {
                    texts.append((0..<Int(next() % 12)).map { _ in vocabulary[Int(next() % UInt64(vocabulary.count))] }.joined(separator: " "))
                }
            }
            for threshold in [0.2, 0.5, 0.75, 1.0] {
                #expect(LogImport.cluster(texts, threshold: threshold) == Self.reference(texts, threshold: threshold), "round \(round), threshold \(threshold)")
            }
        }
    }
}
