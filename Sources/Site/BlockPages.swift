import Diagnostics
import Foundation
import PromptCatalog
import PromptTemplates

/// Where each block's page lives: `action-blocks/block/<segment>/index.html`, the segment
/// made from the id (`SitePaths.pathSegment`) and made unique for duplicate ids and for ids
/// that differ only in case (`~d2`, `~d3`… never come out of `pathSegment`).
struct BlockAddresses: Encodable, Sendable {
    /// Parallel to the blocks given.
    let paths: [String]
    /// The page of the first block with each id.
    let byID: [String: String]

    init(_ blocks: [ActionBlock]) {
        var taken = Set<String>()
        var paths: [String] = []
        var byID: [String: String] = [:]
        for block in blocks {
            let base = SitePaths.pathSegment(block.id)
            var segment = base, number = 2
            while !taken.insert(segment.lowercased()).inserted {
                segment = base + "~d\(number)"
                number += 1
            }
            let path = SitePaths.block(segment: segment)
            paths.append(path)
            if byID[block.id] == nil { byID[block.id] = path }
        }
        self.paths = paths
        self.byID = byID
    }
}

/// The content files under `action-blocks/` that get a page (every `.json` read, even one that failed to load).
func actionBlockFiles(_ catalog: Catalog) -> [String] {
    catalog.files.filter { $0.hasPrefix("action-blocks/") && $0.hasSuffix(".json") }
}

/// What a block file is: `package`, `library`, or nil when it was rejected (no package and
/// no block read, and an error reported in it) — a file that could not be read is neither.
func actionBlockFileShape(_ file: String, catalog: Catalog, diagnostics: [Diagnostic]) -> String? {
    if catalog.packages.contains(where: { $0.file == file }) { return "package" }
    let rejected = !catalog.blocks.contains { $0.file == file }
        && diagnostics.contains { $0.level == .error && $0.location?.file == file }
    return rejected ? nil : "library"
}

extension PagePlanner {
    func blockPages() -> [PlannedPage] {
        let addresses = BlockAddresses(catalog.blocks)
        var pages = [blocksIndex(addresses)]
        pages += actionBlockFiles(catalog).map { blockFilePage($0, addresses: addresses) }
        pages += parallelMap(Array(catalog.blocks.indices)) { blockPage(at: $0, addresses: addresses) }
        return pages
    }

    // MARK: Index and files

    private func blocksIndex(_ addresses: BlockAddresses) -> PlannedPage {
        let path = SitePaths.blocks
        let files = actionBlockFiles(catalog).map { file -> BlockFileRow in
            let package = catalog.packages.first { $0.file == file }
            return BlockFileRow(title: package?.name ?? fileStem(file), file: file, url: SitePaths.link(from: path, to: SitePaths.blockFile(file)),
                                shape: actionBlockFileShape(file, catalog: catalog, diagnostics: diagnostics) ?? "not read (see its errors)", blockCount: catalog.blocks.filter { $0.file == file }.count)
        }
        let linkTo: (String) -> String? = { id in addresses.byID[id].map { SitePaths.link(from: path, to: $0) } }
        let groups = TransitionGraphSVG.groups(catalog.blocks, link: linkTo).map { group in
            TransitionGroupView(title: group.title, blockCount: group.blockCount, transitionCount: group.transitionCount, svg: group.svg,
                                outgoing: group.outgoing.map { out in
                                    TransitionOutgoingView(from: out.from, fromURL: linkTo(out.from), to: out.to, url: out.url,
                                                           place: out.group.map { "in \($0)" } ?? "defined elsewhere",
                                                           elsewhere: out.group == nil, gap: out.gap)
                                })
        }
        let model = BlocksPage(
            page: PageFrame(path: path, title: "Action blocks", section: "blocks", site: site),
            blocks: catalog.blocks.indices.map { blockRow($0, addresses: addresses, from: path) }, files: files,
            kinds: Array(Set(catalog.blocks.map { $0.kind?.text ?? "unknown" })).sorted(), transitionGroups: groups,
            hasBlocks: !catalog.blocks.isEmpty, apiURL: SitePaths.link(from: path, to: SitePaths.blocksAPI))
        return PlannedPage(path: path, template: "blocks", model: model)
    }

    private func blockFilePage(_ file: String, addresses: BlockAddresses) -> PlannedPage {
        let path = SitePaths.blockFile(file)
        let package = catalog.packages.first { $0.file == file }
        let info = package?.info
        let infoRows = [("name", info?.name), ("version", info?.version), ("author", info?.author), ("description", info?.description),
                        ("content_rating_max", info?.contentRatingMax), ("created_date", info?.createdDate)]
            .compactMap { name, value in value.map { FieldRow(name: name, value: $0) } }
        let templates = (package?.templates ?? []).map { template in
            BlockTemplateRow(key: template.key, name: template.name, template: template.template?.source,
                             cameraTemplate: template.cameraTemplate?.source, required: template.requiredParams.map(\.value),
                             optional: template.optionalParams.map(\.value),
                             consistencyDefaults: template.consistencyDefaults.map { consistencyText($0) })
        }
        let unknown = (package?.unknownFields ?? []).map { FieldRow(name: $0.key, value: BlockJSON.value($0.value).serialized()) }
            + (info?.unknownFields ?? []).map { FieldRow(name: "package_info.\($0.key)", value: BlockJSON.value($0.value).serialized()) }
        let model = BlockFilePage(
            page: PageFrame(path: path, title: package?.name ?? fileStem(file), section: "blocks", site: site),
            title: package?.name ?? fileStem(file), file: file, shape: actionBlockFileShape(file, catalog: catalog, diagnostics: diagnostics), info: infoRows,
            creaturesJSON: package?.creatures.map { BlockJSON.value($0).serialized(pretty: true) }, templates: templates, unknown: unknown,
            blocks: catalog.blocks.indices.filter { catalog.blocks[$0].file == file }.map { blockRow($0, addresses: addresses, from: path) },
            diagnostics: diagnostics.filter { $0.location?.file == file }.map { row($0, from: path) },
            indexURL: SitePaths.link(from: path, to: SitePaths.blocks))
        return PlannedPage(path: path, template: "package", model: model)
    }

    private func blockRow(_ index: Int, addresses: BlockAddresses, from path: String) -> BlockRow {
        let block = catalog.blocks[index]
        let tags = block.tags
        let kind = block.kind?.text ?? "unknown"
        let search = [block.id, block.package ?? "", fileStem(block.file), kind, tags.location?.value ?? "", tags.mood?.value ?? "",
                      tags.pose?.value ?? "", block.prompt.source] + tags.custom.map(\.value)
        return BlockRow(
            id: block.id, url: SitePaths.link(from: path, to: addresses.paths[index]), packageName: block.package,
            fileURL: SitePaths.link(from: path, to: SitePaths.blockFile(block.file)), fileName: block.package ?? fileStem(block.file),
            kind: kind, place: tags.location?.value, mood: tags.mood?.value, intensity: tags.intensity.map { "\($0.value)" },
            poseStart: block.firstPose?.value, poseEnd: block.lastPose?.value, duration: block.durationSec.map { "\(TemplateValue.format($0.value)) s" },
            type: kind, searchText: search.joined(separator: " ").lowercased())
    }

    // MARK: Block

    private func blockPage(at index: Int, addresses: BlockAddresses) -> PlannedPage {
        let block = catalog.blocks[index]
        let path = addresses.paths[index]
        let tags = block.tags
        let text = { (value: Bool) in value ? "true" : "false" }
        var fields: [FieldRow] = []
        func add(_ name: String, _ value: String?) { if let value { fields.append(FieldRow(name: name, value: value)) } }
        add("kind", block.kind?.text)
        add("style", block.style?.value)
        add("durationSec", block.durationSec.map { TemplateValue.format($0.value) })
        add("isImageToVideo", block.isImageToVideo.map { text($0.value) })
        add("startPose", block.startPose?.value)
        add("endPose", block.endPose?.value)
        add("from.pose", block.from?.pose?.value)
        add("from.referenceImage", block.from?.referenceImage.map { BlockJSON.value($0).serialized() })
        add("to.pose", block.to?.pose?.value)
        add("to.referenceImage", block.to?.referenceImage.map { BlockJSON.value($0).serialized() })
        add("referenceImage", block.referenceImage.map { BlockJSON.value($0).serialized() })
        if let camera = block.cameraMovement {
            add("cameraMovement", [camera.type?.text, camera.speed?.text, camera.path?.text, camera.focus.map { "focus: \($0.value)" }]
                .compactMap { $0 }.joined(separator: ", "))
        }
        add("consistency", block.consistency.map { consistencyText($0) })
        if let progression = block.intensityProgression {
            let points = [("start", progression.start), ("peak", progression.peak), ("end", progression.end)]
                .compactMap { name, value in value.map { "\(name) \($0.value)" } }
            add("intensityProgression", (points + [progression.pattern?.text].compactMap { $0 }).joined(separator: ", "))
        }
        let tagRows = [("location", tags.location?.value), ("pose", tags.pose?.value), ("intimacy_level", tags.intimacyLevel?.value),
                       ("mood", tags.mood?.value), ("content_rating", tags.contentRating?.value), ("time_of_day", tags.timeOfDay?.value),
                       ("indoors", tags.indoors.map { text($0.value) }), ("branch_type", tags.branchType?.value),
                       ("intensity", tags.intensity.map { "\($0.value)" })]
            .compactMap { name, value in value.map { FieldRow(name: name, value: $0) } }
        let family = catalog.familyVersioning(block: block.id)
        let model = BlockPage(
            page: PageFrame(path: path, title: block.id, section: "blocks", site: site),
            id: block.id, kind: block.kind?.text ?? "unknown", packageName: block.package, file: block.file,
            fileURL: SitePaths.link(from: path, to: SitePaths.blockFile(block.file)), indexURL: SitePaths.link(from: path, to: SitePaths.blocks),
            fields: fields, tags: tagRows, custom: tags.custom.map(\.value), prompt: block.prompt.source, negativePrompt: block.negativePrompt?.value,
            layeredPrompt: block.layeredPrompt.source, sentences: block.layeredSentences,
            next: block.compatibleNext.map { linkRow(from: block, to: $0.value, forward: true, addresses: addresses, path: path) },
            previous: block.compatiblePrev.map { linkRow(from: block, to: $0.value, forward: false, addresses: addresses, path: path) },
            unknown: block.allUnknownFields.map { FieldRow(name: $0.path, value: BlockJSON.value($0.value).serialized()) },
            family: family.map { Link(text: $0.title, url: SitePaths.link(from: path, to: SitePaths.family($0.slug))) },
            diagnostics: blockDiagnostics(block).map { row($0, from: path) },
            apiURL: SitePaths.link(from: path, to: SitePaths.blocksAPI))
        return PlannedPage(path: path, template: "block", model: model)
    }

    /// A link to a neighbour; a pose gap is the end pose of the earlier block differing from the start pose of the later one.
    private func linkRow(from block: ActionBlock, to id: String, forward: Bool, addresses: BlockAddresses, path: String) -> BlockLinkRow {
        guard let other = catalog.block(id), let url = addresses.byID[id] else {
            return BlockLinkRow(target: id, targetURL: nil, elsewhere: true, gapText: nil)
        }
        let (earlier, later) = forward ? (block, other) : (other, block)
        var gap: String?
        if let end = earlier.lastPose?.value, let start = later.firstPose?.value, end != start {
            gap = "pose gap: \(earlier.id) ends in \(end), \(later.id) starts in \(start)"
        }
        return BlockLinkRow(target: id, targetURL: SitePaths.link(from: path, to: url), elsewhere: false, gapText: gap)
    }

    /// Diagnostics inside the block's text: from its `{` up to the next block of the same file.
    private func blockDiagnostics(_ block: ActionBlock) -> [Diagnostic] {
        let start = block.location.line ?? 0
        let end = catalog.blocks.compactMap { other in other.file == block.file ? other.location.line : nil }.filter { $0 > start }.min() ?? .max
        return diagnostics.filter { diagnostic in
            guard let location = diagnostic.location, location.file == block.file, let line = location.line else { return false }
            return line >= start && line < end
        }
    }

    private func consistencyText(_ consistency: Consistency) -> String {
        [("maintainPose", consistency.maintainPose), ("preserveLighting", consistency.preserveLighting),
         ("preserveClothing", consistency.preserveClothing), ("preservePosition", consistency.preservePosition)]
            .compactMap { name, value in value.map { "\(name): \($0)" } }.joined(separator: ", ")
    }
}

func fileStem(_ file: String) -> String {
    ((file as NSString).lastPathComponent as NSString).deletingPathExtension
}

/// Values as read from a block file, back as JSON for pages and the API.
enum BlockJSON {
    static func value(_ node: SourceNode) -> JSONValue {
        switch node.kind {
        case .scalar(let scalar, _):
            switch scalar {
            case .null: .null
            case .bool(let value): .bool(value)
            case .int(let value): .int(value)
            case .double(let value): .double(value)
            case .string(let value): .string(value)
            }
        case .mapping(let members): .object(members.map { ($0.key, value($0.value)) })
        case .sequence(let items): .array(items.map(value))
        }
    }
}
