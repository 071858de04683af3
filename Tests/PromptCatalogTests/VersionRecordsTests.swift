import Diagnostics
import Foundation
@testable import PromptCatalog
import PromptTemplates
import Testing
import TestSupport

/// Parsed versions kept on disk between builds (`LoadMemo.write`, `LoadMemo.reading`): a version
/// read back is the version parsed, field by field, and a memo that is damaged, foreign or
/// hostile is never trusted.
@Suite struct VersionRecordsTests {
    /// Every field of a value, nested, as text: two versions print the same only when they hold the same.
    /// The indexes a version builds from its own lists are left out: dictionaries dump in no fixed order.
    private func dumped(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        var kept: [Substring] = []
        var skippingBelow: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            if let level = skippingBelow, indent > level { continue }
            skippingBelow = line.contains("variableIndex:") || line.contains("poolIndex:") ? indent : nil
            if skippingBelow == nil { kept.append(line) }
        }
        return kept.joined(separator: "\n")
    }

    /// The first line where the two values' dumps differ, or nil when they are the same.
    private func difference(_ read: Any, _ parsed: Any) -> String? {
        let left = dumped(read).split(separator: "\n", omittingEmptySubsequences: false)
        let right = dumped(parsed).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, pair) in zip(left, right).enumerated() where pair.0 != pair.1 {
            return "line \(index + 1): read `\(pair.0)`, parsed `\(pair.1)`"
        }
        return left.count == right.count ? nil : "read \(left.count) lines, parsed \(right.count)"
    }

    /// Writes a memo's bytes where a build would (its folder made first).
    static func write(_ data: Data, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    private func roundTrip(_ loaded: Loaded<PromptVersion>, file: String) throws -> Loaded<PromptVersion> {
        var writer = VersionRecords.Writer()
        writer.loaded(loaded, file: file)
        return try writer.bytes.withUnsafeBytes { bytes in
            var reader = VersionRecords.Reader(bytes, file: file)
            let read = try reader.loaded()
            #expect(reader.position == bytes.count)
            return read
        }
    }

    /// Versions that use every field: pools with weights, nested example paths, every kind of
    /// include, an escaped brace, template errors, text that is not ASCII, a default that is a mapping.
    static let richFiles: [String: String] = [
        "prompts/rich/family.yaml": "title: Rich\nprompt_type: visual\nlabels: { production: 1 }\n",
        "prompts/rich/v1.prompt": """
            ---
            version: 1
            branch: main
            message: "Première — 初版"
            author: ana
            date: 2025-12-15T16:20:00Z
            semver: 1.0.0
            tags: [a, "b c"]
            providers: [video, loremind]
            negative: blurry, "low" quality
            variables:
              lead: { type: string, max_length: 30, required: true, description: Who leads }
              time: { type: enum, values: [dusk, night, "3"], default: dusk }
              count: { type: int, min: -2, max: 1.5e+3, default: 4 }
              ratio: { type: float, default: 0.25 }
              flag: { type: bool, default: yes }
              style.mood: { type: mystery, default: { a: [1, 2.5, null, ~] } }
            strategies: [always, per_player]
            randomization:
              weather: [rain, "fog, thick", snow]
              hour: { values: [dawn, noon], weights: [0.75, 0.25] }
            provider_hints:
              video: { duration: 5, quality: 720p, loop: true }
            examples:
              - name: first
                vars: { lead: Mara, time: night, style.mood: calm, count: 3 }
              - { name: "second é", vars: { lead: "Ünal 🐙" } }
            ---
            {{lead}} at {{ time }} \\{{not a variable}} in {{weather}} — {{> other@production}} {{> other@2}} {{>other}}
            and {{style.mood}} {{broken {{ 1bad }} {{
            """,
        "prompts/rich/v2.prompt": "---\nversion: 2\nparent: 1\nunknown_field: 3\nvariables: { x: 5 }\n---\n{{x}} {{x}}\n",
        "prompts/rich/v3.prompt": "---\nversion: [3]\n---\n",
        "prompts/rich/v4.prompt": "no front matter at all\n",
        "prompts/other/family.yaml": "title: Other\nprompt_type: visual\n",
        "prompts/other/v1.prompt": "---\nversion: 1\n---\nother\n",
        "prompts/other/v2.prompt": "---\nversion: 2\nparent: 1\n---\nother two\n",
    ]

    @Test func everyVersionReadsBackAsParsed() throws {
        let tree = ContentTree(root: URL(fileURLWithPath: "/in-memory-content"), memory: Self.richFiles.mapValues { Data($0.utf8) })
        var checked = 0
        for path in Self.richFiles.keys.sorted() where path.hasSuffix(".prompt") {
            let folder = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
            let entry = try #require(tree.entries(in: folder).first { $0.name == name })
            let number = Int(name.dropFirst().dropLast(".prompt".count))!
            let loaded = VersionLoader.load(entry, family: (folder as NSString).lastPathComponent, number: number)
            let read = try roundTrip(loaded, file: path)
            #expect(difference(read.value as Any, loaded.value as Any) == nil, "\(path)")
            #expect(read.diagnostics == loaded.diagnostics, "\(path)")
            checked += loaded.value == nil ? 0 : 1
        }
        #expect(checked == 5)
        // Every version of the sample content too.
        let sample = CatalogLoader.load(contentDirectory: Repository.sampleContent)
        let versions = sample.catalog.families.flatMap(\.versions)
        #expect(versions.count > 30)
        for version in versions {
            let read = try roundTrip(Loaded(value: version, diagnostics: []), file: version.file)
            #expect(difference(read.value as Any, Optional(version) as Any) == nil, "\(version.file)")
        }
    }

    @Test func theRichVersionKeepsWhatMattersMost() throws {
        let loaded = CatalogLoader.load(files: Self.richFiles)
        let version = try #require(loaded.catalog.family("rich")?.version(1))
        let read = try #require(try roundTrip(Loaded(value: version, diagnostics: []), file: version.file).value)
        #expect(read.template.source == version.template.source)
        #expect(read.template.segments == version.template.segments)
        #expect(read.template.errorCount == version.template.errorCount && read.template.errorCount >= 2)
        #expect(read.template.segments.contains(.text(" {{not a variable}} in ")))
        #expect(read.message == "Première — 初版")
        #expect(read.date == version.date && read.date != nil)
        #expect(read.pool("hour")?.pool.weights == [0.75, 0.25])
        #expect(read.variable("count")?.max?.value == 1500)
        #expect(read.examples.map(\.name) == ["first", "second é"])
        #expect(read.frontMatter == version.frontMatter)
        #expect(read.sourceDigest == version.sourceDigest)
        #expect(read.location(of: TemplatePosition(line: 2, column: 3)) == version.location(of: TemplatePosition(line: 2, column: 3)))
    }

    @Test func aDiagnosticInAnotherFileKeepsItsFile() throws {
        let diagnostics: [Diagnostic] = [
            .error("yaml-syntax", "bad", at: SourceLocation(file: "prompts/a/v1.prompt", line: 3, column: 7), hint: "fix it"),
            .warning("other", "elsewhere", at: SourceLocation(file: "prompts/b/family.yaml", line: 1)),
            .info("nowhere", "no place", at: nil),
        ]
        let read = try roundTrip(Loaded<PromptVersion>(value: nil, diagnostics: diagnostics), file: "prompts/a/v1.prompt")
        #expect(read.value == nil)
        #expect(read.diagnostics == diagnostics)
    }

    /// Bytes that are not a record never crash the reader, never hang it and never make a version.
    @Test func hostileBytesAreUnreadable() throws {
        let version = try #require(CatalogLoader.load(files: Self.richFiles).catalog.family("rich")?.version(1))
        var writer = VersionRecords.Writer()
        writer.loaded(Loaded(value: version, diagnostics: []), file: version.file)
        let good = writer.bytes
        var generator = SplitMix(seed: 7)
        var unreadable = 0
        for trial in 0..<3000 {
            var bytes = good
            switch trial % 3 {
            case 0: bytes = Array(bytes.prefix(generator.next(bytes.count)))
            case 1: for _ in 0..<4 { bytes[generator.next(bytes.count)] = UInt8(generator.next(256)) }
            default: bytes = (0..<generator.next(400)).map { _ in UInt8(generator.next(256)) }
            }
            let outcome = bytes.withUnsafeBytes { raw in
                var reader = VersionRecords.Reader(raw, file: version.file)
                return Result { try reader.loaded() }
            }
            if case .failure = outcome { unreadable += 1 }
        }
        // Truncations and random bytes are nearly all unreadable; a flipped byte inside a string still reads.
        #expect(unreadable > 1500)
        // Nesting deeper than any YAML the reader accepts is refused, not recursed into.
        func node(nestedIn depth: Int) -> SourceNode? {
            // `depth` sequences of one item each, around a null, every one at the version's file.
            let opening: [UInt8] = Array([[UInt8]](repeating: [8, 1], count: depth).joined())
            let closing: [UInt8] = Array([[UInt8]](repeating: [0, 0, 0], count: depth).joined())
            let bytes: [UInt8] = opening + [0, 0, 0, 0, 0] + closing
            return bytes.withUnsafeBytes { raw in
                var reader = VersionRecords.Reader(raw, file: "x")
                return try? reader.node()
            }
        }
        #expect(node(nestedIn: 100)?.items?.count == 1)
        #expect(node(nestedIn: 129) == nil)
        #expect(node(nestedIn: 100_000) == nil)
        // A line or column past any file's (it could overflow when lines are added) is refused.
        for line in [Int.max, -1, VersionRecords.maximumPosition + 1] {
            var writer = VersionRecords.Writer()
            writer.file = "x"
            writer.location(Diagnostics.SourceLocation(file: "x", line: line, column: 1))
            let read = writer.bytes.withUnsafeBytes { raw in
                var reader = VersionRecords.Reader(raw, file: "x")
                return try? reader.location()
            }
            #expect(read == nil, "line \(line)")
        }
    }

    @Test func aMemoOnDiskIsReadBackAndNeverTrustedWhenDamagedOrForeign() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-records-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = folder.appendingPathComponent("Content")
        for (path, text) in Self.richFiles {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let later: @Sendable () -> Double = { Date().timeIntervalSince1970 + 60 }
        let file = folder.appendingPathComponent("cache/versions/memo.bin")
        let (empty, none) = LoadMemo.reading(file, identity: "binary A", clock: later)
        #expect(none == nil)
        let fresh = CatalogLoader.load(contentDirectory: content, memo: empty)
        #expect(empty.reused == 0)
        #expect(empty.changedByLastLoad)
        try Self.write(empty.encoded(identity: "binary A"), to: file)

        // Another process: every version file is taken from the memo, and the catalog is the same.
        let (memo, note) = LoadMemo.reading(file, identity: "binary A", clock: later)
        #expect(note == nil)
        let recalled = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 6)
        #expect(!memo.changedByLastLoad)
        #expect(difference(recalled.catalog.families, fresh.catalog.families) == nil)
        #expect(recalled.diagnostics == fresh.diagnostics)

        // An edited file is parsed again.
        try Data("---\nversion: 2\nparent: 1\n---\nother edited\n".utf8).write(to: content.appendingPathComponent("prompts/other/v2.prompt"))
        let edited = CatalogLoader.load(contentDirectory: content, memo: memo)
        #expect(memo.reused == 5)
        #expect(edited.catalog.family("other")?.version(2)?.template.source == "other edited")

        // Written by another binary, cut short, or with one byte changed: ignored with a note.
        #expect(LoadMemo.reading(file, identity: "binary B").note?.contains("another promptsite") == true)
        var bytes = try [UInt8](Data(contentsOf: file))
        bytes[bytes.count / 2] ^= 0x20
        try Data(bytes).write(to: file)
        let (damaged, why) = LoadMemo.reading(file, identity: "binary A", clock: later)
        #expect(why?.contains("damaged") == true)
        _ = CatalogLoader.load(contentDirectory: content, memo: damaged)
        #expect(damaged.reused == 0)
        try Data("promptsite parsed".utf8).write(to: file)
        #expect(LoadMemo.reading(file, identity: "binary A").note?.contains("is not one") == true)
        // Past the bound (a sparse 2 GB file) or a folder: not read at all.
        #expect(truncate(file.path, off_t(2) << 30) == 0)
        #expect(LoadMemo.reading(file, identity: "binary A").note == "parsed-version cache ignored: it is over 1024 MB; every version is parsed")
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        #expect(LoadMemo.reading(file, identity: "binary A").note == "parsed-version cache ignored: it is not a regular file; every version is parsed")
        // Nor through a link (the cache folder is the build's own).
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/etc/hostname")
        #expect(LoadMemo.reading(file, identity: "binary A").note == "parsed-version cache ignored: it cannot be read; every version is parsed")
    }
}
