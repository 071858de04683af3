@testable import Checks
import Diagnostics
import PromptCatalog
import Testing
import TestSupport

@Suite struct VersionGraphRuleTests {
    @Test func validGraphHasNoDiagnostics() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 1", "Hi there"), ("version: 3\nparent: 1\nbranch: alt", "Hello")],
                                     familyExtra: "labels: { production: 2, staging: 3 }"))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func versionMismatch() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 4\nparent: 1", "Hi")]))
        let mismatch = try #require(found.codes("version-mismatch").first)
        #expect(mismatch.level == .error)
        #expect(mismatch.location == SourceLocation(file: "prompts/a/v2.prompt", line: 2, column: 10))
        #expect(mismatch.message == "front matter says `version: 4` but the file is v2.prompt")
    }

    @Test func duplicateVersion() throws {
        var files = family([("version: 1", "Hi"), ("version: 2\nparent: 1", "Hi")])
        files["prompts/a/v02.prompt"] = Fixture.version("version: 2\nparent: 1", "Other")
        let found = try check(files)
        let duplicate = try #require(found.codes("duplicate-version").first)
        #expect(found.codes("duplicate-version").count == 1)
        #expect(duplicate.location?.file == "prompts/a/v2.prompt")
        #expect(duplicate.message == "version 2 is also defined by prompts/a/v02.prompt")
    }

    @Test func missingParent() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 7", "Hi")]))
        let missing = try #require(found.codes("missing-parent").first)
        #expect(missing.location?.line == 3)
        #expect(missing.hint == "existing versions: 1, 2")
    }

    @Test func parentOmittedOnANonRootVersion() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 2", "Hi")]))
        #expect(found.codes("missing-parent").map(\.message) == ["v2 has no `parent`; only the root version (v1) may omit it"])
        // Written but not a whole number: one front-matter error, not also "has no `parent`".
        let mistyped = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 5.5", "Hi"), ("version: 3\nparent: [1]", "Hi")]))
        #expect(mistyped.codes("missing-parent").isEmpty)
        #expect(mistyped.codes("front-matter").map(\.message) == ["`parent` in the front matter of a/v2 must be a whole number, found a number",
                                                                   "`parent` in the front matter of a/v3 must be a whole number, found a list"])
    }

    @Test func parentCycle() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 3", "Hi"), ("version: 3\nparent: 2", "Hi")]))
        let cycles = found.codes("parent-cycle")
        #expect(cycles.count == 1)
        #expect(cycles[0].message == "parent links form a cycle: v2 → v3 → v2")
        #expect(cycles[0].location?.file == "prompts/a/v2.prompt")
        #expect(found.codes("parent-order").isEmpty)
    }

    /// A long chain (ordinary linear history) with two cycles and versions leading into one: each
    /// version is walked once (the rule was cubic in the chain: 8,000 versions took 28 s).
    @Test func cyclesAreFoundInALongChainWithTailsIntoThem() throws {
        var versions: [(String, String)] = [("version: 1", "Hi")]
        for number in 2...3_000 { versions.append(("version: \(number)\nparent: \(number - 1)", "Hi \(number)")) }
        versions.append(("version: 3001\nparent: 3003", "a"))
        versions.append(("version: 3002\nparent: 3001", "b"))
        versions.append(("version: 3003\nparent: 3002", "c"))
        versions.append(("version: 3004\nparent: 3003", "tail into the cycle"))
        versions.append(("version: 3005\nparent: 3005", "self"))
        let found = try check(family(versions))
        #expect(found.codes("parent-cycle").map(\.message) == ["parent links form a cycle: v3001 → v3003 → v3002 → v3001",
                                                                "parent links form a cycle: v3005 → v3005"])
    }

    @Test func selfParentIsACycle() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 2", "Hi")]))
        #expect(found.codes("parent-cycle").map(\.message) == ["parent links form a cycle: v2 → v2"])
    }

    @Test func parentLaterThanVersionWithoutCycle() throws {
        let found = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 3", "Hi"), ("version: 3\nparent: 1", "Hi")]))
        #expect(found.codes("parent-order").map(\.message) == ["parent 3 of v2 is not an earlier version"])
    }

    @Test func labelTarget() throws {
        let found = try check(family([("version: 1", "Hi")], familyExtra: "labels: { production: 1, staging: 5, broken: soon }"))
        let labels = found.codes("label-target")
        #expect(labels.count == 2)
        #expect(labels.map(\.message).sorted() == [
            "label `broken` must name a version number, found a string",
            "label `staging` points at v5, which does not exist",
        ])
        #expect(labels.allSatisfy { $0.location?.file == "prompts/a/family.yaml" && $0.location?.line == 3 })
    }

    /// `family@latest`, `family@2` and `family@v2` are read before labels: labels so named, and
    /// names that cannot follow `@`, are errors at their key, and left out (they once resolved to
    /// other versions). A label with a space is written quoted: it stays.
    @Test func labelsNoReferenceCanName() throws {
        let labels = "labels: { latest: 1, \"2\": 1, v2: 1, \"+3\": 1, \"\": 1, \"a\\tb\": 1, \"a b\": 1, ab-test.b: 2, 二: 1, vivid: 2 }"
        let found = try check(family([("version: 1", "Hi"), ("version: 2\nparent: 1", "Hi")], familyExtra: labels))
        let names = found.codes("label-name")
        #expect(names.map(\.message) == [
            "label `latest` can never be used: `family@latest` is always the latest version",
            "label `2` can never be used: `family@2` is always version 2",
            "label `v2` can never be used: `family@v2` is always version 2",
            "label `+3` can never be used: `family@+3` is always version 3",
            "label `` is empty: `family@` names no label",
            "label `a\tb` holds a control character: it cannot be written after `@`",
        ])
        #expect(names.allSatisfy { $0.location?.file == "prompts/a/family.yaml" && $0.location?.line == 3 && $0.level == .error })
        #expect(names.first?.hint == "name it with letters, digits, `-`, `_` or `.`, not `latest` nor a version number such as `2` or `v2` (`production`, `ab-test.b`)")
        let catalog = CatalogLoader.load(files: family([("version: 1", "Hi"), ("version: 2\nparent: 1", "Hi")], familyExtra: labels)).catalog
        #expect(catalog.family("a")?.labels.map(\.name).sorted() == ["a b", "ab-test.b", "vivid", "二"])
    }

    @Test func emptyFamily() throws {
        let found = try check(["prompts/a/family.yaml": Fixture.family()])
        #expect(found.codeList == ["empty-family"])
        #expect(found[0].level == .warning)
    }

    /// A family whose only version file cannot be read has that file's error, not also "has no
    /// versions, add v1.prompt" (the file is there).
    @Test func aFamilyWithUnreadableVersionsIsNotEmpty() throws {
        let found = try check(["prompts/a/family.yaml": Fixture.family(), "prompts/a/v1.prompt": "---\nversion: [\n---\nText\n"])
        #expect(found.codeList == ["yaml-syntax"])
    }

    /// Which files count as a family's version files, for ASCII paths (cut by bytes) and others.
    @Test func versionFilesAreNamedByTheirPaths() {
        #expect(VersionGraphRules.versionFileFamily("prompts/harbor/v12.prompt") == "harbor")
        #expect(VersionGraphRules.versionFileFamily("prompts/harbor/v.prompt") == "harbor")
        #expect(VersionGraphRules.versionFileFamily("prompts/harbor/family.yaml") == nil)
        #expect(VersionGraphRules.versionFileFamily("prompts/harbor/notes/v1.prompt") == nil)
        #expect(VersionGraphRules.versionFileFamily("prompts/harbor/v1.prompt.bak") == nil)
        #expect(VersionGraphRules.versionFileFamily("prompts/harbor/x1.prompt") == nil)
        #expect(VersionGraphRules.versionFileFamily("blocks/harbor/v1.prompt") == nil)
        #expect(VersionGraphRules.versionFileFamily("prompts//harbor/v1.prompt") == "harbor")
        #expect(VersionGraphRules.versionFileFamily("prompts/café/v1.prompt") == "café")
        // By Characters, a mark joined to the `v` makes another letter.
        #expect(VersionGraphRules.versionFileFamily("prompts/café/v\u{301}1.prompt") == nil)
    }
}
