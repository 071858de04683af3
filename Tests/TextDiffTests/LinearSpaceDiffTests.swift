import Testing
@testable import TextDiff

/// Past the trace budget the diff switches to Myers' linear-space variant: the script is still
/// a shortest one, and memory stays linear for two unrelated texts.
@Suite struct LinearSpaceDiffTests {
    /// A deterministic word stream over a small vocabulary (so the texts share many words).
    private func words(_ count: Int, seed: UInt64) -> [String] {
        var state = seed
        let vocabulary = ["harbor", "lantern", "storm", "fog", "bell", "keeper", "gull", "rope", "sail", "tide", "night", "dusk"]
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return vocabulary[Int(state >> 33) % vocabulary.count]
        }
    }

    @Test(arguments: [(0, 0), (1, 0), (0, 3), (5, 7), (40, 33), (120, 180)])
    func linearSpaceScriptsAreShortest(sizes: (Int, Int)) {
        for seed in UInt64(1)...20 {
            let old = words(sizes.0, seed: seed), new = words(sizes.1, seed: seed &* 7 &+ 3)
            let edits = linearSpaceEdits(old, new)
            let replayed = replay(edits, old: old, new: new)
            #expect(replayed.inOrder && replayed.old == old && replayed.new == new)
            #expect(changeCount(edits) == old.count + new.count - 2 * lcsLength(old, new), "seed \(seed)")
        }
    }

    @Test func aSmallBudgetSwitchesVariantsWithTheSameLength() {
        let old = words(300, seed: 5), new = words(280, seed: 9)
        let greedy = shortestEditScript(from: old, to: new)
        let linear = shortestEditScript(from: old, to: new, traceBudget: 1_000)
        #expect(changeCount(greedy) == changeCount(linear))
        let replayed = replay(linear, old: old, new: new)
        #expect(replayed.inOrder && replayed.old == old && replayed.new == new)
    }

    @Test func twoUnrelatedLongTextsDiffInBoundedTime() {
        // 5,000 words each: the greedy trace alone would be ~10,000 × 20,000 integers (1.6 GB).
        let old = words(5_000, seed: 11), new = words(5_000, seed: 12)
        let started = ContinuousClock.now
        let edits = shortestEditScript(from: old, to: new)
        #expect(ContinuousClock.now - started < .seconds(60))
        let replayed = replay(edits, old: old, new: new)
        #expect(replayed.inOrder && replayed.old == old && replayed.new == new)
    }

    /// Past the step budget a region not yet split is deleted and inserted whole: the script
    /// still turns old into new, and two unrelated 40,000-element texts no longer take minutes.
    @Test func pastTheStepBudgetTheRestIsReplacedWhole() {
        let old = words(300, seed: 5), new = words(280, seed: 9)
        let shortest = linearSpaceEdits(old, new)
        for budget in [0, 1_000, 20_000] {
            let edits = linearSpaceEdits(old, new, budget: budget)
            let replayed = replay(edits, old: old, new: new)
            #expect(replayed.inOrder && replayed.old == old && replayed.new == new, "budget \(budget)")
            #expect(changeCount(edits) >= changeCount(shortest))
        }
        // No budget at all: everything between the common ends is replaced.
        #expect(changeCount(linearSpaceEdits(old, new, budget: 0)) == old.count + new.count - 2 * commonEnds(old, new))
        #expect(linearSpaceEdits(old, new, budget: .max) == shortest)
        let huge = words(40_000, seed: 21), other = words(40_000, seed: 22)
        let started = ContinuousClock.now
        let edits = shortestEditScript(from: huge, to: other)
        #expect(ContinuousClock.now - started < .seconds(30))
        let replayed = replay(edits, old: huge, new: other)
        #expect(replayed.inOrder && replayed.old == huge && replayed.new == other)
    }

    private func commonEnds(_ a: [String], _ b: [String]) -> Int {
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        return prefix + suffix
    }
}
