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

    @Test func theMemoIsWrittenReadBackAndNeverTrustedWhenDamagedOrForeign() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("promptsite-similar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("similar/memo.bin")
        let finder = NearDuplicateFinder(threshold: 0.85)
        let texts = Self.texts(), digests = texts.map(Self.digest)
        let fresh = SimilarityMemo.reading(file, identity: "A")
        #expect(fresh.note == nil)
        let expected = finder.groups(in: texts, digests: digests, memo: fresh)
        try fresh.write(to: file, identity: "A")

        let memo = SimilarityMemo.reading(file, identity: "A")
        #expect(memo.note == nil)
        #expect(Self.same(finder.groups(in: texts, digests: digests, memo: memo), expected))
        #expect(memo.recalled == Set(texts).count)

        let foreign = SimilarityMemo.reading(file, identity: "B")
        #expect(foreign.note?.hasPrefix("similarity cache ignored") == true)
        #expect(Self.same(finder.groups(in: texts, digests: digests, memo: foreign), expected))
        #expect(foreign.recalled == 0)

        var bytes = try [UInt8](Data(contentsOf: file))
        for offset in [8, bytes.count / 2, bytes.count - 1] {
            var damaged = bytes
            damaged[offset] ^= 0x40
            try Data(damaged).write(to: file)
            let memo = SimilarityMemo.reading(file, identity: "A")
            #expect(memo.note?.contains("damaged") == true, "byte \(offset)")
            #expect(Self.same(finder.groups(in: texts, digests: digests, memo: memo), expected))
        }
        bytes.removeLast(8)
        try Data(bytes).write(to: file)
        #expect(SimilarityMemo.reading(file, identity: "A").note != nil)
        try Data().write(to: file)
        #expect(SimilarityMemo.reading(file, identity: "A").note != nil)
        // Past the bound (a sparse 2 GB file): not read at all.
        #expect(truncate(file.path, off_t(2) << 30) == 0)
        #expect(SimilarityMemo.reading(file, identity: "A").note == "similarity cache ignored: memo.bin is not a regular file of at most 1024 MB; every prompt is measured")
    }
}
