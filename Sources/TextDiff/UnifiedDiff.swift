import Foundation

/// A unified diff (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks) with optional colour
/// and an optional word-level view that marks changes inside lines.
public struct UnifiedDiff: Sendable {
    public let oldName: String
    public let newName: String
    public let old: String
    public let new: String
    public var context = 3

    public init(oldName: String, newName: String, old: String, new: String) {
        self.oldName = oldName
        self.newName = newName
        self.old = old
        self.new = new
    }

    public var isEmpty: Bool { old == new }

    /// Line diff in the classic format.
    public func render(color: Bool) -> String {
        // A last line without a break is only worth GNU's "\ No newline" marker when
        // the two texts disagree about it; otherwise both are read as ending in one.
        let agree = TextDiff.endsWithNewline(old) == TextDiff.endsWithNewline(new)
        let oldLines = TextDiff.lines(agree ? terminated(old) : old), newLines = TextDiff.lines(agree ? terminated(new) : new)
        let edits = shortestEditScript(from: oldLines, to: newLines)
        // Lines of each side consumed before each edit: where a hunk starts.
        var before: [(old: Int, new: Int)] = []
        var position = (old: 0, new: 0)
        for edit in edits {
            before.append(position)
            switch edit {
            case .equal: position = (position.old + 1, position.new + 1)
            case .delete: position.old += 1
            case .insert: position.new += 1
            }
        }
        var out = header(color: color)
        for span in hunkRanges(edits) {
            let hunk = edits[span]
            let oldStart = before[span.lowerBound].old, newStart = before[span.lowerBound].new
            let oldCount = hunk.filter { if case .insert = $0 { return false }; return true }.count
            let newCount = hunk.filter { if case .delete = $0 { return false }; return true }.count
            out += paint("@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@", "36", color) + "\n"
            for edit in hunk {
                switch edit {
                case .equal(let o, _): out += line(" ", oldLines[o], nil, color)
                case .delete(let o): out += line("-", oldLines[o], "31", color)
                case .insert(let n): out += line("+", newLines[n], "32", color)
                }
            }
        }
        return out
    }

    private func terminated(_ text: String) -> String {
        text.isEmpty || TextDiff.endsWithNewline(text) ? text : text + "\n"
    }

    /// One diff line; a line without a terminator is followed by GNU diff's marker.
    private func line(_ sign: String, _ text: String, _ code: String?, _ color: Bool) -> String {
        let terminated = TextDiff.endsWithNewline(text)
        let body = terminated ? String(text.dropLast()) : text
        let shown = code.map { paint(sign + body, $0, color) } ?? sign + body
        return shown + "\n" + (terminated ? "" : "\\ No newline at end of file\n")
    }

    /// Word diff: changed lines shown once with `[-removed-]{+added+}` (or colour) inside them.
    public func renderWords(color: Bool) -> String {
        let pieces = TextDiff.wordPieces(old: old, new: new)
        var lines: [(text: String, changed: Bool)] = [("", false)]
        // Lines follow the new text. Whole added or removed lines get lines of their own;
        // a line break added or removed inside a line is shown as a marked ↵.
        for piece in pieces {
            let atLineStart = lines[lines.count - 1].text.isEmpty
            if piece.kind != .equal, atLineStart, piece.text.hasSuffix("\n") {
                for line in piece.text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
                    lines[lines.count - 1] = (mark(String(line), piece.kind, color: color), true)
                    lines.append(("", false))
                }
                continue
            }
            switch piece.kind {
            case .delete:
                let shown = piece.text.replacingOccurrences(of: "\n", with: "↵")
                lines[lines.count - 1].text += mark(shown, .delete, color: color)
                lines[lines.count - 1].changed = true
            case .insert, .equal:
                let segments = piece.text.split(separator: "\n", omittingEmptySubsequences: false)
                for (index, segment) in segments.enumerated() {
                    let isLast = index == segments.count - 1
                    let text = String(segment) + (piece.kind == .insert && !isLast ? "↵" : "")
                    if !text.isEmpty {
                        lines[lines.count - 1].text += mark(text, piece.kind, color: color)
                        if piece.kind == .insert { lines[lines.count - 1].changed = true }
                    }
                    if !isLast { lines.append(("", false)) }
                }
            }
        }
        if lines.count > 1, lines[lines.count - 1].text.isEmpty, !lines[lines.count - 1].changed { lines.removeLast() }
        var out = header(color: color)
        let changed = lines.indices.filter { lines[$0].changed }
        var shown = Set<Int>()
        for index in changed {
            for near in max(0, index - context)...min(lines.count - 1, index + context) { shown.insert(near) }
        }
        var previous: Int?
        for index in shown.sorted() {
            if previous.map({ index != $0 + 1 }) ?? true { out += paint("@@ line \(index + 1) @@", "36", color) + "\n" }
            out += lines[index].text + "\n"
            previous = index
        }
        return out
    }

    private func header(color: Bool) -> String {
        paint("--- \(oldName)", "1", color) + "\n" + paint("+++ \(newName)", "1", color) + "\n"
    }

    private func mark(_ text: String, _ kind: DiffPiece.Kind, color: Bool) -> String {
        switch kind {
        case .equal: return text
        case .delete: return color ? paint(text, "1;31;7", true) : "[-\(text)-]"
        case .insert: return color ? paint(text, "1;32;7", true) : "{+\(text)+}"
        }
    }

    private func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : (count == 1 ? "\(start + 1)" : "\(start + 1),\(count)")
    }

    /// Groups edits into hunks of changes with `context` equal lines around them.
    private func hunkRanges(_ edits: [DiffEdit]) -> [ClosedRange<Int>] {
        let changes = edits.indices.filter { if case .equal = edits[$0] { return false }; return true }
        guard !changes.isEmpty else { return [] }
        var groups: [ClosedRange<Int>] = []
        for index in changes {
            let range = max(0, index - context)...min(edits.count - 1, index + context)
            if let last = groups.last, range.lowerBound <= last.upperBound + 1 {
                groups[groups.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                groups.append(range)
            }
        }
        return groups
    }

    private func paint(_ text: String, _ code: String, _ color: Bool) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
