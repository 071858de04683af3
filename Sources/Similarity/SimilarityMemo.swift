import Foundation
import Synchronization

/// What near-duplicate detection made of each text, kept between runs
/// (`.promptsite-cache/similar/`): by a hash of the text's bytes, its word multiset and its LSH
/// bucket keys. A rebuild after one edit then cuts into words and signs only the edited text;
/// the candidate pairs are measured as always, so the result is the one without a memo.
///
/// Bucket keys are kept for the finder's settings (threshold, bands, rows): a memo made with
/// others recalls nothing. The memo a run leaves holds the texts that run met, no more.
public final class SimilarityMemo: Sendable {
    struct Text: Sendable {
        let multiset: WordMultiset
        /// The text's bucket in each band (an identical copy's are its representative's; empty for a text with no words).
        let keys: [UInt64]
    }

    private struct Contents: Sendable {
        var settings: [UInt64] = []
        var texts: [UInt64: Text] = [:]
    }

    /// What an earlier run left (recalled), what this run met (the next memo), and how many it met anew.
    private let state: Mutex<(last: Contents, current: Contents, added: Int)>
    /// Signalled once the memo on disk is read (`reading(identity:bytes:)` reads it on another thread).
    private let read = DispatchSemaphore(value: 0)
    private let readNote = Mutex<String?>(nil)

    public init() {
        state = Mutex((Contents(), Contents(), 0))
        read.signal()
    }

    /// The memo in `bytes` (a file's bytes, nil when there is none, or why it is not read), written
    /// by the binary `identity`, read on another thread while the content loads: empty when there
    /// is none, and with a `note` when the file is damaged or another binary's.
    public static func reading(identity: String, bytes: @escaping @Sendable () -> Result<Data?, any Error>) -> SimilarityMemo {
        let memo = SimilarityMemo(reading: ())
        DispatchQueue.global(qos: .userInitiated).async {
            let (contents, note) = Self.contents(of: bytes(), identity: identity)
            memo.state.withLock { $0.last = contents }
            memo.readNote.withLock { $0 = note }
            memo.read.signal()
        }
        return memo
    }

    private init(reading: Void) { state = Mutex((Contents(), Contents(), 0)) }

    /// Why the memo on disk was not used, once it is read.
    public var note: String? {
        waitForRead()
        return readNote.withLock { $0 }
    }

    private func waitForRead() {
        read.wait()
        read.signal()
    }

    /// The memo, emptied if it was made with other settings than `finder`'s.
    func recalling(finder: NearDuplicateFinder) -> SimilarityMemo {
        let settings = [finder.threshold.bitPattern, UInt64(finder.bands), UInt64(finder.rows)]
        waitForRead()
        state.withLock {
            // A second run with the same memo recalls what the first met.
            if !$0.current.texts.isEmpty { $0.last = $0.current }
            if $0.last.settings != settings { $0.last = Contents(settings: settings) }
            $0.current = Contents(settings: settings)
            $0.added = 0
        }
        return self
    }

    func texts(_ digests: [UInt64]) -> [Text?] {
        state.withLock { state in digests.map { state.last.texts[$0] } }
    }

    func record(_ texts: [(UInt64, Text)]) {
        state.withLock { state in
            var added = 0
            for (digest, text) in texts where state.current.texts.updateValue(text, forKey: digest) == nil && state.last.texts[digest] == nil {
                added += 1
            }
            state.added = added
        }
    }

    /// How many distinct texts the last run took from the memo.
    public var recalled: Int {
        waitForRead()
        return state.withLock { $0.current.texts.count - $0.added }
    }

    /// Whether the memo is worth writing again: at least one text in 32 of the last run was new
    /// (a few new ones cost less to cut into words again than writing every text).
    public var changedByLastRun: Bool {
        waitForRead()
        return state.withLock { $0.added > 0 && $0.added >= $0.current.texts.count / 32 }
    }

    // MARK: On disk: 64-bit little-endian words, the last one a checksum of the others.

    private static let magic: UInt64 = 0x7073_5F73_696D_3032  // "ps_sim02"
    /// A memo larger than this is not read (about 0.5 KB per prompt: two million prompts).
    public static let maximumFileBytes = 1 << 30

    private static func contents(of bytes: Result<Data?, any Error>, identity: String) -> (Contents, String?) {
        let data: Data
        switch bytes {
        case .success(let read?): data = read
        case .success(nil): return (Contents(), nil)
        case .failure(let problem): return (Contents(), "similarity cache ignored: \(problem); every prompt is measured")
        }
        let contents = data.withUnsafeBytes { raw -> Contents? in
            guard raw.count % 8 == 0, raw.count >= 8 * 7 else { return nil }
            let count = raw.count / 8
            let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
            defer { words.deallocate() }
            for index in 0..<count { words[index] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
            guard checksum(UnsafeBufferPointer(rebasing: words[..<(count - 1)])) == words[count - 1], words[0] == magic, words[1] == hash(identity) else { return nil }
            var position = 2
            let end = count - 1
            func take(_ wanted: Int) -> Range<Int>? {
                guard wanted >= 0, end - position >= wanted else { return nil }
                defer { position += wanted }
                return position..<position + wanted
            }
            var contents = Contents()
            guard let settings = take(3), let total = take(1) else { return nil }
            contents.settings = Array(words[settings])
            contents.texts.reserveCapacity(Int(min(words[total.lowerBound], UInt64(end))))
            for _ in 0..<min(words[total.lowerBound], UInt64(end)) {
                guard let head = take(4) else { return nil }
                let (textDigest, multisetDigest, occurrences, distinct) = (words[head.lowerBound], words[head.lowerBound + 1], words[head.lowerBound + 2], words[head.lowerBound + 3])
                guard occurrences <= 1 << 40, distinct <= UInt64(end), let pairs = take(2 * Int(distinct)), let keyCount = take(1),
                      words[keyCount.lowerBound] <= 64, let keys = take(Int(words[keyCount.lowerBound])) else { return nil }
                // A multiset is taken only as `WordMultiset(text:)` makes one: words sorted and
                // distinct, each counted at least once, the counts summing to the size, the digest
                // its own (so no count can overflow a measure, whatever the bytes).
                var list: [WordMultiset.Word] = []
                list.reserveCapacity(Int(distinct))
                var digest: UInt64 = 0, sum: UInt64 = 0
                for at in stride(from: pairs.lowerBound, to: pairs.upperBound, by: 2) {
                    let (hash, count) = (words[at], words[at + 1])
                    guard count >= 1, count <= occurrences, list.last.map({ $0.hash < hash }) ?? true else { return nil }
                    sum += count
                    guard sum <= occurrences else { return nil }
                    digest = WordMultiset.fold(digest, hash, count: count)
                    list.append(WordMultiset.Word(hash: hash, count: Int(count)))
                }
                guard sum == occurrences, digest == multisetDigest else { return nil }
                contents.texts[textDigest] = Text(multiset: WordMultiset(words: list, count: Int(occurrences), digest: multisetDigest), keys: Array(words[keys]))
            }
            return position == end ? contents : nil
        }
        guard let contents else { return (Contents(), "similarity cache ignored: it is damaged or was written by another promptsite; every prompt is measured") }
        return (contents, nil)
    }

    /// What the last run met, as the bytes `reading(identity:bytes:)` reads back.
    public func encoded(identity: String) -> Data {
        waitForRead()
        let contents = state.withLock { $0.current }
        var words: [UInt64] = [Self.magic, Self.hash(identity)] + contents.settings
        words.append(UInt64(contents.texts.count))
        for (digest, text) in contents.texts.sorted(by: { $0.key < $1.key }) {
            words += [digest, text.multiset.digest, UInt64(text.multiset.count), UInt64(text.multiset.words.count)]
            for word in text.multiset.words { words += [word.hash, UInt64(word.count)] }
            words.append(UInt64(text.keys.count))
            words += text.keys
        }
        words.append(words.withUnsafeBufferPointer { Self.checksum($0) })
        return words.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    static func checksum(_ words: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var sum: UInt64 = 0x5EED
        for word in words { sum = mix(sum ^ word) }
        return sum
    }

    private static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
