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
    @Test func exactJaccardOfShingles() {
        let a = Shingles(text: "The keeper walks the pier", size: 2)
        let b = Shingles(text: "the KEEPER walks the pier!", size: 2)
        let c = Shingles(text: "The keeper runs the pier", size: 2)
        #expect(a.hashes.count == 4)
        #expect(a.jaccard(b) == 1)
        // {the keeper, keeper walks, walks the, the pier} vs {the keeper, keeper runs, runs the, the pier}: 2 of 6.
        #expect(abs(a.jaccard(c) - 2.0 / 6.0) < 1e-12)
        #expect(Shingles(text: "", size: 2).hashes.isEmpty)
        #expect(Shingles(text: "Lantern", size: 2).hashes.count == 1)
    }

    @Test func findsPlantedNearCopiesAndNothingBelowTheThreshold() {
        var generator = PromptGenerator(state: 7)
        var texts: [[String]] = (0..<3000).map { _ in generator.prompt(words: 60) }
        var planted: [(Int, Int)] = []
        for original in stride(from: 0, to: 600, by: 2) {
            texts.append(generator.nearCopy(of: texts[original]))
            planted.append((original, texts.count - 1))
        }
        let strings = texts.map { $0.joined(separator: " ") }
        let finder = NearDuplicateFinder(threshold: 0.85)
        let pairs = finder.pairs(in: strings)
        let found = Set(pairs.map { "\($0.first)-\($0.second)" })
        let recalled = planted.filter { found.contains("\($0.0)-\($0.1)") }.count
        #expect(Double(recalled) / Double(planted.count) >= 0.97, "recall \(recalled) of \(planted.count)")
        // One replaced word changes at most 2 of 59 shingles: similarity ≥ 57/61.
        for pair in pairs {
            #expect(pair.similarity >= 0.85)
            #expect(abs(pair.similarity - Shingles(text: strings[pair.first], size: 2).jaccard(Shingles(text: strings[pair.second], size: 2))) < 1e-12)
        }
        #expect(pairs.count <= planted.count + 5, "random prompts are not near each other")
    }

    @Test func deterministicAndOrdered() {
        let texts = ["a lantern on the pier at dusk", "a lantern on the pier at night", "a lantern on the pier at dusk", "fog rolls in"]
        let finder = NearDuplicateFinder(threshold: 0.5)
        let pairs = finder.pairs(in: texts)
        #expect(pairs == finder.pairs(in: texts))
        #expect(pairs.contains(NearDuplicateFinder.Pair(first: 0, second: 2, similarity: 1)))
        #expect(pairs.allSatisfy { $0.first < $0.second && $0.second != 3 })
    }
}
