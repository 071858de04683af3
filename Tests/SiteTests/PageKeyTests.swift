import Diagnostics
import Foundation
import PageTemplates
import PromptCatalog
@testable import Site
import Synchronization
import Testing
import TestSupport

/// Pages named by the key of their inputs: skipped when the key is the last build's, planned
/// otherwise, and verified (when asked) to be the same page when they were skipped.
@Suite struct PageKeyTests {
    struct Note: Encodable, Sendable { let text: String }

    /// Counts how often the page was planned.
    final class Planner: Sendable {
        let count = Mutex(0)
        let text: String
        init(_ text: String) { self.text = text }
        var plan: @Sendable () -> any PageModel {
            { [self] in
                count.withLock { $0 += 1 }
                return Note(text: text)
            }
        }
    }

    static let library: PageTemplateLibrary = {
        var library = PageTemplateLibrary()
        try! library.register("<p>{{text}}</p>", named: "note")
        return library
    }()

    func prepare(_ planner: Planner, key: UInt64?, previous: OutputRecord?, verify: Bool = false) -> PreparedOutput {
        PreparedOutput(.page("notes/index.html", template: "note", key: key, plan: planner.plan), salt: 7, library: Self.library,
                       previous: previous, verifyKeys: verify)
    }

    @Test func aPageWithAKeyIsFingerprintedByItAndPlannedOnlyToBeWritten() throws {
        let first = Planner("harbor")
        let made = prepare(first, key: 42, previous: nil)
        // The key names the page: nothing is planned or hashed until its bytes are asked for.
        #expect(first.count.withLock { $0 } == 0)
        #expect(!made.keyMatched && made.key == 42 && made.failure == nil)
        #expect(String(decoding: try made.produce(), as: UTF8.self) == "<p>harbor</p>")
        #expect(first.count.withLock { $0 } == 1)

        // Same key: the same fingerprint, and nothing is planned…
        let record = OutputRecord(fingerprint: made.fingerprint, size: 13, key: 42)
        let again = Planner("harbor")
        let skipped = prepare(again, key: 42, previous: record)
        #expect(again.count.withLock { $0 } == 0)
        #expect(skipped.keyMatched && skipped.fingerprint == made.fingerprint && skipped.key == 42)
        // …until the old file turns out to be unusable and the page is made after all.
        #expect(String(decoding: try skipped.produce(), as: UTF8.self) == "<p>harbor</p>")
        #expect(again.count.withLock { $0 } == 1)

        // Another key: another fingerprint, so the page is written anew.
        let changed = Planner("lantern")
        let replanned = prepare(changed, key: 43, previous: record)
        #expect(!replanned.keyMatched && replanned.fingerprint != made.fingerprint)
        #expect(String(decoding: try replanned.produce(), as: UTF8.self) == "<p>lantern</p>")
        // The same key at another path is another file.
        let elsewhere = PreparedOutput(.page("other/index.html", template: "note", key: 42, plan: Planner("harbor").plan), salt: 7,
                                       library: Self.library, previous: nil)
        #expect(elsewhere.fingerprint != made.fingerprint)

        // No key: planned at once and fingerprinted by what it holds (the same page, the same fingerprint).
        let unkeyed = Planner("harbor")
        let always = prepare(unkeyed, key: nil, previous: nil)
        let twin = prepare(Planner("harbor"), key: nil, previous: OutputRecord(fingerprint: always.fingerprint, size: 13, key: nil))
        let other = prepare(Planner("lantern"), key: nil, previous: nil)
        #expect(unkeyed.count.withLock { $0 } == 1 && !always.keyMatched && always.key == nil)
        #expect(twin.fingerprint == always.fingerprint && other.fingerprint != always.fingerprint)
    }

    @Test func verifyingCatchesAKeyThatMissesAnInput() throws {
        // A user's build: the same key for a page that changed is taken as the same page.
        let made = prepare(Planner("harbor"), key: 42, previous: nil)
        let stale = prepare(Planner("lantern"), key: 42, previous: OutputRecord(fingerprint: made.fingerprint, size: 13, key: 42))
        #expect(stale.fingerprint == made.fingerprint && stale.failure == nil)
        // Verifying builds (the tests) fingerprint keyed pages by what they hold, and plan them anyway.
        let checked = prepare(Planner("harbor"), key: 42, previous: nil, verify: true)
        #expect(checked.fingerprint != made.fingerprint)
        let record = OutputRecord(fingerprint: checked.fingerprint, size: 13, key: 42)
        let verified = prepare(Planner("lantern"), key: 42, previous: record, verify: true)
        let failure = try #require(verified.failure)
        #expect(failure.step == "verify page keys")
        #expect(failure.message.hasPrefix("notes/index.html: its key matched the last build's but the page changed"))
        // The same page under verification: planned, and no complaint.
        let same = prepare(Planner("harbor"), key: 42, previous: record, verify: true)
        #expect(same.keyMatched && same.failure == nil && same.fingerprint == checked.fingerprint)
    }

    @Test func aJSONDocumentIsFingerprintedByItsValues() throws {
        let document = JSONValue.object([("name", .string("harbor")), ("versions", .array([.int(1), .int(2)]))])
        let file = PreparedOutput(.json("api/v1/x.json", document), salt: 1, library: Self.library)
        #expect(String(decoding: try file.produce(), as: UTF8.self) == "{\n  \"name\": \"harbor\",\n  \"versions\": [\n    1,\n    2\n  ]\n}\n")
        let same = PreparedOutput(.json("api/v1/x.json", document), salt: 1, library: Self.library)
        let other = PreparedOutput(.json("api/v1/x.json", .object([("name", .string("harbor")), ("versions", .array([.int(1), .int(3)]))])),
                                   salt: 1, library: Self.library)
        // A string "1" and a number 1 are different documents.
        let quoted = PreparedOutput(.json("api/v1/x.json", .object([("name", .string("harbor")), ("versions", .array([.int(1), .string("2")]))])),
                                    salt: 1, library: Self.library)
        #expect(file.fingerprint == same.fingerprint)
        #expect(file.fingerprint != other.fingerprint && file.fingerprint != quoted.fingerprint)
    }

    @Test func theCacheListingReadsBackWhatItWroteAndRejectsDamage() throws {
        let records = ["a b/index.html": OutputRecord(fingerprint: 0xFFFF_FFFF_FFFF_FFFF, size: 0, key: 0x1F, modified: 1_764_547_200_123_456_789),
                       "feed.xml": OutputRecord(fingerprint: 0, size: 123_456, key: nil, modified: -5),
                       "old.html": OutputRecord(fingerprint: 1, size: 1, key: nil, modified: 0)]
        let text = String(decoding: SiteCache.listing(records), as: UTF8.self)
        // One line per file, in the dictionary's order (which changes from process to process).
        #expect(text.split(separator: "\n").sorted() == ["0 123456 - -5 feed.xml", "1 1 - 0 old.html", "ffffffffffffffff 0 1f 1764547200123456789 a b/index.html"])
        #expect(text.hasSuffix("\n"))
        #expect(SiteCache.parse(text) == records)
        #expect(SiteCache.parse("") == [:])
        for damaged in ["ff 1 - 0 x", "ff 1 -0 x\n", "ff 1 0 x\n", "FF 1 - 0 x\n", "ff -1 - 0 x\n", "ff 1 - 0 \n", "1ffffffffffffffff 1 - 0 x\n",
                        "ff 1 - 0 x\nff\n", "ff 99999999999999999999 - 0 x\n", "ff 1 - x\n", "ff 1 - -x 0\n", "ff 1 - 1a x\n",
                        "ff 1 - 99999999999999999999 x\n", "ff 1 - --1 x\n"] {
            #expect(SiteCache.parse(damaged) == nil, "\(damaged.debugDescription) was read")
        }
    }

    /// Three unrelated families: editing one version replans its family's files only.
    @Test func oneEditPlansOnlyItsFamilysPages() throws {
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: project) }
        let content = project.appendingPathComponent("Content")
        let texts = ["harbor", "lantern", "orchard"].map { word in
            (0..<40).map { "\(word)\($0 * 7 % 13)" }.joined(separator: " ")
        }
        for (index, slug) in ["alpha", "beta", "gamma"].enumerated() {
            let folder = content.appendingPathComponent("prompts/\(slug)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("title: \(slug.capitalized)\nprompt_type: visual\n".utf8).write(to: folder.appendingPathComponent("family.yaml"))
            for number in 1...3 {
                let parent = number > 1 ? "parent: \(number - 1)\n" : ""
                try Data("---\nversion: \(number)\n\(parent)message: m\(number)\n---\n\(texts[index]) v\(number)\n".utf8)
                    .write(to: folder.appendingPathComponent("v\(number).prompt"))
            }
        }
        func build() throws -> BuildResult {
            try BuiltSite.build(content: content, project: project) { $0.defaultProviders = [] }.result
        }
        let first = try build()
        #expect(first.keyMatched == 0)
        let unchanged = try build()
        // Every family page, version page and family document (3 + 9 + 3), the catalog, the search
        // index, the feed, the three CI reports and the sitemap taken on their keys; nothing rendered.
        #expect(unchanged.keyMatched == 22 && unchanged.rendered == 0)

        let v2 = content.appendingPathComponent("prompts/beta/v2.prompt")
        try Data(try String(contentsOf: v2, encoding: .utf8).replacingOccurrences(of: "m2", with: "a new message").utf8).write(to: v2)
        let edited = try build()
        // beta's family page, three version pages and document, the catalog, the search index and
        // the feed (it shows messages) are planned; alpha's and gamma's 10 files and the reports
        // (the diagnostics did not change) and the sitemap are not.
        #expect(edited.keyMatched == 14)
        #expect(edited.rendered > 0)

        // A new template text: the feed shows no text, so it is taken on its key too.
        try Data(try String(contentsOf: v2, encoding: .utf8).replacingOccurrences(of: "v2\n", with: "v2 at dusk\n").utf8).write(to: v2)
        let retexted = try build()
        #expect(retexted.keyMatched == 15)
        #expect(try String(contentsOf: project.appendingPathComponent("Output/prompts/beta/v2/index.html"), encoding: .utf8).contains("at dusk"))
    }

    /// A version page shows what other files decide: its near-duplicates in other families and
    /// among the action blocks, and its providers' limits. Editing only those files must replan it:
    /// each incremental build (verifying keys) gives the bytes a build from scratch gives. The
    /// diagnostics these edits also cause are silenced, so only the page's own tables tell.
    @Test func editsInOtherFilesReplanTheVersionPagesThatShowThem() throws {
        let text = (0..<40).map { "harbor\($0 * 7 % 13)" }.joined(separator: " ")
        let content = try TemporaryContent([
            "providers/inkwell.yaml": Fixture.provider("inkwell", limit: 1000),
            "prompts/alpha/family.yaml": "title: Alpha\nprompt_type: visual\n",
            "prompts/alpha/v1.prompt": "---\nversion: 1\n---\n\(text)\n",
            "prompts/beta/family.yaml": "title: Beta\nprompt_type: visual\n",
            "prompts/beta/v1.prompt": "---\nversion: 1\n---\n\(text) again\n",
            "prompts/gamma/family.yaml": "title: Gamma\nprompt_type: visual\n",
            "prompts/gamma/v1.prompt": "---\nversion: 1\n---\nAn orchard in the rain.\n",
        ])
        func build(into output: String = "Output", incremental: Bool = true) throws -> BuiltSite {
            try BuiltSite.build(content: content.root, project: content.project, output: content.project.appendingPathComponent(output),
                                incremental: incremental) { $0.checks.ignore = ["near-duplicate", "over-limit"] }
        }
        _ = try build()
        let page = "prompts/alpha/v1/index.html"
        let edits: [(what: String, shown: String, edit: () throws -> Void)] = [
            ("beta no longer alike", "beta@1", { try content.write("prompts/beta/v1.prompt", "---\nversion: 1\n---\nA gull over the quay.\n") }),
            ("inkwell's limit lowered", "over the limit", { try content.write("providers/inkwell.yaml", Fixture.provider("inkwell", limit: 100)) }),
            ("an action block alike", "action block", {
                try content.write("action-blocks/walks.json", #"[{"id": "walk", "kind": "single_state", "prompt": "\#(text)"}]"#)
            }),
        ]
        for (index, step) in edits.enumerated() {
            let before = try build(into: "Before\(index)", incremental: false).text(page)
            try step.edit()
            let incremental = try build()
            let full = try build(into: "Full\(index)", incremental: false).text(page)
            // gamma's pages are taken on their keys: the verification compared them.
            #expect(incremental.result.keyMatched > 0, "\(step.what)")
            #expect(try incremental.text(page) == full, "\(step.what)")
            #expect(before.contains(step.shown) != full.contains(step.shown), "\(step.what) does not show on \(page)")
        }
    }
}
