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
public func shortestEditScript<Element: Hashable>(from old: [Element], to new: [Element]) -> [DiffEdit] {
    var prefix = 0
    while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
    let middle = myers(Array(old[prefix..<(old.count - suffix)]), Array(new[prefix..<(new.count - suffix)]))
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

private func myers<Element: Hashable>(_ a: [Element], _ b: [Element]) -> [DiffEdit] {
    let n = a.count, m = b.count
    if n == 0 { return (0..<m).map { .insert(new: $0) } }
    if m == 0 { return (0..<n).map { .delete(old: $0) } }
    let max = n + m
    let offset = max + 1
    var frontier = [Int](repeating: 0, count: 2 * max + 3)
    var trace: [[Int]] = []
    search: for d in 0...max {
        trace.append(frontier)
        for k in stride(from: -d, through: d, by: 2) {
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
            if x >= n, y >= m { break search }
        }
    }
    // Walk the trace backwards to recover the path.
    var edits: [DiffEdit] = []
    var x = n, y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
        let v = trace[d]
        let k = x - y
        let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
        let previousX = d == 0 ? 0 : v[offset + previousK]
        let previousY = previousX - previousK
        while x > previousX, y > previousY {
            x -= 1
            y -= 1
            edits.append(.equal(old: x, new: y))
        }
        if d > 0 {
            if x == previousX { edits.append(.insert(new: previousY)) } else { edits.append(.delete(old: previousX)) }
        }
        x = previousX
        y = previousY
    }
    return edits.reversed()
}
