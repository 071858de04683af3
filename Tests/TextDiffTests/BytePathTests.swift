import Testing
@testable import TextDiff

/// The word diff works on bytes and integer ids; these check it against the Character and
/// String definitions it replaces.
@Suite struct BytePathTests {
    private func text(_ random: inout SplitMix64, from alphabet: [String], length: Int) -> String {
        (0..<Int(random.next() % UInt64(length + 1))).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }

    @Test func asciiLinesEqualUnicodeLines() {
        var random = SplitMix64(seed: 3)
        let alphabet = ["a", "b", " ", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\t", "."]
        for _ in 0..<500 {
            let text = text(&random, from: alphabet, length: 30)
            #expect(TextDiff.asciiLines(text) == TextDiff.unicodeLines(text), "\(text.debugDescription)")
        }
        #expect(TextDiff.asciiLines("a\r\nb\rc") == ["a\r\n", "b\r", "c"])
        #expect(TextDiff.asciiLines("灯\n") == nil)
    }

    @Test func lineBreaksFoundByScalarsAreTheNewlineCharacters() {
        var random = SplitMix64(seed: 5)
        let alphabet = ["a", "é", "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{0B}", "\u{301}", "\u{0600}", "🇫", "🇷", " "]
        for _ in 0..<2_000 {
            let text = text(&random, from: alphabet, length: 6)
            let byCharacter = text.last?.isNewline ?? false
            #expect(TextDiff.endsWithNewline(text) == byCharacter, "\(text.debugDescription)")
            #expect(TextDiff.withoutLineBreak(text) == (byCharacter ? String(text.dropLast()) : nil), "\(text.debugDescription)")
        }
        #expect(TextDiff.withoutLineBreak("a\r\n") == "a")
        #expect(TextDiff.withoutLineBreak("a\n\r") == "a\n")
        #expect(TextDiff.withoutLineBreak("a") == nil)
    }

    /// Tokens told apart by their bytes give the script that tokens compared as Strings give,
    /// and the word counts are those of the pieces' own words.
    @Test func byteTokensDiffAsStringTokens() {
        var random = SplitMix64(seed: 11)
        let ascii = ["gull", "harbor", "it's", "_", "'", " ", " ", "  ", "\t", "\n", ",", ".", "{{lead}}", "42"]
        let unicode = ascii + ["café", "cafe\u{301}", "灯台", "\u{212A}", "K", "\u{00A0}", "👩‍👩‍👧"]
        for trial in 0..<400 {
            let alphabet = trial % 2 == 0 ? ascii : unicode
            let old = text(&random, from: alphabet, length: 25)
            var new = text(&random, from: alphabet, length: 25)
            if trial % 3 == 0 {
                var tokens = TextDiff.words(old)
                if !tokens.isEmpty { tokens[Int(random.next() % UInt64(tokens.count))] = alphabet[Int(random.next() % UInt64(alphabet.count))] }
                new = tokens.joined()
            }
            let diff = TextDiff.wordDiff(old: old, new: new)
            #expect(diff.pieces == TextDiff.pieces(old: TextDiff.words(old), new: TextDiff.words(new)), "\(old.debugDescription) → \(new.debugDescription)")
            let changes = TextDiff.changedWords(old: old, new: new)
            #expect(diff.wordsDeleted == changes.deleted.count, "\(old.debugDescription) → \(new.debugDescription)")
            #expect(diff.wordsInserted == changes.inserted.count, "\(old.debugDescription) → \(new.debugDescription)")
        }
    }

    @Test func wordCountCountsTokensWithALetterOrDigit() {
        #expect(TextDiff.wordCount("Don't stop,  Mara_2! __ ' 42") == 4)
        #expect(TextDiff.wordCount("灯台 café, ...") == 2)
        #expect(TextDiff.wordCount("") == 0)
    }
}
