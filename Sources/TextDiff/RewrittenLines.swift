// A changed line is diffed word by word against the line it is paired with. When the two share
// few words in order, the word marks are scattered over the whole line and say nothing a reader
// can use; such a pair reads better as what it is, a rewrite. Finding that out costs a
// bit-parallel longest-common-subsequence length (Hyyrö 2004), far less than the edit script
// itself, whose cost grows with the square of the number of edits: the costly case is exactly
// the one that is not worth showing.

extension TextDiff {
    /// Below this share of its words kept in order (2·LCS / (old + new words)), a line pair is
    /// shown as rewritten…
    public static let rewrittenBelow = 0.5
    /// …when it has at least this many words, old and new together: on a short line a few word
    /// marks still read well (`Mara's "lamp"` → `Mara's 'lamp'`).
    public static let rewrittenFromWords = 16

    /// The word diff of a changed line and the line it is paired with; a pair of 16 words or more
    /// keeping less than half of them in order is one deletion of the old line and one insertion
    /// of the new.
    public static func pairedLineDiff(old: String, new: String) -> WordDiff {
        // All-ASCII lines (most prompts) are first cut into word ids only: a rewritten pair, the
        // common case of a long changed line, is settled without tokenizing its spaces.
        if let (oldWords, newWords) = asciiWordIDs(old, new) {
            if let rewritten = rewrite(old: old, new: new, oldWords, newWords) { return rewritten }
            let tokens = TokenizedText.pair(old, new)
            return wordDiff(tokens.old, tokens.new)
        }
        let tokens = TokenizedText.pair(old, new)
        return rewrite(old: old, new: new, tokens.old.wordIDs, tokens.new.wordIDs) ?? wordDiff(tokens.old, tokens.new)
    }

    /// The pair as one deletion and one insertion when it has enough words and keeps too few of them in order.
    private static func rewrite(old: String, new: String, _ oldWords: [Int], _ newWords: [Int]) -> WordDiff? {
        let total = oldWords.count + newWords.count
        guard total >= rewrittenFromWords, let kept = commonSubsequenceLength(oldWords, newWords),
              Double(2 * kept) < rewrittenBelow * Double(total) else { return nil }
        var pieces: [DiffPiece] = []
        if !old.isEmpty { pieces.append(DiffPiece(.delete, old)) }
        if !new.isEmpty { pieces.append(DiffPiece(.insert, new)) }
        return WordDiff(pieces: pieces, wordsDeleted: oldWords.count, wordsInserted: newWords.count)
    }

    /// The ids of the word tokens of two all-ASCII texts (equal words, equal ids), as
    /// `TokenizedText.pair(old, new).wordIDs` gives them; nil when either text is not all ASCII.
    static func asciiWordIDs(_ old: String, _ new: String) -> ([Int], [Int])? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(old.utf8.count + new.utf8.count)
        bytes.append(contentsOf: old.utf8)
        let split = bytes.count
        bytes.append(contentsOf: new.utf8)
        var ids = ASCIITokenIDs()
        var oldWords: [Int] = [], newWords: [Int] = []
        oldWords.reserveCapacity(split / 4 + 1)
        newWords.reserveCapacity((bytes.count - split) / 4 + 1)
        // Token ids compare ranges of one buffer, so both texts are cut from the same bytes.
        let ascii = bytes.withUnsafeBufferPointer { all -> Bool in
            TextDiff.forEachASCIIToken(UnsafeBufferPointer(rebasing: all[..<split])) { range, isWord in
                if isWord { oldWords.append(ids.id(of: range, in: all)) }
            } && TextDiff.forEachASCIIToken(UnsafeBufferPointer(rebasing: all[split...])) { range, isWord in
                if isWord { newWords.append(ids.id(of: (split + range.lowerBound)..<(split + range.upperBound), in: all)) }
            }
        }
        return ascii ? (oldWords, newWords) : nil
    }

    /// Up to this many words on the shorter side the length is computed; past it (a line of
    /// thousands of words) nil, and the pair is diffed word by word as any other.
    static let commonSubsequenceLimit = 4096

    /// The length of the longest common subsequence of two id sequences, in O(N·M/64) steps:
    /// one bit per element of the shorter sequence, updated for each element of the longer one
    /// as V ← (V + U) | (V − U) with U = V & match(element). U lies within V, so V − U is V & ~U.
    static func commonSubsequenceLength(_ first: [Int], _ second: [Int]) -> Int? {
        let (long, short) = first.count >= second.count ? (first, second) : (second, first)
        guard !short.isEmpty else { return 0 }
        guard short.count <= commonSubsequenceLimit else { return nil }
        let words = (short.count + 63) / 64
        // One bit row per distinct id of the short sequence: where that id occurs. Ids are small
        // (numbered from 0 as tokens are met), so rows are found by id in an array.
        let largest = max(short.max() ?? 0, long.max() ?? 0), smallest = min(short.min() ?? 0, long.min() ?? 0)
        guard smallest >= 0, largest < 4 * (short.count + long.count) + 64 else {
            // Ids from elsewhere: numbered densely first.
            var dense: [Int: Int] = [:]
            let renumber = { (id: Int) -> Int in
                if let known = dense[id] { return known }
                dense[id] = dense.count
                return dense.count - 1
            }
            let first = first.map(renumber), second = second.map(renumber)
            return commonSubsequenceLength(first, second)
        }
        var rowOf = [Int32](repeating: -1, count: largest + 1)
        var rowCount = 0
        var rows: [UInt64] = []
        for (position, id) in short.enumerated() {
            var row = Int(rowOf[id])
            if row < 0 {
                row = rowCount
                rowCount += 1
                rowOf[id] = Int32(row)
                rows.append(contentsOf: repeatElement(0, count: words))
            }
            rows[row * words + position / 64] |= 1 << UInt64(position % 64)
        }
        var vector = [UInt64](repeating: ~0, count: words)
        rows.withUnsafeBufferPointer { rows in
            vector.withUnsafeMutableBufferPointer { vector in
                for id in long {
                    let row = Int(rowOf[id])
                    guard row >= 0 else { continue }
                    var carry: UInt64 = 0
                    for word in 0..<words {
                        let v = vector[word]
                        let u = v & rows[row * words + word]
                        let (sum, overflow) = v.addingReportingOverflow(u)
                        let (withCarry, overflow2) = sum.addingReportingOverflow(carry)
                        carry = (overflow || overflow2) ? 1 : 0
                        vector[word] = withCarry | (v & ~u)
                    }
                }
            }
        }
        // The zero bits among the first short.count are the length.
        var zeros = 0
        for word in 0..<words {
            let bits = min(64, short.count - word * 64)
            let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
            zeros += (~vector[word] & mask).nonzeroBitCount
        }
        return zeros
    }
}

extension TokenizedText {
    /// The ids of the word tokens, in order (spaces and punctuation left out).
    var wordIDs: [Int] {
        var result: [Int] = []
        result.reserveCapacity(wordsBefore[wordsBefore.count - 1])
        for index in ids.indices where wordsBefore[index + 1] > wordsBefore[index] { result.append(ids[index]) }
        return result
    }
}
