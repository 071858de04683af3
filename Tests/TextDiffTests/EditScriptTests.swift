import Testing
import TextDiff

/// Replays an edit script, checking that it walks both sequences in order without
/// skipping or repeating, and returns the two sides it describes.
func replay<Element: Equatable>(_ edits: [DiffEdit], old: [Element], new: [Element]) -> (old: [Element], new: [Element], inOrder: Bool) {
    var nextOld = 0, nextNew = 0
    var left: [Element] = [], right: [Element] = []
    var inOrder = true
    for edit in edits {
        switch edit {
        case .equal(let o, let n):
            guard o == nextOld, n == nextNew, o < old.count, n < new.count, old[o] == new[n] else { return (left, right, false) }
            left.append(old[o]); right.append(new[n])
            nextOld += 1; nextNew += 1
        case .delete(let o):
            guard o == nextOld, o < old.count else { return (left, right, false) }
            left.append(old[o])
            nextOld += 1
        case .insert(let n):
            guard n == nextNew, n < new.count else { return (left, right, false) }
            right.append(new[n])
            nextNew += 1
        }
    }
    inOrder = nextOld == old.count && nextNew == new.count
    return (left, right, inOrder)
}

func changeCount(_ edits: [DiffEdit]) -> Int {
    edits.count { if case .equal = $0 { return false } else { return true } }
}

/// Length of the longest common subsequence, by dynamic programming.
func lcsLength<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    var row = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        var diagonal = 0
        for j in 1...b.count {
            let above = row[j]
            row[j] = a[i - 1] == b[j - 1] ? diagonal + 1 : max(row[j], row[j - 1])
            diagonal = above
        }
    }
    return row[b.count]
}

/// A small deterministic generator so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct EditScriptTests {
    @Test func classicMyersExample() {
        let old = Array("ABCABBA"), new = Array("CBABAC")
        let edits = shortestEditScript(from: old, to: new)
        #expect(changeCount(edits) == 5)
        #expect(edits.count { if case .equal = $0 { return true } else { return false } } == 4)
        let replayed = replay(edits, old: old, new: new)
        #expect(replayed.inOrder)
        #expect(replayed.old == old)
        #expect(replayed.new == new)
    }

    @Test func replacementInTheMiddleDeletesThenInserts() {
        let edits = shortestEditScript(from: Array("abcde"), to: Array("aXYZe"))
        #expect(edits == [
            .equal(old: 0, new: 0),
            .delete(old: 1), .delete(old: 2), .delete(old: 3),
            .insert(new: 1), .insert(new: 2), .insert(new: 3),
            .equal(old: 4, new: 4),
        ])
    }

    @Test func emptyAndIdenticalInputs() {
        #expect(shortestEditScript(from: [Int](), to: []).isEmpty)
        #expect(shortestEditScript(from: [], to: [1, 2]) == [.insert(new: 0), .insert(new: 1)])
        #expect(shortestEditScript(from: [1, 2], to: []) == [.delete(old: 0), .delete(old: 1)])
        #expect(shortestEditScript(from: [1, 2, 3], to: [1, 2, 3]) == [.equal(old: 0, new: 0), .equal(old: 1, new: 1), .equal(old: 2, new: 2)])
    }

    @Test func completelyDifferent() {
        let edits = shortestEditScript(from: ["a", "b"], to: ["c", "d", "e"])
        #expect(changeCount(edits) == 5)
        #expect(replay(edits, old: ["a", "b"], new: ["c", "d", "e"]).inOrder)
    }

    @Test func knownSmallCases() {
        let cases: [(String, String, Int)] = [
            ("abc", "abc", 0),
            ("abc", "abd", 2),
            ("abc", "xabc", 1),
            ("abc", "abcx", 1),
            ("abcabba", "cbabac", 5),
            ("kitten", "sitting", 5),
            ("aaaa", "aa", 2),
            ("abab", "baba", 2),
            ("", "xyz", 3),
        ]
        for (old, new, expected) in cases {
            let edits = shortestEditScript(from: Array(old), to: Array(new))
            #expect(changeCount(edits) == expected, "\(old) → \(new)")
            let replayed = replay(edits, old: Array(old), new: Array(new))
            #expect(replayed.inOrder && replayed.old == Array(old) && replayed.new == Array(new), "\(old) → \(new)")
        }
    }

    @Test func randomPairsAreReconstructedWithTheMinimalNumberOfEdits() {
        var random = SplitMix64(seed: 42)
        let alphabet = ["the", "gull", "harbor", "light"]
        for trial in 0..<200 {
            let old = (0..<Int(random.next() % 13)).map { _ in alphabet[Int(random.next() % 4)] }
            var new = (0..<Int(random.next() % 13)).map { _ in alphabet[Int(random.next() % 4)] }
            // Half the time make `new` a local edit of `old`, the usual case for prompts.
            if trial % 2 == 0, !old.isEmpty {
                new = old
                let at = Int(random.next() % UInt64(old.count))
                new.replaceSubrange(at..<min(old.count, at + Int(random.next() % 3)), with: (0..<Int(random.next() % 3)).map { _ in alphabet[Int(random.next() % 4)] })
            }
            let edits = shortestEditScript(from: old, to: new)
            let replayed = replay(edits, old: old, new: new)
            #expect(replayed.inOrder, "\(old) → \(new)")
            #expect(replayed.old == old, "\(old) → \(new)")
            #expect(replayed.new == new, "\(old) → \(new)")
            // No script can do with fewer than n + m - 2·LCS edits, so "at most" means "exactly".
            #expect(changeCount(edits) == old.count + new.count - 2 * lcsLength(old, new), "\(old) → \(new)")
        }
    }

    @Test func lcsHelperIsRight() {
        // The property test relies on this helper, so check it on known values.
        #expect(lcsLength(Array("ABCBDAB"), Array("BDCABA")) == 4)
        #expect(lcsLength(Array("abc"), Array("")) == 0)
        #expect(lcsLength(Array("abc"), Array("abc")) == 3)
    }
}
