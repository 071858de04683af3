import Foundation
import Testing
import TestSupport
@testable import Serve

#if os(Linux)
/// inotify tells the watch loop when to look: edits in nested folders, in folders made after the
/// watch began, and to Site.json beside the content.
@Suite struct ChangeSignalTests {
    /// Waits up to two seconds for the signal (its events arrive on another queue).
    private func signalled(_ signal: ChangeSignal) async throws -> Bool {
        for _ in 0..<100 {
            if signal.takePending() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func signalsEditsInNestedAndNewFoldersAndSiteJSON() async throws {
        let content = try TemporaryContent(["prompts/a/v1.prompt": "one", "providers/p.yaml": "id: p"])
        let config = try content.writeProjectFile("Site.json", "{}")
        let signal = try #require(ChangeSignal.make(watching: [config, content.root]))
        #expect(signal.takePending() == false)
        try content.write("prompts/a/v1.prompt", "one, longer")
        #expect(try await signalled(signal))
        // Once the save's events are in, nothing more: no signal (the flag is taken once).
        try await Task.sleep(for: .milliseconds(100))
        _ = signal.takePending()
        try await Task.sleep(for: .milliseconds(200))
        #expect(signal.takePending() == false)
        // A family made after the watch began is watched too: a file saved in it later is seen.
        try FileManager.default.createDirectory(at: content.root.appendingPathComponent("prompts/b/deeper"), withIntermediateDirectories: true)
        #expect(try await signalled(signal))
        try await Task.sleep(for: .milliseconds(100))
        _ = signal.takePending()
        try Data("two".utf8).write(to: content.root.appendingPathComponent("prompts/b/deeper/v1.prompt"))
        #expect(try await signalled(signal))
        // Site.json replaced by an editor's atomic save.
        try Data("{ \"title\": \"T\" }".utf8).write(to: config, options: .atomic)
        #expect(try await signalled(signal))
        #expect(signal.gaveUp == false)
    }

    /// More folders than it may watch: no signal (the loop polls), and nothing breaks on the way.
    @Test func tooManyFoldersGiveNoSignal() throws {
        let content = try TemporaryContent(["prompts/a/v1.prompt": "one", "prompts/b/v1.prompt": "two"])
        #expect(ChangeSignal.make(watching: [content.root], maximumFolders: 2) == nil)
        #expect(ChangeSignal.make(watching: [content.root], maximumFolders: 4) != nil)
    }

    /// A folder made after the watch began counts against the limit too: past it, the signal gives up.
    @Test func givesUpWhenANewFolderPassesTheLimit() async throws {
        let content = try TemporaryContent(["prompts/a/v1.prompt": "one"])
        let signal = try #require(ChangeSignal.make(watching: [content.root], maximumFolders: 3))
        #expect(signal.gaveUp == false)
        try FileManager.default.createDirectory(at: content.root.appendingPathComponent("prompts/b"), withIntermediateDirectories: true)
        for _ in 0..<100 where !signal.gaveUp { try await Task.sleep(for: .milliseconds(20)) }
        #expect(signal.gaveUp)
    }
}
#endif
