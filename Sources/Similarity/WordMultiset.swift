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
        var start = 0
        while start < hashes.count {
            var end = start + 1
            while end < hashes.count, hashes[end] == hashes[start] { end += 1 }
            words.append(Word(hash: hashes[start], count: end - start))
            start = end
        }
        self.words = words
        count = hashes.count
    }

    /// |A ∩ B| / |A ∪ B| of the multisets: the shared occurrences (the smaller count of each word
    /// in both) over all occurrences less the shared ones. 1 for two empty texts.
    public func jaccard(_ other: WordMultiset) -> Double {
        words.withUnsafeBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in Self.jaccard(a, count, b, other.count) }
        }
    }

    /// The Jaccard similarity of two multisets given as their sorted words and their word counts.
    static func jaccard(_ a: UnsafeBufferPointer<Word>, _ countA: Int, _ b: UnsafeBufferPointer<Word>, _ countB: Int) -> Double {
        guard countA > 0 || countB > 0 else { return 1 }
        // Branch-free steps: which side advances is unpredictable, so a branch on it would be
        // mispredicted about half the time.
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            let x = a[i], y = b[j]
            common += x.hash == y.hash ? min(x.count, y.count) : 0
            i += x.hash <= y.hash ? 1 : 0
            j += y.hash <= x.hash ? 1 : 0
        }
        return Double(common) / Double(countA + countB - common)
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
struct WordMultisetTable {
    private let words: [WordMultiset.Word]
    /// Text i's words are `words[starts[i]..<starts[i + 1]]`.
    private let starts: [Int]
    private let counts: [Int]

    init(_ multisets: [WordMultiset]) {
        var words: [WordMultiset.Word] = []
        words.reserveCapacity(multisets.reduce(0) { $0 + $1.words.count })
        var starts = [0]
        starts.reserveCapacity(multisets.count + 1)
        for multiset in multisets {
            words += multiset.words
            starts.append(words.count)
        }
        self.words = words
        self.starts = starts
        counts = multisets.map(\.count)
    }

    /// Calls `body` with the table's measure, valid only during the call.
    func withMeasure<Result>(_ body: (Measure) -> Result) -> Result {
        words.withUnsafeBufferPointer { body(Measure(words: $0, starts: starts, counts: counts)) }
    }

    struct Measure: @unchecked Sendable {
        let words: UnsafeBufferPointer<WordMultiset.Word>
        let starts: [Int]
        let counts: [Int]

        /// The Jaccard similarity of texts `a` and `b`.
        func jaccard(_ a: Int, _ b: Int) -> Double {
            WordMultiset.jaccard(UnsafeBufferPointer(rebasing: words[starts[a]..<starts[a + 1]]), counts[a],
                                 UnsafeBufferPointer(rebasing: words[starts[b]..<starts[b + 1]]), counts[b])
        }
    }
}
