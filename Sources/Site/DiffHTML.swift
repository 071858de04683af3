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
/// word by word, unless it keeps less than half its words in order: then the pair reads as
/// rewritten, its whole old line deleted and its whole new line inserted
/// (`TextDiff.pairedLineDiff`). Lines without a partner are whole-line deletions or insertions.
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
        guard old != new else { return noChanges("diff diff-inline", columns: 4) }
        return inline(LineDiff(old: old, new: new))
    }

    /// Both tables and the counts from one line diff: what a version page needs.
    public static func render(old: String, new: String) -> (sideBySide: String, inline: String, stats: DiffStats) {
        guard old != new else { return (sideBySide(old: old, new: new), inline(old: old, new: new), stats(old: old, new: new)) }
        let diff = LineDiff(old: old, new: new)
        return (sideBySide(diff), inline(diff), stats(diff.items))
    }

    private static func inline(_ diff: LineDiff) -> String {
        var table = Table("diff diff-inline", capacity: diff.tableBytes)
        for item in diff.items {
            switch item {
            case .equal(let oldNumber, let newNumber, let text):
                table.row("eq", .number(oldNumber), .number(newNumber), .fixed("sign", ""), .text("text", text))
            case .skip(let count):
                table.skipRow(count, columns: 4)
            case .block(let block):
                for pair in block.pairs {
                    table.row("del", .number(pair.old.number), .number(nil), .fixed("sign", "-"), .side("text", pair.old, pair.diff.pieces, .delete))
                }
                for line in block.deleted {
                    table.row("del", .number(line.number), .number(nil), .fixed("sign", "-"), .whole("text", line))
                }
                for pair in block.pairs {
                    table.row("ins", .number(nil), .number(pair.new.number), .fixed("sign", "+"), .side("text", pair.new, pair.diff.pieces, .insert))
                }
                for line in block.inserted {
                    table.row("ins", .number(nil), .number(line.number), .fixed("sign", "+"), .whole("text", line))
                }
            }
        }
        return table.html
    }

    /// Side-by-side diff <table class="diff diff-side">: old on the left, new on the right, aligned; changed pairs
    /// on the same row with word-level <del>/<ins>; pure insertions/deletions against an empty cell.
    public static func sideBySide(old: String, new: String) -> String {
        guard old != new else { return noChanges("diff diff-side", columns: 4) }
        return sideBySide(LineDiff(old: old, new: new))
    }

    private static func sideBySide(_ diff: LineDiff) -> String {
        var table = Table("diff diff-side", capacity: diff.tableBytes)
        for item in diff.items {
            switch item {
            case .equal(let oldNumber, let newNumber, let text):
                table.row("eq", .number(oldNumber), .text("text old", text), .number(newNumber), .text("text new", text))
            case .skip(let count):
                table.skipRow(count, columns: 4)
            case .block(let block):
                for pair in block.pairs {
                    table.row("change", .number(pair.old.number), .side("text old del", pair.old, pair.diff.pieces, .delete),
                              .number(pair.new.number), .side("text new ins", pair.new, pair.diff.pieces, .insert))
                }
                for line in block.deleted {
                    table.row("del", .number(line.number), .whole("text old del", line), .number(nil), .fixed("text new empty", ""))
                }
                for line in block.inserted {
                    table.row("ins", .number(nil), .fixed("text old empty", ""), .number(line.number), .whole("text new ins", line))
                }
            }
        }
        return table.html
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
                deleted += pair.diff.wordsDeleted
                inserted += pair.diff.wordsInserted
            }
            deleted += block.deleted.map { TextDiff.wordCount($0.text) }.reduce(0, +)
            inserted += block.inserted.map { TextDiff.wordCount($0.text) }.reduce(0, +)
        }
        return DiffStats(linesAdded: added, linesRemoved: removed, wordsInserted: inserted, wordsDeleted: deleted)
    }

    // MARK: Markup

    private static func noChanges(_ classes: StaticString, columns: Int) -> String {
        var table = Table(classes, capacity: 128)
        table.noChangesRow(columns: columns)
        return table.html
    }

    /// A cell of a row: `<td class="…">…</td>`.
    private enum Cell {
        /// A line number (`num`), empty for a line on the other side only.
        case number(Int?)
        /// Markup of the build's own: a sign, or nothing.
        case fixed(StaticString, StaticString)
        /// Escaped text.
        case text(StaticString, String)
        /// A whole added or removed line; the row's class marks it, so the words are not wrapped again.
        case whole(StaticString, LineDiff.Line)
        /// One side of a paired line: its kept words plain, its own changes wrapped.
        case side(StaticString, LineDiff.Line, [DiffPiece], DiffPiece.Kind)
    }

    /// A table written row by row into one buffer: `<table class="…"><tbody>`, the rows one
    /// a line, `</tbody></table>`.
    private struct Table {
        private var buffer: HTMLBuffer
        private var rows = 0

        init(_ classes: StaticString, capacity: Int) {
            buffer = HTMLBuffer(capacity: capacity)
            buffer.append("<table class=\"")
            buffer.append(classes)
            buffer.append("\"><tbody>\n")
        }

        var html: String {
            var buffer = buffer
            buffer.append("\n</tbody></table>")
            return buffer.string
        }

        mutating func row(_ kind: StaticString, _ first: Cell, _ second: Cell, _ third: Cell, _ fourth: Cell) {
            startRow()
            buffer.append("<tr class=\"")
            buffer.append(kind)
            buffer.append("\">")
            append(first)
            append(second)
            append(third)
            append(fourth)
            buffer.append("</tr>")
        }

        mutating func noChangesRow(columns: Int) {
            startRow()
            buffer.append("<tr class=\"unchanged\"><td colspan=\"")
            buffer.append(columns)
            buffer.append("\">No changes</td></tr>")
        }

        mutating func skipRow(_ count: Int, columns: Int) {
            startRow()
            buffer.append("<tr class=\"skip\"><td colspan=\"")
            buffer.append(columns)
            buffer.append("\">⋯ ")
            buffer.append(count)
            buffer.append(count == 1 ? " unchanged line hidden</td></tr>" : " unchanged lines hidden</td></tr>")
        }

        private mutating func startRow() {
            if rows > 0 { buffer.append("\n") }
            rows += 1
        }

        private mutating func append(_ cell: Cell) {
            switch cell {
            case .number(let line):
                buffer.append("<td class=\"num\">")
                if let line { buffer.append(line) }
            case .fixed(let classes, let content):
                open(classes)
                buffer.append(content)
            case .text(let classes, let text):
                open(classes)
                buffer.append(escaping: text)
            case .whole(let classes, let line):
                open(classes)
                buffer.append(escaping: line.text)
                noNewlineMark(line)
            case .side(let classes, let line, let pieces, let kind):
                open(classes)
                for piece in pieces where piece.kind == .equal || piece.kind == kind {
                    switch piece.kind {
                    case .equal: buffer.append(escaping: piece.text)
                    case .delete:
                        buffer.append("<del>")
                        buffer.append(escaping: piece.text)
                        buffer.append("</del>")
                    case .insert:
                        buffer.append("<ins>")
                        buffer.append(escaping: piece.text)
                        buffer.append("</ins>")
                    }
                }
                noNewlineMark(line)
            }
            buffer.append("</td>")
        }

        private mutating func open(_ classes: StaticString) {
            buffer.append("<td class=\"")
            buffer.append(classes)
            buffer.append("\">")
        }

        private mutating func noNewlineMark(_ line: LineDiff.Line) {
            if line.missingNewline { buffer.append(" <span class=\"no-newline\">(no newline at end of file)</span>") }
        }
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
        let diff: WordDiff
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
    /// The bytes of both texts, to estimate the size of a table from.
    let textBytes: Int
    /// About the size of either table: the texts and the markup of every row.
    var tableBytes: Int { textBytes + textBytes / 4 + 160 * items.count + 64 }

    /// - context: unchanged lines kept on each side of a change; nil keeps all.
    init(old: String, new: String, context: Int? = 3) {
        // A missing final line break only matters when the texts disagree about it.
        let agree = TextDiff.endsWithNewline(old) == TextDiff.endsWithNewline(new)
        let oldLines = TextDiff.lines(agree ? Self.terminated(old) : old)
        let newLines = TextDiff.lines(agree ? Self.terminated(new) : new)
        func line(_ lines: [String], _ index: Int) -> Line {
            let text = TextDiff.withoutLineBreak(lines[index])
            return Line(number: index + 1, text: text ?? lines[index], missingNewline: text == nil)
        }

        var items: [Item] = []
        var deletes: [Line] = [], inserts: [Line] = []
        func flush() {
            guard !deletes.isEmpty || !inserts.isEmpty else { return }
            let paired = min(deletes.count, inserts.count)
            var block = Block()
            for index in 0..<paired {
                let diff = TextDiff.pairedLineDiff(old: deletes[index].text, new: inserts[index].text)
                block.pairs.append(Pair(old: deletes[index], new: inserts[index], diff: diff))
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
        textBytes = old.utf8.count + new.utf8.count
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
