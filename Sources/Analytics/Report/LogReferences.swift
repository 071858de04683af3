import Diagnostics
import PromptCatalog

/// `log-unknown-version` and `log-unknown-block`: log records naming a version or an
/// action block the catalog does not have (a block by its id or as `<package>:<id>`), by file and line (the first
/// `FileLogSummary.reportedPerFile` per file, then a count).
public enum LogReferences {
    public static func diagnostics(_ ingest: LogIngest, catalog: Catalog) -> [Diagnostic] {
        let versions = catalog.versionsByReference()
        // Sorted: `closestMatch` keeps the first of equally close names, and a hashed collection's
        // order changes from run to run (two builds of the same content would suggest different names).
        let versionNames = versions.keys.sorted(), blockNames = Set(catalog.blocks.map(\.id)).sorted()
        var diagnostics: [Diagnostic] = []
        for file in ingest.files {
            var versionRecords: [String: Int] = [:]
            for (cell, aggregate) in file.summary.summary.cells where !cell.version.isEmpty { versionRecords[cell.version, default: 0] += aggregate.total }
            diagnostics += report(file: file.path, lines: file.summary.versionLines, records: versionRecords, known: { versions[$0] != nil },
                                  code: "log-unknown-version") { name in
                let message = name.contains("@") ? "no version `\(name)` in the catalog" : "`\(name)` is not a version reference (`<family>@<N>`)"
                let hint = closestMatch(to: name, in: versionNames).map { "did you mean `\($0)`?" }
                    ?? "write `version` as `<family>@<N>` naming an existing prompts/<family>/v<N>.prompt"
                return (message, hint)
            }
            diagnostics += report(file: file.path, lines: file.summary.blockLines, records: file.summary.summary.blocks.mapValues(\.total),
                                  known: { catalog.block(loggedAs: $0) != nil }, code: "log-unknown-block") { name in
                let packaged = name.split(separator: ":", maxSplits: 1).map(String.init)
                if packaged.count == 2, let block = catalog.block(packaged[1]) {
                    return ("no action block `\(name)`: block `\(packaged[1])` is in \(block.package.map { "package `\($0)`" } ?? "a library, not a package")",
                            block.package.map { "write `\($0):\(packaged[1])`, or just `\(packaged[1])`" } ?? "write `\(packaged[1])`")
                }
                return ("no action block `\(name)` in action-blocks/",
                        closestMatch(to: name, in: blockNames).map { "did you mean `\($0)`?" } ?? "name a block id from action-blocks/**/*.json, or `<package>:<id>`")
            }
        }
        if let database = ingest.database {
            var versionRecords: [String: Int] = [:]
            for (cell, aggregate) in database.summary.cells where !cell.version.isEmpty { versionRecords[cell.version, default: 0] += aggregate.total }
            diagnostics += databaseUnknown(database, records: versionRecords, known: { versions[$0] != nil }, code: "log-unknown-version",
                                           what: ("names a version", "name versions"),
                                           hint: "add the versions under prompts/<family>/v<N>.prompt, or check the preset's `family@N` mapping")
            diagnostics += databaseUnknown(database, records: database.summary.blocks.mapValues(\.total), known: { catalog.block(loggedAs: $0) != nil },
                                           code: "log-unknown-block", what: ("names an action block", "name action blocks"),
                                           hint: "name a block id from action-blocks/**/*.json, or `<package>:<id>`")
        }
        return diagnostics
    }

    /// The database has no lines to point at: one diagnostic at `logs.postgres` in Site.json, with
    /// how many generations name what the catalog does not have, and the first names.
    static func databaseUnknown(_ database: DatabaseLogs, records: [String: Int], known: (String) -> Bool, code: String,
                                what: (one: String, many: String), hint: String) -> [Diagnostic] {
        let unknown = records.filter { !$0.key.isEmpty && !known($0.key) }
        guard !unknown.isEmpty, let location = database.location else { return [] }
        let total = unknown.values.reduce(0, +)
        let names = unknown.keys.sorted().prefix(5).map { "`\($0)`" }.joined(separator: ", ")
        return [.warning(code,
                         "\(database.section): \(total) generation\(total == 1 ? " \(what.one)" : "s \(what.many)") not in the catalog (\(unknown.count): \(names)\(unknown.count > 5 ? ", …" : ""))",
                         at: location, hint: hint)]
    }

    private static func report(file: String, lines: [String: [Int]], records: [String: Int], known: (String) -> Bool, code: String,
                               describe: (String) -> (message: String, hint: String)) -> [Diagnostic] {
        let unknown = lines.keys.filter { !known($0) }
        guard !unknown.isEmpty else { return [] }
        let located = unknown.flatMap { name in lines[name, default: []].map { (line: $0, name: name) } }.sorted { $0.line < $1.line }
        let shown = located.prefix(FileLogSummary.reportedPerFile)
        var descriptions: [String: (message: String, hint: String)] = [:]
        var diagnostics = shown.map { item in
            let description = descriptions[item.name] ?? describe(item.name)
            descriptions[item.name] = description
            return Diagnostic.warning(code, description.message, at: SourceLocation(file: file, line: item.line, column: nil), hint: description.hint)
        }
        let total = unknown.reduce(0) { $0 + (records[$1] ?? 0) }
        if total > shown.count {
            let names = unknown.sorted().prefix(5).map { "`\($0)`" }.joined(separator: ", ")
            diagnostics.append(.warning(code, "\(total - shown.count) more record\(total - shown.count == 1 ? "" : "s") in this file name unknown values (\(names)\(unknown.count > 5 ? ", …" : ""))",
                                        at: SourceLocation(file: file), hint: "only the first \(FileLogSummary.reportedPerFile) are listed by line"))
        }
        return diagnostics
    }
}
