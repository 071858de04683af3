import Testing
@testable import TextDiff

func side(_ pieces: [DiffPiece], _ kind: DiffPiece.Kind) -> String {
    pieces.filter { $0.kind == .equal || $0.kind == kind }.map(\.text).joined()
}

@Suite struct WordDiffTests {
    @Test func wordsSplitsWordsSpaceRunsAndSinglePunctuation() {
        #expect(TextDiff.words("Don't stop,  Mara_2!") == ["Don't", " ", "stop", ",", "  ", "Mara_2", "!"])
        #expect(TextDiff.words("...") == [".", ".", "."])
        #expect(TextDiff.words("a \n b") == ["a", " \n ", "b"])
        #expect(TextDiff.words("{{lead}}") == ["{", "{", "lead", "}", "}"])
        #expect(TextDiff.words("灯台 café") == ["灯台", " ", "café"])
        #expect(TextDiff.words("") == [])
    }

    @Test func linesKeepEmptyLinesAndTheirBreaks() {
        #expect(TextDiff.lines("") == [])
        #expect(TextDiff.lines("a\n\nb") == ["a\n", "\n", "b"])
        #expect(TextDiff.lines("a\n") == ["a\n"])
    }

    @Test func changedWords() {
        let changes = TextDiff.changedWords(old: "Soft light at dusk", new: "Warm light at night")
        #expect(changes.inserted == ["Warm", "night"])
        #expect(changes.deleted == ["Soft", "dusk"])
    }

    @Test func changedWordsIgnoresPunctuationAndSpaces() {
        let changes = TextDiff.changedWords(old: "Hello, world.", new: "Hello; brave world!")
        #expect(changes.inserted == ["brave"])
        #expect(changes.deleted == [])
    }

    @Test func wordPiecesMarkOnlyTheChangedWords() {
        #expect(TextDiff.wordPieces(old: "Soft light at dusk", new: "Warm light at night") == [
            DiffPiece(.delete, "Soft"), DiffPiece(.insert, "Warm"),
            DiffPiece(.equal, " light at "),
            DiffPiece(.delete, "dusk"), DiffPiece(.insert, "night"),
        ])
    }

    @Test func adjacentChangedWordsCoalesce() {
        #expect(TextDiff.wordPieces(old: "a b c", new: "x y c") == [
            DiffPiece(.delete, "a b"), DiffPiece(.insert, "x y"), DiffPiece(.equal, " c"),
        ])
        #expect(TextDiff.wordPieces(old: "the old grey gull", new: "the young white gull") == [
            DiffPiece(.equal, "the "), DiffPiece(.delete, "old grey"), DiffPiece(.insert, "young white"), DiffPiece(.equal, " gull"),
        ])
    }

    @Test func coalescingDoesNotCrossNewlinesOrWords() {
        #expect(TextDiff.wordPieces(old: "a\nb", new: "x\ny") == [
            DiffPiece(.delete, "a"), DiffPiece(.insert, "x"), DiffPiece(.equal, "\n"),
            DiffPiece(.delete, "b"), DiffPiece(.insert, "y"),
        ])
        #expect(TextDiff.wordPieces(old: "a keep b", new: "x keep y") == [
            DiffPiece(.delete, "a"), DiffPiece(.insert, "x"), DiffPiece(.equal, " keep "),
            DiffPiece(.delete, "b"), DiffPiece(.insert, "y"),
        ])
    }

    @Test func coalescedDirectly() {
        let input = [DiffPiece(.delete, "a"), DiffPiece(.insert, "b"), DiffPiece(.equal, " "), DiffPiece(.delete, "c"), DiffPiece(.insert, "d")]
        #expect(TextDiff.coalesced(input) == [DiffPiece(.delete, "a c"), DiffPiece(.insert, "b d")])
        // A trailing space after the last change stays an equal piece.
        let trailing = [DiffPiece(.delete, "a"), DiffPiece(.equal, " ")]
        #expect(TextDiff.coalesced(trailing) == trailing)
        #expect(TextDiff.coalesced([]) == [])
    }

    @Test func pureInsertionAndDeletion() {
        #expect(TextDiff.wordPieces(old: "", new: "new text") == [DiffPiece(.insert, "new text")])
        #expect(TextDiff.wordPieces(old: "old text", new: "") == [DiffPiece(.delete, "old text")])
        #expect(TextDiff.wordPieces(old: "same", new: "same") == [DiffPiece(.equal, "same")])
        #expect(TextDiff.wordPieces(old: "a gull", new: "a big gull") == [
            DiffPiece(.equal, "a "), DiffPiece(.insert, "big "), DiffPiece(.equal, "gull"),
        ])
    }

    @Test func piecesNeverRepeatAKindAndAreNeverEmpty() {
        let pieces = TextDiff.wordPieces(old: "one two three four five", new: "one 2 3 four five six")
        #expect(pieces.allSatisfy { !$0.text.isEmpty })
        for (left, right) in zip(pieces, pieces.dropFirst()) {
            #expect(left.kind != right.kind)
        }
    }

    @Test func randomTextsAreReconstructedFromTheirPieces() {
        var random = SplitMix64(seed: 7)
        let vocabulary = ["gull", "harbor", "light", "at", "dusk", "Mara", "'s", "{{lead}}"]
        let separators = [" ", " ", " ", "  ", "\n", "\t", ", ", ". ", " \n"]
        func text() -> String {
            let count = Int(random.next() % 9)
            var out = ""
            for index in 0..<count {
                if index > 0 || random.next() % 4 == 0 { out += separators[Int(random.next() % UInt64(separators.count))] }
                out += vocabulary[Int(random.next() % UInt64(vocabulary.count))]
            }
            if random.next() % 4 == 0 { out += separators[Int(random.next() % UInt64(separators.count))] }
            return out
        }
        for trial in 0..<200 {
            let old = text()
            var new = text()
            if trial % 2 == 0 {
                // A local edit: swap one word or one separator.
                var tokens = TextDiff.words(old)
                if !tokens.isEmpty {
                    let at = Int(random.next() % UInt64(tokens.count))
                    tokens[at] = random.next() % 2 == 0 ? " " : vocabulary[Int(random.next() % UInt64(vocabulary.count))]
                }
                new = tokens.joined()
            }
            let pieces = TextDiff.wordPieces(old: old, new: new)
            #expect(side(pieces, .delete) == old, "\(old.debugDescription) → \(new.debugDescription)")
            #expect(side(pieces, .insert) == new, "\(old.debugDescription) → \(new.debugDescription)")
            #expect(pieces.allSatisfy { !$0.text.isEmpty })
            if old == new { #expect(pieces.allSatisfy { $0.kind == .equal }) }
        }
    }
}

@Suite struct WordTokenTests {
    /// The byte-level tokenizer for ASCII texts gives exactly the Character-level one's tokens.
    @Test func asciiTokensEqualUnicodeTokens() {
        var state: UInt64 = 42
        let alphabet = Array("ab Z9_'.,-\t\n\r{}()!?  xyz\u{0B}\u{0C}\u{1C}")
        for length in [0, 1, 2, 5, 40, 300] {
            for _ in 0..<50 {
                let text = String((0..<length).map { _ -> Character in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return alphabet[Int(state >> 33) % alphabet.count]
                })
                #expect(TextDiff.asciiWords(text) == TextDiff.unicodeWords(text), "\(text.debugDescription)")
            }
        }
        #expect(TextDiff.asciiWords("Mara's lamp, lit.") == ["Mara's", " ", "lamp", ",", " ", "lit", "."])
        #expect(TextDiff.asciiWords("café") == nil)
        #expect(TextDiff.words("café au lait") == ["café", " ", "au", " ", "lait"])
    }
}
