import Testing
@testable import TextDiff

/// A changed line pair keeping less than half its words in order reads as a rewrite; the
/// share is a bit-parallel LCS length, checked here against the textbook table.
@Suite struct RewrittenLineTests {
    private func tableLCS(_ a: [Int], _ b: [Int]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for j in 1...b.count {
                let above = row[j]
                row[j] = x == b[j - 1] ? diagonal + 1 : max(row[j], row[j - 1])
                diagonal = above
            }
        }
        return row[b.count]
    }

    @Test func bitParallelLengthIsTheTableLength() {
        var random = SplitMix64(seed: 17)
        // Lengths across word boundaries (63, 64, 65, 128, 129) and small and large alphabets.
        for round in 0..<600 {
            let alphabet = [2, 4, 20, 300][round % 4]
            let a = (0..<Int(random.next() % 200)).map { _ in Int(random.next() % UInt64(alphabet)) }
            let lengths = [0, 1, 63, 64, 65, 128, 129, Int(random.next() % 200)]
            let b = (0..<lengths[round % lengths.count]).map { _ in Int(random.next() % UInt64(alphabet)) }
            #expect(TextDiff.commonSubsequenceLength(a, b) == tableLCS(a, b), "round \(round): \(a.count)×\(b.count)")
        }
        #expect(TextDiff.commonSubsequenceLength([1, 2, 3, 4], [2, 4, 3]) == 2)
        #expect(TextDiff.commonSubsequenceLength([], [1]) == 0)
        #expect(TextDiff.commonSubsequenceLength(Array(repeating: 7, count: 5_000), Array(repeating: 7, count: 4_097)) == nil)
        #expect(TextDiff.commonSubsequenceLength(Array(repeating: 7, count: 5_000), Array(repeating: 7, count: 4_096)) == 4_096)
    }

    @Test func aLineMostlyRewrittenIsOneDeletionAndOneInsertion() {
        let old = "harbor lantern storm fog bell keeper at dusk"
        let new = "a gull over the market, rope and sail at night"
        let diff = TextDiff.pairedLineDiff(old: old, new: new)
        // 18 words, 1 kept ("at"): 2 of 18.
        #expect(diff.pieces == [DiffPiece(.delete, old), DiffPiece(.insert, new)])
        #expect(diff.wordsDeleted == 8)
        #expect(diff.wordsInserted == 10)
    }

    @Test func aLineKeepingHalfItsWordsIsDiffedWordByWord() {
        // 8 words on each side, 4 kept in order: exactly half.
        let old = "fog over the harbor and a bell at dusk"
        let new = "mist over a harbor where the bell rings at dusk"
        #expect(TextDiff.commonSubsequenceLength(TextDiff.words(old).filter(TextDiff.isWord).map(\.hashValue),
                                                 TextDiff.words(new).filter(TextDiff.isWord).map(\.hashValue)) == 5)
        let diff = TextDiff.pairedLineDiff(old: old, new: new)
        #expect(diff == TextDiff.wordDiff(old: old, new: new))
        #expect(diff.pieces.prefix(3) == [DiffPiece(.delete, "fog"), DiffPiece(.insert, "mist"), DiffPiece(.equal, " over ")])
        #expect(diff.pieces.contains(DiffPiece(.equal, " harbor ")))
    }

    @Test func aShortLineIsDiffedWordByWordHoweverMuchChanged() {
        let diff = TextDiff.pairedLineDiff(old: "the cat sat", new: "a dog sat")
        #expect(diff.pieces == [DiffPiece(.delete, "the cat"), DiffPiece(.insert, "a dog"), DiffPiece(.equal, " sat")])
    }

    @Test func anEmptySideIsNeverAnEmptyPiece() {
        let words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
        #expect(TextDiff.pairedLineDiff(old: "", new: words).pieces == [DiffPiece(.insert, words)])
        #expect(TextDiff.pairedLineDiff(old: words, new: "").pieces == [DiffPiece(.delete, words)])
        // No words at all: nothing to judge, the ordinary word diff.
        #expect(TextDiff.pairedLineDiff(old: "  ", new: "\t") == TextDiff.wordDiff(old: "  ", new: "\t"))
    }

    @Test func idsFromAnywhereGiveTheSameLength() {
        // Ids the tokenizers never make (negative, huge, sparse) are numbered densely first.
        #expect(TextDiff.commonSubsequenceLength([-5, 1 << 40, 3, -5], [3, -5, 1 << 40]) == 2)
        #expect(TextDiff.commonSubsequenceLength([Int.max, Int.min], [Int.min, Int.max, Int.min]) == 2)
        var random = SplitMix64(seed: 5)
        for round in 0..<200 {
            let a = (0..<Int(random.next() % 90)).map { _ in Int(bitPattern: UInt(random.next() % 7)) &* 1_000_003 - 3 }
            let b = (0..<Int(random.next() % 90)).map { _ in Int(bitPattern: UInt(random.next() % 7)) &* 1_000_003 - 3 }
            #expect(TextDiff.commonSubsequenceLength(a, b) == tableLCS(a, b), "round \(round)")
        }
    }

    @Test func asciiWordIdsTellWordsApartAsTheTokenizerDoes() throws {
        var random = SplitMix64(seed: 23)
        let pieces = ["harbor", "Harbor", "lamp's", "x_1", "42", " ", "  ", "\t", ",", "!", "--", "fog", "\n"]
        for round in 0..<300 {
            let old = (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let new = (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let (oldIDs, newIDs) = try #require(TextDiff.asciiWordIDs(old, new))
            let tokens = TokenizedText.pair(old, new)
            // The same words, and equal ids exactly where the tokenizer's ids are equal.
            let expected = tokens.old.wordIDs + tokens.new.wordIDs, found = oldIDs + newIDs
            #expect(oldIDs.count == tokens.old.wordIDs.count && newIDs.count == tokens.new.wordIDs.count, "round \(round)")
            let sameClasses = found.indices.allSatisfy { i in found.indices.allSatisfy { j in (found[i] == found[j]) == (expected[i] == expected[j]) } }
            #expect(sameClasses, "round \(round)")
            // And the paired diff is the one the general path gives.
            let general = tokens.old.wordIDs.count + tokens.new.wordIDs.count >= TextDiff.rewrittenFromWords
                && Double(2 * TextDiff.commonSubsequenceLength(tokens.old.wordIDs, tokens.new.wordIDs)!) < TextDiff.rewrittenBelow * Double(expected.count)
            let diff = TextDiff.pairedLineDiff(old: old, new: new)
            if general {
                #expect(diff.wordsDeleted == tokens.old.wordIDs.count && diff.wordsInserted == tokens.new.wordIDs.count)
                #expect(diff.pieces.allSatisfy { $0.kind != .equal })
            } else {
                #expect(diff == TextDiff.wordDiff(old: old, new: new), "round \(round)")
            }
        }
        #expect(TextDiff.asciiWordIDs("café au lait", "tea") == nil)
        #expect(TextDiff.asciiWordIDs("tea", "café") == nil)
    }
}
