import TextDiff

/// Counts for a diff's summary line.
public struct DiffStats: Equatable, Sendable {
    public let linesAdded, linesRemoved, wordsInserted, wordsDeleted: Int

    public init(linesAdded: Int, linesRemoved: Int, wordsInserted: Int, wordsDeleted: Int) {
        self.linesAdded = linesAdded
        self.linesRemoved = linesRemoved
        self.wordsInserted = wordsInserted
        self.wordsDeleted = wordsDeleted
    }
}

/// Line diffs as HTML tables, with word-level `<del>`/`<ins>` inside changed lines.
///
/// Lines are compared with the shortest edit script; within each changed block the
/// n-th deleted line is paired with the n-th inserted line and the pair is diffed
/// word by word. Lines without a partner are whole-line deletions or insertions.
/// More than three unchanged lines away from any change collapse into one
/// `<tr class="skip">` row. All text is escaped; cells keep the line's spacing only
/// if the theme sets `white-space: pre-wrap`.
///
/// Row classes: `eq` (unchanged), `del`, `ins`, `change` (side by side: a paired line),
/// `skip` (hidden unchanged lines), `unchanged` (the single "No changes" row).
public enum DiffHTML {
    /// Inline (unified) diff as an HTML <table class="diff diff-inline">: one row per line with old/new line numbers,
    /// a sign cell, and the line text; changed line pairs get word-level <del>/<ins> highlights within the line.
    ///
    /// A changed block shows its old lines (`tr.del`) first, then its new lines (`tr.ins`),
    /// as a unified diff does: a one-line change is one `del` row and one `ins` row.
    public static func inline(old: String, new: String) -> String {
        guard old != new else { return table("diff diff-inline", [noChanges(columns: 4)]) }
        return inline(LineDiff(old: old, new: new).items)
    }

    /// Both tables and the counts from one line diff: what a version page needs.
    public static func render(old: String, new: String) -> (sideBySide: String, inline: String, stats: DiffStats) {
        guard old != new else { return (sideBySide(old: old, new: new), inline(old: old, new: new), stats(old: old, new: new)) }
        let items = LineDiff(old: old, new: new).items
        return (sideBySide(items), inline(items), stats(items))
    }

    private static func inline(_ items: [LineDiff.Item]) -> String {
        var rows: [String] = []
        for item in items {
            switch item {
            case .equal(let oldNumber, let newNumber, let text):
                rows.append(row("eq", [number(oldNumber), number(newNumber), cell("sign", ""), cell("text", escaped(text))]))
            case .skip(let count):
                rows.append(skipRow(count, columns: 4))
            case .block(let block):
                for pair in block.pairs {
                    rows.append(row("del", [number(pair.old.number), number(nil), cell("sign", "-"), cell("text", side(pair.old, pair.pieces, .delete))]))
                }
                for line in block.deleted {
                    rows.append(row("del", [number(line.number), number(nil), cell("sign", "-"), cell("text", whole(line))]))
                }
                for pair in block.pairs {
                    rows.append(row("ins", [number(nil), number(pair.new.number), cell("sign", "+"), cell("text", side(pair.new, pair.pieces, .insert))]))
                }
                for line in block.inserted {
                    rows.append(row("ins", [number(nil), number(line.number), cell("sign", "+"), cell("text", whole(line))]))
                }
            }
        }
        return table("diff diff-inline", rows)
    }

    /// Side-by-side diff <table class="diff diff-side">: old on the left, new on the right, aligned; changed pairs
    /// on the same row with word-level <del>/<ins>; pure insertions/deletions against an empty cell.
    public static func sideBySide(old: String, new: String) -> String {
        guard old != new else { return table("diff diff-side", [noChanges(columns: 4)]) }
        return sideBySide(LineDiff(old: old, new: new).items)
    }

    private static func sideBySide(_ items: [LineDiff.Item]) -> String {
        var rows: [String] = []
        for item in items {
            switch item {
            case .equal(let oldNumber, let newNumber, let text):
                let html = escaped(text)
                rows.append(row("eq", [number(oldNumber), cell("text old", html), number(newNumber), cell("text new", html)]))
            case .skip(let count):
                rows.append(skipRow(count, columns: 4))
            case .block(let block):
                for pair in block.pairs {
                    rows.append(row("change", [number(pair.old.number), cell("text old del", side(pair.old, pair.pieces, .delete)),
                                               number(pair.new.number), cell("text new ins", side(pair.new, pair.pieces, .insert))]))
                }
                for line in block.deleted {
                    rows.append(row("del", [number(line.number), cell("text old del", whole(line)), number(nil), cell("text new empty", "")]))
                }
                for line in block.inserted {
                    rows.append(row("ins", [number(nil), cell("text old empty", ""), number(line.number), cell("text new ins", whole(line))]))
                }
            }
        }
        return table("diff diff-side", rows)
    }

    /// Counts for a summary line: lines added/removed, words inserted/deleted.
    /// Words are counted from the same line pairs the tables highlight, so the numbers
    /// match what a reader sees; a word is a run of letters, digits, `_` or `'`.
    public static func stats(old: String, new: String) -> DiffStats {
        guard old != new else { return DiffStats(linesAdded: 0, linesRemoved: 0, wordsInserted: 0, wordsDeleted: 0) }
        return stats(LineDiff(old: old, new: new, context: nil).items)
    }

    /// Collapsing only hides equal lines, so the counts are the same with or without context.
    private static func stats(_ items: [LineDiff.Item]) -> DiffStats {
        var added = 0, removed = 0, inserted = 0, deleted = 0
        for case .block(let block) in items {
            removed += block.pairs.count + block.deleted.count
            added += block.pairs.count + block.inserted.count
            for pair in block.pairs {
                for piece in pair.pieces {
                    switch piece.kind {
                    case .equal: break
                    case .delete: deleted += wordCount(piece.text)
                    case .insert: inserted += wordCount(piece.text)
                    }
                }
            }
            deleted += block.deleted.map { wordCount($0.text) }.reduce(0, +)
            inserted += block.inserted.map { wordCount($0.text) }.reduce(0, +)
        }
        return DiffStats(linesAdded: added, linesRemoved: removed, wordsInserted: inserted, wordsDeleted: deleted)
    }

    // MARK: Markup

    private static func table(_ classes: String, _ rows: [String]) -> String {
        "<table class=\"\(classes)\"><tbody>\n" + rows.joined(separator: "\n") + "\n</tbody></table>"
    }

    private static func row(_ kind: String, _ cells: [String]) -> String {
        "<tr class=\"\(kind)\">" + cells.joined() + "</tr>"
    }

    private static func cell(_ classes: String, _ html: String) -> String {
        "<td class=\"\(classes)\">\(html)</td>"
    }

    private static func number(_ line: Int?) -> String {
        cell("num", line.map(String.init) ?? "")
    }

    private static func noChanges(columns: Int) -> String {
        "<tr class=\"unchanged\"><td colspan=\"\(columns)\">No changes</td></tr>"
    }

    private static func skipRow(_ count: Int, columns: Int) -> String {
        "<tr class=\"skip\"><td colspan=\"\(columns)\">⋯ \(count) unchanged line\(count == 1 ? "" : "s") hidden</td></tr>"
    }

    private static func escaped(_ text: String) -> String { HTML.escape(text) }

    /// One side of a paired line: its kept words plain, its own changes wrapped.
    private static func side(_ line: LineDiff.Line, _ pieces: [DiffPiece], _ kind: DiffPiece.Kind) -> String {
        var out = ""
        for piece in pieces where piece.kind == .equal || piece.kind == kind {
            let text = escaped(piece.text)
            switch piece.kind {
            case .equal: out += text
            case .delete: out += "<del>\(text)</del>"
            case .insert: out += "<ins>\(text)</ins>"
            }
        }
        return out + noNewlineMark(line)
    }

    /// A whole added or removed line; the row's class marks it, so the words are not wrapped again.
    private static func whole(_ line: LineDiff.Line) -> String {
        escaped(line.text) + noNewlineMark(line)
    }

    private static func noNewlineMark(_ line: LineDiff.Line) -> String {
        line.missingNewline ? " <span class=\"no-newline\">(no newline at end of file)</span>" : ""
    }

    private static func wordCount(_ text: String) -> Int {
        TextDiff.words(text).filter { $0.contains { $0.isLetter || $0.isNumber } }.count
    }
}

/// The line diff shared by both tables: unchanged lines, changed blocks, and collapsed stretches.
private struct LineDiff {
    struct Line {
        let number: Int
        /// Without its line break.
        let text: String
        /// The last line of a text that has no final line break while the other text has one.
        let missingNewline: Bool
    }

    struct Pair {
        let old: Line
        let new: Line
        let pieces: [DiffPiece]
    }

    struct Block {
        var pairs: [Pair] = []
        var deleted: [Line] = []
        var inserted: [Line] = []
    }

    enum Item {
        case equal(old: Int, new: Int, text: String)
        case block(Block)
        case skip(Int)
    }

    let items: [Item]

    /// - context: unchanged lines kept on each side of a change; nil keeps all.
    init(old: String, new: String, context: Int? = 3) {
        // A missing final line break only matters when the texts disagree about it.
        let agree = TextDiff.endsWithNewline(old) == TextDiff.endsWithNewline(new)
        let oldLines = TextDiff.lines(agree ? Self.terminated(old) : old)
        let newLines = TextDiff.lines(agree ? Self.terminated(new) : new)
        func line(_ lines: [String], _ index: Int) -> Line {
            let raw = lines[index]
            let terminated = TextDiff.endsWithNewline(raw)
            return Line(number: index + 1, text: terminated ? String(raw.dropLast()) : raw, missingNewline: !terminated)
        }

        var items: [Item] = []
        var deletes: [Line] = [], inserts: [Line] = []
        func flush() {
            guard !deletes.isEmpty || !inserts.isEmpty else { return }
            let paired = min(deletes.count, inserts.count)
            var block = Block()
            for index in 0..<paired {
                let pieces = TextDiff.wordPieces(old: deletes[index].text, new: inserts[index].text)
                block.pairs.append(Pair(old: deletes[index], new: inserts[index], pieces: pieces))
            }
            block.deleted = Array(deletes.dropFirst(paired))
            block.inserted = Array(inserts.dropFirst(paired))
            items.append(.block(block))
            deletes = []
            inserts = []
        }
        for edit in shortestEditScript(from: oldLines, to: newLines) {
            switch edit {
            case .equal(let o, let n):
                flush()
                items.append(.equal(old: o + 1, new: n + 1, text: line(oldLines, o).text))
            case .delete(let o): deletes.append(line(oldLines, o))
            case .insert(let n): inserts.append(line(newLines, n))
            }
        }
        flush()
        self.items = context.map { Self.collapsed(items, context: $0) } ?? items
    }

    private static func terminated(_ text: String) -> String {
        text.isEmpty || TextDiff.endsWithNewline(text) ? text : text + "\n"
    }

    /// Replaces unchanged lines more than `context` lines from any change with skip rows.
    /// A stretch is only collapsed when that hides at least two lines: a skip row for a
    /// single line takes as much room as the line.
    private static func collapsed(_ items: [Item], context: Int) -> [Item] {
        var result: [Item] = []
        var index = 0
        while index < items.count {
            guard case .equal = items[index] else {
                result.append(items[index])
                index += 1
                continue
            }
            var end = index
            while end < items.count, case .equal = items[end] { end += 1 }
            let keepBefore = index == 0 ? 0 : context
            let keepAfter = end == items.count ? 0 : context
            let hidden = (end - index) - keepBefore - keepAfter
            if hidden >= 2 {
                result += items[index..<(index + keepBefore)]
                result.append(.skip(hidden))
                result += items[(end - keepAfter)..<end]
            } else {
                result += items[index..<end]
            }
            index = end
        }
        return result
    }
}
