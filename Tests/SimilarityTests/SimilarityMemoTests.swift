import Foundation
@testable import Similarity
import Testing

/// What a run made of each text, recalled by the next run: the groups come out as without a memo,
/// whatever changed in between, and a memo that is damaged, foreign or made with other settings
/// recalls nothing.
@Suite struct SimilarityMemoTests {
    /// A stable hash of a text (the build uses XXH64; any hash of the bytes serves).
    static func digest(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }

    static func same(_ a: SimilarityGroups, _ b: SimilarityGroups) -> Bool {
        a.clusters == b.clusters && a.clusterOf == b.clusterOf && a.nearest == b.nearest && a.measuredPairs == b.measuredPairs
    }

    /// 400 random prompts, 60 near copies and 20 identical copies (some texts have no words).
    static func texts() -> [String] {
        var generator = PromptGenerator(state: 11)
        var words: [[String]] = (0..<400).map { _ in generator.prompt(words: 40) }
        for original in 0..<60 { words.append(generator.nearCopy(of: words[original])) }
        for original in 100..<120 { words.append(words[original]) }
        return words.map { $0.joined(separator: " ") } + ["", "...", ""]
    }

    @Test func aRecalledRunGroupsAsAFreshOne() {
        let finder = NearDuplicateFinder(threshold: 0.85)
        var texts = Self.texts()
        let memo = SimilarityMemo()
        let first = finder.groups(in: texts, digests: texts.map(Self.digest), memo: memo)
        #expect(Self.same(first, finder.groups(in: texts)))
        #expect(first.clusters.count >= 60)
        #expect(memo.recalled == 0)
        #expect(memo.changedByLastRun)

        // Nothing changed: every text is recalled.
        #expect(Self.same(finder.groups(in: texts, digests: texts.map(Self.digest), memo: memo), first))
        #expect(memo.recalled == Set(texts).count, "identical texts share one digest")
        #expect(!memo.changedByLastRun)

        // A representative of identical copies is edited: its copy, recalled without keys of its
        // own, stands for them now and is signed. One text becomes a copy of another; one is new.
        texts[100] = "a text about nothing else"
        texts[5] = texts[6]
        texts.append("the keeper lights the lamp at dusk")
        let changed = finder.groups(in: texts, digests: texts.map(Self.digest), memo: memo)
        #expect(Self.same(changed, finder.groups(in: texts)))
        #expect(memo.recalled == Set(texts).count - 2, "the edited text and the new one are measured")

        // Other settings: nothing is recalled, and the groups are those settings' groups.
        let other = NearDuplicateFinder(threshold: 0.7)
        #expect(Self.same(other.groups(in: texts, digests: texts.map(Self.digest), memo: memo), other.groups(in: texts)))
        #expect(memo.recalled == 0)
    }

    /// Writes a memo's bytes where a build would (its folder made first).
    static func write(_ data: Data, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    /// The memo at `file` as the build reads it (the build reads the bytes bounded and unlinked).
    static func reading(_ file: URL, identity: String) -> SimilarityMemo {
        SimilarityMemo.reading(identity: identity) {
            guard let data = FileManager.default.contents(atPath: file.path) else { return .success(nil) }
            return data.count > SimilarityMemo.maximumFileBytes ? .failure(CocoaError(.fileReadTooLarge)) : .success(data)
        }
    }

    /// A memo whose checksum is right but whose multisets are not ones a text makes (a count of
    /// zero or near 2⁶⁴, words out of order): the whole memo is refused, nothing traps.
    @Test func multisetsAreCheckedNotTrusted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-similar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("memo.bin")
        let finder = NearDuplicateFinder(threshold: 0.85)
        let texts = ["the keeper lights the lamp", "the keeper lights the lamp at dusk", "gulls over the harbor"]
        let memo = SimilarityMemo()
        let expected = finder.groups(in: texts, digests: texts.map(Self.digest), memo: memo)
        try Self.write(memo.encoded(identity: "A"), to: file)
        let good = try Data(contentsOf: file).withUnsafeBytes { raw in (0..<raw.count / 8).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) } }
        #expect(Self.reading(file, identity: "A").note == nil)
        // The first text's first word count sits after the header (6 words) and its head (4).
        for (offset, value) in [(11, UInt64.max), (11, 0), (10, 0), (8, UInt64.max)] {
            var words = good
            words[offset] = value
            words[words.count - 1] = words.dropLast().withUnsafeBufferPointer { SimilarityMemo.checksum($0) }
            try words.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: file)
            let hostile = Self.reading(file, identity: "A")
            #expect(hostile.note?.contains("damaged") == true, "word \(offset) = \(value)")
            #expect(Self.same(finder.groups(in: texts, digests: texts.map(Self.digest), memo: hostile), expected))
        }
    }

    @Test func theMemoIsWrittenReadBackAndNeverTrustedWhenDamagedOrForeign() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-similar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("similar/memo.bin")
        let finder = NearDuplicateFinder(threshold: 0.85)
        let texts = Self.texts(), digests = texts.map(Self.digest)
        let fresh = Self.reading(file, identity: "A")
        #expect(fresh.note == nil)
        let expected = finder.groups(in: texts, digests: digests, memo: fresh)
        try Self.write(fresh.encoded(identity: "A"), to: file)

        let memo = Self.reading(file, identity: "A")
        #expect(memo.note == nil)
        #expect(Self.same(finder.groups(in: texts, digests: digests, memo: memo), expected))
        #expect(memo.recalled == Set(texts).count)

        let foreign = Self.reading(file, identity: "B")
        #expect(foreign.note?.hasPrefix("similarity cache ignored") == true)
        #expect(Self.same(finder.groups(in: texts, digests: digests, memo: foreign), expected))
        #expect(foreign.recalled == 0)

        var bytes = try [UInt8](Data(contentsOf: file))
        for offset in [8, bytes.count / 2, bytes.count - 1] {
            var damaged = bytes
            damaged[offset] ^= 0x40
            try Data(damaged).write(to: file)
            let memo = Self.reading(file, identity: "A")
            #expect(memo.note?.contains("damaged") == true, "byte \(offset)")
            #expect(Self.same(finder.groups(in: texts, digests: digests, memo: memo), expected))
        }
        bytes.removeLast(8)
        try Data(bytes).write(to: file)
        #expect(Self.reading(file, identity: "A").note != nil)
        try Data().write(to: file)
        #expect(Self.reading(file, identity: "A").note != nil)
        // What the bytes could not be read for is said.
        let refused = SimilarityMemo.reading(identity: "A") { .failure(CocoaError(.fileReadTooLarge)) }
        #expect(refused.note?.hasPrefix("similarity cache ignored: ") == true)
    }
}
