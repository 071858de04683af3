import Foundation

/// Near-duplicate texts grouped into clusters without comparing every pair, in time linear in
/// the number of texts.
///
/// **The measure.** Two texts are as alike as the Jaccard similarity of their *word multisets*
/// (words are runs of letters and digits, ASCII case-folded): shared words over all words, a word
/// counted as often as it occurs. It reads the way people mean "x% alike": one word in twenty
/// changed gives 19 / 21 = 90.5%, one in ten 81.8%; word order does not count.
///
/// **The search.** Texts with the same word multiset are grouped first. Every distinct one gets a
/// MinHash signature (`bands` × `rows` multiply-shift permutations); LSH banding puts texts that
/// agree on a whole band in one bucket, and each member of a bucket is measured exactly against
/// at most `window` members before it — so a bucket of thousands of alike texts costs thousands
/// of comparisons, not millions. Clusters are the connected components of the pairs at or above
/// the threshold (union-find); each text keeps its `neighbours` most similar measured texts.
/// A pair at similarity s becomes a candidate with probability 1 − (1 − s^rows)^bands; the rows
/// are chosen from the threshold so that a pair at the threshold is a candidate with ≥ 99%
/// (16 × 8 at 0.85: 99.4% at 0.85, 12.6% at 0.55).
public struct NearDuplicateFinder: Sendable {
    public let threshold: Double
    public let bands: Int
    public let rows: Int
    /// Members of a bucket each member is measured against.
    public let window: Int
    /// Most similar texts kept per text.
    public let neighbours: Int

    public init(threshold: Double, bands: Int = 16, rows: Int? = nil, window: Int = 8, neighbours: Int = 5) {
        self.threshold = threshold
        self.bands = bands
        self.rows = rows ?? Self.rows(for: threshold, bands: bands)
        self.window = window
        self.neighbours = neighbours
        precondition(permutations <= Self.seeds.count, "at most \(Self.seeds.count) permutations")
    }

    public var permutations: Int { bands * rows }

    /// The most rows per band that still make a pair at the threshold a candidate with 99%
    /// probability: t^rows ≥ 1 − 0.01^(1/bands) (16 bands: 8 rows at 0.85, 13 at 0.9, 2 at 0.5).
    static func rows(for threshold: Double, bands: Int) -> Int {
        guard threshold > 0, threshold < 1 else { return threshold >= 1 ? 16 : 1 }
        let needed = 1 - pow(0.01, 1 / Double(bands))
        return min(16, max(1, Int((log(needed) / log(threshold)).rounded(.down))))
    }

    /// Clusters and nearest neighbours of `texts` (indices into it). `memo`: what an earlier run
    /// made of each text, by its `digests` entry (a hash of the text's bytes): a text met before is
    /// neither cut into words nor signed again. The result is the same with or without it.
    public func groups(in texts: [String], digests: [UInt64]? = nil, memo: SimilarityMemo? = nil) -> SimilarityGroups {
        let memo = digests?.count == texts.count ? memo?.recalling(finder: self) : nil
        let known = digests.flatMap { memo?.texts($0) } ?? Array(repeating: nil, count: texts.count)
        let multisets = concurrentMap(Array(texts.indices)) { known[$0]?.multiset ?? WordMultiset(text: texts[$0]) }
        // Identical word multisets: one representative (the first) stands for all.
        var representativeOf = [Int](repeating: -1, count: texts.count)
        var firstByMultiset: [WordMultiset: Int] = [:]
        var identical: [Int: [Int]] = [:]
        for (index, multiset) in multisets.enumerated() where !multiset.isEmpty {
            if let first = firstByMultiset[multiset] {
                representativeOf[index] = first
                identical[first, default: [first]].append(index)
            } else {
                firstByMultiset[multiset] = index
                representativeOf[index] = index
            }
        }
        let representatives = representativeOf.indices.filter { representativeOf[$0] == $0 }
        // Only the bucket keys are kept: a whole signature is 1 KB per text.
        // A text the memo knew without keys (it had no words then) is signed now.
        let knownKeys = { @Sendable (index: Int) -> [UInt64]? in
            guard let keys = known[index]?.keys, keys.count == bands else { return nil }
            return keys
        }
        let keys = concurrentMap(representatives) { knownKeys($0) ?? bucketKeys(of: signature(of: multisets[$0])) }
        if let digests, let memo {
            // An identical text's keys are its representative's (the same words sign the same).
            var slotOf = [Int](repeating: -1, count: texts.count)
            for (slot, index) in representatives.enumerated() { slotOf[index] = slot }
            memo.record(texts.indices.map { index in
                let representative = representativeOf[index]
                return (digests[index], SimilarityMemo.Text(multiset: multisets[index], keys: representative >= 0 ? keys[slotOf[representative]] : []))
            })
        }
        let buckets = BandBuckets(bands: bands, count: keys.count, window: window) { band, slot in keys[slot][band] }
        // Each pair is measured once, from its later text; the order of `measured` does not matter
        // (components are the same in any order, neighbours are sorted by similarity and index).
        let measured = WordMultisetTable(multisets).withMeasure { measure in
            concurrentMap(Array(representatives.indices)) { slot -> [Pair] in
                let b = representatives[slot]
                return buckets.candidates(of: slot).compactMap { candidate in
                    let a = representatives[Int(candidate)]
                    return measure.similarity(a, b, atLeast: threshold).map { Pair(first: a, second: b, similarity: $0) }
                }
            }.flatMap { $0 }
        }

        var components = UnionFind(count: texts.count)
        for (first, members) in identical { for member in members { components.union(first, member) } }
        for pair in measured { components.union(pair.first, pair.second) }

        // Nearest neighbours between representatives, then spread over identical texts.
        var nearestRepresentatives: [Int: [SimilarityGroups.Neighbour]] = [:]
        for pair in measured {
            nearestRepresentatives[pair.first, default: []].append(.init(index: pair.second, similarity: pair.similarity))
            nearestRepresentatives[pair.second, default: []].append(.init(index: pair.first, similarity: pair.similarity))
        }
        var nearest = [[SimilarityGroups.Neighbour]](repeating: [], count: texts.count)
        for index in texts.indices where representativeOf[index] >= 0 {
            let representative = representativeOf[index]
            var list: [SimilarityGroups.Neighbour] = []
            for twin in identical[representative] ?? [] where twin != index {
                list.append(.init(index: twin, similarity: 1))
                if list.count == neighbours { break }
            }
            if list.count < neighbours {
                let others = (nearestRepresentatives[representative] ?? []).sorted { ($1.similarity, $0.index) < ($0.similarity, $1.index) }
                outer: for other in others {
                    for member in identical[other.index] ?? [other.index] {
                        list.append(.init(index: member, similarity: other.similarity))
                        if list.count == neighbours { break outer }
                    }
                }
            }
            nearest[index] = list
        }

        var clusterIndex: [Int: Int] = [:]
        var clusters: [[Int]] = []
        var clusterOf = [Int?](repeating: nil, count: texts.count)
        let roots = texts.indices.map { components.find($0) }
        var sizes: [Int: Int] = [:]
        for root in roots { sizes[root, default: 0] += 1 }
        for index in texts.indices where sizes[roots[index]]! > 1 {
            let root = roots[index]
            if let existing = clusterIndex[root] {
                clusters[existing].append(index)
                clusterOf[index] = existing
            } else {
                clusterIndex[root] = clusters.count
                clusterOf[index] = clusters.count
                clusters.append([index])
            }
        }
        return SimilarityGroups(threshold: threshold, clusters: clusters, clusterOf: clusterOf, nearest: nearest, measuredPairs: measured.count)
    }

    struct Pair {
        let first: Int
        let second: Int
        let similarity: Double
    }

    /// The minimum of each permuted hash over the text's shingles.
    func signature(of multiset: WordMultiset) -> [UInt64] {
        // Each permutation is a multiply-add with odd constants over the already mixed shingle
        // hashes (Dietzfelbinger's multiply-shift family): one multiplication per value. Four
        // permutations at a time over all shingles keep their minimums in registers.
        let shingles = multiset.shingles
        var minimums = [UInt64](repeating: .max, count: (permutations + 3) / 4 * 4)
        minimums.withUnsafeMutableBufferPointer { mins in
            Self.multipliers.withUnsafeBufferPointer { multipliers in
                Self.seeds.withUnsafeBufferPointer { offsets in
                    for first in stride(from: 0, to: mins.count, by: 4) {
                        let (m0, m1, m2, m3) = (multipliers[first], multipliers[first + 1], multipliers[first + 2], multipliers[first + 3])
                        let (o0, o1, o2, o3) = (offsets[first], offsets[first + 1], offsets[first + 2], offsets[first + 3])
                        var (v0, v1, v2, v3) = (UInt64.max, UInt64.max, UInt64.max, UInt64.max)
                        for hash in shingles {
                            v0 = min(v0, m0 &* hash &+ o0)
                            v1 = min(v1, m1 &* hash &+ o1)
                            v2 = min(v2, m2 &* hash &+ o2)
                            v3 = min(v3, m3 &* hash &+ o3)
                        }
                        (mins[first], mins[first + 1], mins[first + 2], mins[first + 3]) = (v0, v1, v2, v3)
                    }
                }
            }
        }
        minimums.removeLast(minimums.count - permutations)
        return minimums
    }

    /// The signature's bucket in each band: a hash of the band's rows.
    private func bucketKeys(of signature: [UInt64]) -> [UInt64] {
        (0..<bands).map { band in
            var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(band + 1)
            for row in 0..<rows { hash = mix(hash ^ signature[band * rows + row]) }
            return hash
        }
    }

    /// Odd multipliers for the permutations.
    static let multipliers: [UInt64] = seeds.map { mix($0 ^ 0xA5A5_A5A5_A5A5_A5A5) | 1 }

    /// Fixed seeds, so signatures are the same on every run and machine.
    static let seeds: [UInt64] = {
        var state: UInt64 = 0x5EED_5EED_5EED_5EED
        return (0..<1024).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return mix(state)
        }
    }()
}

/// What the finder found: clusters of alike texts and each text's nearest neighbours.
public struct SimilarityGroups: Sendable {
    public struct Neighbour: Sendable, Equatable {
        public let index: Int
        public let similarity: Double

        public init(index: Int, similarity: Double) {
            self.index = index
            self.similarity = similarity
        }
    }

    public let threshold: Double
    /// Connected groups of two or more texts at or above the threshold; members in input order,
    /// clusters in the order of their first member.
    public let clusters: [[Int]]
    /// The cluster of each text, nil for a text alike to no other.
    public let clusterOf: [Int?]
    /// Each text's most similar texts (at or above the threshold), most similar first.
    public let nearest: [[Neighbour]]
    /// Candidate pairs measured at or above the threshold (for the benchmark).
    public let measuredPairs: Int
}

/// The LSH buckets of every band as chains: for each band and text, the text before it in its
/// bucket. A text's candidates are then found by walking back at most `window` links per band,
/// without a set of all pairs (hundreds of thousands of hashed inserts) or a list per bucket.
struct BandBuckets {
    let bands: Int
    /// Texts (signatures) per band.
    let count: Int
    let window: Int
    /// `previous[band * count + text]`: the text before in the same bucket of that band, or -1.
    private let previous: [Int32]

    /// `key(band, text)`: the bucket of the text in that band.
    init(bands: Int, count: Int, window: Int, key: (Int, Int) -> UInt64) {
        self.bands = bands
        self.count = count
        self.window = window
        var previous = [Int32](repeating: -1, count: bands * count)
        var lastInBucket: [UInt64: Int32] = [:]
        lastInBucket.reserveCapacity(count)
        for band in 0..<bands {
            lastInBucket.removeAll(keepingCapacity: true)
            for text in 0..<count {
                if let last = lastInBucket.updateValue(Int32(text), forKey: key(band, text)) { previous[band * count + text] = last }
            }
        }
        self.previous = previous
    }

    /// The texts before `text` that share a bucket with it in some band, at most `window` back in
    /// each bucket: sorted, distinct.
    func candidates(of text: Int) -> [Int32] {
        var found: [Int32] = []
        found.reserveCapacity(bands * window)
        for band in 0..<bands {
            var member = previous[band * count + text]
            for _ in 0..<window where member >= 0 {
                found.append(member)
                member = previous[band * count + Int(member)]
            }
        }
        found.sort()
        var distinct = 0
        for index in found.indices where distinct == 0 || found[distinct - 1] != found[index] {
            found[distinct] = found[index]
            distinct += 1
        }
        found.removeLast(found.count - distinct)
        return found
    }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var node = element
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    mutating func union(_ a: Int, _ b: Int) {
        var rootA = find(a), rootB = find(b)
        guard rootA != rootB else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
    }
}

/// SplitMix64's finaliser: a cheap, well-spread permutation of 64-bit values.
@inline(__always)
func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Maps in parallel on all cores, keeping the order.
func concurrentMap<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
    guard inputs.count > 64 else { return inputs.map(transform) }
    let results = UnsafeMutableBufferPointer<Output?>.allocate(capacity: inputs.count)
    results.initialize(repeating: nil)
    // The results are moved out below, so the buffer holds nothing when it is freed (copying
    // them out left every result retained once more: each build leaked its whole model).
    defer { results.deallocate() }
    nonisolated(unsafe) let slots = results
    let chunk = max(1, inputs.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
    let chunks = (inputs.count + chunk - 1) / chunk
    DispatchQueue.concurrentPerform(iterations: chunks) { part in
        for index in (part * chunk)..<min(inputs.count, (part + 1) * chunk) { slots[index] = transform(inputs[index]) }
    }
    return (0..<inputs.count).map { (results.baseAddress! + $0).move()! }
}
