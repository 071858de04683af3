import Foundation
import Testing
import TestSupport
@testable import Site

/// The writer replaces only what a build wrote, one build at a time, and the output path holds
/// a whole site at every instant.
@Suite struct OutputWriterTests {
    private func scratch() throws -> URL { try ScratchFolder.make("promptsite-writer") }

    private func site(_ text: String) -> [String: Data] { ["index.html": Data(text.utf8), "a/b.html": Data("b".utf8)] }

    private func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    @Test func writesTheMarkerAndReplacesItsOwnOutput() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output")
        try OutputWriter.write(site("one"), to: output)
        #expect(read(output.appendingPathComponent(OutputWriter.markerName)) == OutputWriter.markerText)
        try OutputWriter.write(site("two"), to: output)
        #expect(read(output.appendingPathComponent("index.html")) == "two")
        // Only the output and its lock remain beside it: the old site went once the new one landed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".Output.lock", "Output"])
    }

    @Test func anEmptyFolderIsOurs() throws {
        let output = try scratch().appendingPathComponent("Empty")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try OutputWriter.write(site("one"), to: output)
        #expect(read(output.appendingPathComponent("index.html")) == "one")
    }

    @Test func aSiteFromBeforeTheMarkerIsRecognised() throws {
        let output = try scratch().appendingPathComponent("Output")
        for path in ["api/v1", "assets"] {
            try FileManager.default.createDirectory(at: output.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        try Data("<urlset/>".utf8).write(to: output.appendingPathComponent("sitemap.xml"))
        try Data("// js".utf8).write(to: output.appendingPathComponent("assets/site.js"))
        try OutputWriter.write(site("new"), to: output)
        #expect(read(output.appendingPathComponent("index.html")) == "new")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("sitemap.xml").path))
    }

    @Test func refusesWhatABuildDidNotWrite() throws {
        let folder = try scratch()
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("my notes".utf8).write(to: notes)
        let docs = folder.appendingPathComponent("mydocs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try Data("# mine".utf8).write(to: docs.appendingPathComponent("README.md"))
        let link = folder.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: docs)
        let fifo = folder.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let expected = [
            (notes, "it is a file, not a site folder"), (docs, "was not written by promptsite (no .promptsite-output file)"),
            (link, "it is a symbolic link"), (fifo, "it is a FIFO, not a site folder"),
            (URL(fileURLWithPath: "/dev/null"), "it is a device, not a site folder"),
        ]
        for (output, reason) in expected {
            let error = #expect(throws: OutputWriter.Refusal.self) { try OutputWriter.write(site("x"), to: output) }
            #expect(error?.description.contains(reason) == true, "\(output.path): \(error?.description ?? "")")
        }
        #expect(read(notes) == "my notes")
        #expect(read(docs.appendingPathComponent("README.md")) == "# mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: docs.path) == ["README.md"])
    }

    @Test func aFailedFillLeavesTheOldSiteAndNoStaging() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output")
        try OutputWriter.write(site("one"), to: output)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try OutputWriter.replace(output) { staging in
                try staging.makeFolders(for: ["index.html"])
                try staging.write(Data("half".utf8), to: "index.html")
                throw Boom()
            }
        }
        #expect(read(output.appendingPathComponent("index.html")) == "one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".Output.lock", "Output"])
    }

    @Test func aSecondBuildIntoTheSameOutputIsRefusedWhileTheFirstWrites() throws {
        let output = try scratch().appendingPathComponent("Output")
        var second: OutputWriter.Refusal?
        try OutputWriter.replace(output) { staging in
            try staging.makeFolders(for: ["index.html"])
            try staging.write(Data("first".utf8), to: "index.html")
            do { try OutputWriter.write(site("second"), to: output) } catch let refusal as OutputWriter.Refusal { second = refusal }
        }
        #expect(second?.description.hasPrefix("another build is writing \(output.path)") == true)
        #expect(read(output.appendingPathComponent("index.html")) == "first")
        // The lock went with the first build.
        try OutputWriter.write(site("third"), to: output)
        #expect(read(output.appendingPathComponent("index.html")) == "third")
    }

    @Test func anInterruptedFallbackSwapIsRecoveredNotDeleted() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output")
        try OutputWriter.write(site("old"), to: output)
        // A build killed between "old site aside" and "new site in": no Output, the old site aside.
        let aside = folder.appendingPathComponent(".Output.old-12345678")
        try OutputWriter.moveAside(output, to: aside)
        struct Boom: Error {}
        #expect(throws: Boom.self) { try OutputWriter.replace(output) { _ in throw Boom() } }
        #expect(read(output.appendingPathComponent("index.html")) == "old")
        #expect(!FileManager.default.fileExists(atPath: aside.path))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputWriter.stagingName).path), "the site put back carries no staging mark")
    }

    /// Folders beside the output are the build's only when they carry its name and its marker:
    /// a user's backups named like them are neither removed nor swapped into the output.
    @Test func foldersNamedLikeLeftoversButNotMarkedAreLeftAlone() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output")
        let users = [".Output.old-2025-11", ".Output.tmp-mine", ".Output.old-ABCDEF12", ".Output.tmp-0123abcd"]
        for name in users {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data("mine".utf8).write(to: folder.appendingPathComponent(name + "/notes.txt"))
        }
        // A dated copy of a site (8 digits, and the output marker the copy carries) is the user's too.
        try OutputWriter.write(site("zero"), to: output)
        let dated = folder.appendingPathComponent(".Output.old-20251130")
        try FileManager.default.copyItem(at: output, to: dated)
        try Data("mine".utf8).write(to: dated.appendingPathComponent("notes.txt"))
        try FileManager.default.removeItem(at: output)
        // The output is missing: none of them is taken for an interrupted swap.
        try OutputWriter.write(site("first"), to: output)
        try OutputWriter.write(site("second"), to: output)
        #expect(read(output.appendingPathComponent("index.html")) == "second")
        for name in users + [".Output.old-20251130"] { #expect(read(folder.appendingPathComponent(name + "/notes.txt")) == "mine", "\(name)") }
        // A staging folder is marked from the moment it is made.
        var staged: [String] = []
        try OutputWriter.replace(output) { staging in
            staged = try FileManager.default.contentsOfDirectory(atPath: staging.root.path)
            try staging.write(Data("third".utf8), to: "index.html")
        }
        #expect(staged == [OutputWriter.stagingName])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputWriter.stagingName).path), "the output carries no staging mark")
    }

    /// A spare with no output to exchange it with (the output was deleted by hand) is moved aside
    /// and removed only after the new site is in place; one left by a killed build is removed by
    /// the next, and a look-alike without the mark is left alone.
    @Test func aSpareWithoutAnOutputIsRemovedAfterTheNewSiteIsIn() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output"), spare = OutputWriter.spare(of: output)
        var during: [String] = [], uses: [OutputWriter.SpareUse] = []
        func build(_ text: String) throws {
            try OutputWriter.update(output, reuseSpare: false, invalidate: {}) { staging, use in
                uses.append(use)
                // While the new site is written, an old spare waits aside, marked as the build's.
                during = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".Output.del-") }
                try staging.makeFolders(for: Array(site(text).keys))
                for (path, data) in site(text) { try staging.write(data, to: path) }
            }
        }
        try build("one")
        try build("two")
        #expect(read(spare.appendingPathComponent("index.html")) == "one")
        try FileManager.default.removeItem(at: output)
        try build("three")
        #expect(uses == [.fresh, .fresh, .fresh])
        #expect(during.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".Output.del-") }.isEmpty)
        #expect(read(output.appendingPathComponent("index.html")) == "three")
        #expect(!FileManager.default.fileExists(atPath: spare.path))
        // Killed before removing it: the next build does.
        let killed = OutputWriter.leftover(.unused, of: output)
        try FileManager.default.createDirectory(at: killed.appendingPathComponent("a"), withIntermediateDirectories: true)
        OutputWriter.markAsLeftover(killed)
        let users = folder.appendingPathComponent(".Output.del-mine")
        try FileManager.default.createDirectory(at: users, withIntermediateDirectories: true)
        try build("four")
        #expect(!FileManager.default.fileExists(atPath: killed.path))
        #expect(FileManager.default.fileExists(atPath: users.path))
        // With an output and a spare the caller cannot describe, the spare is filled as unknown.
        try build("five")
        #expect(uses.last == .unknown)
        #expect(read(output.appendingPathComponent("index.html")) == "five")
        #expect(read(spare.appendingPathComponent("index.html")) == "four")
    }

    /// A folder of the build's is removed with its mark last: a build killed half-way through
    /// removing it leaves a folder the next build still recognises (it wedged every later build).
    @Test func aHalfRemovedFolderIsStillTheBuilds() throws {
        let folder = try scratch()
        let leftover = folder.appendingPathComponent(".Output.tmp-0A1B2C3D")
        try FileManager.default.createDirectory(at: leftover.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        for index in 0..<50 { try Data("x".utf8).write(to: leftover.appendingPathComponent("a/b/\(index).html")) }
        OutputWriter.markAsLeftover(leftover)
        #expect(OutputWriter.isLeftover(leftover.lastPathComponent, prefix: ".Output.tmp-", in: folder))
        // Everything but the mark goes first, in whatever order the listing gives.
        let spare = folder.appendingPathComponent(".Output.spare")
        try FileManager.default.createDirectory(at: spare.appendingPathComponent("z"), withIntermediateDirectories: true)
        try Data().write(to: spare.appendingPathComponent(OutputWriter.markerName))
        OutputWriter.removeOwnFolder(spare, markedBy: OutputWriter.markerName)
        #expect(!FileManager.default.fileExists(atPath: spare.path))
        let output = folder.appendingPathComponent("Output")
        try OutputWriter.write(site("one"), to: output)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
    }

    /// The site never goes into the content or the project, however the path is spelled: through
    /// a link to the content folder, with parts that do not exist yet.
    @Test func theOutputIsNeverTheContentOrInsideItEvenThroughALink() throws {
        let project = try scratch()
        let content = project.appendingPathComponent("Content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("prompts"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: project.appendingPathComponent("c").path, withDestinationPath: content.path)
        func refusal(_ output: URL) -> String? {
            do {
                try OutputWriter.validate(output: output, content: content, project: project)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(project.appendingPathComponent("Output")) == nil)
        #expect(refusal(project.appendingPathComponent("c/prompts/site"))?.hasPrefix("refusing to write the site inside the content folder") == true)
        #expect(refusal(project.appendingPathComponent("c/new/deeper/site"))?.hasPrefix("refusing to write the site inside the content folder") == true)
        #expect(refusal(project.appendingPathComponent("c"))?.hasPrefix("refusing to write the site into the content folder") == true)
        #expect(refusal(content.appendingPathComponent("prompts/site"))?.hasPrefix("refusing to write the site inside the content folder") == true)
        #expect(refusal(project)?.hasPrefix("refusing to write the site into the project folder") == true)
        #expect(refusal(URL(fileURLWithPath: "/")) == "refusing to write the site into /")
        #expect(OutputWriter.canonical(project.appendingPathComponent("c/x/y")) == OutputWriter.canonical(content) + "/x/y")
    }

    @Test func exchangeSwapsTwoFoldersAtOnce() throws {
        let folder = try scratch()
        let first = folder.appendingPathComponent("first"), second = folder.appendingPathComponent("second")
        try OutputWriter.write(site("1"), to: first)
        try OutputWriter.write(site("2"), to: second)
        #if os(Linux)
        #expect(OutputWriter.exchange(first.path, second.path))
        #expect(read(first.appendingPathComponent("index.html")) == "2")
        #expect(read(second.appendingPathComponent("index.html")) == "1")
        #endif
    }

    /// Whatever a build killed around the swap leaves at the staging path is the build's: a
    /// complete staging folder keeps its mark until it is the output (the mark used to go before
    /// the exchange), and the replaced site is marked with the staging name before the exchange.
    /// Either one is removed by the next build; the new live site carries no mark.
    @Test func whatAKillAroundTheSwapLeavesIsRecognised() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output")
        try OutputWriter.write(site("one"), to: output)
        // Killed before the exchange: a complete, still marked staging folder.
        let before = OutputWriter.leftover(.staging, of: output)
        try OutputWriter.makeStaging(before, beside: output)
        try Data(OutputWriter.markerText.utf8).write(to: before.appendingPathComponent(OutputWriter.markerName))
        #expect(OutputWriter.isLeftover(before.lastPathComponent, prefix: OutputWriter.LeftoverKind.staging.prefix(of: output), in: folder))
        #if os(Linux)
        // Killed after the exchange: the replaced site sits at the staging path, marked.
        let after = OutputWriter.leftover(.staging, of: output)
        try OutputWriter.makeStaging(after, beside: output)
        try Data("two".utf8).write(to: after.appendingPathComponent("index.html"))
        try Data(OutputWriter.markerText.utf8).write(to: after.appendingPathComponent(OutputWriter.markerName))
        #expect(OutputWriter.exchangeMarked(after, with: output))
        #expect(read(output.appendingPathComponent("index.html")) == "two")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputWriter.stagingName).path))
        #expect(read(after.appendingPathComponent("index.html")) == "one")
        #expect(OutputWriter.isLeftover(after.lastPathComponent, prefix: OutputWriter.LeftoverKind.staging.prefix(of: output), in: folder))
        #endif
        try OutputWriter.write(site("three"), to: output)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".Output.lock", "Output"])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputWriter.stagingName).path))
    }

    /// A marker is replaced in one step: the old file or the new one is there at every instant
    /// (a spare without its marker wedged every later build), and another link to the old file
    /// keeps its bytes.
    @Test func aMarkerIsReplacedInOneStep() throws {
        let folder = try scratch()
        let marker = folder.appendingPathComponent("marker"), other = folder.appendingPathComponent("other")
        try Data("old".utf8).write(to: marker)
        #expect(link(marker.path, other.path) == 0)
        #expect(OutputWriter.replaceFile(Data("new".utf8), at: marker.path) == nil)
        #expect(read(marker) == "new" && read(other) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["marker", "other"])
    }

    /// A build told, under the lock, that the output or the spare is no longer the site it read
    /// about (a build that started earlier replaced them) trusts nothing in the spare: it fills it
    /// as unknown.
    @Test func aSpareNoLongerDescribedIsFilledAsUnknown() throws {
        let folder = try scratch()
        let output = folder.appendingPathComponent("Output")
        for text in ["one", "two"] {
            try OutputWriter.update(output, reuseSpare: false, invalidate: {}) { staging, _ in
                try staging.makeFolders(for: ["index.html"])
                try staging.write(Data(text.utf8), to: "index.html")
            }
        }
        #expect(FileManager.default.fileExists(atPath: OutputWriter.spare(of: output).path))
        var filled: OutputWriter.SpareUse?
        try OutputWriter.update(output, reuseSpare: true, described: { false }, invalidate: {}) { staging, use in
            filled = use
            try staging.makeFolders(for: ["index.html"])
            try staging.write(Data("three".utf8), to: "index.html")
        }
        #expect(filled == .unknown)
        #expect(read(output.appendingPathComponent("index.html")) == "three")
        #expect(SiteCache.holds(output, [:]))
    }
}

@Suite struct OutputWriterMessageTests {
    @Test func aFileInThePathIsNamedNotDumped() throws {
        let folder = try ScratchFolder.make("promptsite-writer")
        try Data("x".utf8).write(to: folder.appendingPathComponent("file"))
        let output = folder.appendingPathComponent("file/sub/Output")
        let error = #expect(throws: OutputWriter.Refusal.self) { try OutputWriter.write(["index.html": Data()], to: output) }
        #expect(error?.description == "refusing to write the site into \(output.path): Not a directory")
        // (A read-only parent gives "cannot create the folder …: Permission denied"; tests run as root here.)
    }
}
