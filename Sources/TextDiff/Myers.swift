/// One step of an edit script turning `old` into `new`.
public enum DiffEdit: Hashable, Sendable {
    /// An element in both, at these indices.
    case equal(old: Int, new: Int)
    /// An element only in `old`.
    case delete(old: Int)
    /// An element only in `new`.
    case insert(new: Int)
}

/// The shortest edit script between two sequences (Myers' O((N+M)·D) algorithm),
/// with common prefix and suffix trimmed first since prompt edits are usually local.
///
/// The greedy search keeps, after each edit d, the furthest point on the d + 1 diagonals it
/// reached, to walk back the path: (D+1)(D+2)/2 32-bit integers. Past `traceBudget` (two unrelated
/// texts of thousands of words) it switches to Myers' linear-space variant, which finds a
/// script of the same length in O(N+M) memory (possibly a different one of that length).
public func shortestEditScript<Element: Hashable>(from old: [Element], to new: [Element]) -> [DiffEdit] {
    shortestEditScript(from: old, to: new, traceBudget: defaultTraceBudget)
}

/// 8 Mi: far beyond any prompt edit. The search once kept that many integers (64 MiB); its
/// trace is now at most an eighth of that.
let defaultTraceBudget = 8 << 20

func shortestEditScript<Element: Hashable>(from old: [Element], to new: [Element], traceBudget: Int) -> [DiffEdit] {
    var prefix = 0
    while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
    let a = Array(old[prefix..<(old.count - suffix)]), b = Array(new[prefix..<(new.count - suffix)])
    let middle = myers(a, b, traceBudget: traceBudget) ?? linearSpaceEdits(a, b)
    var edits = (0..<prefix).map { DiffEdit.equal(old: $0, new: $0) }
    for edit in middle {
        switch edit {
        case .equal(let o, let n): edits.append(.equal(old: o + prefix, new: n + prefix))
        case .delete(let o): edits.append(.delete(old: o + prefix))
        case .insert(let n): edits.append(.insert(new: n + prefix))
        }
    }
    for offset in 0..<suffix {
        edits.append(.equal(old: old.count - suffix + offset, new: new.count - suffix + offset))
    }
    return edits
}

/// nil when the search passes `traceBudget`, counted as (d + 1)·(2(N+M) + 3): the integers
/// this search used to keep (a whole frontier per edit). The trace is now far smaller, but
/// the bound is kept so the same pairs switch variants and every script stays the same.
private func myers<Element: Hashable>(_ a: [Element], _ b: [Element], traceBudget: Int) -> [DiffEdit]? {
    let n = a.count, m = b.count
    if n == 0 { return (0..<m).map { .insert(new: $0) } }
    if m == 0 { return (0..<n).map { .delete(old: $0) } }
    let search = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in greedySearch(a, b, traceBudget: traceBudget) }
    }
    guard let (trace, edits) = search else { return nil }
    /// The furthest x on diagonal k after edit d.
    func reached(after d: Int, diagonal k: Int) -> Int { Int(trace[d * (d + 1) / 2 + (k + d) / 2]) }

    // Walk the trace backwards to recover the path.
    var script: [DiffEdit] = []
    var x = n, y = m
    for d in stride(from: edits, to: 0, by: -1) {
        let k = x - y
        let previousK = k == -d || (k != d && reached(after: d - 1, diagonal: k - 1) < reached(after: d - 1, diagonal: k + 1)) ? k + 1 : k - 1
        let previousX = reached(after: d - 1, diagonal: previousK)
        let previousY = previousX - previousK
        while x > previousX, y > previousY {
            x -= 1
            y -= 1
            script.append(.equal(old: x, new: y))
        }
        if x == previousX { script.append(.insert(new: previousY)) } else { script.append(.delete(old: previousX)) }
        x = previousX
        y = previousY
    }
    // Edit 0 is the snake from (0, 0) on diagonal 0.
    while x > 0 {
        x -= 1
        y -= 1
        script.append(.equal(old: x, new: y))
    }
    return script.reversed()
}

/// The greedy forward search: the number of edits D, and after each edit d < D the furthest x
/// reached on diagonals -d, -d+2, …, d (k = x - y) at `trace[d·(d+1)/2 + (k+d)/2]`. Within the
/// budget N + M < traceBudget / 2, so every x fits in 32 bits.
private func greedySearch<Element: Equatable>(_ a: UnsafeBufferPointer<Element>, _ b: UnsafeBufferPointer<Element>,
                                              traceBudget: Int) -> (trace: [Int32], edits: Int)? {
    let n = a.count, m = b.count
    let max = n + m
    let offset = max + 1
    // frontier[offset + k]: the furthest x reached on diagonal k.
    var frontier = [Int](repeating: 0, count: 2 * max + 3)
    var trace: [Int32] = []
    return frontier.withUnsafeMutableBufferPointer { frontier in
        for d in 0...max {
            if (d + 1).multipliedReportingOverflow(by: frontier.count).partialValue > traceBudget || d + 1 > traceBudget { return nil }
            // Step d reads only what step d - 1 wrote (diagonals of the other parity).
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]) {
                    x = frontier[offset + k + 1]
                } else {
                    x = frontier[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + k] = x
                trace.append(Int32(x))
                if x >= n, y >= m { return (trace, d) }
                k += 2
            }
        }
        return nil // Unreachable: the path ends by d = N + M.
    }
}

/// Steps (diagonals tried and elements compared) the linear-space search may take in all. Past
/// them, a region not yet split is shown as deleted and inserted: still a script that turns
/// `old` into `new`, no longer the shortest. Two unrelated texts of 20,000 lines each took
/// minutes (O((N+M)·D) with D ≈ N+M); this is about a second.
let linearSpaceBudget = 60_000_000

/// Myers' linear-space refinement: find the middle snake of the optimal path by searching from
/// both ends at once, then solve the two halves the same way. O((N+M)·D) time within `budget`
/// steps, O(N+M) memory, recursion depth O(log D).
func linearSpaceEdits<Element: Hashable>(_ a: [Element], _ b: [Element], budget: Int = linearSpaceBudget) -> [DiffEdit] {
    var edits: [DiffEdit] = []
    edits.reserveCapacity(a.count + b.count)
    var remaining = budget
    linearSpace(a, 0, a.count, b, 0, b.count, budget: &remaining, into: &edits)
    return edits
}

private func linearSpace<Element: Hashable>(_ a: [Element], _ aLow: Int, _ aHigh: Int, _ b: [Element], _ bLow: Int, _ bHigh: Int,
                                            budget: inout Int, into edits: inout [DiffEdit]) {
    var aLow = aLow, bLow = bLow, aHigh = aHigh, bHigh = bHigh
    while aLow < aHigh, bLow < bHigh, a[aLow] == b[bLow] {
        edits.append(.equal(old: aLow, new: bLow))
        aLow += 1
        bLow += 1
    }
    var tail = 0
    while aLow < aHigh, bLow < bHigh, a[aHigh - 1] == b[bHigh - 1] {
        aHigh -= 1
        bHigh -= 1
        tail += 1
    }
    if aLow == aHigh {
        for y in bLow..<bHigh { edits.append(.insert(new: y)) }
    } else if bLow == bHigh {
        for x in aLow..<aHigh { edits.append(.delete(old: x)) }
    } else if let snake = middleSnake(a, aLow, aHigh, b, bLow, bHigh, budget: &budget) {
        linearSpace(a, aLow, snake.startX, b, bLow, snake.startY, budget: &budget, into: &edits)
        for step in 0..<(snake.endX - snake.startX) { edits.append(.equal(old: snake.startX + step, new: snake.startY + step)) }
        linearSpace(a, snake.endX, aHigh, b, snake.endY, bHigh, budget: &budget, into: &edits)
    } else {
        // Out of budget: the region is replaced as a whole.
        for x in aLow..<aHigh { edits.append(.delete(old: x)) }
        for y in bLow..<bHigh { edits.append(.insert(new: y)) }
    }
    for step in 0..<tail { edits.append(.equal(old: aHigh + step, new: bHigh + step)) }
}

/// The snake in the middle of a shortest path from (aLow, bLow) to (aHigh, bHigh), in absolute
/// indices. Both ends differ (the caller trimmed them), so the path has at least one edit and
/// both halves around the snake are smaller than the whole. Nil once `budget` is spent.
private func middleSnake<Element: Hashable>(_ a: [Element], _ aLow: Int, _ aHigh: Int, _ b: [Element], _ bLow: Int, _ bHigh: Int,
                                            budget: inout Int) -> (startX: Int, startY: Int, endX: Int, endY: Int)? {
    let n = aHigh - aLow, m = bHigh - bLow
    let delta = n - m
    let odd = delta & 1 != 0
    let limit = (n + m + 1) / 2
    let offset = limit + 1
    var forward = [Int](repeating: 0, count: 2 * limit + 3)
    var backward = [Int](repeating: 0, count: 2 * limit + 3)
    for d in 0...limit {
        // Both searches of this d: their diagonals, and at most every element compared once more.
        budget -= 2 * (d + 1) + n + m
        if budget < 0 { return nil }
        for k in stride(from: -d, through: d, by: 2) {
            var x = k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1]) ? forward[offset + k + 1] : forward[offset + k - 1] + 1
            var y = x - k
            let startX = x, startY = y
            while x < n, y < m, a[aLow + x] == b[bLow + y] {
                x += 1
                y += 1
            }
            forward[offset + k] = x
            let reversedK = delta - k
            if odd, reversedK >= -(d - 1), reversedK <= d - 1, x + backward[offset + reversedK] >= n {
                return (aLow + startX, bLow + startY, aLow + x, bLow + y)
            }
        }
        for k in stride(from: -d, through: d, by: 2) {
            // x and y count from the ends of both sequences.
            var x = k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1]) ? backward[offset + k + 1] : backward[offset + k - 1] + 1
            var y = x - k
            let startX = x, startY = y
            while x < n, y < m, a[aHigh - 1 - x] == b[bHigh - 1 - y] {
                x += 1
                y += 1
            }
            backward[offset + k] = x
            let forwardK = delta - k
            if !odd, forwardK >= -d, forwardK <= d, x + forward[offset + forwardK] >= n {
                return (aHigh - x, bHigh - y, aHigh - startX, bHigh - startY)
            }
        }
    }
    // Unreachable: the two searches meet by d = ⌈(N+M)/2⌉.
    return (aLow, bLow, aLow, bLow)
}
