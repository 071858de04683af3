import Checks
import Diagnostics
import Markdown
import Project
import PromptCatalog
import PromptTemplates

/// Where plugin, node-type and scene pages live. A page is named by the content file, not the
/// id (`plugins/<folder>/`, `node-types/<stem>/`, `scenes/<stem>/`), so a diagnostic in a file
/// links to its page from the file name alone. Loading reports an id that differs from its file.
/// Only the first item per folder gets a page (`x.yaml` beside `x.yml`, or names that differ
/// only in case, would share one on a case-insensitive disk).
struct PluginAddresses: Sendable {
    let plugins: [(plugin: Plugin, path: String)]
    let nodeTypes: [(nodeType: NodeType, path: String)]
    let scenes: [(scene: Scene, path: String)]
    private let pluginPages: [String: String]
    private let nodeTypePages: [String: String]

    init(_ catalog: Catalog) {
        plugins = Self.unique(catalog.plugins, path: { SitePaths.plugin(folder: Self.folder($0.file)) })
        nodeTypes = Self.unique(catalog.nodeTypes, path: { SitePaths.nodeType(stem: Self.stem($0.file)) })
        scenes = Self.unique(catalog.scenes, path: { SitePaths.scene(stem: Self.stem($0.file)) })
        pluginPages = Dictionary(plugins.map { ($0.plugin.id, $0.path) }, uniquingKeysWith: { first, _ in first })
        nodeTypePages = Dictionary(nodeTypes.map { ($0.nodeType.id, $0.path) }, uniquingKeysWith: { first, _ in first })
    }

    func plugin(_ id: String) -> String? { pluginPages[id] }
    func nodeType(_ id: String) -> String? { nodeTypePages[id] }

    static func folder(_ file: String) -> String {
        let parts = file.split(separator: "/").map(String.init)
        return parts.count >= 2 ? parts[1] : file
    }

    static func stem(_ file: String) -> String { SitePaths.yamlStem(String(file.split(separator: "/").last ?? "")) }

    private static func unique<Item>(_ items: [Item], path: (Item) -> String) -> [(Item, String)] {
        var taken = Set<String>()
        return items.compactMap { item in
            let target = path(item)
            return taken.insert(target.lowercased()).inserted ? (item, target) : nil
        }
    }
}

/// A scene node as the site shows it: its prompt resolved, its cache scope and its rendered
/// length against its provider, measured as `SceneRules` measures it (the version's variables
/// with plugins for the node's type, the node's variables as overrides, transformers applied).
struct SceneNodeReport: Sendable {
    let node: SceneNode
    let nodeType: NodeType?
    let provider: Provider?
    let version: PromptVersion?
    /// Why the reference does not resolve.
    let unresolved: String?
    let length: Int?

    var cacheScope: CacheScope? { node.strategy.flatMap { CacheScope(strategy: $0.value) } }
    var isInline: Bool {
        if case .inline? = node.prompt?.reference { return true }
        return false
    }
    var isVersioned: Bool { node.prompt?.versionReference != nil }
    var limit: Int? { provider?.promptLimit }
    var fits: Bool? { length.flatMap { length in limit.map { length <= $0 } } }
    var supplied: [SourceNode.Member] { node.prompt?.variables?.members ?? [] }

    init(_ node: SceneNode, catalog: Catalog) {
        self.node = node
        nodeType = catalog.nodeType(node.type.value)
        provider = node.provider.flatMap { catalog.provider($0.value) }
        var version: PromptVersion?
        var unresolved: String?
        var length: Int?
        if case .inline(let text)? = node.prompt?.reference {
            length = text.characterCount
        } else if let reference = node.prompt?.versionReference {
            switch reference.resolve(in: catalog) {
            case .success(let resolved): version = resolved
            case .failure(let error): unresolved = error.message
            }
        }
        if let version, version.template.errors.isEmpty {
            var supplied = TemplateValues()
            for member in node.prompt?.variables?.members ?? [] { supplied.set(member.value.templateValue, at: VariablePath(member.key)) }
            length = catalog.variables(of: version, nodeType: nodeType?.id).preview(overrides: supplied).text.characterCount
        }
        self.version = version
        self.unresolved = unresolved
        self.length = length
    }

    /// Every scene's nodes, in order.
    static func all(_ scene: Scene, catalog: Catalog) -> [SceneNodeReport] {
        scene.nodes.map { SceneNodeReport($0, catalog: catalog) }
    }

    /// `harbor-storm-arrival @ production`, `… @ v3`, `… @ latest`, or the inline text.
    var referenceText: String? {
        switch node.prompt?.reference {
        case .version(let family, let number)?: "\(family) @ v\(number)"
        case .label(let family, let label)?: "\(family) @ \(label)"
        case .latest(let family)?: "\(family) @ latest"
        case .inline(let text)?: text
        case nil: nil
        }
    }
}

/// The project's near-duplicate clusters with the page of each prompt.
struct SimilarityIndex: Sendable {
    let similar: SimilarPrompts
    private let blockPages: [String: String]

    init(_ similar: SimilarPrompts, catalog: Catalog) {
        self.similar = similar
        blockPages = similar.clusters.isEmpty ? [:] : BlockAddresses(catalog.blocks).byID
    }

    /// The page of a prompt, from the site root.
    func page(of item: PromptItem) -> String? {
        switch item.kind {
        case .version(let family, let number): SitePaths.version(family, number)
        case .block(let id): blockPages[id]
        }
    }

    static func anchor(_ cluster: PromptCluster) -> String { "cluster-\(cluster.number)" }
    static func percent(_ similarity: Double) -> String { SimilarPrompts.percent(similarity) }
}

extension PagePlanner {
    func pluginPages() -> [PlannedPage] {
        let addresses = pluginAddresses
        var pages = [pluginsIndex(addresses), nodeTypesIndex(addresses), scenesIndex(addresses)]
        pages += addresses.plugins.map { pluginPage($0.plugin, path: $0.path, addresses: addresses) }
        pages += addresses.nodeTypes.map { nodeTypePage($0.nodeType, path: $0.path, addresses: addresses) }
        pages += addresses.scenes.map { scenePage($0.scene, path: $0.path, addresses: addresses) }
        return pages
    }

    private var guidePath: String? {
        catalog.docs.contains { $0.path == "docs/plugin-guide.md" } ? SitePaths.pluginGuide : nil
    }

    // MARK: Plugins

    private func pluginsIndex(_ addresses: PluginAddresses) -> PlannedPage {
        let path = SitePaths.plugins
        let rows = addresses.plugins.map { plugin, target in
            PluginRow(id: plugin.id, name: plugin.name, url: SitePaths.link(from: path, to: target), version: plugin.version ?? "",
                      description: plugin.description ?? "", variableCount: plugin.variables.count, validatorCount: plugin.validators.count,
                      transformerCount: plugin.transformers.count, nodeTypes: contributedNodeTypes(plugin, addresses: addresses, from: path))
        }
        let model = PluginsPage(page: PageFrame(path: path, title: "Plugins", section: "plugins", site: site), plugins: rows,
                                guideURL: guidePath.map { SitePaths.link(from: path, to: $0) },
                                apiURL: SitePaths.link(from: path, to: SitePaths.pluginsAPI),
                                nodeTypesURL: SitePaths.link(from: path, to: SitePaths.nodeTypes),
                                scenesURL: SitePaths.link(from: path, to: SitePaths.scenes))
        return PlannedPage(path: path, template: "plugins", model: model)
    }

    /// The node types a plugin lists in `node_types`, then those whose file names it as their plugin.
    private func contributedNodeTypes(_ plugin: Plugin, addresses: PluginAddresses, from path: String) -> [MaybeLink] {
        var ids = plugin.nodeTypes.map(\.value)
        ids += catalog.nodeTypes.filter { $0.plugin?.value == plugin.id && !ids.contains($0.id) }.map(\.id)
        return ids.map { MaybeLink($0, url: addresses.nodeType($0).map { SitePaths.link(from: path, to: $0) }) }
    }

    private func pluginPage(_ plugin: Plugin, path: String, addresses: PluginAddresses) -> PlannedPage {
        let paths = Set(plugin.variables.map(\.path))
        let using = catalog.families.filter { family in
            family.versions.contains { version in
                version.template.references.contains { paths.contains($0.path) && version.variable($0.path) == nil }
            }
        }
        let scopes = plugin.validators.map(\.scope) + plugin.transformers.map(\.scope)
        let everything = scopes.contains(where: \.isEverything)
        let narrow = scopes.filter { !$0.isEverything }
        let scoped = catalog.families.filter { family in narrow.contains { $0.includes(family) } }
        let familyLink = { (family: PromptFamily) in Link(text: family.slug, url: SitePaths.link(from: path, to: SitePaths.family(family.slug))) }
        let folder = "plugins/" + PluginAddresses.folder(plugin.file) + "/"
        let own = diagnostics.filter { diagnostic in
            diagnostic.code.hasPrefix("plugin:\(plugin.id)/") || (diagnostic.location?.file.hasPrefix(folder) ?? false)
        }
        let model = PluginPage(
            page: PageFrame(path: path, title: plugin.name, section: "plugins", site: site),
            id: plugin.id, name: plugin.name, version: plugin.version, description: plugin.description, file: plugin.file,
            readmeHTML: plugin.readme.map { Markdown.html($0, unsafeHTML: config.unsafeHTML) },
            variables: plugin.variables.map { variableRow($0, braces: true) },
            validators: plugin.validators.map { validator in
                PluginValidatorRow(id: validator.id, level: validator.level.rawValue, code: "plugin:\(plugin.id)/\(validator.id)",
                                   rule: Self.words(validator.rule), appliesTo: Self.words(validator.scope))
            },
            transformers: plugin.transformers.enumerated().map { index, transformer in
                PluginTransformerRow(number: index + 1, change: Self.words(transformer.change), appliesTo: Self.words(transformer.scope))
            },
            nodeTypes: contributedNodeTypes(plugin, addresses: addresses, from: path),
            usingFamilies: using.map(familyLink), scopedFamilies: scoped.map(familyLink), appliesToEverything: everything,
            hasScoped: !narrow.isEmpty,
            familyCount: catalog.families.count,
            diagnostics: own.map { row($0, from: path) },
            pluginsURL: SitePaths.link(from: path, to: SitePaths.plugins),
            guideURL: guidePath.map { SitePaths.link(from: path, to: $0) })
        return PlannedPage(path: path, template: "plugin", model: model)
    }

    private func variableRow(_ spec: VariableSpec, braces: Bool) -> PluginVariableRow {
        var bounds: [String] = []
        if let min = spec.min?.value, let max = spec.max?.value { bounds.append("\(TemplateValue.format(min)) – \(TemplateValue.format(max))") }
        else if let min = spec.min?.value { bounds.append("≥ \(TemplateValue.format(min))") }
        else if let max = spec.max?.value { bounds.append("≤ \(TemplateValue.format(max))") }
        if let length = spec.maxLength?.value { bounds.append("≤ \(plural(length, "character"))") }
        if !spec.values.isEmpty { bounds.append("one of: " + spec.values.map(\.value).joined(separator: ", ")) }
        return PluginVariableRow(path: braces ? "{{\(spec.path)}}" : spec.path.description, type: spec.typeName?.value ?? "?",
                                 bounds: bounds.joined(separator: "; "),
                                 example: spec.defaultValue.map { $0.templateValue.renderedText } ?? "", hasExample: spec.defaultValue != nil,
                                 description: spec.description ?? "")
    }

    static func words(_ rule: PluginValidator.Rule) -> String {
        switch rule {
        case .forbid(let words): "must not contain " + words.map { "“\($0)”" }.joined(separator: ", ") + " (whole words, any case)"
        case .forbidRegex(let pattern): "must not match /\(pattern)/"
        case .maxLength(let limit): "at most \(plural(limit, "character")) after the transformers"
        case .requireVariables(let paths): "the template must use " + paths.map { "{{\($0)}}" }.joined(separator: ", ")
        }
    }

    static func words(_ change: PluginTransformer.Change) -> String {
        switch change {
        case .prepend(let text): "prepend “\(text)”"
        case .append(let text): "append “\(text)”"
        case .replace(let pattern, let replacement): "replace /\(pattern)/ with “\(replacement)”"
        }
    }

    static func words(_ scope: PluginScope) -> String {
        guard !scope.isEverything else { return "every prompt" }
        var parts: [String] = []
        if !scope.promptTypes.isEmpty { parts.append(scope.promptTypes.joined(separator: " or ") + " prompts") }
        if !scope.nodeTypes.isEmpty { parts.append("families for node type " + scope.nodeTypes.joined(separator: " or ")) }
        if !scope.families.isEmpty { parts.append("the famil\(scope.families.count == 1 ? "y" : "ies") " + scope.families.joined(separator: ", ")) }
        if !scope.tags.isEmpty { parts.append("tagged " + scope.tags.joined(separator: " or ")) }
        return parts.joined(separator: ", ")
    }

    // MARK: Node types

    private func nodeTypesIndex(_ addresses: PluginAddresses) -> PlannedPage {
        let path = SitePaths.nodeTypes
        let uses = sceneNodesByType()
        let rows = addresses.nodeTypes.map { nodeType, target in
            NodeTypeRow(id: nodeType.id, name: nodeType.name, url: SitePaths.link(from: path, to: target), generation: nodeType.generation,
                        plugin: pluginLink(nodeType, addresses: addresses, from: path),
                        promptType: nodeType.extensions?.requiredPromptType?.value,
                        strategies: nodeType.extensions?.strategies.map(\.value) ?? [], sceneNodeCount: uses[nodeType.id]?.count ?? 0)
        }
        let model = NodeTypesPage(page: PageFrame(path: path, title: "Node types", section: "plugins", site: site), nodeTypes: rows,
                                  apiURL: SitePaths.link(from: path, to: SitePaths.nodeTypesAPI),
                                  pluginsURL: SitePaths.link(from: path, to: SitePaths.plugins))
        return PlannedPage(path: path, template: "node-types", model: model)
    }

    private func pluginLink(_ nodeType: NodeType, addresses: PluginAddresses, from path: String) -> MaybeLink? {
        nodeType.plugin.map { MaybeLink($0.value, url: addresses.plugin($0.value).map { SitePaths.link(from: path, to: $0) }) }
    }

    /// Scene nodes by their type, with the scene they belong to.
    private func sceneNodesByType() -> [String: [(scene: Scene, node: SceneNode)]] {
        var uses: [String: [(scene: Scene, node: SceneNode)]] = [:]
        for scene in catalog.scenes {
            for node in scene.nodes { uses[node.type.value, default: []].append((scene, node)) }
        }
        return uses
    }

    private func nodeTypePage(_ nodeType: NodeType, path: String, addresses: PluginAddresses) -> PlannedPage {
        let extensions = nodeType.extensions
        let scenePages = Dictionary(addresses.scenes.map { ($0.scene.file, $0.path) }, uniquingKeysWith: { first, _ in first })
        let nodes = (sceneNodesByType()[nodeType.id] ?? []).compactMap { scene, node -> Link? in
            scenePages[scene.file].map { Link(text: "\(scene.id) / \(node.id)", url: SitePaths.link(from: path, to: $0) + "#" + Self.nodeAnchor(node.id)) }
        }
        let model = NodeTypePage(
            page: PageFrame(path: path, title: "Node type \(nodeType.name)", section: "plugins", site: site),
            id: nodeType.id, name: nodeType.name, file: nodeType.file, generation: nodeType.generation,
            plugin: pluginLink(nodeType, addresses: addresses, from: path), hasExtensions: extensions != nil,
            promptType: extensions?.requiredPromptType?.value, strategies: extensions?.strategies.map(\.value) ?? [],
            variables: extensions?.variables.map { variableRow($0, braces: true) } ?? [],
            recommended: extensions?.recommendedFamilies.map { family in
                MaybeLink(family.value, url: catalog.family(family.value).map { SitePaths.link(from: path, to: SitePaths.family($0.slug)) })
            } ?? [],
            listingFamilies: catalog.families.filter { $0.nodeTypes.contains(nodeType.id) }.map {
                Link(text: $0.slug, url: SitePaths.link(from: path, to: SitePaths.family($0.slug)))
            },
            sceneNodes: nodes,
            diagnostics: diagnostics.filter { $0.location?.file == nodeType.file }.map { row($0, from: path) },
            suggestionsURL: SitePaths.link(from: path, to: SitePaths.suggestions) + "#node-type-" + SitePaths.pathSegment(nodeType.id),
            nodeTypesURL: SitePaths.link(from: path, to: SitePaths.nodeTypes))
        return PlannedPage(path: path, template: "node-type", model: model)
    }

    static func nodeAnchor(_ id: String) -> String { "node-" + SitePaths.pathSegment(id) }

    // MARK: Scenes

    /// "N of M generation nodes reference a versioned prompt", across every scene.
    func generationShare(from path: String) -> GenerationShare {
        let reports = catalog.scenes.flatMap { scene in scene.nodes.filter(\.isGeneration).map { SceneNodeReport($0, catalog: catalog) } }
        let versioned = reports.filter(\.isVersioned).count
        let percent = reports.isEmpty ? "" : "\(Int((Double(versioned) / Double(reports.count) * 100).rounded()))%"
        return GenerationShare(versioned: versioned, total: reports.count, inline: reports.filter(\.isInline).count,
                               unresolved: reports.filter { $0.unresolved != nil }.count, percent: percent, hasNodes: !reports.isEmpty,
                               url: SitePaths.link(from: path, to: SitePaths.scenes))
    }

    private func scenesIndex(_ addresses: PluginAddresses) -> PlannedPage {
        let path = SitePaths.scenes
        let rows = addresses.scenes.map { scene, target in
            let reports = SceneNodeReport.all(scene, catalog: catalog)
            return SceneRow(id: scene.id, title: scene.title, url: SitePaths.link(from: path, to: target), nodeCount: scene.nodes.count,
                            generationCount: scene.nodes.filter(\.isGeneration).count, inlineCount: reports.filter(\.isInline).count,
                            problemCount: diagnostics.filter { $0.location?.file == scene.file && $0.level != .info }.count)
        }
        let model = ScenesPage(page: PageFrame(path: path, title: "Scenes", section: "plugins", site: site), scenes: rows,
                               share: generationShare(from: path), apiURL: SitePaths.link(from: path, to: SitePaths.scenesAPI))
        return PlannedPage(path: path, template: "scenes", model: model)
    }

    private func scenePage(_ scene: Scene, path: String, addresses: PluginAddresses) -> PlannedPage {
        let nodes = SceneNodeReport.all(scene, catalog: catalog).map { report -> SceneNodeRow in
            let node = report.node
            var status: (String, String)?
            if let length = report.length, let limit = report.limit {
                status = length <= limit ? ("fits", "ok") : ("\(length - limit) over", "bad")
            }
            return SceneNodeRow(
                id: node.id, anchor: Self.nodeAnchor(node.id),
                // `generation` is the built-in type, not a missing node type.
                type: MaybeLink(node.type.value, url: addresses.nodeType(node.type.value).map { SitePaths.link(from: path, to: $0) },
                                missing: node.type.value == "generation" && report.nodeType == nil ? false : nil),
                provider: node.provider.map { provider in
                    MaybeLink(provider.value, url: report.provider.map { SitePaths.link(from: path, to: SitePaths.provider($0.id)) })
                },
                strategy: node.strategy?.value, cacheScope: report.cacheScope?.rawValue,
                reference: report.referenceText,
                resolved: report.version.map { Link(text: $0.id, url: SitePaths.link(from: path, to: SitePaths.version($0.family, $0.number))) },
                unresolved: report.unresolved, inline: report.isInline,
                variables: report.supplied.map { SuppliedVariable(name: $0.key, value: $0.value.templateValue.renderedText) },
                length: report.length, limit: report.limit, lengthStatus: status?.0, lengthClass: status?.1)
        }
        let model = ScenePage(
            page: PageFrame(path: path, title: scene.title, section: "plugins", site: site),
            id: scene.id, title: scene.title, file: scene.file, nodes: nodes,
            diagnostics: diagnostics.filter { $0.location?.file == scene.file }.map { row($0, from: path) },
            suggestionsURL: scene.nodes.contains(where: \.isGeneration)
                ? SitePaths.link(from: path, to: SitePaths.suggestions) + "#scene-" + SitePaths.pathSegment(scene.id) : nil,
            scenesURL: SitePaths.link(from: path, to: SitePaths.scenes),
            apiURL: SitePaths.link(from: path, to: SitePaths.sceneAPI(stem: PluginAddresses.stem(scene.file))))
        return PlannedPage(path: path, template: "scene", model: model)
    }

    // MARK: Near-duplicates and variations

    func duplicatesPage() -> PlannedPage {
        let path = SitePaths.duplicates
        let link = { (item: PromptItem) in MaybeLink(item.name, url: similarity.page(of: item).map { SitePaths.link(from: path, to: $0) }) }
        let clusters = similarity.similar.clusters.map { cluster in
            DuplicateClusterView(
                number: cluster.number, anchor: SimilarityIndex.anchor(cluster), size: cluster.members.count, families: cluster.familyCount,
                reported: cluster.spansFamilies,
                members: cluster.members.map { member in
                    DuplicateMemberRow(prompt: link(member), family: member.family ?? "",
                                       nearest: similarity.similar.mostSimilar(to: member.kind).prefix(3).map {
                                           "\($0.item.name) \(SimilarityIndex.percent($0.similarity))"
                                       }.joined(separator: ", "))
                })
        }
        let model = DuplicatesPage(page: PageFrame(path: path, title: "Near-duplicates", section: "checks", site: site),
                                   threshold: SimilarityIndex.percent(config.similarityThreshold), clusters: clusters, clusterCount: clusters.count,
                                   promptCount: clusters.reduce(0) { $0 + $1.size },
                                   apiURL: SitePaths.link(from: path, to: SitePaths.nearDuplicatesAPI))
        return PlannedPage(path: path, template: "duplicates", model: model)
    }

    /// The version page's "Similar prompts": the few most similar, and the cluster they belong to.
    func similarRows(_ version: PromptVersion, from path: String) -> [SimilarRow] {
        similarity.similar.mostSimilar(to: .version(family: version.family, number: version.number)).map { item, value in
            let kind: String
            switch item.kind {
            case .version(let family, _): kind = family == version.family ? "version of this family" : "version"
            case .block: kind = "action block"
            }
            return SimilarRow(link: MaybeLink(item.name, url: similarity.page(of: item).map { SitePaths.link(from: path, to: $0) }), kind: kind,
                              percent: SimilarityIndex.percent(value))
        }
    }

    /// The link to a version's near-duplicate cluster on the duplicates page.
    func similarCluster(_ version: PromptVersion, from path: String) -> Link? {
        similarity.similar.cluster(of: .version(family: version.family, number: version.number)).map { cluster in
            Link(text: "cluster \(cluster.number) (\(cluster.members.count) prompts)",
                 url: SitePaths.link(from: path, to: SitePaths.duplicates) + "#" + SimilarityIndex.anchor(cluster))
        }
    }

    /// `api/v1/near-duplicates.json`: the measure, the threshold and every cluster.
    func nearDuplicateFiles() -> [OutputFile] {
        let item = { (item: PromptItem) -> JSONValue in
            .object([("name", .string(item.name)), ("file", .string(item.location.file)), ("family", .optional(item.family)),
                     ("page", .optional(similarity.page(of: item))),
                     ("most_similar", .array(similarity.similar.mostSimilar(to: item.kind).map {
                         .object([("name", .string($0.item.name)), ("similarity", .double(($0.similarity * 1000).rounded() / 1000))])
                     }))])
        }
        return [.json(SitePaths.nearDuplicatesAPI, .object([
            ("measure", .string("Jaccard similarity of the word multisets")),
            ("threshold", .double(config.similarityThreshold)),
            ("clusters", .array(similarity.similar.clusters.map { cluster in
                .object([("number", .int(cluster.number)), ("size", .int(cluster.members.count)), ("families", .int(cluster.familyCount)),
                         ("reported", .bool(cluster.spansFamilies)), ("members", .array(cluster.members.map(item)))])
            })),
        ]))]
    }

    /// The version page's "Variations": with randomization pools, the shortest and longest text
    /// any draw can give, found by rendering once with every pool at its shortest value and once
    /// at its longest (the other variables from the first example), never by enumerating draws.
    func variations(_ version: PromptVersion, from path: String) -> VariationsView? {
        let pools = version.randomization.filter { !$0.pool.values.isEmpty }
        guard !pools.isEmpty, version.template.errors.isEmpty else { return nil }
        var shortest = TemplateValues(), longest = TemplateValues()
        var count = 1, overflow = false
        for pool in pools {
            let values = pool.pool.values
            shortest.set(.string(values.min { $0.count < $1.count }!), at: VariablePath([pool.name]))
            longest.set(.string(values.max { $0.count < $1.count }!), at: VariablePath([pool.name]))
            let product = count.multipliedReportingOverflow(by: values.count)
            overflow = overflow || product.overflow
            count = product.partialValue
        }
        let variables = catalog.variables(of: version)
        let low = variables.preview(overrides: shortest).text.characterCount
        let high = variables.preview(overrides: longest).text.characterCount
        let rows = lengths.of(version).map { length -> VariationRow in
            let status: (String, String)
            if let limit = length.limit, high > limit {
                status = low > limit ? ("every variation over", "bad") : ("longest over", "warn")
            } else {
                status = ("every variation fits", "ok")
            }
            return VariationRow(provider: length.provider.id, url: SitePaths.link(from: path, to: SitePaths.provider(length.provider.id)),
                                limit: length.limit.map(String.init) ?? "none", minLength: low, maxLength: high,
                                status: status.0, statusClass: status.1)
        }
        return VariationsView(count: overflow ? "more than \(Int.max)" : "\(count)", pools: pools.count, minLength: low, maxLength: high,
                              providers: rows)
    }
}

extension MachineOutputs {
    /// `api/v1/scenes.json`, `api/v1/scenes/<id>.json`, `api/v1/plugins.json`, `api/v1/node-types.json`
    /// and `api/v1/near-duplicates.json`.
    func pluginDocuments() -> [(path: String, document: JSONValue)] {
        let addresses = pluginAddresses
        var documents: [(path: String, document: JSONValue)] = []
        var index: [JSONValue] = []
        for (scene, page) in addresses.scenes {
            let api = SitePaths.sceneAPI(stem: PluginAddresses.stem(scene.file))
            let reports = SceneNodeReport.all(scene, catalog: catalog)
            index.append(.object([
                ("id", .string(scene.id)), ("title", .string(scene.title)), ("file", .string(scene.file)),
                ("nodes", .int(scene.nodes.count)), ("generation_nodes", .int(scene.nodes.filter(\.isGeneration).count)),
                ("inline_nodes", .int(reports.filter(\.isInline).count)), ("url", .string(api)), ("page", .string(page)),
            ]))
            documents.append((api, .object([
                ("id", .string(scene.id)), ("title", .string(scene.title)), ("file", .string(scene.file)),
                ("nodes", .array(reports.map(sceneNode))), ("page", .string(page)),
            ])))
        }
        documents.append((SitePaths.scenesAPI, .object([("scenes", .array(index))])))
        documents.append((SitePaths.pluginsAPI, .object([("plugins", .array(addresses.plugins.map { plugin, page in
            .object([
                ("id", .string(plugin.id)), ("name", .string(plugin.name)), ("version", .optional(plugin.version)),
                ("description", .optional(plugin.description)), ("file", .string(plugin.file)),
                ("variables", .array(plugin.variables.map(variable))),
                ("validators", .array(plugin.validators.map { validator in
                    .object([
                        ("id", .string(validator.id)), ("code", .string("plugin:\(plugin.id)/\(validator.id)")),
                        ("level", .string(validator.level.rawValue)), ("rule", .string(PagePlanner.words(validator.rule))),
                        ("applies_to", scope(validator.scope)),
                    ])
                })),
                ("transformers", .array(plugin.transformers.map { transformer in
                    .object([("change", .string(PagePlanner.words(transformer.change))), ("applies_to", scope(transformer.scope))])
                })),
                ("node_types", .array(plugin.nodeTypes.map { .string($0.value) })), ("page", .string(page)),
            ])
        }))])))
        documents.append((SitePaths.nodeTypesAPI, .object([("node_types", .array(addresses.nodeTypes.map { nodeType, page in
            let extensions = nodeType.extensions
            return .object([
                ("id", .string(nodeType.id)), ("name", .string(nodeType.name)), ("file", .string(nodeType.file)),
                ("plugin", .optional(nodeType.plugin?.value)), ("generation", .bool(nodeType.generation)),
                ("required_prompt_type", .optional(extensions?.requiredPromptType?.value)),
                ("strategies", .array((extensions?.strategies ?? []).map { .string($0.value) })),
                ("recommended_families", .array((extensions?.recommendedFamilies ?? []).map { .string($0.value) })),
                ("variables", .array((extensions?.variables ?? []).map(variable))),
                ("families", .array(catalog.families.filter { $0.nodeTypes.contains(nodeType.id) }.map { .string($0.slug) })),
                ("page", .string(page)),
            ])
        }))])))
        return documents
    }

    private func sceneNode(_ report: SceneNodeReport) -> JSONValue {
        let node = report.node
        return .object([
            ("id", .string(node.id)), ("type", .string(node.type.value)), ("node_type", .optional(report.nodeType?.id)),
            ("generation", .bool(node.isGeneration)), ("provider", .optional(node.provider?.value)),
            ("strategy", .optional(node.strategy?.value)), ("cache_scope", .optional(report.cacheScope?.rawValue)),
            ("reference", .optional(report.node.prompt?.versionReference?.description)),
            ("version", .optional(report.version?.id)), ("unresolved", .optional(report.unresolved)),
            ("inline", .bool(report.isInline)),
            ("variables", .object(report.supplied.map { ($0.key, json($0.value.templateValue)) })),
            ("length", .optional(report.length)), ("limit", .optional(report.limit)),
            ("fits", report.fits.map(JSONValue.bool) ?? .null),
        ])
    }

    private func json(_ value: TemplateValue) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .list(let items): .array(items.map(json))
        case .map(let members): .object(members.keys.sorted().map { ($0, json(members[$0]!)) })
        }
    }

    private func variable(_ spec: VariableSpec) -> JSONValue {
        .object([
            ("name", .string(spec.path.description)), ("type", .optional(spec.typeName?.value)),
            ("min", spec.min.map { .double($0.value) } ?? .null), ("max", spec.max.map { .double($0.value) } ?? .null),
            ("max_length", .optional(spec.maxLength?.value)), ("values", .array(spec.values.map { .string($0.value) })),
            ("example", spec.defaultValue.map { .string($0.templateValue.renderedText) } ?? .null),
            ("description", .optional(spec.description)),
        ])
    }

    private func scope(_ scope: PluginScope) -> JSONValue {
        .object([
            ("prompt_type", .array(scope.promptTypes.map(JSONValue.string))), ("node_types", .array(scope.nodeTypes.map(JSONValue.string))),
            ("families", .array(scope.families.map(JSONValue.string))), ("tags", .array(scope.tags.map(JSONValue.string))),
        ])
    }
}
