import Foundation
import PromptCatalog
@testable import Site
import Testing

/// The whole-input fingerprint that makes an unchanged build `up to date`: any file or folder
/// added, removed or changed anywhere under the content changes it, including inside the folders
/// it walks on all cores.
@Suite struct InputFingerprintTests {
    @Test func anyChangeAnywhereChangesIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-inputs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        // 20 family folders: more than the 16 that make a folder's sub-folders walked in parallel.
        for family in 0..<20 {
            let folder = content.appendingPathComponent("prompts/f\(family)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for number in 1...3 { try Data("v\(number)".utf8).write(to: folder.appendingPathComponent("v\(number).prompt")) }
        }
        var config = SiteConfig(root: root)
        config.contentDirectory = content
        let request = BuildRequest(config: config, project: root)
        let first = InputFingerprint(request)
        #expect(InputFingerprint(request).digest == first.digest)
        #expect(first.complete)

        var digests: Set<UInt64> = [first.digest]
        let deep = content.appendingPathComponent("prompts/f13/v2.prompt")
        try Data("v2 changed".utf8).write(to: deep)
        digests.insert(InputFingerprint(request).digest)
        try FileManager.default.removeItem(at: content.appendingPathComponent("prompts/f7/v3.prompt"))
        digests.insert(InputFingerprint(request).digest)
        try FileManager.default.createDirectory(at: content.appendingPathComponent("prompts/f19/notes"), withIntermediateDirectories: true)
        digests.insert(InputFingerprint(request).digest)
        try FileManager.default.moveItem(at: content.appendingPathComponent("prompts/f3"), to: content.appendingPathComponent("prompts/f30"))
        digests.insert(InputFingerprint(request).digest)
        #expect(digests.count == 5, "every change gave a new fingerprint")

        // A link to a folder is not followed: such a fingerprint never vouches for the tree.
        try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("prompts/f0/linked"),
                                                   withDestinationURL: content.appendingPathComponent("prompts/f1"))
        #expect(!InputFingerprint(request).complete)
    }

    /// What the loader never reads never changes the fingerprint, and is never walked: folders of
    /// the content root other than the content folders (a `node_modules/` with its links to
    /// folders, when the content root is the repository), and names starting with `.` or `_`.
    /// Every content folder the loader reads is walked.
    @Test func onlyWhatTheLoaderReadsCounts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-inputs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        let manager = FileManager.default
        try manager.createDirectory(at: content.appendingPathComponent("prompts/a"), withIntermediateDirectories: true)
        try manager.createDirectory(at: content.appendingPathComponent("node_modules/pkg"), withIntermediateDirectories: true)
        var config = SiteConfig(root: root)
        config.contentDirectory = content
        let request = BuildRequest(config: config, project: root)
        let first = InputFingerprint(request)
        try Data("x".utf8).write(to: content.appendingPathComponent("node_modules/pkg/index.js"))
        try manager.createSymbolicLink(at: content.appendingPathComponent("node_modules/.bin"), withDestinationURL: content.appendingPathComponent("node_modules/pkg"))
        try manager.createSymbolicLink(at: content.appendingPathComponent("node_modules/linked"), withDestinationURL: content.appendingPathComponent("prompts"))
        try Data("notes".utf8).write(to: content.appendingPathComponent("README.md"))
        try Data("draft".utf8).write(to: content.appendingPathComponent("prompts/a/_draft.prompt"))
        try Data("swap".utf8).write(to: content.appendingPathComponent("prompts/a/.v1.prompt.swp"))
        let unread = InputFingerprint(request)
        #expect(unread.digest == first.digest)
        #expect(unread.complete, "links outside the content folders are never met")
        #expect(CatalogLoader.load(contentDirectory: content).diagnostics.filter { $0.code == "symlink-skipped" }.isEmpty)

        var digests: Set<UInt64> = [first.digest]
        for folder in CatalogLoader.contentFolders.sorted() {
            try manager.createDirectory(at: content.appendingPathComponent(folder), withIntermediateDirectories: true)
            try Data(folder.utf8).write(to: content.appendingPathComponent("\(folder)/new.txt"))
            digests.insert(InputFingerprint(request).digest)
        }
        #expect(digests.count == CatalogLoader.contentFolders.count + 1, "a file in every content folder changes it")
        #expect(CatalogLoader.contentFolders == ["action-blocks", "content-packs", "contexts", "docs", "logs", "node-types", "plugins", "programs",
                                                 "prompts", "providers", "scenes"])

        // PixSim7 reads a pack's `_shared.schema.yaml`, so the loader does, and a change to it counts.
        try manager.createDirectory(at: content.appendingPathComponent("content-packs/prompt/p/blocks"), withIntermediateDirectories: true)
        let before = InputFingerprint(request).digest
        try Data("blocks: []".utf8).write(to: content.appendingPathComponent("content-packs/prompt/p/blocks/_shared.schema.yaml"))
        #expect(InputFingerprint(request).digest != before)
    }
}
