import Foundation

/// Near-duplicate prompts without comparing every pair: each text becomes a set of word
/// shingles, a MinHash signature of `permutations` values estimates the Jaccard similarity
/// of two sets, and LSH banding (`bands` × `rows`) makes only texts that agree on a whole
/// band candidates. Candidates are then measured exactly, so every reported pair really
/// is at or above the threshold; a pair above it is missed only with small probability
/// (1 − (1 − s^rows)^bands: 0.6% at s = 0.85 with 16 × 8).
public struct NearDuplicateFinder: Sendable {
    public let threshold: Double
    public let bands: Int
    public let rows: Int
    /// Words per shingle.
    public let shingleSize: Int

    public init(threshold: Double, bands: Int = 16, rows: Int = 8, shingleSize: Int = 2) {
        self.threshold = threshold
        self.bands = bands
        self.rows = rows
        self.shingleSize = shingleSize
    }

    public var permutations: Int { bands * rows }

    public struct Pair: Sendable, Equatable {
        /// Indices into the input, `first < second`.
        public let first: Int
        public let second: Int
        /// Exact Jaccard similarity of the two shingle sets.
        public let similarity: Double

        public init(first: Int, second: Int, similarity: Double) {
            self.first = first
            self.second = second
            self.similarity = similarity
        }
    }

    /// Every pair with similarity ≥ threshold, by first then second index.
    public func pairs(in texts: [String]) -> [Pair] {
        let shingles = concurrentMap(texts) { Shingles(text: $0, size: shingleSize) }
        let signatures = concurrentMap(shingles) { signature(of: $0) }
        var candidates = Set<UInt64>()
        var buckets: [UInt64: [Int32]] = [:]
        for band in 0..<bands {
            buckets.removeAll(keepingCapacity: true)
            for (index, signature) in signatures.enumerated() where !signature.isEmpty {
                buckets[bandHash(signature, band: band), default: []].append(Int32(index))
            }
            for members in buckets.values where members.count > 1 {
                for i in 0..<members.count {
                    for j in (i + 1)..<members.count {
                        candidates.insert(UInt64(UInt32(members[i])) << 32 | UInt64(UInt32(members[j])))
                    }
                }
            }
        }
        let list = Array(candidates)
        let measured = concurrentMap(list) { key -> Pair? in
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            let similarity = shingles[a].jaccard(shingles[b])
            return similarity >= threshold ? Pair(first: min(a, b), second: max(a, b), similarity: similarity) : nil
        }
        return measured.compactMap { $0 }.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// The minimum of each permuted hash over the set (empty for a text without words).
    func signature(of shingles: Shingles) -> [UInt64] {
        guard !shingles.hashes.isEmpty else { return [] }
        // Each permutation is a multiply-add with odd constants over the already mixed shingle
        // hashes (Dietzfelbinger's multiply-shift family): one multiplication per value.
        var minimums = [UInt64](repeating: .max, count: permutations)
        minimums.withUnsafeMutableBufferPointer { mins in
            Self.multipliers.withUnsafeBufferPointer { multipliers in
                Self.seeds.withUnsafeBufferPointer { offsets in
                    for hash in shingles.hashes {
                        for index in 0..<mins.count {
                            let value = multipliers[index] &* hash &+ offsets[index]
                            if value < mins[index] { mins[index] = value }
                        }
                    }
                }
            }
        }
        return minimums
    }

    private func bandHash(_ signature: [UInt64], band: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(band + 1)
        for row in 0..<rows { hash = mix(hash ^ signature[band * rows + row]) }
        return hash
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

/// SplitMix64's finaliser: a cheap, well-spread permutation of 64-bit values.
@inline(__always)
func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// A text as the set of hashes of its `size`-word shingles (lowercased letters and digits;
/// a text shorter than `size` words is one shingle of all its words).
public struct Shingles: Sendable {
    /// Sorted, distinct.
    public let hashes: [UInt64]

    public init(text: String, size: Int) {
        // Words are runs of letters and digits (ASCII case-folded; other UTF-8 bytes kept as they are).
        var words: [UInt64] = []
        var current: UInt64 = 0xCBF2_9CE4_8422_2325
        var inWord = false
        for byte in text.utf8 {
            let folded: UInt8
            switch byte {
            case 0x41...0x5A: folded = byte | 0x20
            case 0x61...0x7A, 0x30...0x39, 0x80...: folded = byte
            default:
                if inWord {
                    words.append(current)
                    current = 0xCBF2_9CE4_8422_2325
                    inWord = false
                }
                continue
            }
            current = (current ^ UInt64(folded)) &* 0x100_0000_01B3
            inWord = true
        }
        if inWord { words.append(current) }
        var set = Set<UInt64>()
        if words.count <= size {
            if !words.isEmpty { set.insert(words.reduce(0) { mix($0 ^ $1) }) }
        } else {
            for start in 0...(words.count - size) {
                var hash: UInt64 = 0
                for offset in 0..<size { hash = mix(hash ^ words[start + offset]) }
                set.insert(hash)
            }
        }
        hashes = set.sorted()
    }

    /// |A ∩ B| / |A ∪ B| by merging the sorted hashes.
    public func jaccard(_ other: Shingles) -> Double {
        let a = hashes, b = other.hashes
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(common) / Double(a.count + b.count - common)
    }
}

/// Maps in parallel on all cores, keeping the order.
func concurrentMap<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
    guard inputs.count > 64 else { return inputs.map(transform) }
    let results = UnsafeMutableBufferPointer<Output?>.allocate(capacity: inputs.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    nonisolated(unsafe) let slots = results
    let chunk = max(1, inputs.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
    let chunks = (inputs.count + chunk - 1) / chunk
    DispatchQueue.concurrentPerform(iterations: chunks) { part in
        for index in (part * chunk)..<min(inputs.count, (part + 1) * chunk) { slots[index] = transform(inputs[index]) }
    }
    return results.map { $0! }
}
