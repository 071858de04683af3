import Similarity
import Testing

/// A generator of prompt-like texts: random words from a harbor vocabulary.
struct PromptGenerator {
    static let words = """
    harbor lantern storm fog bell keeper smuggler market night tide gull rope sail stone cliff ember dusk mist wharf beacon
    pier mast lamp wick brass salt kelp crab net oar hull deck cargo crate barrel coin rumor whisper shadow light glow
    wind rain wave spray foam shore sand shell pebble driftwood anchor chain hook lure bait boat skiff dinghy ferry ship
    captain sailor merchant thief guard child mother father elder stranger friend rival lover widow orphan bard cook
    walks runs stands waits watches listens speaks laughs cries sings whispers shouts turns leans sits kneels climbs
    slowly quickly softly warmly coldly quietly loudly gently sharply calmly nervously proudly sadly gladly
    """.split(whereSeparator: \.isWhitespace).map(String.init)

    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func prompt(words count: Int) -> [String] { (0..<count).map { _ in Self.words[next(Self.words.count)] } }

    /// The prompt with one word replaced: a near copy.
    mutating func nearCopy(of words: [String]) -> [String] {
        var copy = words
        copy[next(copy.count)] = "lighthouse"
        return copy
    }
}

@Suite struct NearDuplicateTests {
    @Test func jaccardOfWordMultisets() {
        let a = WordMultiset(text: "The keeper walks the pier")
        let b = WordMultiset(text: "the KEEPER walks the pier!")
        let c = WordMultiset(text: "The keeper runs the pier")
        // the×2, keeper, walks, pier: five words, "the" counted twice.
        #expect(a.count == 5)
        #expect(a.jaccard(b) == 1)
        // {the, the, keeper, pier} shared of {the, the, keeper, walks, runs, pier}: 4 of 6.
        #expect(abs(a.jaccard(c) - 4.0 / 6.0) < 1e-12)
        #expect(WordMultiset(text: "").isEmpty)
        #expect(WordMultiset(text: "Lantern").count == 1)
        // Word order does not count; repetition does.
        #expect(WordMultiset(text: "pier the keeper").jaccard(WordMultiset(text: "the keeper pier")) == 1)
        #expect(abs(WordMultiset(text: "bell bell").jaccard(WordMultiset(text: "bell")) - 0.5) < 1e-12)
    }

    @Test func oneWordInTwentyChangedReadsAsNinetyPercent() {
        let words = (1...20).map { "word\($0)" }
        var changed = words
        changed[7] = "other"
        let similarity = WordMultiset(text: words.joined(separator: " ")).jaccard(WordMultiset(text: changed.joined(separator: " ")))
        #expect(abs(similarity - 19.0 / 21.0) < 1e-12)
        #expect(similarity >= 0.9)
        // A 23-word prompt with one word changed: 22 / 24.
        let text = "The lighthouse keeper trims the lamp wick at dusk while gulls circle the mast and the harbor bells ring softly over the water"
        let edited = text.replacingOccurrences(of: "water", with: "sea")
        #expect(abs(WordMultiset(text: text).jaccard(WordMultiset(text: edited)) - 22.0 / 24.0) < 1e-12)
    }

    @Test func clustersPlantedNearCopiesAndNothingBelowTheThreshold() {
        var generator = PromptGenerator(state: 7)
        var texts: [[String]] = (0..<3000).map { _ in generator.prompt(words: 60) }
        var planted: [(Int, Int)] = []
        for original in stride(from: 0, to: 600, by: 2) {
            texts.append(generator.nearCopy(of: texts[original]))
            planted.append((original, texts.count - 1))
        }
        let strings = texts.map { $0.joined(separator: " ") }
        let groups = NearDuplicateFinder(threshold: 0.85).groups(in: strings)
        let recalled = planted.filter { groups.clusterOf[$0.0] != nil && groups.clusterOf[$0.0] == groups.clusterOf[$0.1] }.count
        #expect(Double(recalled) / Double(planted.count) >= 0.97, "recall \(recalled) of \(planted.count)")
        // Random prompts are not near each other: clusters are the planted pairs.
        #expect(groups.clusters.count <= planted.count + 5)
        #expect(groups.clusters.allSatisfy { $0.count == 2 })
        for (index, neighbours) in groups.nearest.enumerated() {
            for neighbour in neighbours {
                #expect(neighbour.similarity >= 0.85)
                #expect(abs(neighbour.similarity - WordMultiset(text: strings[index]).jaccard(WordMultiset(text: strings[neighbour.index]))) < 1e-12)
            }
        }
    }

    @Test func aLargeClusterOfAlikeTextsCostsLinearWork() {
        // 2,000 texts: 200 groups of 10 identical texts, every group one word apart from the next.
        var generator = PromptGenerator(state: 11)
        let base = generator.prompt(words: 90)
        var texts: [String] = []
        for group in 0..<200 {
            var words = base
            words[group % 90] = "variant\(group)"
            texts += Array(repeating: words.joined(separator: " "), count: 10)
        }
        let groups = NearDuplicateFinder(threshold: 0.85).groups(in: texts)
        #expect(groups.clusters.count == 1)
        #expect(groups.clusters[0].count == 2000)
        // Few pairs are measured: identical texts are grouped first, buckets are windowed.
        #expect(groups.measuredPairs < 200 * 16 * 8)
        #expect(groups.nearest.allSatisfy { $0.count == 5 })
        #expect(groups.nearest[0].allSatisfy { $0.similarity == 1 })
    }

    @Test func deterministicAndOrdered() {
        let texts = ["a lantern on the pier at dusk", "a lantern on the pier at night", "a lantern on the pier at dusk", "fog rolls in"]
        let finder = NearDuplicateFinder(threshold: 0.5)
        let groups = finder.groups(in: texts)
        #expect(groups.clusters == finder.groups(in: texts).clusters)
        #expect(groups.clusters == [[0, 1, 2]])
        #expect(groups.clusterOf == [0, 0, 0, nil])
        #expect(groups.nearest[0].first == SimilarityGroups.Neighbour(index: 2, similarity: 1))
        // 6 of 8 words shared: 0.75.
        #expect(groups.nearest[1].map(\.index) == [0, 2])
        #expect(abs(groups.nearest[1][0].similarity - 0.75) < 1e-12)
        #expect(groups.nearest[3].isEmpty)
    }
}

