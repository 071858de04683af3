import Foundation
import Similarity

/// `count` generated prompts of ~60 words, 5% of them near copies (one word changed) of
/// another: near-duplicate detection timed, with the recall on the planted pairs.
public struct SimilarityBenchmark {
    public let count: Int
    public let threshold: Double

    public init(count: Int, threshold: Double = 0.85) {
        self.count = count
        self.threshold = threshold
    }

    public struct Report: Sendable {
        public let prompts: Int
        public let planted: Int
        public let recalled: Int
        public let pairs: Int
        public let clusters: Int
        public let seconds: Double

        public var description: String {
            let recall = planted == 0 ? 1 : Double(recalled) / Double(planted)
            return "near-duplicates: \(prompts) prompts in \(String(format: "%.2f", seconds)) s (MinHash 16 bands, LSH), \(clusters) clusters, \(pairs) measured pairs ≥ threshold; "
                + "recall on \(planted) planted near copies: \(String(format: "%.1f", recall * 100))%"
        }
    }

    public func run() -> Report {
        let vocabulary = "harbor lantern storm fog bell keeper smuggler market night tide gull rope sail stone cliff ember dusk mist wharf beacon pier mast lamp wick brass salt kelp crab net oar hull deck cargo crate barrel coin rumor whisper shadow light glow wind rain wave spray foam shore sand shell pebble anchor chain hook lure bait boat skiff ferry ship captain sailor merchant thief guard child elder stranger friend rival bard cook walks runs stands waits watches listens speaks laughs sings turns leans sits kneels climbs slowly quickly softly warmly quietly gently calmly proudly"
            .split(separator: " ").map(String.init)
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let originals = count * 95 / 100
        var texts: [[String]] = []
        texts.reserveCapacity(count)
        for _ in 0..<originals { texts.append((0..<60).map { _ in vocabulary[next(vocabulary.count)] }) }
        var planted: [(Int, Int)] = []
        while texts.count < count {
            let source = next(originals)
            var copy = texts[source]
            copy[next(copy.count)] = "lighthouse"
            texts.append(copy)
            planted.append((source, texts.count - 1))
        }
        let strings = texts.map { $0.joined(separator: " ") }
        let start = Date()
        let groups = NearDuplicateFinder(threshold: threshold).groups(in: strings)
        let seconds = Date().timeIntervalSince(start)
        let recalled = planted.filter { groups.clusterOf[$0.0] != nil && groups.clusterOf[$0.0] == groups.clusterOf[$0.1] }.count
        return Report(prompts: count, planted: planted.count, recalled: recalled, pairs: groups.measuredPairs, clusters: groups.clusters.count,
                      seconds: seconds)
    }
}
