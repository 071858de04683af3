/// A text as its word multiset: each distinct word with how often it occurs, sorted, so the
/// Jaccard similarity of two texts is one merge of two arrays as long as their *distinct* words
/// (a prompt of 90 words over a small vocabulary has a few dozen), with no hashing or allocation.
///
/// Words are runs of letters and digits: ASCII letters case-folded, ASCII digits, and every byte
/// of a non-ASCII character kept as it is (so `café`, `東京` and `naïve` are words, `École` and
/// `école` are two); every other ASCII byte separates words. A word is its 64-bit FNV-1a hash.
public struct WordMultiset: Sendable, Hashable {
    public struct Word: Sendable, Hashable {
        /// FNV-1a of the word's folded UTF-8 bytes.
        public let hash: UInt64
        /// Occurrences in the text.
        public let count: Int
    }

    /// Sorted by hash, distinct.
    public let words: [Word]
    /// Words counted as often as they occur.
    public let count: Int
    /// All words and counts folded into one value: hashing a multiset (to find identical texts)
    /// reads this, not every word.
    let digest: UInt64

    public var isEmpty: Bool { count == 0 }

    public init(text: String) {
        var hashes: [UInt64] = []
        var text = text
        text.withUTF8 { bytes in
            hashes.reserveCapacity(bytes.count / 4)
            var current: UInt64 = 0xCBF2_9CE4_8422_2325
            var inWord = false
            for byte in bytes {
                let folded: UInt8
                switch byte {
                case 0x41...0x5A: folded = byte | 0x20
                case 0x61...0x7A, 0x30...0x39, 0x80...: folded = byte
                default:
                    if inWord {
                        hashes.append(current)
                        current = 0xCBF2_9CE4_8422_2325
                        inWord = false
                    }
                    continue
                }
                current = (current ^ UInt64(folded)) &* 0x100_0000_01B3
                inWord = true
            }
            if inWord { hashes.append(current) }
        }
        hashes.sort()
        var words: [Word] = []
        words.reserveCapacity(hashes.count)
        var digest: UInt64 = 0
        var start = 0
        while start < hashes.count {
            var end = start + 1
            while end < hashes.count, hashes[end] == hashes[start] { end += 1 }
            words.append(Word(hash: hashes[start], count: end - start))
            digest = Self.fold(digest, hashes[start], count: UInt64(end - start))
            start = end
        }
        self.words = words
        self.digest = digest
        count = hashes.count
    }

    /// `digest` with one more word and its count (words folded in hash order make a multiset's digest).
    static func fold(_ digest: UInt64, _ hash: UInt64, count: UInt64) -> UInt64 { mix(digest ^ hash) &+ count }

    /// A multiset as `SimilarityMemo` kept it.
    init(words: [Word], count: Int, digest: UInt64) {
        self.words = words
        self.count = count
        self.digest = digest
    }

    public static func == (a: WordMultiset, b: WordMultiset) -> Bool {
        a.digest == b.digest && a.count == b.count && a.words == b.words
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// |A ∩ B| / |A ∪ B| of the multisets: the shared occurrences (the smaller count of each word
    /// in both) over all occurrences less the shared ones. 1 for two empty texts.
    public func jaccard(_ other: WordMultiset) -> Double {
        words.withUnsafeBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in Self.similarity(a, count, b, other.count, atLeast: 0)! }
        }
    }

    /// The Jaccard similarity of two multisets given as their sorted words and their word counts,
    /// or nil when it is below `threshold`. Most measured pairs are below: the merge stops as soon
    /// as more occurrences are unshared than the threshold allows, and two texts of very different
    /// lengths are not merged at all.
    static func similarity(_ a: UnsafeBufferPointer<Word>, _ countA: Int, _ b: UnsafeBufferPointer<Word>, _ countB: Int,
                           atLeast threshold: Double) -> Double? {
        let total = countA + countB
        guard total > 0 else { return threshold <= 1 ? 1 : nil }
        guard let needed = sharedNeeded(countA, countB, atLeast: threshold) else { return nil }
        return similarity(a, b, total: total, needed: needed)
    }

    /// The fewest shared occurrences with which two texts of `countA` and `countB` words reach
    /// `threshold`, by the same division as the similarity (so a pair with fewer is below it), or
    /// nil when even the shorter text shared whole would not reach it.
    static func sharedNeeded(_ countA: Int, _ countB: Int, atLeast threshold: Double) -> Int? {
        // A threshold of 0 or less lets every pair through; NaN none (configuration rejects both).
        let threshold = threshold.isNaN ? .infinity : max(threshold, 0)
        guard threshold <= 1 else { return nil }
        let total = countA + countB
        let reaches = { (common: Int) in Double(common) / Double(total - common) >= threshold }
        let most = min(countA, countB)
        var needed = min(most + 1, max(0, Int((threshold * Double(total) / (1 + threshold)).rounded(.up))))
        while needed > 0, reaches(needed - 1) { needed -= 1 }
        while needed <= most, !reaches(needed) { needed += 1 }
        return needed <= most ? needed : nil
    }

    /// The merge: the similarity when the texts share at least `needed` occurrences, else nil.
    /// `total` (both texts' words) is not 0.
    static func similarity(_ a: UnsafeBufferPointer<Word>, _ b: UnsafeBufferPointer<Word>, total: Int, needed: Int) -> Double? {
        // Occurrences are shared or unshared (total = 2 × shared + unshared), so only the unshared
        // are counted, up to the `slack` the threshold allows. Branch-free steps: which side
        // advances is unpredictable, so a branch on it would be mispredicted about half the time.
        let slack = total - 2 * needed
        var i = 0, j = 0, unshared = 0
        while i < a.count, j < b.count {
            let x = a[i], y = b[j]
            unshared += x.hash == y.hash ? abs(x.count - y.count) : x.hash < y.hash ? x.count : y.count
            if unshared > slack { return nil }
            i += x.hash <= y.hash ? 1 : 0
            j += y.hash <= x.hash ? 1 : 0
        }
        for rest in a[i...] { unshared += rest.count }
        for rest in b[j...] { unshared += rest.count }
        let common = (total - unshared) / 2
        return common >= needed ? Double(common) / Double(total - common) : nil
    }

    /// What MinHash permutes: each word with its occurrence number (`lamp#0`, `lamp#1`), hashed, so
    /// that the Jaccard similarity of two texts' shingle sets is that of their word multisets.
    var shingles: [UInt64] {
        var shingles: [UInt64] = []
        shingles.reserveCapacity(count)
        for word in words {
            for occurrence in 0..<UInt64(word.count) {
                shingles.append(mix(word.hash ^ mix(occurrence &+ 0x51_7CC1_B727_220A)))
            }
        }
        return shingles
    }
}

/// Many texts' word multisets side by side in one array, measured in place: copying two
/// multisets out of an array to measure them retains and releases their words (atomic writes to
/// memory the other cores read) once per pair.
///
/// Each text also has a *sketch*: its words' counts summed into 64 one-byte buckets by hash. Two
/// texts share at most the smaller bucket count of each bucket (a bucket holding several words
/// can only share more than its words do one by one), so a pair whose sketches cannot share
/// enough occurrences is rejected in a few word operations, without the merge. It decides
/// nothing else: a pair that passes is merged as before, so results are the same. Most measured
/// pairs are far below the threshold (prompts written from a small vocabulary put thousands of
/// unlike texts in the same LSH buckets).
struct WordMultisetTable {
    private let words: [WordMultiset.Word]
    /// Text i's words are `words[starts[i]..<starts[i + 1]]`.
    private let starts: [Int]
    private let counts: [Int]
    /// Text i's sketch is `sketches[8 * i..<8 * i + 8]`, bucket b in byte b % 8 of word b / 8.
    private let sketches: [UInt64]
    /// A text with a bucket over 127 occurrences has no sketch (its words are zero, never read).
    private let sketched: [Bool]

    static let sketchWords = 8
    static let bucketLimit = 127

    init(_ multisets: [WordMultiset]) {
        var words: [WordMultiset.Word] = []
        words.reserveCapacity(multisets.reduce(0) { $0 + $1.words.count })
        var starts = [0]
        starts.reserveCapacity(multisets.count + 1)
        var sketches: [UInt64] = [], sketched: [Bool] = []
        sketches.reserveCapacity(multisets.count * Self.sketchWords)
        sketched.reserveCapacity(multisets.count)
        var buckets = [Int](repeating: 0, count: Self.sketchWords * 8)
        for multiset in multisets {
            words += multiset.words
            starts.append(words.count)
            for index in buckets.indices { buckets[index] = 0 }
            for word in multiset.words { buckets[Int(word.hash >> 58)] += word.count }
            let fits = buckets.allSatisfy { $0 <= Self.bucketLimit }
            sketched.append(fits)
            for word in 0..<Self.sketchWords {
                var value: UInt64 = 0
                if fits { for byte in 0..<8 { value |= UInt64(buckets[word * 8 + byte]) << (8 * byte) } }
                sketches.append(value)
            }
        }
        self.words = words
        self.starts = starts
        self.sketches = sketches
        self.sketched = sketched
        counts = multisets.map(\.count)
    }

    /// Calls `body` with the table's measure, valid only during the call.
    func withMeasure<Result>(_ body: (Measure) -> Result) -> Result {
        words.withUnsafeBufferPointer { words in
            sketches.withUnsafeBufferPointer { sketches in
                body(Measure(words: words, starts: starts, counts: counts, sketches: sketches, sketched: sketched))
            }
        }
    }

    struct Measure: @unchecked Sendable {
        let words: UnsafeBufferPointer<WordMultiset.Word>
        let starts: [Int]
        let counts: [Int]
        let sketches: UnsafeBufferPointer<UInt64>
        let sketched: [Bool]

        /// The Jaccard similarity of texts `a` and `b` if it is at least `threshold`.
        func similarity(_ a: Int, _ b: Int, atLeast threshold: Double) -> Double? {
            let total = counts[a] + counts[b]
            guard total > 0 else { return threshold <= 1 ? 1 : nil }
            // A pair that reaches the threshold shares at least t·total / (1 + t) occurrences, less a
            // rounding far below one: most pairs are rejected by that and the sketch alone.
            let most = sketched[a] && sketched[b] ? mostShared(a, b) : Int.max
            let floor = max(threshold, 0)  // as `sharedNeeded` reads it (NaN: nothing is rejected here)
            if Double(most) < floor * Double(total) / (1 + floor) - 1 { return nil }
            guard let needed = WordMultiset.sharedNeeded(counts[a], counts[b], atLeast: threshold) else { return nil }
            if most < needed { return nil }
            return WordMultiset.similarity(UnsafeBufferPointer(rebasing: words[starts[a]..<starts[a + 1]]),
                                           UnsafeBufferPointer(rebasing: words[starts[b]..<starts[b + 1]]), total: total, needed: needed)
        }

        /// The most occurrences texts `a` and `b` can share: the sum over buckets of the smaller
        /// count, eight bytes at a time (every byte is at most 127, so `(x | 0x80) - y` borrows
        /// across no byte and keeps its top bit exactly where x ≥ y).
        func mostShared(_ a: Int, _ b: Int) -> Int {
            let high: UInt64 = 0x8080_8080_8080_8080, evenBytes: UInt64 = 0x00FF_00FF_00FF_00FF
            var shared: UInt64 = 0
            let x = sketches.baseAddress! + a * WordMultisetTable.sketchWords, y = sketches.baseAddress! + b * WordMultisetTable.sketchWords
            for word in 0..<WordMultisetTable.sketchWords {
                let p = x[word], q = y[word]
                let pAtLeastQ = ((((p | high) &- q) & high) >> 7) &* 0xFF
                let smaller = (q & pAtLeastQ) | (p & ~pAtLeastQ)
                // Bytes summed in pairs (each at most 254), then the four pairs by one multiplication.
                let pairs = (smaller & evenBytes) &+ ((smaller >> 8) & evenBytes)
                shared &+= (pairs &* 0x0001_0001_0001_0001) >> 48
            }
            return Int(shared)
        }
    }
}
