import Foundation

/// `promptsite import blocks` as a plan (SPEC §2.4): for every unversioned action
/// block, the two files of a new family `prompts/block-<id>/` that versions it.
/// Pure: a catalog in, files out; writing is the command's job.
public enum BlockImport {
    /// One file to write, relative to the content directory.
    public struct PlannedFile: Hashable, Sendable {
        public let path: String
        public let contents: String
    }

    /// A block that is unversioned but not imported, and why.
    public struct Skipped: Hashable, Sendable {
        public let block: String
        public let folder: String
        public let reason: String
    }

    public struct Plan: Hashable, Sendable {
        public let files: [PlannedFile]
        public let skipped: [Skipped]
    }

    /// The plan for `catalog`. `existingFolders` are folder names under `prompts/` that
    /// exist on disk (with or without family.yaml); they are never overwritten.
    public static func plan(_ catalog: Catalog, existingFolders: Set<String> = []) -> Plan {
        let versioned = Set(catalog.families.compactMap(\.actionBlock))
        var taken = existingFolders.union(catalog.families.map(\.slug))
        var files: [PlannedFile] = []
        var skipped: [Skipped] = []
        var seen = Set<String>()
        var plannedHere = Set<String>()
        for block in catalog.blocks where seen.insert(block.id).inserted && !versioned.contains(block.id) {
            var folder = slug(for: block.id)
            // Ids that differ only in case or `_`/`-` (`A_b`, `a-b`) share a slug: the later ones
            // get `-2`, `-3`… (a rerun finds them versioned). A folder that was there before is
            // never written into: that block is skipped.
            if plannedHere.contains(folder) {
                let base = String(folder.prefix(96))
                var number = 2
                while taken.contains("\(base)-\(number)") { number += 1 }
                folder = "\(base)-\(number)"
            }
            guard taken.insert(folder).inserted else {
                skipped.append(Skipped(block: block.id, folder: "prompts/\(folder)", reason: "prompts/\(folder) already exists"))
                continue
            }
            plannedHere.insert(folder)
            files.append(PlannedFile(path: "prompts/\(folder)/family.yaml", contents: familyFile(block)))
            files.append(PlannedFile(path: "prompts/\(folder)/v1.prompt", contents: versionFile(block)))
        }
        return Plan(files: files, skipped: skipped)
    }

    /// `block-` + the id lowercased, `_` as `-`, other characters outside `[a-z0-9-]` removed,
    /// at most 100 characters (the family slug rule of SPEC §2.1).
    public static func slug(for id: String) -> String {
        let cleaned = id.lowercased().replacingOccurrences(of: "_", with: "-").filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return String(("block-" + cleaned).prefix(100))
    }

    /// `bench_sit_closer` → `Bench Sit Closer`.
    public static func title(for id: String) -> String {
        id.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    static func familyFile(_ block: ActionBlock) -> String {
        let tags = [block.tags.location.map { "location:\($0.value)" }, block.tags.mood.map { "mood:\($0.value)" }].compactMap { $0 }
        var lines = [
            "title: \(quoted(title(for: block.id)))",
            "prompt_type: visual",
        ]
        if !tags.isEmpty { lines.append("tags: [\(tags.map(quoted).joined(separator: ", "))]") }
        lines += [
            "action_block: \(quoted(block.id))",
            "labels:",
            "  production: 1",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Front matter, then the prompt exactly; the final newline is the one the loader drops.
    static func versionFile(_ block: ActionBlock) -> String {
        var lines = ["---", "version: 1", "message: \(quoted("Imported from \(block.file)"))"]
        let paths = block.prompt.variablePaths
        if !paths.isEmpty {
            lines.append("variables:")
            lines += paths.map { "  \($0): { type: string, max_length: 60 }" }
        }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + block.prompt.source + "\n"
    }

    /// A YAML double-quoted scalar that reads back as `text` (JSON string escaping, which YAML
    /// accepts); also how program pages show a string value. Besides `"` and `\`, every character
    /// YAML does not take as printable (C0 and C1 controls, DEL) or reads as a line break inside
    /// quotes (U+0085, U+2028, U+2029), and a byte-order mark, is written as an escape.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(value) {
                    result += String(format: "\\u%04X", value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
