import Diagnostics
import PromptCatalog

/// version-mismatch, duplicate-version, missing-parent, parent-order, parent-cycle, label-target, empty-family.
enum VersionGraphRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        // Families with version files none of which could be read: those files have their errors,
        // and "has no versions, add v1.prompt" would send the author looking for a file that is there.
        let withVersionFiles = Set(context.catalog.files.compactMap(versionFileFamily))
        return context.catalog.families.flatMap { check($0, hasVersionFiles: withVersionFiles.contains(Substring($0.slug))) }
    }

    /// `prompts/<family>/v….prompt` → the family's folder name. An ASCII path is cut by its bytes
    /// (a catalog has thousands); any other by Characters, as before.
    static func versionFileFamily(_ file: String) -> Substring? {
        if file.utf8.allSatisfy({ $0 < 0x80 }) {
            let parts = file.utf8.split(separator: UInt8(ascii: "/"))
            guard parts.count == 3, parts[0].elementsEqual("prompts".utf8), parts[2].first == UInt8(ascii: "v"),
                  parts[2].count >= 7, parts[2].suffix(7).elementsEqual(".prompt".utf8) else { return nil }
            return Substring(parts[1])
        }
        let parts = file.split(separator: "/")
        guard parts.count == 3, parts[0] == "prompts", parts[2].hasPrefix("v"), parts[2].hasSuffix(".prompt") else { return nil }
        return parts[1]
    }

    static func check(_ family: PromptFamily, hasVersionFiles: Bool = false) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if family.versions.isEmpty, !hasVersionFiles {
            diagnostics.append(.warning("empty-family", "family `\(family.slug)` has no versions", at: SourceLocation(file: family.file),
                                        hint: "add v1.prompt next to family.yaml"))
        }
        var firstFile: [Int: String] = [:]
        for version in family.versions {
            if let declared = version.declaredVersion, declared.value != version.number {
                diagnostics.append(.error("version-mismatch", "front matter says `version: \(declared.value)` but the file is v\(version.number).prompt",
                                          at: declared.location, hint: "set `version: \(version.number)` or rename the file to v\(declared.value).prompt"))
            }
            if let earlier = firstFile[version.number] {
                diagnostics.append(.error("duplicate-version", "version \(version.number) is also defined by \(earlier)", at: version.location,
                                          hint: "versions are immutable: give this one the next free number"))
            } else {
                firstFile[version.number] = version.file
            }
        }
        let numbers = Set(family.versions.map(\.number))
        let parents = Dictionary(family.versions.compactMap { version in version.parent.map { (version.number, $0.value) } }, uniquingKeysWith: { first, _ in first })
        let cycles = cycleMembers(parents)
        let root = family.versions.first { $0.parent == nil }
        for version in family.versions {
            guard let parent = version.parent else {
                // A `parent` written but not a whole number is a front-matter error already.
                if let root, root.number != version.number, version.frontMatter?["parent"] == nil {
                    diagnostics.append(.error("missing-parent", "v\(version.number) has no `parent`; only the root version (v\(root.number)) may omit it",
                                              at: version.frontMatter?.location ?? version.location,
                                              hint: "add `parent: <N>` naming the version this one was derived from"))
                }
                continue
            }
            if !numbers.contains(parent.value) {
                let existing = numbers.sorted().map(String.init).joined(separator: ", ")
                diagnostics.append(.error("missing-parent", "parent \(parent.value) of v\(version.number) does not exist in `\(family.slug)`",
                                          at: parent.location, hint: "existing versions: \(existing)"))
            } else if cycles.contains(version.number) {
                continue
            } else if parent.value >= version.number {
                diagnostics.append(.error("parent-order", "parent \(parent.value) of v\(version.number) is not an earlier version",
                                          at: parent.location, hint: "a version derives from an earlier one: use a number below \(version.number)"))
            }
        }
        diagnostics += cycleDiagnostics(family, parents: parents, members: cycles)
        for label in family.labels where !numbers.contains(label.version) {
            let existing = numbers.sorted().map(String.init).joined(separator: ", ")
            diagnostics.append(.error("label-target", "label `\(label.name)` points at v\(label.version), which does not exist",
                                      at: label.location, hint: existing.isEmpty ? "add versions before labelling them" : "existing versions: \(existing)"))
        }
        return diagnostics
    }

    /// Versions that lie on a cycle of parent links, in one pass: each version is walked once (a
    /// walk stops at a version an earlier walk finished), so a chain of 8,000 versions is 8,000
    /// steps, not a walk to the root from each (which, with a search of the path at each step, was
    /// cubic: 28 s).
    static func cycleMembers(_ parents: [Int: Int]) -> Set<Int> {
        var members = Set<Int>()
        var finished = Set<Int>()
        for start in parents.keys.sorted() where !finished.contains(start) {
            var path: [Int] = []
            var onPath: [Int: Int] = [:]
            var current = start
            while !finished.contains(current), onPath[current] == nil {
                onPath[current] = path.count
                path.append(current)
                guard let next = parents[current] else { break }
                current = next
            }
            if let index = onPath[current], parents[current] != nil, !finished.contains(current) { members.formUnion(path[index...]) }
            finished.formUnion(path)
        }
        return members
    }

    /// One diagnostic per cycle, at its lowest version: `v2 → v3 → v2`.
    private static func cycleDiagnostics(_ family: PromptFamily, parents: [Int: Int], members: Set<Int>) -> [Diagnostic] {
        var reported = Set<Int>()
        var diagnostics: [Diagnostic] = []
        for start in members.sorted() where !reported.contains(start) {
            var path = [start]
            var current = parents[start]!
            while current != start {
                path.append(current)
                current = parents[current]!
            }
            reported.formUnion(path)
            guard let version = family.version(start), let parent = version.parent else { continue }
            let chain = (path + [start]).map { "v\($0)" }.joined(separator: " → ")
            diagnostics.append(.error("parent-cycle", "parent links form a cycle: \(chain)", at: parent.location,
                                      hint: "each version's parent must be an earlier version; the root has no parent"))
        }
        return diagnostics
    }
}
