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

/// Line and word diffs of two texts.
public enum TextDiff {
    /// Whether the text ends with a line break (`\n` or `\r\n`).
    public static func endsWithNewline(_ text: String) -> Bool { text.last?.isNewline ?? false }

    /// Lines with their `\n` terminators kept, as `diff` compares them: `"a\nb"` is
    /// `["a\n", "b"]`, so a missing newline at the end is a difference too.
    public static func lines(_ text: String) -> [String] {
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
            var start = 0
            var currentKind = 0
            for (index, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                let kind: Int
                switch byte {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x27: kind = 1
                case 0x20, 0x09...0x0D: kind = 2
                default: kind = 3
                }
                if kind == currentKind, kind != 3 { continue }
                if index > start { tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index
                currentKind = kind
            }
            if bytes.count > start { tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self)) }
            return tokens
        }
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

    /// A diff of token sequences merged into runs of the same kind.
    public static func pieces(old: [String], new: [String]) -> [DiffPiece] {
        var pieces: [DiffPiece] = []
        func add(_ kind: DiffPiece.Kind, _ text: String) {
            if let last = pieces.last, last.kind == kind {
                pieces[pieces.count - 1] = DiffPiece(kind, last.text + text)
            } else {
                pieces.append(DiffPiece(kind, text))
            }
        }
        // Deletions before insertions inside a changed run reads best.
        var pendingInserts: [String] = []
        // Tokens as small integers: the search compares integers, not strings (same script).
        var ids: [String: Int] = [:]
        let intern = { (token: String) -> Int in
            if let id = ids[token] { return id }
            ids[token] = ids.count
            return ids.count - 1
        }
        let oldIDs = old.map(intern), newIDs = new.map(intern)
        for edit in shortestEditScript(from: oldIDs, to: newIDs) {
            switch edit {
            case .equal(let o, _):
                pendingInserts.forEach { add(.insert, $0) }
                pendingInserts.removeAll()
                add(.equal, old[o])
            case .delete(let o): add(.delete, old[o])
            case .insert(let n): pendingInserts.append(new[n])
            }
        }
        pendingInserts.forEach { add(.insert, $0) }
        return coalesced(pieces)
    }

    /// Joins changes separated only by whitespace into one deletion and one insertion,
    /// so `[-a-]{+b+} [-c-]{+d+}` reads as `[-a c-]{+b d+}`.
    static func coalesced(_ pieces: [DiffPiece]) -> [DiffPiece] {
        var result: [DiffPiece] = []
        var deleted = "", inserted = "", gap = ""
        var inChange = false
        func flush() {
            if !deleted.isEmpty { result.append(DiffPiece(.delete, deleted)) }
            if !inserted.isEmpty { result.append(DiffPiece(.insert, inserted)) }
            if !gap.isEmpty { result.append(DiffPiece(.equal, gap)) }
            deleted = ""; inserted = ""; gap = ""
            inChange = false
        }
        for piece in pieces {
            switch piece.kind {
            case .delete, .insert:
                // The gap is in both texts, so both sides keep it.
                deleted += gap
                inserted += gap
                gap = ""
                if piece.kind == .delete { deleted += piece.text } else { inserted += piece.text }
                inChange = true
            case .equal:
                if inChange, gap.isEmpty, piece.text.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    gap = piece.text
                } else {
                    flush()
                    result.append(piece)
                }
            }
        }
        flush()
        // Merge neighbouring pieces of the same kind left by flushing.
        var merged: [DiffPiece] = []
        for piece in result {
            if let last = merged.last, last.kind == piece.kind {
                merged[merged.count - 1] = DiffPiece(piece.kind, last.text + piece.text)
            } else {
                merged.append(piece)
            }
        }
        return merged
    }

    /// Word-level pieces of two texts (newlines are tokens too).
    public static func wordPieces(old: String, new: String) -> [DiffPiece] {
        pieces(old: words(old), new: words(new))
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
