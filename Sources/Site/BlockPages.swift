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
        // The next number to try for each segment (lowercased): only that segment's own duplicates
        // take `<segment>~dN`, so the search resumes where the last one stopped instead of
        // trying `~d2`, `~d3`… again (eight thousand copies of one id were 32 million tries).
        var nextNumber: [String: Int] = [:]
        var paths: [String] = []
        var byID: [String: String] = [:]
        for block in blocks {
            let base = SitePaths.pathSegment(block.id), key = base.lowercased()
            var segment = base, number = nextNumber[key] ?? 2
            if !taken.insert(key).inserted {
                repeat {
                    segment = base + "~d\(number)"
                    number += 1
                } while !taken.insert(segment.lowercased()).inserted
                nextNumber[key] = number
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
func actionBlockFileShape(_ file: String, byFile: BlocksByFile, diagnosticsByFile: [String: [Diagnostic]]) -> String? {
    if byFile.packages[file] != nil { return "package" }
    let rejected = byFile.blocks[file] == nil && (diagnosticsByFile[file] ?? []).contains { $0.level == .error }
    return rejected ? nil : "library"
}

/// The blocks of each block file and the diagnostics inside each block, found once for all the
/// block pages: looking them up by scanning every block (and every diagnostic of the file) for
/// each block made the pages quadratic in the blocks of one file.
struct BlocksByFile: Sendable {
    /// Indices into the catalog's blocks, in catalog order.
    let blocks: [String: [Int]]
    /// The diagnostics inside each block, in report order; blocks without any are absent.
    let diagnostics: [Int: [Diagnostic]]
    /// The package each file holds.
    let packages: [String: ActionBlockPackage]

    /// A block's text runs from its `{` up to the next block of the same file. Positions are
    /// (line, column): a library written on one line has every block on line 1. A diagnostic
    /// without a column counts as the end of its line.
    init(_ catalog: Catalog, diagnosticsByFile: [String: [Diagnostic]]) {
        var blocks: [String: [Int]] = [:]
        for (index, block) in catalog.blocks.enumerated() { blocks[block.file, default: []].append(index) }
        func position(_ location: SourceLocation, missingColumn: Int) -> (Int, Int) { (location.line ?? 0, location.column ?? missingColumn) }
        var inside: [Int: [Diagnostic]] = [:]
        for (file, indices) in blocks {
            let starts = indices.map { (start: position(catalog.blocks[$0].location, missingColumn: 0), index: $0) }.sorted { $0.start < $1.start }
            for diagnostic in diagnosticsByFile[file] ?? [] {
                guard let location = diagnostic.location, location.line != nil else { continue }
                let at = position(location, missingColumn: .max)
                // The last block starting at or before the diagnostic.
                var low = 0, high = starts.count
                while low < high {
                    let middle = (low + high) / 2
                    if starts[middle].start <= at { low = middle + 1 } else { high = middle }
                }
                guard low > 0 else { continue }
                inside[starts[low - 1].index, default: []].append(diagnostic)
            }
        }
        self.blocks = blocks
        self.diagnostics = inside
        packages = Dictionary(catalog.packages.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

extension PagePlanner {
    func blockPages() -> [PlannedPage] {
        let addresses = BlockAddresses(catalog.blocks)
        let byFile = BlocksByFile(catalog, diagnosticsByFile: diagnosticsByFile)
        var pages = [blocksIndex(addresses, byFile: byFile)]
        pages += actionBlockFiles(catalog).map { blockFilePage($0, addresses: addresses, byFile: byFile) }
        pages += parallelMap(Array(catalog.blocks.indices)) { blockPage(at: $0, addresses: addresses, byFile: byFile) }
        return pages
    }

    // MARK: Index and files

    private func blocksIndex(_ addresses: BlockAddresses, byFile: BlocksByFile) -> PlannedPage {
        let path = SitePaths.blocks
        let files = actionBlockFiles(catalog).map { file -> BlockFileRow in
            let package = byFile.packages[file]
            return BlockFileRow(title: package?.name ?? fileStem(file), file: file, url: SitePaths.link(from: path, to: SitePaths.blockFile(file)),
                                shape: actionBlockFileShape(file, byFile: byFile, diagnosticsByFile: diagnosticsByFile) ?? "not read (see its errors)", blockCount: byFile.blocks[file]?.count ?? 0)
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

    private func blockFilePage(_ file: String, addresses: BlockAddresses, byFile: BlocksByFile) -> PlannedPage {
        let path = SitePaths.blockFile(file)
        let package = byFile.packages[file]
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
            title: package?.name ?? fileStem(file), file: file, shape: actionBlockFileShape(file, byFile: byFile, diagnosticsByFile: diagnosticsByFile), info: infoRows,
            creaturesJSON: package?.creatures.map { BlockJSON.value($0).serialized(pretty: true) }, templates: templates, unknown: unknown,
            blocks: (byFile.blocks[file] ?? []).map { blockRow($0, addresses: addresses, from: path) },
            diagnostics: (diagnosticsByFile[file] ?? []).map { row($0, from: path) },
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

    private func blockPage(at index: Int, addresses: BlockAddresses, byFile: BlocksByFile) -> PlannedPage {
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
            diagnostics: (byFile.diagnostics[index] ?? []).map { row($0, from: path) },
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
