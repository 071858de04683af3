import Foundation
import PromptCatalog
@testable import Site
import Testing
import TestSupport

/// Incremental builds against full builds of the same input, byte for byte, after each kind of change.
@Suite(.serialized) struct IncrementalBuildTests {
    /// A copy of the sample content in a temporary project, built incrementally into Output/ and in
    /// full (no cache) into Full/ after every change.
    final class Workspace {
        let project: URL
        let content: URL
        let templates: URL
        var title = "Lanternfall prompt catalog"
        /// False builds as a user's build does: keyed files fingerprinted by their keys alone.
        var verifyPageKeys = true

        init() throws {
            project = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-incremental-\(UUID().uuidString)")
            content = project.appendingPathComponent("Content")
            templates = project.appendingPathComponent("Templates")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Repository.sampleContent, to: content)
        }

        deinit { try? FileManager.default.removeItem(at: project) }

        func build(incremental: Bool = true, output: String = "Output", clockOffset: Double = 0) throws -> BuiltSite {
            let title = title
            return try BuiltSite.build(content: content, project: project, templates: templates, output: project.appendingPathComponent(output),
                                       incremental: incremental, clockOffset: clockOffset, verifyPageKeys: verifyPageKeys) { $0.title = title }
        }

        /// Builds incrementally and in full and expects the same files with the same bytes.
        @discardableResult
        func expectSameAsFullBuild(_ change: String, clockOffset: Double = 0) throws -> BuildResult {
            let incremental = try build(clockOffset: clockOffset)
            let full = try build(incremental: false, output: "Full")
            #expect(incremental.files() == full.files(), "\(change): the file lists differ")
            for file in full.files() {
                let a = try Data(contentsOf: incremental.output.appendingPathComponent(file))
                let b = try Data(contentsOf: full.output.appendingPathComponent(file))
                #expect(a == b, "\(change): \(file) differs from a full build")
            }
            return incremental.result
        }

        func edit(_ path: String, _ change: (String) -> String) throws {
            let url = content.appendingPathComponent(path)
            try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        }

        func write(_ path: String, _ text: String) throws {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    /// With page keys verified (as every test build is) and as a user's build runs them.
    @Test(arguments: [true, false]) func everyKindOfChangeGivesTheFullBuildsBytes(verifyingKeys: Bool) throws {
        let space = try Workspace()
        space.verifyPageKeys = verifyingKeys
        let first = try space.build()
        #expect(first.result.reused == 0)
        #expect(first.result.rendered == first.result.fileCount)

        // Nothing changed: every file is taken from the previous output.
        let again = try space.expectSameAsFullBuild("no change")
        #expect(again.rendered == 0)
        #expect(again.reused == again.fileCount)

        // One edited version: its pages, its family's and the pages that list it change; most do not.
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "storm", with: "squall") }
        let edited = try space.expectSameAsFullBuild("edited version")
        #expect(edited.rendered > 0 && edited.rendered < edited.fileCount / 2, "\(edited.rendered) of \(edited.fileCount) rendered")
        // The replaced site is kept as the spare and filled by the next build.
        #expect(FileManager.default.fileExists(atPath: space.project.appendingPathComponent(".Output.spare/index.html").path))

        // A new version.
        let v6 = try String(contentsOf: space.content.appendingPathComponent("prompts/harbor-storm-arrival/v6.prompt"), encoding: .utf8)
        try space.write("prompts/harbor-storm-arrival/v7.prompt",
                        v6.replacingOccurrences(of: "version: 6", with: "version: 7").replacingOccurrences(of: "parent: 5", with: "parent: 6"))
        let added = try space.expectSameAsFullBuild("added version")
        #expect(added.rendered > 0 && added.rendered < added.fileCount)

        // A deleted family: its pages are gone from the output too.
        try FileManager.default.removeItem(at: space.content.appendingPathComponent("prompts/lantern-festival-toast"))
        let deleted = try space.expectSameAsFullBuild("deleted family")
        #expect(deleted.rendered > 0)
        #expect(!FileManager.default.fileExists(atPath: space.project.appendingPathComponent("Output/prompts/lantern-festival-toast").path))

        // An author: the feed names it.
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "author: ", with: "author: Dr. ") }
        try space.expectSameAsFullBuild("edited author")
        #expect(try String(contentsOf: space.project.appendingPathComponent("Output/feed.xml"), encoding: .utf8).contains("<name>Dr. "))

        // A context: the version pages that preview it change.
        try space.edit("contexts/keeper-wary.yaml") { $0.replacingOccurrences(of: "Harbor wall", with: "Sea wall") }
        let context = try space.expectSameAsFullBuild("edited context")
        #expect(context.rendered > 0)
        #expect(try String(contentsOf: space.project.appendingPathComponent("Output/prompts/keeper-dialogue/v5/index.html"), encoding: .utf8)
            .contains("<figcaption>context keeper-wary"))

        // A provider's limit: many pages change.
        try space.edit("providers/inkwell.yaml") { $0.replacingOccurrences(of: "prompt_limit: 900", with: "prompt_limit: 950") }
        try space.expectSameAsFullBuild("provider limit")

        // A new log file.
        try space.write("logs/extra.jsonl", """
        {"id":"x-1","version":"harbor-storm-arrival@6","provider":"inkwell","status":"success","latency_ms":1000,"cost":0.1,"created_at":"2025-11-20T10:00:00Z"}
        {"id":"x-2","version":"harbor-storm-arrival@6","provider":"inkwell","status":"failed","error":"timeout","latency_ms":2000,"cost":0.1,"created_at":"2025-11-20T11:00:00Z"}

        """)
        let logged = try space.expectSameAsFullBuild("added log file")
        #expect(logged.rendered > 0 && logged.rendered < logged.fileCount)

        // A template override: every page may change.
        try FileManager.default.createDirectory(at: space.templates, withIntermediateDirectories: true)
        let catalog = try String(contentsOf: Repository.root.appendingPathComponent("Templates/catalog.mustache"), encoding: .utf8)
        try Data(catalog.replacingOccurrences(of: "<h1>", with: "<h1 class=\"custom\">").utf8)
            .write(to: space.templates.appendingPathComponent("catalog.mustache"))
        try space.expectSameAsFullBuild("edited template")
        #expect(try String(contentsOf: space.project.appendingPathComponent("Output/prompts/index.html"), encoding: .utf8).contains("<h1 class=\"custom\">"))

        // Site.json's settings.
        space.title = "Renamed catalog"
        try space.expectSameAsFullBuild("changed Site.json")
    }

    /// Keyed files are fingerprinted by their keys in a user's build and by what they hold when
    /// keys are verified: a verifying build does not trust a user's build's records.
    @Test func buildsThatVerifyKeysDoNotReuseTheOthersFiles() throws {
        let space = try Workspace()
        space.verifyPageKeys = false
        let first = try space.build()
        #expect(first.result.rendered == first.result.fileCount)
        let again = try space.build()
        #expect(again.result.rendered == 0)
        space.verifyPageKeys = true
        let verifying = try space.expectSameAsFullBuild("verifying after a user's build")
        #expect(verifying.reused == 0, "\(verifying.reused) files reused across the two kinds of build")
        // Back to a user's build: what it takes from the spare (its own kind's files) is still right.
        space.verifyPageKeys = false
        try space.expectSameAsFullBuild("a user's build after a verifying one")
    }

    /// Version files whose stamps the last build recorded are taken parsed from the cache
    /// (`.promptsite-cache/versions/`): the site is the full build's, byte for byte, diagnostics included.
    @Test func parsedVersionsAreRecalledFromTheCache() throws {
        let space = try Workspace()
        space.verifyPageKeys = false
        // "A minute later": every file counts as settled, so the first build remembers them all.
        let later = 60.0
        let first = try space.build(clockOffset: later)
        #expect(first.result.recalledVersions == 0)
        let versions = try #require(first.result.project?.catalog.families.flatMap(\.versions).count)
        // A first build writes none (CI's, from a fresh clone, would never be read); the first rebuild does.
        let stored = space.project.appendingPathComponent(".promptsite-cache/versions")
        #expect(!FileManager.default.fileExists(atPath: stored.path))
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "storm", with: "tempest") }
        #expect(try space.expectSameAsFullBuild("first rebuild", clockOffset: later).recalledVersions == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: stored.path).filter { $0.hasSuffix(".bin") }.count == 1)

        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "tempest", with: "squall") }
        let edited = try space.expectSameAsFullBuild("edited with recalled versions", clockOffset: later)
        #expect(edited.recalledVersions == versions - 1)
        // The prompts' words and LSH keys too (all but the edited one's; identical texts count once).
        #expect(edited.recalledPrompts > versions / 2)

        // A version that no longer parses: its diagnostics come back from the cache as they were.
        try space.edit("prompts/harbor-storm-arrival/v5.prompt") { $0.replacingOccurrences(of: "version: 5", with: "version: [5") }
        let broken = try space.expectSameAsFullBuild("a broken version", clockOffset: later)
        // (Another edit: with none, the build is up to date and reads nothing.)
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "squall", with: "gale") }
        let again = try space.expectSameAsFullBuild("a broken version, recalled", clockOffset: later)
        #expect(again.recalledVersions == versions - 1)
        #expect(again.check.diagnostics.map(\.description) == broken.check.diagnostics.map(\.description))
        #expect(again.check.diagnostics.contains { $0.location?.file == "prompts/harbor-storm-arrival/v5.prompt" && $0.level == .error })

        // A new version, a deleted family, a provider's limit: the recalled versions are still right.
        let v6 = try String(contentsOf: space.content.appendingPathComponent("prompts/harbor-storm-arrival/v6.prompt"), encoding: .utf8)
        try space.write("prompts/harbor-storm-arrival/v7.prompt",
                        v6.replacingOccurrences(of: "version: 6", with: "version: 7").replacingOccurrences(of: "parent: 5", with: "parent: 6"))
        let added = try space.expectSameAsFullBuild("a new version, recalled", clockOffset: later)
        #expect(added.recalledVersions == versions, "every file but the new one is recalled")
        try FileManager.default.removeItem(at: space.content.appendingPathComponent("prompts/lantern-festival-toast"))
        let deleted = try space.expectSameAsFullBuild("a deleted family, recalled", clockOffset: later)
        #expect(deleted.recalledVersions > versions / 2, "\(deleted.recalledVersions)")
        let provider = try #require(try FileManager.default.contentsOfDirectory(atPath: space.content.appendingPathComponent("providers").path).sorted().first)
        try space.edit("providers/\(provider)") { $0.replacingOccurrences(of: "prompt_limit: ", with: "prompt_limit: 1") }
        let limited = try space.expectSameAsFullBuild("a provider's limit, recalled", clockOffset: later)
        #expect(limited.recalledVersions == deleted.recalledVersions, "every version file, the new one too, is recalled")

        // A damaged cache is ignored with a note, and the build is still right.
        let file = try #require(try FileManager.default.contentsOfDirectory(at: stored, includingPropertiesForKeys: nil).first)
        var bytes = try [UInt8](Data(contentsOf: file))
        bytes[bytes.count / 3] ^= 0xFF
        try Data(bytes).write(to: file)
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "gale", with: "storm") }
        let damaged = try space.expectSameAsFullBuild("a damaged parsed-version cache", clockOffset: later)
        #expect(damaged.recalledVersions == 0)
        #expect(damaged.notes.contains { $0.hasPrefix("parsed-version cache ignored") })
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "storm", with: "squall") }
        #expect(try space.expectSameAsFullBuild("after the damaged cache", clockOffset: later).recalledVersions == limited.recalledVersions - 1)
    }

    @Test func anUnchangedTreeIsUpToDateWithoutReadingIt() throws {
        let space = try Workspace()
        let first = try space.build()
        // Files written just before the last build are not trusted as unchanged, however equal their
        // stamps look: the build reads everything again (and renders nothing).
        let second = try space.build()
        #expect(!second.result.upToDate)
        #expect(second.result.rendered == 0)
        // A build "a minute later" than the files were written: the next build may trust their stamps.
        let later = 60.0
        _ = try space.build(clockOffset: later)
        let upToDate = try space.build(clockOffset: later)
        #expect(upToDate.result.upToDate)
        #expect(upToDate.result.project == nil)
        #expect(upToDate.result.check.diagnostics.map(\.description) == first.result.check.diagnostics.map(\.description))
        #expect(upToDate.result.pageCount == first.result.pageCount)
        #expect(upToDate.result.fileCount == first.result.fileCount)
        // A deleted or overwritten output file is not "up to date": it is written again.
        let output = space.project.appendingPathComponent("Output")
        let index = try Data(contentsOf: output.appendingPathComponent("index.html"))
        try FileManager.default.removeItem(at: output.appendingPathComponent("assets"))
        try Data("hacked".utf8).write(to: output.appendingPathComponent("index.html"))
        let repaired = try space.build(clockOffset: later)
        #expect(!repaired.result.upToDate)
        #expect(try Data(contentsOf: output.appendingPathComponent("index.html")) == index)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("assets/site.js").path))
        #expect(try space.build(clockOffset: later).result.upToDate)
        // Any edit makes it build again.
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0 + " " }
        let edited = try space.build(clockOffset: later)
        #expect(!edited.result.upToDate)
        #expect(edited.result.rendered > 0)
    }

    /// A memo is written beside its file and renamed over it; what a killed build left beside it
    /// is removed once it is an hour old, and a younger one (another build's, still writing) is kept.
    @Test func memosReplaceTheirFileAndSweepOldLeftovers() throws {
        let folder = try ScratchFolder.make("promptsite-memo-write").appendingPathComponent("versions")
        let file = folder.appendingPathComponent("abc.bin")
        #expect(StoredMemos.replace(file, with: Data("one".utf8)) == nil)
        #expect(try Data(contentsOf: file) == Data("one".utf8))
        let old = folder.appendingPathComponent(".abc.bin.killed"), young = folder.appendingPathComponent(".abc.bin.writing")
        let other = folder.appendingPathComponent(".other.bin.killed")
        for leftover in [old, young, other] { try Data("partial".utf8).write(to: leftover) }
        for leftover in [old, other] { try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: leftover.path) }
        #expect(StoredMemos.replace(file, with: Data("two".utf8)) == nil)
        #expect(try Data(contentsOf: file) == Data("two".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".abc.bin.writing", ".other.bin.killed", "abc.bin"])
        // A folder where the file belongs: not written, and said why.
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        #expect(StoredMemos.replace(file, with: Data("three".utf8)) != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".abc.bin.writing", ".other.bin.killed", "abc.bin"])
    }

    @Test func aDamagedOrForeignCacheIsIgnoredNeverTrusted() throws {
        let space = try Workspace()
        _ = try space.build()
        let cacheRoot = space.project.appendingPathComponent(".promptsite-cache/site")
        let folder = try #require(try FileManager.default.contentsOfDirectory(at: cacheRoot, includingPropertiesForKeys: nil).first)

        // A damaged file list: ignored with a note, every file rendered, the output still right.
        let files = folder.appendingPathComponent("files.txt")
        var list = try String(contentsOf: files, encoding: .utf8)
        list = list.replacingOccurrences(of: " ", with: "  ", options: [], range: list.startIndex..<list.index(list.startIndex, offsetBy: 30))
        try Data(list.utf8).write(to: files)
        let damaged = try space.expectSameAsFullBuild("damaged cache")
        #expect(damaged.reused == 0)
        #expect(damaged.notes.contains { $0.contains("does not match its checksum") })

        // An output that is not the one the cache describes (a build killed after the swap, or a hand edit):
        // nothing is taken from it, even a file of the same size.
        let page = space.project.appendingPathComponent("Output/prompts/index.html")
        let original = try Data(contentsOf: page)
        try Data(repeating: UInt8(ascii: "x"), count: original.count).write(to: page)
        try Data("promptsite output 0\n".utf8).write(to: space.project.appendingPathComponent("Output/.promptsite-build"))
        let foreign = try space.expectSameAsFullBuild("foreign output")
        #expect(foreign.reused == 0)

        // A garbage state file: ignored with a note.
        try Data("{not json".utf8).write(to: folder.appendingPathComponent("state.json"))
        let garbage = try space.expectSameAsFullBuild("garbage state")
        #expect(garbage.notes.contains { $0.contains("damaged") })
    }

    /// A damaged listing of the spare: the spare is refilled whole, with a note.
    @Test func aDamagedSpareListingIsIgnoredWithANote() throws {
        let space = try Workspace()
        _ = try space.build()
        _ = try space.build()
        let cacheRoot = space.project.appendingPathComponent(".promptsite-cache/site")
        let spare = try #require(try FileManager.default.contentsOfDirectory(at: cacheRoot, includingPropertiesForKeys: nil).first).appendingPathComponent("spare.txt")
        var listing = try Data(contentsOf: spare)
        listing[0] ^= 0x01
        try listing.write(to: spare)
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0 + " " }
        let refilled = try space.expectSameAsFullBuild("damaged spare listing")
        #expect(refilled.notes.contains { $0.hasSuffix("spare.txt does not match its checksum or cannot be read; the spare is refilled whole") })
    }

    @Test func theSpareIsFilledWithOnlyWhatChanged() throws {
        let space = try Workspace()
        _ = try space.build()
        _ = try space.build()  // the first output becomes the spare
        let page = space.project.appendingPathComponent("Output/prompts/old-fog-bell/v1/index.html")
        var before = stat()
        stat(page.path, &before)
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "storm", with: "gale") }
        try space.expectSameAsFullBuild("spare filled")
        // A page the edit does not touch is the very same file (inode) as before: nothing rewrote it.
        var after = stat()
        stat(page.path, &after)
        #expect(after.st_ino == before.st_ino)
        // A spare the cache no longer vouches for (a build killed while filling it) is replaced, never trusted.
        try Data("tampered".utf8).write(to: space.project.appendingPathComponent(".Output.spare/index.html"))
        try FileManager.default.removeItem(at: try #require(try FileManager.default.contentsOfDirectory(
            at: space.project.appendingPathComponent(".promptsite-cache/site"), includingPropertiesForKeys: nil).first).appendingPathComponent("spare.txt"))
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "gale", with: "squall") }
        try space.expectSameAsFullBuild("untrusted spare")
    }

    /// When every page changes (a new title), the spare's own files are rewritten in place (their
    /// inodes kept: no mass delete and create), and a file the live site shares is never written
    /// through.
    @Test func aChangeOfEveryPageRewritesTheSparesOwnFilesInPlace() throws {
        let space = try Workspace()
        _ = try space.build()
        _ = try space.build()
        let page = "prompts/old-fog-bell/v1/index.html"
        func info(_ folder: String) -> stat {
            var info = stat()
            lstat(space.project.appendingPathComponent(folder).appendingPathComponent(page).path, &info)
            return info
        }
        let live = info("Output"), liveBytes = try Data(contentsOf: space.project.appendingPathComponent("Output/" + page))
        space.title = "Harbor catalog"
        try space.expectSameAsFullBuild("new title")
        // The page the spare shared with the live site was replaced, not written through: the old
        // live file is now the spare's, as it was.
        #expect(info("Output").st_ino != live.st_ino)
        #expect(info(".Output.spare").st_ino == live.st_ino)
        #expect(try Data(contentsOf: space.project.appendingPathComponent(".Output.spare/" + page)) == liveBytes)
        #expect(info(".Output.spare").st_nlink == 1)
        space.title = "Lantern catalog"
        try space.expectSameAsFullBuild("another title")
        // That file had no other name: it was rewritten in place and is live again.
        #expect(info("Output").st_ino == live.st_ino)
        #expect(String(decoding: try Data(contentsOf: space.project.appendingPathComponent("Output/" + page)), as: UTF8.self).contains("Lantern catalog"))
    }

    /// A build that trusts no record (`--no-cache`) fills the spare as unknown instead of deleting
    /// it: the folders and the spare's own files stay (their inodes), a file put into the spare is
    /// swept away, and the output is a full build's.
    @Test func aBuildWithoutTheCacheFillsTheSpareAsUnknown() throws {
        let space = try Workspace()
        _ = try space.build()
        space.title = "Harbor catalog"
        _ = try space.build()
        space.title = "Lantern catalog"
        _ = try space.build()
        let spare = space.project.appendingPathComponent(".Output.spare")
        let page = spare.appendingPathComponent("prompts/old-fog-bell/v1/index.html")
        var before = stat()
        lstat(page.path, &before)
        #expect(before.st_nlink == 1)
        let folder = spare.appendingPathComponent("prompts/old-fog-bell")
        var folderBefore = stat()
        lstat(folder.path, &folderBefore)
        try Data("x".utf8).write(to: spare.appendingPathComponent("prompts/stray.html"))
        let uncached = try space.build(incremental: false)
        let full = try space.build(incremental: false, output: "Full")
        #expect(uncached.files() == full.files())
        for file in full.files() {
            #expect(try Data(contentsOf: uncached.output.appendingPathComponent(file)) == Data(contentsOf: full.output.appendingPathComponent(file)), "\(file)")
        }
        var after = stat(), folderAfter = stat()
        lstat(space.project.appendingPathComponent("Output/prompts/old-fog-bell/v1/index.html").path, &after)
        lstat(space.project.appendingPathComponent("Output/prompts/old-fog-bell").path, &folderAfter)
        #expect(after.st_ino == before.st_ino, "the spare's own file was rewritten in place")
        #expect(folderAfter.st_ino == folderBefore.st_ino, "the spare's folders were kept")
        #expect(!FileManager.default.fileExists(atPath: space.project.appendingPathComponent("Output/prompts/stray.html").path))
    }

    /// Files put into the output by hand are gone after the next build and do not come back
    /// with the spare two builds later (only the spare's recorded files were removed from it).
    @Test func filesPutIntoTheOutputByHandDoNotComeBack() throws {
        let space = try Workspace()
        _ = try space.build()
        _ = try space.build()
        let output = space.project.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("extra/deep"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: output.appendingPathComponent("extra/deep/x.txt"))
        try Data("x".utf8).write(to: output.appendingPathComponent("stray.txt"))
        try Data("x".utf8).write(to: output.appendingPathComponent("prompts/stray.html"))
        for word in ["gale", "squall", "storm"] {
            try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0.replacingOccurrences(of: "storm", with: word) }
            try space.expectSameAsFullBuild("after a stray file, \(word)")
        }
    }

    /// A page edited by hand to the same size (once taken as the build's own by every later
    /// build) has another modification time: the up-to-date check, the spare and the links from
    /// the live output all see it, and it is written again.
    @Test func aPageEditedByHandKeepingItsSizeIsWrittenAgain() throws {
        let space = try Workspace()
        let later = 60.0
        _ = try space.build(clockOffset: later)
        _ = try space.build(clockOffset: later)
        #expect(try space.build(clockOffset: later).result.upToDate)
        let output = space.project.appendingPathComponent("Output")
        let page = output.appendingPathComponent("prompts/index.html")
        func tamper() throws {
            let original = try Data(contentsOf: page)
            var tampered = original
            tampered.replaceSubrange(0..<5, with: Data("HACK!".utf8))
            try tampered.write(to: page)
            #expect(try Data(contentsOf: page).count == original.count)
        }
        try tamper()
        #expect(!(try space.build(clockOffset: later).result.upToDate))
        try space.expectSameAsFullBuild("after a same-size edit of a page, up to date", clockOffset: later)
        // Edited again, then an unrelated edit of the content: the page is not linked from the live output.
        try tamper()
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0 + " " }
        try space.expectSameAsFullBuild("after a same-size edit of a page, then a content edit", clockOffset: later)
        // And once more, so the edited copy is the spare's.
        try tamper()
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0 + " " }
        try space.expectSameAsFullBuild("a same-size edit in what becomes the spare", clockOffset: later)
        try space.edit("prompts/harbor-storm-arrival/v6.prompt") { $0 + " " }
        try space.expectSameAsFullBuild("the spare with the edited page is filled", clockOffset: later)
    }

    @Test func aKilledBuildLeavesThePreviousOutputAndAUsableCache() throws {
        let space = try Workspace()
        let first = try space.build()
        // What a build killed while writing leaves: a half-filled staging folder beside the output,
        // marked as the build's when it was made.
        let staging = space.project.appendingPathComponent(".Output.tmp-deadbeef")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("prompts"), withIntermediateDirectories: true)
        try Data("half".utf8).write(to: staging.appendingPathComponent("prompts/index.html"))
        try Data(".Output.tmp-deadbeef".utf8).write(to: staging.appendingPathComponent(OutputWriter.stagingName))
        #expect(try String(contentsOf: space.project.appendingPathComponent("Output/index.html"), encoding: .utf8)
            == String(contentsOf: first.output.appendingPathComponent("index.html"), encoding: .utf8))
        let next = try space.expectSameAsFullBuild("after a killed build")
        #expect(next.reused == next.fileCount)
        #expect(!FileManager.default.fileExists(atPath: staging.path))
    }
}
