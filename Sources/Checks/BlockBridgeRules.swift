import Diagnostics
import PromptCatalog

/// The bridge between action blocks and versioned families (SPEC §2.4):
/// block-missing, block-unversioned, block-drift.
enum BlockBridgeRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        var diagnostics: [Diagnostic] = []
        let ids = catalog.blocks.map(\.id)
        for family in catalog.families {
            guard let id = family.actionBlock, catalog.block(id) == nil else { continue }
            let suggestion = closestMatch(to: id, in: ids).map { "did you mean `\($0)`? " } ?? ""
            diagnostics.append(.error("block-missing", "family `\(family.slug)` versions action block `\(id)`, which no action-blocks/*.json file defines",
                                      at: family.actionBlockLocation ?? SourceLocation(file: family.file), hint: "\(suggestion)fix `action_block:` or remove it"))
        }
        // The families of each block, found once (not by scanning every family for every block).
        let familiesOf = Dictionary(grouping: catalog.families.filter { $0.actionBlock != nil }) { $0.actionBlock! }
        var seen = Set<String>()
        for block in catalog.blocks where seen.insert(block.id).inserted {
            let families = familiesOf[block.id] ?? []
            if families.isEmpty {
                diagnostics.append(.warning("block-unversioned", "block `\(block.id)` has no family that versions it",
                                            at: block.idLocation,
                                            hint: "run `promptsite import blocks`, or add `action_block: \(block.id)` to a family.yaml"))
            }
            for family in families {
                guard let (version, label) = reference(family), version.template.source != block.prompt.source else { continue }
                diagnostics.append(.warning("block-drift", "the prompt of block `\(block.id)` differs from `\(family.slug)` v\(version.number) (\(label))",
                                            at: block.promptLocation ?? block.idLocation,
                                            hint: "add a new version of `\(family.slug)` with this prompt, or copy v\(version.number)'s text into the block"))
            }
        }
        return diagnostics
    }

    /// The version a block is compared with: `production`, else the latest.
    static func reference(_ family: PromptFamily) -> (PromptVersion, String)? {
        if let label = family.label("production"), let version = family.version(label.version) { return (version, "production") }
        return family.latest.map { ($0, "latest") }
    }
}
