import Diagnostics
import Foundation
import TextDiff

/// The review as Markdown (a pull-request comment: the summary first, the details folded) or JSON.
public enum ReviewFormat: String, Sendable, CaseIterable {
    case markdown, json, html
}

extension ReviewReport {
    /// One line: what changed, counted.
    public var summaryLine: String {
        var parts: [String] = []
        func count(_ number: Int, _ one: String, _ many: String) { if number > 0 { parts.append("\(number) \(number == 1 ? one : many)") } }
        count(textChanges.count, "version changes text", "versions change text")
        count(labelMoves.count, "label moved", "labels moved")
        count(versionsAdded.count, "version added", "versions added")
        count(versionsRemoved.count, "version removed", "versions removed")
        count(familiesAdded.count, "family added", "families added")
        count(familiesRemoved.count, "family removed", "families removed")
        count(newlyOver.count, "length newly over a limit", "lengths newly over a limit")
        return parts.isEmpty ? "no changes to the catalog" : parts.joined(separator: " · ")
    }

    /// GitHub refuses a comment longer than 65,536 characters (the sticky-comment step then posts
    /// nothing): the lists are cut to keep the comment under this many UTF-16 code units.
    public static let commentLimit = 60_000

    public func markdown(limit: Int = ReviewReport.commentLimit) -> String {
        var out = "## Prompt review against \(markdownCode(base)) (`\(baseCommit.prefix(12))`)\n\n"
        let added = DiagnosticSummary(addedDiagnostics), fixed = fixedDiagnostics.count
        if addsErrors {
            out += "❌ **This change adds \(added.errors) error\(added.errors == 1 ? "" : "s").**"
        } else if fails {
            out += "❌ **This change adds \(added.warnings) warning\(added.warnings == 1 ? "" : "s") (Site.json `checks.strict`).**"
        } else {
            out += "✅ No new errors."
        }
        out += " \(added.warnings) new warning\(added.warnings == 1 ? "" : "s"), \(fixed) fixed.\n\n"
        out += summaryLine + "\n"
        for note in notes { out += "\n> ⚠️ \(escapeMarkdown(note))\n" }
        // What is left for the lists, after the header and room for the sections' own lines.
        var budget = limit - out.utf16.count - 3_000
        func fit(_ items: [String], separator: String = "\n") -> String {
            var kept = 0, used = 0
            for item in items {
                let cost = item.utf16.count + separator.utf16.count
                guard used + cost <= budget else { break }
                kept += 1
                used += cost
            }
            budget -= used
            let rest = items.count - kept
            return items.prefix(kept).joined(separator: separator)
                + (rest > 0 ? "\(kept > 0 ? separator : "")… and \(rest) more, left out to fit a pull-request comment (the whole report: `promptsite review --format json` or `--format html`)" : "")
        }
        if !newlyOver.isEmpty {
            out += "\n**Newly over a limit:** " + fit(newlyOver.map { "\(markdownCode($0.version)) on \(escapeMarkdown($0.provider)) (\(over($0)))" }, separator: ", ") + "\n"
        }
        if !textChanges.isEmpty {
            out += details("Changed text (\(textChanges.count))") {
                fit(textChanges.map { change in
                    "**\(markdownCode(change.version))** — \(change.how(code: { markdownCode($0) }))\n\n<pre>\(wordDiffHTML(change.pieces))</pre>\n"
                })
            }
        }
        if !labelMoves.isEmpty {
            out += details("Labels moved (\(labelMoves.count))") {
                "| family | label | from | to |\n| --- | --- | --- | --- |\n"
                    + fit(labelMoves.map { "| \(markdownCode($0.family, inTable: true)) | \(escapeMarkdown($0.label, inTable: true)) | \($0.from.map { "v\($0)" } ?? "—") | \($0.to.map { "v\($0)" } ?? "removed") |" }) + "\n"
            }
        }
        if !metrics.isEmpty {
            out += details("Current metrics of relabelled versions") {
                "| version | generations | success |\n| --- | --- | --- |\n"
                    + fit(metrics.map { "| \(markdownCode($0.version, inTable: true)) | \($0.generations) | \($0.successRate.map { String(format: "%.1f%%", $0 * 100) } ?? "—") |" }) + "\n"
            }
        }
        if !lengthChanges.isEmpty {
            out += details("Lengths (\(lengthChanges.count))") {
                "| version | provider | limit | example | worst case | |\n| --- | --- | --- | --- | --- | --- |\n"
                    + fit(lengthChanges.map { change in
                        "| \(markdownCode(change.version, inTable: true)) | \(escapeMarkdown(change.provider, inTable: true)) | \(change.limit.map(String.init) ?? "none") | \(change.exampleBefore) → \(change.exampleAfter) | \(change.worstCaseText) | \(change.newlyOver ? "⚠️ newly over" : "") |"
                    }) + "\n"
            }
        }
        let addedOrRemoved = [("Versions added", versionsAdded), ("Versions removed", versionsRemoved), ("Families added", familiesAdded), ("Families removed", familiesRemoved)]
            .filter { !$0.1.isEmpty }
        if !addedOrRemoved.isEmpty {
            out += details("Added and removed") {
                addedOrRemoved.map { "\($0.0): " + fit($0.1.map { "\(markdownCode($0))" }, separator: ", ") }.joined(separator: "\n\n") + "\n"
            }
        }
        if !diagnostics.isEmpty {
            out += details("Diagnostics: \(addedDiagnostics.count) new, \(fixed) fixed") {
                diagnostics.map { change in
                    "**\(markdownCode(change.code))** +\(change.added.count) −\(change.fixed.count)\n"
                        + fit(change.added.map { "- new \($0.level.rawValue) at \(markdownCode($0.location?.description ?? "-")): \(escapeMarkdown($0.message))" }
                            + change.fixed.map { "- fixed \($0.level.rawValue) at \(markdownCode($0.location?.description ?? "-")): \(escapeMarkdown($0.message))" }) + "\n"
                }.joined(separator: "\n")
            }
        }
        return out
    }

    public func json() -> JSONValue {
        .object([
            ("base", .string(base)), ("base_commit", .string(baseCommit)), ("adds_errors", .bool(addsErrors)), ("fails", .bool(fails)), ("notes", .array(notes.map(JSONValue.string))), ("summary", .string(summaryLine)),
            ("families_added", .array(familiesAdded.map(JSONValue.string))), ("families_removed", .array(familiesRemoved.map(JSONValue.string))),
            ("versions_added", .array(versionsAdded.map(JSONValue.string))), ("versions_removed", .array(versionsRemoved.map(JSONValue.string))),
            ("labels_moved", .array(labelMoves.map { move in
                .object([("family", .string(move.family)), ("label", .string(move.label)), ("from", .optional(move.from)), ("to", .optional(move.to))])
            })),
            ("text_changes", .array(textChanges.map { change in
                .object([("version", .string(change.version)), ("direct", .bool(change.direct)), ("through", .array(change.through.map(JSONValue.string))), ("unresolved_includes", .array(change.unresolved.map(JSONValue.string))),
                         ("before", .string(change.before)), ("after", .string(change.after)),
                         ("inserted", .array(TextDiff.changedWords(old: change.before, new: change.after).inserted.map(JSONValue.string))),
                         ("deleted", .array(TextDiff.changedWords(old: change.before, new: change.after).deleted.map(JSONValue.string)))])
            })),
            ("lengths", .array(lengthChanges.map { change in
                .object([("version", .string(change.version)), ("provider", .string(change.provider)), ("limit", .optional(change.limit)),
                         ("example_before", .int(change.exampleBefore)), ("example_after", .int(change.exampleAfter)),
                         ("worst_case_before", change.worstBefore.map(JSONValue.int) ?? .null), ("worst_case_after", change.worstAfter.map(JSONValue.int) ?? .null),
                         ("newly_over", .bool(change.newlyOver))])
            })),
            ("diagnostics", .array(diagnostics.map { change in
                .object([("code", .string(change.code)), ("added", .array(change.added.map(diagnosticJSON))), ("fixed", .array(change.fixed.map(diagnosticJSON)))])
            })),
            ("metrics", .array(metrics.map { summary in
                .object([("version", .string(summary.version)), ("generations", .int(summary.generations)),
                         ("success_rate", summary.successRate.map(JSONValue.double) ?? .null)])
            })),
        ])
    }

    private func diagnosticJSON(_ diagnostic: Diagnostic) -> JSONValue {
        .object([("level", .string(diagnostic.level.rawValue)), ("location", .optional(diagnostic.location?.description)),
                 ("message", .string(diagnostic.message))])
    }

    private func over(_ change: LengthChange) -> String {
        guard let limit = change.limit else { return "" }
        return change.exampleAfter > limit ? "example \(change.exampleAfter) > \(limit)" : "worst case \(change.worstAfter.map(String.init) ?? "unknown") > \(limit)"
    }

    private func details(_ summary: String, _ body: () -> String) -> String {
        "\n<details><summary>\(summary)</summary>\n\n\(body())\n</details>\n"
    }
}

/// `<del>`/`<ins>` around changed words, the rest escaped: for `<pre>` in a PR comment or a page.
public func wordDiffHTML(_ pieces: [DiffPiece]) -> String {
    pieces.map { piece in
        let text = escapeHTML(piece.text)
        switch piece.kind {
        case .equal: return text
        case .delete: return "<del>\(text)</del>"
        case .insert: return "<ins>\(text)</ins>"
        }
    }.joined()
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// A message on one line of the comment: line breaks and other controls become spaces (a name
/// holding `\n\n## ✅` ended the list item and wrote a heading). Code spans are found as
/// CommonMark finds them — a run of backticks closed by the next run of the same length — and
/// kept; inside them nothing is read. Outside them, the punctuation Markdown reads (links,
/// emphasis, tables) is escaped with a backslash, what would become HTML with entities, and a
/// backtick run that closes nothing is shown as `'`, so no span opens elsewhere than here.
/// `inTable`: the text is a table cell, where GFM splits at `|` even inside code spans, so
/// those are escaped too (the table reads `\|` as a pipe inside a span).
func escapeMarkdown(_ text: String, inTable: Bool = false) -> String {
    let line = oneLine(text)
    // Backtick runs: where each starts and how long it is.
    var runs: [(start: Int, length: Int)] = []
    var index = 0
    while index < line.count {
        guard line[index] == "`" else {
            index += 1
            continue
        }
        let start = index
        while index < line.count, line[index] == "`" { index += 1 }
        runs.append((start, index - start))
    }
    // The next run of the same length after each run (found from the end once: looking forward
    // from every run took time quadratic in the runs).
    var nextOfLength = [Int?](repeating: nil, count: runs.count)
    var laterByLength: [Int: Int] = [:]
    for run in runs.indices.reversed() {
        nextOfLength[run] = laterByLength[runs[run].length]
        laterByLength[runs[run].length] = run
    }
    // Each run that opens a span, with its length and where its closing run starts.
    var spans: [Int: (open: Int, contentEnd: Int, closeLength: Int)] = [:]
    var run = 0
    while run < runs.count {
        if let close = nextOfLength[run] {
            spans[runs[run].start] = (runs[run].length, runs[close].start, runs[close].length)
            run = close + 1
        } else {
            run += 1
        }
    }
    var out = ""
    index = 0
    while index < line.count {
        if let span = spans[index] {
            let open = span.open
            out += String(repeating: "`", count: open)
            for character in line[(index + open)..<span.contentEnd] {
                out += inTable && character == "|" ? "\\|" : String(character)
            }
            out += String(repeating: "`", count: span.closeLength)
            index = span.contentEnd + span.closeLength
            continue
        }
        switch line[index] {
        case "`": out += "'"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "&": out += "&amp;"
        case "\\", "*", "_", "[", "]", "|", "~": out += "\\" + String(line[index])
        default: out.append(line[index])
        }
        index += 1
    }
    return out
}

/// The text's characters on one line: line breaks and other controls become spaces.
private func oneLine(_ text: String) -> [Character] {
    text.map { character -> Character in
        character.isNewline || character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : character
    }
}

/// Inline code holding any text from the content: on one line, and with no backtick to end it
/// early (a backtick becomes `'`). `<` and `&` stay as they are: code spans show them as written.
/// `inTable`: a table cell, whose `|` is escaped (GFM splits cells at it even inside code spans).
func markdownCode(_ text: String, inTable: Bool = false) -> String {
    let line = String(oneLine(text).map { $0 == "`" ? "'" : $0 })
    return "`" + (inTable ? line.replacingOccurrences(of: "|", with: "\\|") : line) + "`"
}
