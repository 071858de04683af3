import Diagnostics
import PromptCatalog
import PromptTemplates

// PixSim7's content packs: the packs index, a page per pack (manifest, matrix presets as tables),
// per block and per template (slots with candidates, sample compositions, lengths), and
// `api/v1/content-packs.json`.

extension SitePaths {
    public static let contentPacks = "content-packs/index.html"
    public static let contentPacksAPI = "api/v1/content-packs.json"

    /// `content-packs/<kind>/<pack>/index.html`.
    public static func contentPack(_ pack: String, kind: PackKind) -> String { "content-packs/\(kind.rawValue)/\(pathSegment(pack))/index.html" }

    /// `content-packs/<kind>/<pack>/blocks/<block id>/index.html` (ids are unique within a pack).
    public static func contentPackBlock(_ block: PackBlock) -> String {
        "content-packs/\(block.kind.rawValue)/\(pathSegment(block.pack))/blocks/\(pathSegment(block.id))/index.html"
    }

    /// `content-packs/<kind>/<pack>/templates/<slug>/index.html` (slugs are unique within a pack).
    public static func contentPackTemplate(_ template: PackTemplate) -> String {
        "content-packs/\(template.kind.rawValue)/\(pathSegment(template.pack))/templates/\(pathSegment(template.slug))/index.html"
    }
}

struct ContentPacksPage: Encodable, Sendable {
    let page: PageFrame
    let packs: [ContentPackRow]
    let blockCount: Int
    let templateCount: Int
    let hasPacks: Bool
    let blocksURL: String
    let apiURL: String
}

struct ContentPackRow: Encodable, Sendable {
    let name: String
    let kind: String
    let url: String
    let title: String?
    let description: String?
    let blockCount: Int
    let templateCount: Int
}

struct ContentPackPage: Encodable, Sendable {
    let page: PageFrame
    let name: String
    let kind: String
    let folder: String
    let manifest: ContentPackManifestView?
    let matrices: [PackMatrixView]
    let blocks: [PackBlockRow]
    let templates: [PackTemplateRow]
    let diagnostics: [DiagnosticRow]
    let indexURL: String
}

struct ContentPackManifestView: Encodable, Sendable {
    let file: String
    let fields: [PackFieldRow]
}

struct PackFieldRow: Encodable, Sendable {
    let name: String
    let value: String
}

/// A matrix preset: blocks counted by the row key's value × the column key's value.
struct PackMatrixView: Encodable, Sendable {
    let label: String
    let rowKey: String
    let columnKey: String
    let filter: String
    let columns: [String]
    let rows: [PackMatrixRow]
    let isEmpty: Bool
}

struct PackMatrixRow: Encodable, Sendable {
    let value: String
    let cells: [PackMatrixCell]
}

struct PackMatrixCell: Encodable, Sendable {
    let count: Int
    let blocks: [Link]
}

struct PackBlockRow: Encodable, Sendable {
    let id: String
    let url: String
    let category: String
    let text: String
    let length: Int
}

struct PackTemplateRow: Encodable, Sendable {
    let slug: String
    let url: String
    let name: String
    let slotCount: Int
    let combinations: String
}

struct PackBlockPage: Encodable, Sendable {
    let page: PageFrame
    let id: String
    let pack: Link
    let kind: String
    let category: String
    let text: String
    let length: Int
    let location: String
    let schemaID: String?
    let variantKey: String?
    let tags: [PackFieldRow]
    /// The first `PagePlanner.packSlotCandidateLimit` slots the block can fill, and how many more there are.
    let slots: [Link]
    let moreSlots: Int
    let hasMoreSlots: Bool
    let diagnostics: [DiagnosticRow]
    let indexURL: String
}

struct PackTemplatePage: Encodable, Sendable {
    let page: PageFrame
    let slug: String
    let name: String
    let description: String?
    let pack: Link
    let strategy: String
    let location: String
    let slots: [PackSlotView]
    let combinations: String
    let composable: Bool
    let shortest: String?
    let shortestLength: Int
    let longest: String?
    let longestLength: Int
    let samples: [String]
    let providers: [PackProviderFit]
    let diagnostics: [DiagnosticRow]
    let indexURL: String
}

struct PackSlotView: Encodable, Sendable {
    let name: String
    let label: String
    let filter: String
    let optional: Bool
    let candidateCount: Int
    let candidates: [Link]
    let more: Int
    let hasMore: Bool
    let empty: Bool
}

struct PackProviderFit: Encodable, Sendable {
    let id: String
    let limit: Int
    let shortestFits: Bool
    let longestFits: Bool
}

extension PagePlanner {
    /// A slot page lists at most this many candidates (the JSON API counts them all).
    static let packSlotCandidateLimit = 50

    func contentPackPages() -> [PlannedPage] {
        let packs = catalog.contentPacks
        let compositions = packs.compositions
        let fills = SlotsByBlock(compositions, listed: Self.packSlotCandidateLimit)
        return [contentPacksIndex(packs)] + packs.packs.map { contentPackPage($0, packs: packs, compositions: compositions) }
            + packs.blocks.map { packBlockPage($0, compositions: compositions, fills: fills) }
            + compositions.map(packTemplatePage)
    }

    /// The template slots each block can fill, found in one pass over the slots' candidates: looking
    /// through every slot's candidates for every block was blocks × slots × candidates (a thousand
    /// blocks and slots of one category took seconds). A block page lists the first `listed` and
    /// counts the rest, as a slot lists its candidates.
    struct SlotsByBlock {
        struct Fills {
            /// (composition, slot) indices, in template then slot order.
            var listed: [(composition: Int, slot: Int)] = []
            var count = 0
        }

        private var fills: [String: Fills] = [:]

        init(_ compositions: [PackComposition], listed limit: Int) {
            for (compositionIndex, composition) in compositions.enumerated() {
                for (slotIndex, fill) in composition.slots.enumerated() {
                    var seen = Set<String>()
                    for candidate in fill.candidates {
                        let key = Self.key(pack: candidate.pack, id: candidate.id)
                        guard seen.insert(key).inserted else { continue }
                        fills[key, default: Fills()].count += 1
                        if fills[key]!.listed.count < limit { fills[key]!.listed.append((compositionIndex, slotIndex)) }
                    }
                }
            }
        }

        func of(_ block: PackBlock) -> Fills { fills[Self.key(pack: block.pack, id: block.id)] ?? Fills() }

        private static func key(pack: String, id: String) -> String { pack + "\u{0}" + id }
    }

    func contentPackFiles() -> [OutputFile] {
        [.json(SitePaths.contentPacksAPI, contentPacksDocument())]
    }

    private func contentPacksIndex(_ packs: ContentPacks) -> PlannedPage {
        let path = SitePaths.contentPacks
        let rows = packs.packs.map { pack in
            ContentPackRow(name: pack.name, kind: pack.kind.rawValue, url: SitePaths.link(from: path, to: SitePaths.contentPack(pack.name, kind: pack.kind)),
                           title: pack.manifest?.title, description: pack.manifest?.description, blockCount: packs.blocks(in: pack).count,
                           templateCount: packs.templates(in: pack).count)
        }
        let model = ContentPacksPage(page: PageFrame(path: path, title: "Content packs", section: "blocks", site: site), packs: rows,
                                     blockCount: packs.blocks.count, templateCount: packs.templates.count, hasPacks: !rows.isEmpty,
                                     blocksURL: SitePaths.link(from: path, to: SitePaths.blocks),
                                     apiURL: SitePaths.link(from: path, to: SitePaths.contentPacksAPI))
        return PlannedPage(path: path, template: "content-packs", model: model)
    }

    private func contentPackPage(_ pack: ContentPack, packs: ContentPacks, compositions: [PackComposition]) -> PlannedPage {
        let path = SitePaths.contentPack(pack.name, kind: pack.kind)
        let blocks = packs.blocks(in: pack)
        let manifest = pack.manifest.map { manifest in
            ContentPackManifestView(file: manifest.file, fields: [("id", manifest.id), ("title", manifest.title), ("description", manifest.description),
                                                                  ("version", manifest.version), ("category", manifest.category),
                                                                  ("package_name", manifest.packageName)]
                .compactMap { name, value in value.map { PackFieldRow(name: name, value: $0) } })
        }
        let templates = compositions.filter { $0.template.pack == pack.name && $0.template.kind == pack.kind }.map { composition in
            PackTemplateRow(slug: composition.template.slug, url: SitePaths.link(from: path, to: SitePaths.contentPackTemplate(composition.template)),
                            name: composition.template.name, slotCount: composition.template.slots.count, combinations: "\(composition.combinations)")
        }
        let files = Set(blocks.map(\.location.file) + packs.templates(in: pack).map(\.location.file) + [pack.manifest?.file].compactMap { $0 })
        let model = ContentPackPage(
            page: PageFrame(path: path, title: pack.manifest?.title ?? pack.name, section: "blocks", site: site),
            name: pack.name, kind: pack.kind.rawValue, folder: pack.folder, manifest: manifest,
            matrices: (pack.manifest?.matrixPresets ?? []).map { matrix($0, blocks: packs.blocks, from: path) },
            blocks: blocks.map { block in
                PackBlockRow(id: block.id, url: SitePaths.link(from: path, to: SitePaths.contentPackBlock(block)), category: block.category,
                             text: block.text, length: block.text.characterCount)
            },
            templates: templates, diagnostics: diagnostics(in: files.sorted(), from: path),
            indexURL: SitePaths.link(from: path, to: SitePaths.contentPacks))
        return PlannedPage(path: path, template: "content-pack", model: model)
    }

    /// A matrix preset as a table: PixSim7's `row_key`/`col_key` are `category`, `package_name`, `role` or `tag:<key>`.
    private func matrix(_ preset: MatrixPreset, blocks: [PackBlock], from path: String) -> PackMatrixView {
        func value(_ key: String, of block: PackBlock) -> String? {
            switch key {
            case "category": block.category
            case "package_name": block.packageName ?? block.tagText("source_pack")
            case "role": block.tagText("role")
            default: key.hasPrefix("tag:") ? block.tagText(String(key.dropFirst(4))) : nil
            }
        }
        let selected = blocks.filter { block in
            (preset.packageName.map { block.packageName == $0 || block.tagText("source_pack") == $0 } ?? true)
                && preset.tags.allSatisfy { block.tagText($0.key) == $0.value }
        }
        let none = "—"
        var columns: [String] = []
        var rows: [String] = []
        var cells: [String: [String: [PackBlock]]] = [:]
        for block in selected {
            let row = value(preset.rowKey, of: block) ?? none, column = value(preset.columnKey, of: block) ?? none
            if !rows.contains(row) { rows.append(row) }
            if !columns.contains(column) { columns.append(column) }
            cells[row, default: [:]][column, default: []].append(block)
        }
        let filter = ([preset.packageName.map { "package \($0)" }] + preset.tags.map { "\($0.key):\($0.value)" }).compactMap { $0 }.joined(separator: ", ")
        return PackMatrixView(
            label: preset.label, rowKey: preset.rowKey, columnKey: preset.columnKey, filter: filter, columns: columns,
            rows: rows.map { row in
                PackMatrixRow(value: row, cells: columns.map { column in
                    let found = cells[row]?[column] ?? []
                    return PackMatrixCell(count: found.count, blocks: found.map {
                        Link(text: $0.variantKey ?? $0.id, url: SitePaths.link(from: path, to: SitePaths.contentPackBlock($0)))
                    })
                })
            },
            isEmpty: selected.isEmpty)
    }

    private func packBlockPage(_ block: PackBlock, compositions: [PackComposition], fills: SlotsByBlock) -> PlannedPage {
        let path = SitePaths.contentPackBlock(block)
        let found = fills.of(block)
        let slots = found.listed.map { compositionIndex, slotIndex in
            let composition = compositions[compositionIndex], fill = composition.slots[slotIndex]
            return Link(text: "\(composition.template.slug) · \(fill.slot.name)", url: SitePaths.link(from: path, to: SitePaths.contentPackTemplate(composition.template)))
        }
        let own = (diagnosticsByFile[block.location.file] ?? []).filter { diagnostic in
            diagnostic.message.contains("`\(block.id)`") || diagnostic.location == block.location
        }
        let model = PackBlockPage(
            page: PageFrame(path: path, title: block.id, section: "blocks", site: site),
            id: block.id, pack: Link(text: block.pack, url: SitePaths.link(from: path, to: SitePaths.contentPack(block.pack, kind: block.kind))),
            kind: block.kind.rawValue, category: block.category, text: block.text, length: block.text.characterCount, location: block.location.description,
            schemaID: block.schemaID, variantKey: block.variantKey,
            tags: block.tags.map { PackFieldRow(name: $0.key, value: $0.value.pythonText) }, slots: slots,
            moreSlots: found.count - slots.count, hasMoreSlots: found.count > slots.count,
            diagnostics: own.map { row($0, from: path) }, indexURL: SitePaths.link(from: path, to: SitePaths.contentPacks))
        return PlannedPage(path: path, template: "content-pack-block", model: model)
    }

    private func packTemplatePage(_ composition: PackComposition) -> PlannedPage {
        let template = composition.template
        let path = SitePaths.contentPackTemplate(template)
        let limit = Self.packSlotCandidateLimit
        let slots = composition.slots.map { fill in
            PackSlotView(name: fill.slot.name, label: fill.slot.label, filter: fill.slot.filterDescription, optional: fill.slot.optional,
                         candidateCount: fill.candidates.count,
                         candidates: fill.candidates.prefix(limit).map { Link(text: $0.id, url: SitePaths.link(from: path, to: SitePaths.contentPackBlock($0))) },
                         more: max(0, fill.candidates.count - limit), hasMore: fill.candidates.count > limit, empty: fill.candidates.isEmpty)
        }
        let shortest = composition.shortest, longest = composition.longest
        let providers = (project.config.defaultProviders.compactMap { catalog.provider($0) }.nilIfEmpty ?? catalog.providers).compactMap { provider in
            provider.promptLimit.map { limit in
                PackProviderFit(id: provider.id, limit: limit, shortestFits: (shortest?.count ?? 0) <= limit, longestFits: (longest?.count ?? 0) <= limit)
            }
        }
        let own = (diagnosticsByFile[template.location.file] ?? []).filter { $0.message.contains("`\(template.slug)`") }
        let model = PackTemplatePage(
            page: PageFrame(path: path, title: template.slug, section: "blocks", site: site),
            slug: template.slug, name: template.name, description: template.description,
            pack: Link(text: template.pack, url: SitePaths.link(from: path, to: SitePaths.contentPack(template.pack, kind: template.kind))),
            strategy: template.compositionStrategy, location: template.location.description, slots: slots,
            combinations: "\(composition.combinations)", composable: composition.isComposable,
            shortest: shortest, shortestLength: shortest?.count ?? 0, longest: longest, longestLength: longest?.count ?? 0,
            samples: composition.samples(3), providers: providers, diagnostics: own.map { row($0, from: path) },
            indexURL: SitePaths.link(from: path, to: SitePaths.contentPacks))
        return PlannedPage(path: path, template: "content-pack-template", model: model)
    }

    /// Every block (`block_id`, `pack`, `category`, `text`, `tags`) and every template (`slug`, `pack`, slots with candidate counts).
    func contentPacksDocument() -> JSONValue {
        let packs = catalog.contentPacks
        return .object([
            ("packs", .array(packs.packs.map { pack in
                .object([("name", .string(pack.name)), ("kind", .string(pack.kind.rawValue)), ("title", .optional(pack.manifest?.title)),
                         ("blocks", .int(packs.blocks(in: pack).count)), ("templates", .int(packs.templates(in: pack).count))])
            })),
            ("blocks", .array(packs.blocks.map { block in
                .object([("block_id", .string(block.id)), ("pack", .string(block.pack)), ("kind", .string(block.kind.rawValue)),
                         ("category", .string(block.category)), ("text", .string(block.text)), ("tags", .object(block.tags.map { ($0.key, $0.value) }))])
            })),
            ("templates", .array(packs.compositions.map { composition in
                .object([
                    ("slug", .string(composition.template.slug)), ("pack", .string(composition.template.pack)),
                    ("combinations", .int(composition.combinations)),
                    ("shortest_length", .optional(composition.shortest?.count)), ("longest_length", .optional(composition.longest?.count)),
                    ("slots", .array(composition.slots.map { fill in
                        .object([("key", .optional(fill.slot.key)), ("label", .string(fill.slot.label)), ("category", .optional(fill.slot.category)),
                                 ("optional", .bool(fill.slot.optional)), ("candidates", .int(fill.candidates.count))])
                    })),
                ])
            })),
        ])
    }
}

private extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
