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
    /// The family a version belongs to, or the family that versions a block (nil: none).
    public let family: String?

    public init(kind: Kind, location: SourceLocation, family: String?) {
        self.kind = kind
        self.location = location
        self.family = family
    }

    /// `family@N` or `block <id>`.
    public var name: String {
        switch kind {
        case .version(let family, let number): "\(family)@\(number)"
        case .block(let id): "block \(id)"
        }
    }

    /// Versions of one family, and a block with the family that versions it, are meant to be alike.
    public func sameFamily(as other: PromptItem) -> Bool {
        guard let family, let otherFamily = other.family else { return false }
        return family == otherFamily
    }
}

/// Prompts at least `similarity.threshold` alike, grouped into clusters.
public struct PromptCluster: Sendable {
    /// 1, 2, 3… in the order of the clusters' first members.
    public let number: Int
    public let members: [PromptItem]
    /// The distinct families among the members (a block no family versions counts as its own).
    public let familyCount: Int

    /// A cluster inside one family is expected (a family's versions are alike); across families it is reported.
    public var spansFamilies: Bool { familyCount > 1 }
}

/// Every version's and action-block prompt's near-duplicates, computed once per build.
public struct SimilarPrompts: Sendable {
    public let threshold: Double
    public let items: [PromptItem]
    public let clusters: [PromptCluster]
    private let clusterOfItem: [Int?]
    private let nearest: [[SimilarityGroups.Neighbour]]
    private let indexByKind: [PromptItem.Kind: Int]

    public static let none = SimilarPrompts(threshold: 1, items: [], groups: nil)

    /// Finds the clusters among the catalog's versions and action-block prompts. `memo`: what an
    /// earlier build made of each prompt's text (the result is the same without it).
    public init(_ catalog: Catalog, threshold: Double, memo: SimilarityMemo? = nil) {
        var items: [PromptItem] = []
        var texts: [String] = []
        for family in catalog.families {
            for version in family.versions {
                items.append(PromptItem(kind: .version(family: family.slug, number: version.number), location: version.location, family: family.slug))
                texts.append(version.template.source)
            }
        }
        for block in catalog.blocks where !block.prompt.source.isEmpty {
            items.append(PromptItem(kind: .block(id: block.id), location: block.promptLocation ?? block.location,
                                    family: catalog.familyVersioning(block: block.id)?.slug))
            texts.append(block.prompt.source)
        }
        let digests = memo == nil ? nil : texts.map { text in
            var text = text
            return text.withUTF8 { XXH64.hash(UnsafeRawBufferPointer($0)) }
        }
        self.init(threshold: threshold, items: items, groups: NearDuplicateFinder(threshold: threshold).groups(in: texts, digests: digests, memo: memo))
    }

    private init(threshold: Double, items: [PromptItem], groups: SimilarityGroups?) {
        self.threshold = threshold
        self.items = items
        clusterOfItem = groups?.clusterOf ?? []
        nearest = groups?.nearest ?? []
        var indexByKind: [PromptItem.Kind: Int] = [:]
        for (index, item) in items.enumerated() where indexByKind[item.kind] == nil { indexByKind[item.kind] = index }
        self.indexByKind = indexByKind
        clusters = (groups?.clusters ?? []).enumerated().map { number, members in
            let list = members.map { items[$0] }
            let families = Set(list.map { $0.family ?? "\u{0}" + $0.name })
            return PromptCluster(number: number + 1, members: list, familyCount: families.count)
        }
    }

    /// The cluster a prompt belongs to, if any.
    public func cluster(of kind: PromptItem.Kind) -> PromptCluster? {
        guard let index = indexByKind[kind], let cluster = clusterOfItem[index] else { return nil }
        return clusters[cluster]
    }

    /// The few most similar prompts, most similar first.
    public func mostSimilar(to kind: PromptItem.Kind) -> [(item: PromptItem, similarity: Double)] {
        guard let index = indexByKind[kind] else { return [] }
        return nearest[index].map { (items[$0.index], $0.similarity) }
    }

    /// `near-duplicate` infos: at most one per prompt. In a cluster that spans families, every member
    /// outside the family of the cluster's first member is reported, naming the cluster, its size
    /// and its most similar prompt from another family.
    public func diagnostics() -> [Diagnostic] {
        clusters.filter(\.spansFamilies).flatMap { cluster -> [Diagnostic] in
            let first = cluster.members[0]
            return cluster.members.dropFirst().filter { !$0.sameFamily(as: first) }.map { member in
                let other = mostSimilar(to: member.kind).first { !$0.item.sameFamily(as: member) && $0.item != member }
                let alike = other.map { "\(SimilarPrompts.percent($0.similarity)) alike to \($0.item.name) (\($0.item.location.file))" }
                    ?? "alike to \(first.name) (\(first.location.file))"
                return .info("near-duplicate", "\(member.name) is \(alike), in near-duplicate cluster \(cluster.number) of \(cluster.members.count) prompts",
                             at: member.location, hint: "if they are the same prompt, keep one family and version it; otherwise make the difference clear")
            }
        }
    }

    /// `0.905` → `91%`.
    public static func percent(_ similarity: Double) -> String { "\(Int((similarity * 100).rounded()))%" }
}
