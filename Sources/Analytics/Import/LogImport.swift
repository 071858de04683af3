import Foundation
import PromptCatalog

/// `promptsite import logs` as a plan (SPEC §2.10, §4): inline generations — records with
/// prompt text and neither `version` nor `block` — grouped into families by text
/// similarity, each distinct text a version. Pure: generations in, files out; reading the
/// log and writing the files are the command's job.
///
/// **Similarity.** A text is its words: lowercased, apostrophes dropped (`keeper's` →
/// `keepers`), split at every character that is not a letter or a digit. Its shingles are
/// those words plus every pair of adjacent words, so both the vocabulary and the word order
/// count. Two texts compare by the Jaccard index of their shingle sets. A text joins the
/// family holding the text it is most similar to (single linkage: the best match over the
/// family's texts, so a chain of small edits stays one family) when that similarity is at
/// least the threshold (default 0.5), else it starts a new family. Ties go to the older
/// family. Candidates are found through an inverted index of shingles, so the work grows
/// with the overlap between texts, not with the square of their number.
///
/// **Order.** Distinct texts are taken in order of first use (earliest `created_at`, then
/// the first line that used it; texts never dated come after the dated ones, in file order).
/// A family's versions are its texts in that order, each the child of the one before.
public enum LogImport {
    /// One inline generation, as read from the log.
    public struct InlineGeneration: Hashable, Sendable {
        public let prompt: String
        /// 1-based line in the log file.
        public let line: Int
        /// `created_at` as written, if any.
        public let createdAt: String?
        public let provider: String?

        public init(prompt: String, line: Int, createdAt: String? = nil, provider: String? = nil) {
            self.prompt = prompt
            self.line = line
            self.createdAt = createdAt
            self.provider = provider
        }
    }

    /// What already exists in the content folder.
    public struct Existing: Sendable {
        /// Family folder names under `prompts/` (loaded families and any folder on disk).
        public var slugs: Set<String>
        /// Template source of every existing version → `family@N`: an inline text whose
        /// escaped form is already a version is not imported again.
        public var versionSources: [String: String]
        /// Known provider ids and the kind of prompt each takes (nil when its operations do
        /// not tell). Providers the catalog does not define are never written into `providers:`.
        public var providers: [String: PromptType?]

        public init(slugs: Set<String> = [], versionSources: [String: String] = [:], providers: [String: PromptType?] = [:]) {
            self.slugs = slugs
            self.versionSources = versionSources
            self.providers = providers
        }

        /// The families, versions and providers of `catalog`, plus the folders found on disk.
        public init(catalog: Catalog, folders: Set<String> = []) {
            slugs = folders.union(catalog.families.map(\.slug))
            var sources: [String: String] = [:]
            for family in catalog.families {
                for version in family.versions where sources[version.template.source] == nil {
                    sources[version.template.source] = version.id
                }
            }
            versionSources = sources
            var providers: [String: PromptType?] = [:]
            for provider in catalog.providers { providers[provider.id] = LogImport.promptType(operations: provider.operations) }
            self.providers = providers
        }
    }

    /// One distinct prompt text, to become `v<number>.prompt`.
    public struct PlannedVersion: Hashable, Sendable {
        public let number: Int
        /// The version before it in the family; nil for v1.
        public let parent: Int?
        /// The prompt as it appeared in the log.
        public let text: String
        /// How many inline generations used it.
        public let uses: Int
        public let firstUse: Date?
        public let lastUse: Date?
        /// The first line of the log that used it.
        public let firstLine: Int
        /// The catalog's providers it was generated with, sorted.
        public let providers: [String]

        /// The template body: the text with every `{{` written `\{{`, so it renders as itself.
        public var body: String { LogImport.escaped(text) }
    }

    public struct PlannedFamily: Hashable, Sendable {
        public let slug: String
        public let title: String
        public let promptType: PromptType
        public let versions: [PlannedVersion]

        public var uses: Int { versions.reduce(0) { $0 + $1.uses } }
        public var firstUse: Date? { versions.compactMap(\.firstUse).min() }
        public var lastUse: Date? { versions.compactMap(\.lastUse).max() }
    }

    /// An inline text that is already a version in the catalog.
    public struct AlreadyImported: Hashable, Sendable {
        public let text: String
        /// `family@N`
        public let version: String
        public let uses: Int
    }

    /// One file to write, relative to the content directory.
    public struct PlannedFile: Hashable, Sendable {
        public let path: String
        public let contents: String
    }

    public struct Plan: Hashable, Sendable {
        public let families: [PlannedFamily]
        public let alreadyImported: [AlreadyImported]
        /// Where the generations came from, as the files' messages name it.
        public let source: String

        /// `prompts/<slug>/family.yaml`, then its `v<N>.prompt` files, family by family.
        public var files: [PlannedFile] { families.flatMap(files(of:)) }

        /// `prompts/<slug>/family.yaml` and the family's `v<N>.prompt` files.
        public func files(of family: PlannedFamily) -> [PlannedFile] {
            [PlannedFile(path: "prompts/\(family.slug)/family.yaml", contents: LogImport.familyFile(family, source: source))]
                + family.versions.map { PlannedFile(path: "prompts/\(family.slug)/v\($0.number).prompt", contents: LogImport.versionFile($0, source: source)) }
        }
    }

    public static let defaultThreshold = 0.5
    /// A slug is made of at most this many significant words of the first prompt.
    public static let slugWords = 5

    /// Groups `generations` (in file order) into new families. `source` names the log in
    /// the files written (e.g. `logs/2026-10.jsonl`).
    public static func plan(_ generations: [InlineGeneration], existing: Existing = Existing(), source: String,
                            threshold: Double = defaultThreshold) -> Plan {
        let texts = distinctTexts(generations)
        var alreadyImported: [AlreadyImported] = []
        var fresh: [DistinctText] = []
        for text in texts {
            if let version = existing.versionSources[escaped(text.text)] {
                alreadyImported.append(AlreadyImported(text: text.text, version: version, uses: text.uses))
            } else {
                fresh.append(text)
            }
        }
        let groups = cluster(fresh.map(\.text), threshold: threshold)
        var taken = existing.slugs
        let families = groups.map { members -> PlannedFamily in
            let slug = uniqueSlug(slug(for: fresh[members[0]].text), taken: &taken)
            let versions = members.enumerated().map { offset, index in
                let text = fresh[index]
                return PlannedVersion(number: offset + 1, parent: offset == 0 ? nil : offset, text: text.text, uses: text.uses,
                                      firstUse: text.firstUse, lastUse: text.lastUse, firstLine: text.firstLine,
                                      providers: text.providers.filter { existing.providers[$0] != nil }.sorted())
            }
            let kinds = Set(members.flatMap { fresh[$0].providers }.compactMap { existing.providers[$0] ?? nil })
            return PlannedFamily(slug: slug, title: title(for: fresh[members[0]].text), promptType: promptType(kinds), versions: versions)
        }
        return Plan(families: families, alreadyImported: alreadyImported, source: source)
    }

    // MARK: - Similarity

    /// Lowercased words, apostrophes dropped, split at everything but letters and digits.
    public static func words(_ text: String) -> [String] {
        text.lowercased().filter { $0 != "'" && $0 != "\u{2019}" }
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
    }

    /// The words and every pair of adjacent words (`"a b"`; a word never holds a space).
    public static func shingles(_ text: String) -> Set<String> {
        let words = words(text)
        var result = Set(words)
        for (first, second) in zip(words, words.dropFirst()) { result.insert(first + " " + second) }
        return result
    }

    /// Jaccard index of the two texts' shingle sets: 1 for the same words in the same
    /// order, 0 for nothing in common (and for two texts without any word).
    public static func similarity(_ first: String, _ second: String) -> Double {
        let a = shingles(first), b = shingles(second)
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// Indices of `texts` grouped into families, each family's members in the order given,
    /// the families in order of their first member.
    ///
    /// A text joins the family of its most similar earlier text (ties to the older family) when
    /// that similarity is at least `threshold`. Only texts that can reach the threshold are
    /// compared (prefix filtering, as in set-similarity joins): with shingles ordered rarest first,
    /// two sets whose Jaccard index is at least t share one of their first |x| − ⌈t·|x|⌉ + 1. Every
    /// text used to be measured against every earlier one sharing any shingle — "the", "a" —
    /// so 20,000 English prompts took 46 s.
    /// How many earlier texts one text is measured against at most, rarest shared shingles first:
    /// 20,000 prompts from one template (all alike) took 230 s, every text against every earlier one.
    static let mostCandidates = 1_000

    static func cluster(_ texts: [String], threshold: Double) -> [[Int]] {
        var shingleIDs: [String: Int] = [:]
        var frequency: [Int] = []
        let sets: [[Int]] = texts.map { text in
            shingles(text).map { shingle -> Int in
                if let id = shingleIDs[shingle] { return id }
                shingleIDs[shingle] = frequency.count
                frequency.append(0)
                return frequency.count - 1
            }
        }
        for set in sets { for id in set { frequency[id] += 1 } }
        // Rarest first (then by id): the prefix of a set is its most selective shingles.
        let ordered = sets.map { set in set.sorted { (frequency[$0], $0) < (frequency[$1], $1) } }
        // Each text's distinct shingle ids in increasing order: two are intersected by one merge.
        let members = sets.map { Array(Set($0)).sorted() }
        func shared(_ a: [Int], _ b: [Int]) -> Int {
            var i = 0, j = 0, count = 0
            while i < a.count, j < b.count {
                if a[i] == b[j] {
                    count += 1
                    i += 1
                    j += 1
                } else if a[i] < b[j] {
                    i += 1
                } else {
                    j += 1
                }
            }
            return count
        }
        func prefixLength(_ size: Int) -> Int {
            guard size > 0 else { return 0 }
            // At least ⌈t·|x|⌉ shingles are shared; the epsilon keeps a rounding error from shortening the prefix.
            let shared = max(0, Int((threshold * Double(size) - 1e-9).rounded(.up)))
            return min(size, max(1, size - shared + 1))
        }
        var postings = [[Int]](repeating: [], count: frequency.count)   // shingle id → texts with it in their prefix
        var familyOf: [Int] = []
        var families: [[Int]] = []
        var seen = [Int](repeating: -1, count: texts.count)
        for index in texts.indices {
            let prefix = ordered[index].prefix(prefixLength(ordered[index].count))
            var best: (family: Int, similarity: Double)?
            var compared = 0
            candidates: for id in prefix {
                // The most recent first: a chain of edits is found at its last link.
                for other in postings[id].reversed() where seen[other] != index {
                    seen[other] = index
                    compared += 1
                    if compared > Self.mostCandidates { break candidates }
                    let common = shared(members[index], members[other])
                    let similarity = Double(common) / Double(members[index].count + members[other].count - common)
                    let family = familyOf[other]
                    if let current = best, similarity < current.similarity || (similarity == current.similarity && family > current.family) { continue }
                    best = (family, similarity)
                }
            }
            if let best, best.similarity >= threshold {
                familyOf.append(best.family)
                families[best.family].append(index)
            } else {
                familyOf.append(families.count)
                families.append([index])
            }
            for id in prefix { postings[id].append(index) }
        }
        return families
    }

    // MARK: - Names

    /// Words that say little about a prompt, left out of slugs.
    static let stopWords: Set<String> = [
        "a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "but", "by", "with", "for", "from", "into", "onto",
        "over", "under", "as", "is", "are", "was", "were", "be", "it", "its", "this", "that", "these", "those",
        "you", "your", "i", "we", "our", "my", "he", "she", "his", "her", "they", "their",
    ]

    /// The first significant words of `text` (at most `slugWords`), lowercased and
    /// hyphenated, letters folded to ASCII (`café` → `cafe`), at most 100 characters;
    /// `inline-prompt` when no word is left.
    public static func slug(for text: String) -> String {
        let ascii = words(text).map { word in
            word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                .filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }.filter { !$0.isEmpty }
        let significant = ascii.filter { !stopWords.contains($0) }
        let chosen = Array((significant.isEmpty ? ascii : significant).prefix(slugWords))
        guard !chosen.isEmpty else { return "inline-prompt" }
        return trimmedSlug(chosen.joined(separator: "-"), limit: 100)
    }

    /// `base`, else `base-2`, `base-3` … : the first not in `taken`, which it joins.
    static func uniqueSlug(_ base: String, taken: inout Set<String>) -> String {
        var candidate = base
        var number = 2
        while taken.contains(candidate) {
            let suffix = "-\(number)"
            candidate = trimmedSlug(base, limit: 100 - suffix.count) + suffix
            number += 1
        }
        taken.insert(candidate)
        return candidate
    }

    private static func trimmedSlug(_ slug: String, limit: Int) -> String {
        var result = String(slug.prefix(limit))
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }

    /// The first eight words of the prompt as written, with `…` when there are more.
    public static func title(for text: String) -> String {
        let words = text.split(whereSeparator: \.isWhitespace)
        var title = words.prefix(8).joined(separator: " ")
        if words.count > 8 {
            while let last = title.last, ",.;:-".contains(last) { title.removeLast() }
            title += "…"
        }
        return title.isEmpty ? "Inline prompt" : title
    }

    /// Visual when a provider makes images or video, narrative when it writes text.
    public static func promptType(operations: [String]) -> PromptType? {
        let visual = operations.contains { $0.contains("image") || $0.contains("video") }
        let narrative = operations.contains { ["chat", "completion", "dialogue", "text", "text_generation"].contains($0) }
        switch (visual, narrative) {
        case (true, true): return .hybrid
        case (true, false): return .visual
        case (false, true): return .narrative
        case (false, false): return nil
        }
    }

    /// A family is of the kind of every provider it ran on; both kinds make it hybrid, none visual.
    static func promptType(_ kinds: Set<PromptType>) -> PromptType {
        if kinds.contains(.hybrid) || (kinds.contains(.visual) && kinds.contains(.narrative)) { return .hybrid }
        return kinds.contains(.narrative) ? .narrative : .visual
    }

    /// The text as a template that renders as itself: `{{` becomes `\{{` (the only escape
    /// of the template language; `}}` and single braces are plain text).
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "{{", with: "\\{{")
    }

    // MARK: - Files

    static func familyFile(_ family: PlannedFamily, source: String) -> String {
        let texts = family.versions.count == 1 ? "1 prompt text" : "\(family.versions.count) prompt texts"
        let uses = family.uses == 1 ? "1 inline generation" : "\(family.uses) inline generations"
        var description = "Imported by `promptsite import logs` from \(source): \(uses) of \(texts)"
        if let first = family.firstUse, let last = family.lastUse { description += ", \(day(first)) to \(day(last))" }
        return [
            "title: \(quoted(family.title))",
            "description: \(quoted(description + "."))",
            "prompt_type: \(family.promptType.rawValue)",
            "tags: [\"imported\"]",
        ].joined(separator: "\n") + "\n"
    }

    /// Front matter, then the escaped text; the final newline is the one the loader drops.
    static func versionFile(_ version: PlannedVersion, source: String) -> String {
        var message = "From \(source): used \(version.uses) \(version.uses == 1 ? "time" : "times")"
        if let first = version.firstUse, let last = version.lastUse {
            message += day(first) == day(last) ? " on \(day(first))" : ", \(day(first)) to \(day(last))"
        }
        var lines = ["---", "version: \(version.number)"]
        if let parent = version.parent { lines.append("parent: \(parent)") }
        lines.append("message: \(quoted(message))")
        if let first = version.firstUse { lines.append("date: \(ISODate.format(first))") }
        if !version.providers.isEmpty { lines.append("providers: [\(version.providers.map(quoted).joined(separator: ", "))]") }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + version.body + "\n"
    }

    private static func day(_ date: Date) -> String { String(ISODate.format(date).prefix(10)) }

    /// A YAML double-quoted scalar (JSON escaping, which YAML accepts).
    static func quoted(_ text: String) -> String { BlockImport.quoted(text) }

    // MARK: - Distinct texts

    struct DistinctText {
        let text: String
        var uses: Int
        var firstUse: Date?
        var lastUse: Date?
        let firstLine: Int
        var providers: [String]
    }

    /// Every distinct prompt with its uses, dates and providers, in order of first use.
    static func distinctTexts(_ generations: [InlineGeneration]) -> [DistinctText] {
        var texts: [DistinctText] = []
        var index: [String: Int] = [:]
        for generation in generations {
            let date = generation.createdAt.flatMap(ISODate.parse)
            let position: Int
            if let known = index[generation.prompt] {
                position = known
                texts[position].uses += 1
                if let date {
                    texts[position].firstUse = min(texts[position].firstUse ?? date, date)
                    texts[position].lastUse = max(texts[position].lastUse ?? date, date)
                }
            } else {
                position = texts.count
                index[generation.prompt] = position
                texts.append(DistinctText(text: generation.prompt, uses: 1, firstUse: date, lastUse: date, firstLine: generation.line, providers: []))
            }
            if let provider = generation.provider, !provider.isEmpty, !texts[position].providers.contains(provider) {
                texts[position].providers.append(provider)
            }
        }
        // Stable: equal keys keep file order.
        return texts.enumerated().sorted { lhs, rhs in
            switch (lhs.element.firstUse, rhs.element.firstUse) {
            case let (a?, b?) where a != b: return a < b
            case (_?, nil): return true
            case (nil, _?): return false
            default: return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }
}

/// Collects the inline generations of a log file (SPEC §2.10: prompt text, neither
/// `version` nor `block`; empty values count as absent) and the lines it could not use.
public struct InlineGenerationCollector: LogSink {
    public private(set) var generations: [LogImport.InlineGeneration] = []
    /// Every record read, inline or not.
    public private(set) var records = 0
    public private(set) var malformedCount = 0
    /// The first `keptMessages` malformed lines.
    public private(set) var malformedLines: [(line: Int, column: Int?, message: String)] = []
    public let keptMessages: Int

    public init(keptMessages: Int = 5) { self.keptMessages = keptMessages }

    public mutating func record(_ record: LogRecordView, line: Int) {
        records += 1
        guard record.version?.isEmpty ?? true, record.block?.isEmpty ?? true, let prompt = record.prompt?.string,
              prompt.contains(where: { !$0.isWhitespace }) else { return }
        let provider = record.provider.map(\.string)
        generations.append(LogImport.InlineGeneration(prompt: prompt, line: line, createdAt: record.createdAt?.string,
                                                      provider: provider?.isEmpty == true ? nil : provider))
    }

    public mutating func malformed(line: Int, column: Int?, message: String) {
        malformedCount += 1
        if malformedLines.count < keptMessages { malformedLines.append((line, column, message)) }
    }
}
