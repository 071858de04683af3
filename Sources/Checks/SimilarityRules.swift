import Diagnostics
import PromptCatalog
import Similarity

/// A prompt that takes part in near-duplicate detection: a version or an action block.
public struct PromptItem: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case version(family: String, number: Int)
        case block(id: String)
    }

    public let kind: Kind
    public let location: SourceLocation

    /// `family@N` or `block <id>`.
    public var name: String {
        switch kind {
        case .version(let family, let number): "\(family)@\(number)"
        case .block(let id): "block \(id)"
        }
    }

    /// The family a version belongs to, or the family that versions a block.
    func family(in catalog: Catalog) -> String? {
        switch kind {
        case .version(let family, _): family
        case .block(let id): catalog.familyVersioning(block: id)?.slug
        }
    }
}

/// Two prompts whose texts are at least `similarity.threshold` alike (Jaccard of 2-word shingles).
public struct NearDuplicate: Sendable {
    public let first: PromptItem
    public let second: PromptItem
    public let similarity: Double
}

/// Near-duplicates across every version and action-block prompt, found with MinHash/LSH
/// (never all pairs). Versions of one family, and a block with the family that versions it,
/// are meant to be alike: they are listed as similar but not reported.
public enum NearDuplicates {
    public static func find(in catalog: Catalog, threshold: Double) -> [NearDuplicate] {
        var items: [PromptItem] = []
        var texts: [String] = []
        for family in catalog.families {
            for version in family.versions {
                items.append(PromptItem(kind: .version(family: family.slug, number: version.number), location: version.location))
                texts.append(version.template.source)
            }
        }
        for block in catalog.blocks where !block.prompt.source.isEmpty {
            items.append(PromptItem(kind: .block(id: block.id), location: block.promptLocation ?? block.location))
            texts.append(block.prompt.source)
        }
        return NearDuplicateFinder(threshold: threshold).pairs(in: texts).map {
            NearDuplicate(first: items[$0.first], second: items[$0.second], similarity: $0.similarity)
        }
    }

    /// `near-duplicate` infos: one per pair from different families, at the second prompt.
    public static func diagnostics(_ pairs: [NearDuplicate], catalog: Catalog) -> [Diagnostic] {
        pairs.compactMap { pair in
            let a = pair.first.family(in: catalog), b = pair.second.family(in: catalog)
            if let a, let b, a == b { return nil }
            let percent = Int((pair.similarity * 100).rounded())
            return .info("near-duplicate", "\(pair.second.name) is \(percent)% similar to \(pair.first.name) (\(pair.first.location.file))",
                         at: pair.second.location, hint: "if they are the same prompt, keep one family and version it; otherwise make the difference clear")
        }
    }
}
