/// A run of text in a diff: kept, removed or added.
public struct DiffPiece: Hashable, Sendable {
    public enum Kind: String, Sendable { case equal, delete, insert }
    public let kind: Kind
    public let text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// A word diff: its pieces, and the words in the deleted and in the inserted ones
/// (a word is a token with a letter or digit: `TextDiff.wordCount`).
public struct WordDiff: Hashable, Sendable {
    public let pieces: [DiffPiece]
    public let wordsDeleted: Int
    public let wordsInserted: Int
}

/// Line and word diffs of two texts.
public enum TextDiff {
    /// Whether the text ends with a line break (`\n` or `\r\n`).
    ///
    /// Its last scalar tells: a newline scalar is a Character of its own, or `\r\n`.
    public static func endsWithNewline(_ text: String) -> Bool { text.unicodeScalars.last.map(isNewline) ?? false }

    /// A line without its line break (`\r\n` or one newline Character), nil when it has none.
    public static func withoutLineBreak(_ line: String) -> String? {
        let scalars = line.unicodeScalars
        guard let last = scalars.last, isNewline(last) else { return nil }
        var end = scalars.index(before: scalars.endIndex)
        if last == "\n", end > scalars.startIndex, scalars[scalars.index(before: end)] == "\r" { end = scalars.index(before: end) }
        return String(line[..<end])
    }

    /// The scalars that are `Character.isNewline` on their own.
    static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Lines with their `\n` terminators kept, as `diff` compares them: `"a\nb"` is
    /// `["a\n", "b"]`, so a missing newline at the end is a difference too.
    public static func lines(_ text: String) -> [String] {
        asciiLines(text) ?? unicodeLines(text)
    }

    /// The same lines for an all-ASCII text, from its bytes: `\n`, `\u{0B}`, `\u{0C}`, `\r`
    /// and `\r\n` end a line (the ASCII characters that are `isNewline`).
    static func asciiLines(_ text: String) -> [String]? {
        var copy = text
        return copy.withUTF8 { bytes -> [String]? in
            var lines: [String] = []
            var start = 0, index = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte < 0x80 else { return nil }
                index += 1
                switch byte {
                case 0x0A, 0x0B, 0x0C: break
                case 0x0D: if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                default: continue
                }
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index
            }
            if start < bytes.count { lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
            return lines
        }
    }

    static func unicodeLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character.isNewline {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Words, runs of spaces, and single punctuation marks, so edits line up on word boundaries.
    public static func words(_ text: String) -> [String] {
        asciiWords(text) ?? unicodeWords(text)
    }

    /// The same tokens for an all-ASCII text, from its bytes (no Character properties: most prompts).
    static func asciiWords(_ text: String) -> [String]? {
        var copy = text
        return copy.withUTF8 { bytes -> [String]? in
            var tokens: [String] = []
            let ascii = forEachASCIIToken(bytes) { range, _ in
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            return ascii ? tokens : nil
        }
    }

    /// Calls `body` with the byte range of each token of an all-ASCII text and whether it is a
    /// word (has a letter or digit); stops and returns false at the first non-ASCII byte.
    @inline(__always)
    static func forEachASCIIToken(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, _ isWord: Bool) -> Void) -> Bool {
        var start = 0
        var currentKind = 0
        var hasLetterOrDigit = false
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x80 else { return false }
            let kind: Int
            let letterOrDigit: Bool
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: kind = 1; letterOrDigit = true
            case 0x5F, 0x27: kind = 1; letterOrDigit = false
            case 0x20, 0x09...0x0D: kind = 2; letterOrDigit = false
            default: kind = 3; letterOrDigit = false
            }
            if kind == currentKind, kind != 3 {
                hasLetterOrDigit = hasLetterOrDigit || letterOrDigit
                continue
            }
            if index > start { body(start..<index, hasLetterOrDigit) }
            start = index
            currentKind = kind
            hasLetterOrDigit = letterOrDigit
        }
        if bytes.count > start { body(start..<bytes.count, hasLetterOrDigit) }
        return true
    }

    static func unicodeWords(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentKind = 0
        for character in text {
            let kind = character.isLetter || character.isNumber || character == "_" || character == "'" ? 1 : (character.isWhitespace ? 2 : 3)
            if kind == currentKind, kind != 3 {
                current.append(character)
            } else {
                if !current.isEmpty { tokens.append(current) }
                current = String(character)
                currentKind = kind
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// Whether a token of `words` is a word: it has a letter or a digit.
    static func isWord(_ token: String) -> Bool {
        token.contains { $0.isLetter || $0.isNumber }
    }

    /// The words among the tokens of a text.
    public static func wordCount(_ text: String) -> Int {
        var copy = text
        let ascii = copy.withUTF8 { bytes -> Int? in
            var count = 0
            return forEachASCIIToken(bytes) { _, isWord in if isWord { count += 1 } } ? count : nil
        }
        return ascii ?? unicodeWords(text).count(where: isWord)
    }

    /// A diff of token sequences merged into runs of the same kind.
    public static func pieces(old: [String], new: [String]) -> [DiffPiece] {
        let tokens = TokenizedText.pair(oldTokens: old, newTokens: new)
        return wordDiff(tokens.old, tokens.new).pieces
    }

    /// Joins changes separated only by whitespace into one deletion and one insertion,
    /// so `[-a-]{+b+} [-c-]{+d+}` reads as `[-a c-]{+b d+}`.
    static func coalesced(_ pieces: [DiffPiece]) -> [DiffPiece] {
        coalesced(pieces.map { ($0.kind, $0.text) }, isGap: { $0.allSatisfy { $0 == " " || $0 == "\t" } })
            .map { DiffPiece($0.kind, $0.content) }
    }

    /// Word-level pieces of two texts (newlines are tokens too).
    public static func wordPieces(old: String, new: String) -> [DiffPiece] {
        wordDiff(old: old, new: new).pieces
    }

    /// Word-level pieces of two texts, with the words deleted and inserted.
    public static func wordDiff(old: String, new: String) -> WordDiff {
        let tokens = TokenizedText.pair(old, new)
        return wordDiff(tokens.old, tokens.new)
    }

    /// The words inserted and deleted, for summaries and tests.
    public static func changedWords(old: String, new: String) -> (inserted: [String], deleted: [String]) {
        let pieces = wordPieces(old: old, new: new)
        func words(_ kind: DiffPiece.Kind) -> [String] {
            pieces.filter { $0.kind == kind }.flatMap { TextDiff.words($0.text) }.filter { $0.contains { $0.isLetter || $0.isNumber } }
        }
        return (words(.insert), words(.delete))
    }
}
