import Foundation
import Testing
import TestSupport
@testable import Serve

@Suite struct WatchSnapshotTests {
    @Test func seesAddedChangedAndRemovedFilesInNestedFolders() throws {
        let content = try TemporaryContent(["prompts/a/v1.prompt": "one", "providers/p.yaml": "id: p"])
        let config = try content.writeProjectFile("Site.json", "{}")
        let paths = [config, content.root, content.project.appendingPathComponent("Templates")]
        let first = WatchSnapshot.take(paths)
        #expect(first.count == 3)
        #expect(WatchSnapshot.take(paths) == first)
        try content.write("prompts/a/v1.prompt", "one, longer")
        let changed = WatchSnapshot.take(paths)
        #expect(changed != first)
        try content.write("prompts/a/.v2.prompt.swp", "x")
        let added = WatchSnapshot.take(paths)
        #expect(added.count == 4 && added != changed)
        try FileManager.default.removeItem(at: content.root.appendingPathComponent("prompts/a/.v2.prompt.swp"))
        #expect(WatchSnapshot.take(paths) == changed)
        try content.writeProjectFile("Site.json", "{ \"title\": \"T\" }")
        #expect(WatchSnapshot.take(paths) != changed)
    }

    /// `chmod 000` (and back) changes neither size nor modification time: the change time tells.
    @Test func seesAPermissionChange() throws {
        let content = try TemporaryContent(["prompts/a/v1.prompt": "one"])
        let file = content.root.appendingPathComponent("prompts/a/v1.prompt")
        let before = WatchSnapshot.take([content.root])
        Thread.sleep(forTimeInterval: 0.01)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path) }
        #expect(WatchSnapshot.take([content.root]) != before)
    }

    @Test func doesNotFollowFolderSymlinks() throws {
        let content = try TemporaryContent(["prompts/a/v1.prompt": "one"])
        try FileManager.default.createSymbolicLink(at: content.root.appendingPathComponent("loop"), withDestinationURL: content.root)
        #expect(WatchSnapshot.take([content.root]).count == 1)
    }
}
