import Diagnostics
import Foundation
@testable import PromptCatalog
import Testing

/// A long-running process parses again only the version files that changed since its last load.
@Suite struct LoadMemoTests {
    @Test func unchangedSettledFilesAreTakenFromTheMemo() throws {
        let content = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-memo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: content) }
        let hourAgo = Date().addingTimeInterval(-3600)
        func write(_ path: String, _ text: String, settled: Bool = true) throws {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            if settled { try FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: url.path) }
        }
        for family in ["alpha", "beta"] {
            try write("prompts/\(family)/family.yaml", "title: \(family)\nprompt_type: visual\n")
            for number in 1...3 {
                try write("prompts/\(family)/v\(number).prompt", "---\nversion: \(number)\n---\n\(family) text \(number) {{missing}}\n")
            }
        }
        // Setting the modification time changes the change time (now): the memo waits a second for it.
        Thread.sleep(forTimeInterval: 1.1)
        let memo = LoadMemo()
        let first = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 0)
        let second = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 6)
        // The same catalog and diagnostics as a load without a memo.
        let fresh = CatalogLoader.load(contentDirectory: content)
        for loaded in [first, second] {
            #expect(loaded.catalog.families.flatMap(\.versions).map(\.template.source) == fresh.catalog.families.flatMap(\.versions).map(\.template.source))
            #expect(loaded.diagnostics.map(\.description) == fresh.diagnostics.map(\.description))
        }

        // An edited file is parsed again; being that recent, it is not remembered yet.
        try write("prompts/beta/v2.prompt", "---\nversion: 2\n---\nbeta edited\n", settled: false)
        let edited = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 5)
        #expect(edited.catalog.family("beta")?.version(2)?.template.source == "beta edited")
        _ = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 5)

        // A deleted file is gone, and so is its memo entry.
        try FileManager.default.removeItem(at: content.appendingPathComponent("prompts/alpha/v3.prompt"))
        let deleted = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 4)
        #expect(deleted.catalog.family("alpha")?.versions.map(\.number) == [1, 2])
    }
}

/// `parallelMap` copied its results out of a buffer it then freed without releasing them:
/// everything a build mapped (versions, pages, lengths) stayed retained, 3 MB per rebuild of
/// the sample in `serve`, until the process ended.
@Suite struct ParallelMapTests {
    final class Probe: Sendable {}

    @Test func theResultsAreReleasedWithTheArray() {
        weak var first: Probe?
        weak var last: Probe?
        do {
            let results = parallelMap(Array(0..<100)) { _ in Probe() }
            first = results[0]
            last = results[99]
            #expect(first != nil && last != nil)
        }
        #expect(first == nil)
        #expect(last == nil)
        #expect(parallelMap([3, 1, 2]) { $0 * 10 } == [30, 10, 20])
    }
}
