#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The word diff's working form: both texts cut into tokens with integer ids (equal tokens,
// equal ids), so the search compares integers; pieces stay token ranges until their text is
// made, once, from the bytes.

/// One text of a word diff as tokens. Its bytes may be shared with the other text of the pair.
struct TokenizedText {
    let bytes: [UInt8]
    /// Token i is `bytes[starts[i]..<starts[i + 1]]`.
    private(set) var starts: [Int]
    private(set) var ids: [Int] = []
    /// Words (`TextDiff.isWord`) among the first i tokens.
    private(set) var wordsBefore: [Int] = [0]

    /// - capacity: about as many tokens as the text will have.
    init(bytes: [UInt8], start: Int, capacity: Int) {
        self.bytes = bytes
        starts = [start]
        starts.reserveCapacity(capacity + 1)
        ids.reserveCapacity(capacity)
        wordsBefore.reserveCapacity(capacity + 1)
    }

    mutating func append(end: Int, id: Int, isWord: Bool) {
        starts.append(end)
        ids.append(id)
        wordsBefore.append(wordsBefore[wordsBefore.count - 1] + (isWord ? 1 : 0))
    }

    func text(_ tokens: Range<Int>) -> String {
        String(decoding: bytes[starts[tokens.lowerBound]..<starts[tokens.upperBound]], as: UTF8.self)
    }

    func words(in tokens: Range<Int>) -> Int {
        wordsBefore[tokens.upperBound] - wordsBefore[tokens.lowerBound]
    }

    func isSpacesOrTabs(_ tokens: Range<Int>) -> Bool {
        bytes[starts[tokens.lowerBound]..<starts[tokens.upperBound]].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}

extension TokenizedText {
    /// Two texts cut as `TextDiff.words` cuts them. All-ASCII texts are tokenized and their
    /// tokens told apart by their bytes; otherwise tokens are compared as Strings are, by
    /// canonical equivalence (`é` is `e` + U+0301, `K` is the Kelvin sign).
    static func pair(_ old: String, _ new: String) -> (old: TokenizedText, new: TokenizedText) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(old.utf8.count + new.utf8.count)
        bytes.append(contentsOf: old.utf8)
        let split = bytes.count
        bytes.append(contentsOf: new.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return pair(oldTokens: TextDiff.words(old), newTokens: TextDiff.words(new)) }
        // A word and a space are three bytes or more.
        var oldText = TokenizedText(bytes: bytes, start: 0, capacity: split / 3 + 1)
        var newText = TokenizedText(bytes: bytes, start: split, capacity: (bytes.count - split) / 3 + 1)
        var ids = ASCIITokenIDs()
        bytes.withUnsafeBufferPointer { all in
            _ = TextDiff.forEachASCIIToken(UnsafeBufferPointer(rebasing: all[..<split])) { range, isWord in
                oldText.append(end: range.upperBound, id: ids.id(of: range, in: all), isWord: isWord)
            }
            _ = TextDiff.forEachASCIIToken(UnsafeBufferPointer(rebasing: all[split...])) { range, isWord in
                let range = (split + range.lowerBound)..<(split + range.upperBound)
                newText.append(end: range.upperBound, id: ids.id(of: range, in: all), isWord: isWord)
            }
        }
        return (oldText, newText)
    }

    /// Two token sequences, whatever cut them; equal Strings get equal ids.
    static func pair(oldTokens: [String], newTokens: [String]) -> (old: TokenizedText, new: TokenizedText) {
        let oldBytes = oldTokens.reduce(0) { $0 + $1.utf8.count }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(oldBytes + newTokens.reduce(0) { $0 + $1.utf8.count })
        for token in oldTokens + newTokens { bytes.append(contentsOf: token.utf8) }
        var ids: [String: Int] = [:]
        func tokenized(_ tokens: [String], start: Int) -> TokenizedText {
            var text = TokenizedText(bytes: bytes, start: start, capacity: tokens.count)
            var end = start
            for token in tokens {
                end += token.utf8.count
                let id = ids[token] ?? ids.count
                ids[token] = id
                text.append(end: end, id: id, isWord: TextDiff.isWord(token))
            }
            return text
        }
        return (tokenized(oldTokens, start: 0), tokenized(newTokens, start: oldBytes))
    }
}

/// Ids for byte strings in one buffer: an open-addressing hash table (FNV-1a, linear probing),
/// so no token of an ASCII text has to become a String to be compared.
struct ASCIITokenIDs {
    private var slots = [Int](repeating: -1, count: 64)
    private var tokens: [(hash: UInt64, range: Range<Int>)] = []

    /// The id of the token at `range`; every call must pass the same buffer.
    mutating func id(of range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes[range] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let known = tokens[slots[slot]]
            if known.hash == hash, known.range.count == range.count,
               memcmp(bytes.baseAddress! + known.range.lowerBound, bytes.baseAddress! + range.lowerBound, range.count) == 0 { return slots[slot] }
            slot = (slot + 1) & mask
        }
        slots[slot] = tokens.count
        tokens.append((hash, range))
        if tokens.count * 2 > slots.count { grow() }
        return tokens.count - 1
    }

    private mutating func grow() {
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, token) in tokens.enumerated() {
            var slot = Int(truncatingIfNeeded: token.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = id
        }
    }
}

/// The tokens of the old and of the new text a piece covers: an equal piece both, a deletion
/// old ones, an insertion new ones (its other range is empty, or for a piece coalescing
/// crossed a gap, holds the gap's tokens there: only the side it is read from counts).
struct TokenSpan {
    var old: Range<Int>
    var new: Range<Int>

    init(old: Range<Int> = 0..<0, new: Range<Int> = 0..<0) {
        self.old = old
        self.new = new
    }
}

/// What coalescing needs of a piece's content: the empty content, whether content is empty,
/// and joining content to the content that follows it.
protocol DiffContent {
    static var empty: Self { get }
    var isEmpty: Bool { get }
    static func + (lhs: Self, rhs: Self) -> Self
}

extension String: DiffContent {
    static var empty: String { "" }
}

extension TokenSpan: DiffContent {
    static var empty: TokenSpan { TokenSpan() }
    var isEmpty: Bool { old.isEmpty && new.isEmpty }

    /// Both spans' tokens, side by side: the ranges run from the first's start to the second's end.
    static func + (lhs: TokenSpan, rhs: TokenSpan) -> TokenSpan {
        func joined(_ first: Range<Int>, _ second: Range<Int>) -> Range<Int> {
            first.isEmpty ? second : (second.isEmpty ? first : first.lowerBound..<second.upperBound)
        }
        return TokenSpan(old: joined(lhs.old, rhs.old), new: joined(lhs.new, rhs.new))
    }
}

extension TextDiff {
    static func wordDiff(_ old: TokenizedText, _ new: TokenizedText) -> WordDiff {
        let spans = coalesced(runs(shortestEditScript(from: old.ids, to: new.ids)), isGap: { old.isSpacesOrTabs($0.old) })
        var pieces: [DiffPiece] = []
        pieces.reserveCapacity(spans.count)
        var deleted = 0, inserted = 0
        for (kind, span) in spans {
            switch kind {
            case .equal:
                pieces.append(DiffPiece(.equal, old.text(span.old)))
            case .delete:
                pieces.append(DiffPiece(.delete, old.text(span.old)))
                deleted += old.words(in: span.old)
            case .insert:
                pieces.append(DiffPiece(.insert, new.text(span.new)))
                inserted += new.words(in: span.new)
            }
        }
        return WordDiff(pieces: pieces, wordsDeleted: deleted, wordsInserted: inserted)
    }

    /// An edit script as runs of one kind. Inside a changed stretch the deletions come before
    /// the insertions, which reads best.
    static func runs(_ edits: [DiffEdit]) -> [(kind: DiffPiece.Kind, content: TokenSpan)] {
        var runs: [(kind: DiffPiece.Kind, content: TokenSpan)] = []
        func add(_ kind: DiffPiece.Kind, _ span: TokenSpan) {
            if let last = runs.last, last.kind == kind {
                runs[runs.count - 1].content = last.content + span
            } else {
                runs.append((kind, span))
            }
        }
        var pendingInserts = TokenSpan.empty
        for edit in edits {
            switch edit {
            case .equal(let o, let n):
                if !pendingInserts.isEmpty { add(.insert, pendingInserts) }
                pendingInserts = .empty
                add(.equal, TokenSpan(old: o..<(o + 1), new: n..<(n + 1)))
            case .delete(let o): add(.delete, TokenSpan(old: o..<(o + 1)))
            case .insert(let n): pendingInserts = pendingInserts + TokenSpan(new: n..<(n + 1))
            }
        }
        if !pendingInserts.isEmpty { add(.insert, pendingInserts) }
        return runs
    }

    /// Joins changes separated only by a gap (`isGap`: spaces and tabs) into one deletion and
    /// one insertion, so `[-a-]{+b+} [-c-]{+d+}` reads as `[-a c-]{+b d+}`.
    static func coalesced<Content: DiffContent>(_ pieces: [(kind: DiffPiece.Kind, content: Content)],
                                                isGap: (Content) -> Bool) -> [(kind: DiffPiece.Kind, content: Content)] {
        var result: [(kind: DiffPiece.Kind, content: Content)] = []
        var deleted = Content.empty, inserted = Content.empty, gap = Content.empty
        var inChange = false
        func flush() {
            if !deleted.isEmpty { result.append((.delete, deleted)) }
            if !inserted.isEmpty { result.append((.insert, inserted)) }
            if !gap.isEmpty { result.append((.equal, gap)) }
            deleted = .empty; inserted = .empty; gap = .empty
            inChange = false
        }
        for piece in pieces {
            switch piece.kind {
            case .delete, .insert:
                // The gap is in both texts, so both sides keep it.
                deleted = deleted + gap
                inserted = inserted + gap
                gap = .empty
                if piece.kind == .delete { deleted = deleted + piece.content } else { inserted = inserted + piece.content }
                inChange = true
            case .equal:
                if inChange, gap.isEmpty, isGap(piece.content) {
                    gap = piece.content
                } else {
                    flush()
                    result.append(piece)
                }
            }
        }
        flush()
        // Merge neighbouring pieces of the same kind left by flushing.
        var merged: [(kind: DiffPiece.Kind, content: Content)] = []
        for piece in result {
            if let last = merged.last, last.kind == piece.kind {
                merged[merged.count - 1].content = last.content + piece.content
            } else {
                merged.append(piece)
            }
        }
        return merged
    }
}
