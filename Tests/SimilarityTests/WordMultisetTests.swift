@testable import Similarity
import Testing

@Suite struct WordMultisetTests {
    @Test func wordsAreFoldedASCIIRunsWithNonASCIIBytesKept() {
        // `École` and `ÉCOLE` fold to one word (only ASCII letters fold), `école` is another;
        // punctuation, dashes, apostrophes and non-breaking spaces are ASCII separators or not:
        // U+00A0 is two non-ASCII bytes, so it joins `naïve` and `東京`.
        let text = WordMultiset(text: "Café naïve\u{A0}東京, École école ÉCOLE straße-STRASSE don't!")
        #expect(text == WordMultiset(text: "t don strasse straße ÉCOLE école École naïve\u{A0}東京 café"))
        #expect(text.count == 9)
        #expect(text.words.map(\.count).sorted() == [1, 1, 1, 1, 1, 1, 1, 2])
        // A word is the FNV-1a hash of its folded UTF-8 bytes (MinHash signatures depend on it).
        #expect(WordMultiset(text: "LAMP").words == [.init(hash: 318_307_162_670_038_651, count: 1)])
        #expect(WordMultiset(text: "café 東京 café").words.sorted { $0.count < $1.count }
            == [.init(hash: 3_403_600_855_798_853_039, count: 1), .init(hash: 5_253_592_154_431_032_713, count: 2)])
        #expect(WordMultiset(text: "CAFÉ").jaccard(WordMultiset(text: "café")) == 0)
        #expect(WordMultiset(text: " !?,.-_ ").isEmpty)
        // Non-ASCII punctuation is not a separator: `—…` is a word.
        #expect(WordMultiset(text: " !?—… ").count == 1)
    }

    @Test func jaccardIsSharedOccurrencesOverAllOccurrences() {
        // {a×3, b, c} and {a, b×2, d}: shared a, b = 2 of 5 + 4 − 2 = 7.
        #expect(WordMultiset(text: "a a a b c").jaccard(WordMultiset(text: "a b b d")) == 2.0 / 7.0)
        #expect(WordMultiset(text: "a b b d").jaccard(WordMultiset(text: "a a a b c")) == 2.0 / 7.0)
        // 300 bells and 299 bells and a gull: 299 / 301.
        let bells = String(repeating: "bell ", count: 300)
        #expect(WordMultiset(text: bells).jaccard(WordMultiset(text: String(repeating: "bell ", count: 299) + "gull")) == 299.0 / 301.0)
        #expect(WordMultiset(text: "").jaccard(WordMultiset(text: "")) == 1)
        #expect(WordMultiset(text: "").jaccard(WordMultiset(text: "bell")) == 0)
    }

    @Test func similarityAtLeastAThresholdIsTheJaccardOrNothing() {
        func similarity(_ a: String, _ b: String, atLeast threshold: Double) -> Double? {
            WordMultisetTable([WordMultiset(text: a), WordMultiset(text: b)]).withMeasure { $0.similarity(0, 1, atLeast: threshold) }
        }
        #expect(similarity("a a a b c", "a b b d", atLeast: 0.28) == 2.0 / 7.0)
        #expect(similarity("a a a b c", "a b b d", atLeast: 2.0 / 7.0) == 2.0 / 7.0)
        #expect(similarity("a a a b c", "a b b d", atLeast: 0.29) == nil)
        // One word in twenty changed: 19 / 21 reaches 0.9; the merge stops early below it.
        let words = (1...20).map { "word\($0)" }
        let changed = words.enumerated().map { $0.offset == 7 ? "other" : $0.element }
        #expect(similarity(words.joined(separator: " "), changed.joined(separator: " "), atLeast: 0.9) == 19.0 / 21.0)
        #expect(similarity(words.joined(separator: " "), changed.joined(separator: " "), atLeast: 0.91) == nil)
        // Too different in length to reach the threshold: 1 of 10 words at most.
        #expect(similarity("bell", String(repeating: "bell ", count: 10), atLeast: 0.5) == nil)
        #expect(similarity("bell", String(repeating: "bell ", count: 10), atLeast: 0.1) == 0.1)
        #expect(similarity("", "", atLeast: 1) == 1)
        #expect(similarity("", "bell", atLeast: 0) == 0)
    }

    @Test func sketchesBoundTheSharedWordsAndNeverChangeTheAnswer() {
        // Texts from vocabularies of 3 to 400 words, with lengths from 0 to 400 (a bucket over
        // 127 occurrences leaves its text unsketched), measured at several thresholds against the
        // plain merge.
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var texts: [WordMultiset] = []
        for vocabulary in [3, 20, 90, 400] {
            for length in [0, 1, 12, 90, 160, 400] {
                for _ in 0..<6 { texts.append(WordMultiset(text: (0..<length).map { _ in "w\(next(vocabulary))" }.joined(separator: " "))) }
            }
        }
        // A near copy of each (of the others' hashed words, so alike to each other, not to the
        // originals): one word in twenty changed.
        texts += texts.map { text in
            var words = text.words.flatMap { Array(repeating: $0.hash, count: $0.count) }
            for index in stride(from: 0, to: words.count, by: 20) { words[index] = 7 }
            return WordMultiset(text: words.map { "h\($0)" }.joined(separator: " "))
        }
        var rejectedBySketch = 0, reached: [Double: Int] = [:]
        WordMultisetTable(texts).withMeasure { measure in
            for a in texts.indices {
                for b in texts.indices where b != a && (a + b) % 3 == 0 {
                    let plain = texts[a].jaccard(texts[b])
                    let shared = Self.shared(texts[a], texts[b])
                    if measure.sketched[a], measure.sketched[b] {
                        #expect(measure.mostShared(a, b) >= shared)
                        #expect(measure.mostShared(a, b) <= min(texts[a].count, texts[b].count))
                    }
                    for threshold in [0.0, 0.5, 0.85, 0.9, 1.0] {
                        let measured = measure.similarity(a, b, atLeast: threshold)
                        #expect(measured == (plain >= threshold ? plain : nil), "texts \(a) and \(b) at \(threshold)")
                        if measured != nil { reached[threshold, default: 0] += 1 }
                        if measure.sketched[a], measure.sketched[b], let needed = WordMultiset.sharedNeeded(texts[a].count, texts[b].count, atLeast: threshold),
                           measure.mostShared(a, b) < needed { rejectedBySketch += 1 }
                    }
                }
            }
        }
        // The sketch does reject pairs, and some pairs still reach each threshold.
        #expect(rejectedBySketch > 1000)
        #expect([0.0, 0.5, 0.85, 0.9, 1.0].allSatisfy { (reached[$0] ?? 0) > 0 }, "\(reached)")
        #expect(WordMultisetTable([WordMultiset(text: String(repeating: "bell ", count: 128))]).withMeasure { $0.sketched } == [false])
        #expect(WordMultisetTable([WordMultiset(text: String(repeating: "bell ", count: 127))]).withMeasure { $0.sketched } == [true])
    }

    /// The shared occurrences of two multisets, counted word by word.
    private static func shared(_ a: WordMultiset, _ b: WordMultiset) -> Int {
        let counts = Dictionary(uniqueKeysWithValues: b.words.map { ($0.hash, $0.count) })
        return a.words.reduce(0) { $0 + min($1.count, counts[$1.hash] ?? 0) }
    }

    @Test func multisetsOfDifferentlyWrittenTextsAreEqual() {
        #expect(Set([WordMultiset(text: "Keeper, lamp!"), WordMultiset(text: "lamp keeper"), WordMultiset(text: "LAMP\tKEEPER")]).count == 1)
        #expect(WordMultiset(text: "a a b") != WordMultiset(text: "a b b"))
        #expect(WordMultiset(text: "a b") != WordMultiset(text: "a b c"))
    }

    @Test func signaturesAreThoseOfTheWordOccurrenceShingles() {
        // Values from the implementation that hashed `word#occurrence` shingles into a sorted array:
        // the same signatures put the same texts in the same LSH buckets.
        let finder = NearDuplicateFinder(threshold: 0.85)
        let signature = finder.signature(of: WordMultiset(text: "The lamp, the wick; the LAMP! café 東京"))
        #expect(signature.count == 128)
        #expect([signature[0], signature[1], signature[5], signature[127]]
            == [424_278_780_110_986_622, 137_492_676_067_712_918, 2_847_368_282_014_986_390, 415_419_066_544_232_119])
        #expect(NearDuplicateFinder(threshold: 0.5).signature(of: WordMultiset(text: "bell bell gull")) == [
            2_180_217_922_943_160_246, 1_414_704_449_748_442_697, 3_460_816_504_999_803_116, 8_283_594_084_287_602_917,
            7_376_717_172_921_390_563, 4_465_482_359_678_877_118, 5_154_594_038_197_579_285, 3_561_648_682_213_494_372,
            2_006_945_238_375_574_094, 10_926_833_183_234_966_952, 4_256_405_046_261_045_872, 5_848_078_669_101_248_957,
            244_376_256_134_849_243, 5_312_938_224_908_383_009, 8_672_377_867_576_373_546, 3_421_562_818_103_697_381,
        ])
    }

    @Test func candidatesAreTheWindowBeforeATextInEachOfItsBuckets() {
        // Band 0: texts 0–5 share one bucket; band 1: even and odd texts in two buckets.
        let buckets = BandBuckets(bands: 2, count: 6, window: 2) { band, text in band == 0 ? 7 : UInt64(text % 2) }
        #expect(buckets.candidates(of: 0) == [])
        #expect(buckets.candidates(of: 1) == [0])
        // Band 0: 3, 4; band 1: 3, 1 — sorted and distinct.
        #expect(buckets.candidates(of: 5) == [1, 3, 4])
        #expect(buckets.candidates(of: 4) == [0, 2, 3])
    }
}

@Suite struct ConcurrentMapTests {
    final class Probe: Sendable {}

    /// Its results were copied out of a buffer freed without releasing them (a leak per build).
    @Test func theResultsAreReleasedWithTheArray() {
        weak var kept: Probe?
        do {
            let results = concurrentMap(Array(0..<500)) { _ in Probe() }
            kept = results[250]
            #expect(kept != nil)
        }
        #expect(kept == nil)
    }
}
