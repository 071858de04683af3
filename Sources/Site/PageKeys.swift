import Diagnostics
import Project
import PromptCatalog

// Page keys: what a family or version page is made from, named cheaply *before* the page is
// planned. When the last build recorded the same key for a page's path (and the binary, theme and
// settings are the same), the page is taken from the previous output without being planned,
// encoded or hashed — what keeps a one-edit rebuild of a large catalog from planning every page.
//
// A key must change whenever anything the page shows may change. Pages that read what a key
// cannot name cheaply (logs, includes, plugins with pools) get no key and are always planned.
// `PROMPTSITE_VERIFY_PAGE_KEYS=1` (set by `make test`) plans every keyed page anyway and stops
// the build if a page whose key matched came out different: a missed input fails the tests
// instead of publishing a stale page.

extension PagePlanner {
    /// The family's own fields and every version as read: a family page, and each of its version
    /// pages (which show the family's title, labels, children and the parent's text), start from it.
    static func familyDigest(_ family: PromptFamily) -> UInt64 {
        var hasher = Fingerprint(seed: 0xFA11_1E5)
        hasher.add(family.slug)
        hasher.add(family.file)
        hasher.add(family.title)
        hasher.add(optional: family.description)
        hasher.add(optional: family.promptType?.rawValue)
        hasher.add(optional: family.category)
        hasher.add(list: family.tags)
        hasher.add(list: family.nodeTypes)
        hasher.add(optional: family.actionBlock)
        hasher.add(optional: family.scene)
        hasher.add(optional: family.npc)
        for label in family.labels {
            hasher.add(label.name)
            hasher.add(UInt64(bitPattern: Int64(label.version)))
            hasher.add(location: label.location)
        }
        hasher.add(tag: family.active ? 1 : 0)
        hasher.add(UInt64(family.versions.count))
        for version in family.versions { hasher.add(version: version) }
        return hasher.digest
    }

    /// Every family as read and every doc: what the search index and the feed are made from.
    static func catalogDigest(families: [UInt64], docs: [DocFile]) -> UInt64 {
        var hasher = Fingerprint(seed: 0xCA7A_1065)
        hasher.add(UInt64(families.count))
        for digest in families { hasher.add(digest) }
        hasher.add(UInt64(docs.count))
        for doc in docs {
            hasher.add(doc.path)
            hasher.add(doc.title)
            hasher.add(doc.markdown)
        }
        return hasher.digest
    }

    /// Every context file as read (its id, file and values with their places).
    static func contextsDigest(_ contexts: [PreviewContext]) -> UInt64 {
        var hasher = Fingerprint(seed: 0xC0_7E_47)
        hasher.add(UInt64(contexts.count))
        for context in contexts {
            hasher.add(context.id)
            hasher.add(context.file)
            hasher.add(node: context.node)
        }
        return hasher.digest
    }

    /// What the feed shows of the families: titles, labels, and each version's date, message and author.
    static func feedDigest(_ families: [PromptFamily]) -> UInt64 {
        var hasher = Fingerprint(seed: 0xFEED)
        hasher.add(UInt64(families.count))
        for family in families {
            hasher.add(family.slug)
            hasher.add(family.title)
            for label in family.labels {
                hasher.add(label.name)
                hasher.add(UInt64(bitPattern: Int64(label.version)))
            }
            hasher.add(UInt64(family.versions.count))
            for version in family.versions {
                hasher.add(UInt64(bitPattern: Int64(version.number)))
                hasher.add((version.date?.timeIntervalSinceReferenceDate ?? .nan).bitPattern)
                hasher.add(optional: version.message)
                hasher.add(optional: version.author)
            }
        }
        return hasher.digest
    }

    /// The CI reports list every diagnostic and every checked file.
    var reportsKey: UInt64 {
        var hasher = Fingerprint(seed: 0x4E9_0475)
        hasher.add(diagnostics: diagnostics)
        hasher.add(list: catalog.files)
        return hasher.digest
    }

    /// The site-wide facts every page's layout shows (the title is part of the settings).
    private func addFrame(to hasher: inout Fingerprint) {
        hasher.add(UInt64(site.errors))
        hasher.add(UInt64(site.warnings))
    }

    /// The catalog lists every family as read.
    var catalogPageKey: UInt64 {
        var hasher = Fingerprint(seed: 0xCA7A_1065_9A6E)
        hasher.add(catalogDigest)
        addFrame(to: &hasher)
        return hasher.digest
    }

    /// Nil when the family page reads what no key names: generations, or the include graph.
    func familyPageKey(_ family: PromptFamily, digest: UInt64) -> UInt64? {
        guard familyAnalytics[family.slug] == nil, family.promptType != .snippet,
              !family.versions.contains(where: { catalog.includeGraph.includedBy[$0.id] != nil }) else { return nil }
        var hasher = Fingerprint(seed: 0xFA11_1E5_9A6E)
        hasher.add(digest)
        addFrame(to: &hasher)
        hasher.add(diagnostics: diagnosticsByFile[family.file] ?? [])
        return hasher.digest
    }

    /// `api/v1/families/<slug>.json`: the family as read and every version's lengths.
    func familyDocumentKey(_ family: PromptFamily, digest: UInt64) -> UInt64 {
        var hasher = Fingerprint(seed: 0xFA11_1E5_0A71)
        hasher.add(digest)
        for version in family.versions { hasher.add(lengths: lengths.of(version)) }
        return hasher.digest
    }

    /// Nil when the version page reads what no key names: generations, includes either way, or
    /// plugins that change how its randomization pools render.
    func versionPageKey(_ version: PromptVersion, familyDigest: UInt64) -> UInt64? {
        guard analytics.version(version.family, version.number) == nil, version.template.includes.isEmpty,
              catalog.includeGraph.includedBy[version.id] == nil,
              catalog.plugins.isEmpty || version.randomization.isEmpty else { return nil }
        var hasher = Fingerprint(seed: 0x7E55_10_9A6E)
        hasher.add(familyDigest)
        hasher.add(version.file)
        addFrame(to: &hasher)
        hasher.add(diagnostics: diagnosticsByFile[version.file] ?? [])
        hasher.add(lengths: lengths.of(version))
        // Contexts fill what the version reads (its previews per context).
        if !version.template.variablePaths.isEmpty { hasher.add(contextsDigest) }
        let item = PromptItem.Kind.version(family: version.family, number: version.number)
        for (neighbour, value) in similarity.similar.mostSimilar(to: item) {
            hasher.add(neighbour.name)
            hasher.add(optional: neighbour.family)
            hasher.add(optional: similarity.page(of: neighbour))
            hasher.add(value.bitPattern)
        }
        if let cluster = similarity.similar.cluster(of: item) {
            hasher.add(UInt64(cluster.number))
            hasher.add(UInt64(cluster.members.count))
        } else {
            hasher.add(tag: 0)
        }
        return hasher.digest
    }
}

extension Fingerprint {
    mutating func add(optional text: String?) {
        guard let text else { return add(tag: 0) }
        add(tag: 1)
        add(text)
    }

    mutating func add(list: [String]) {
        add(UInt64(list.count))
        for text in list { add(text) }
    }

    /// Line and column in one value (within a file both fit in 32 bits; a longer one only hashes differently).
    private mutating func add(place: SourceLocation) {
        let line = UInt64(truncatingIfNeeded: place.line ?? -1), column = UInt64(truncatingIfNeeded: place.column ?? -1)
        add(line << 32 ^ column)
    }

    mutating func add(location: SourceLocation?) {
        guard let location else { return add(tag: 0) }
        add(tag: 1)
        add(location.file)
        add(UInt64(bitPattern: Int64(location.line ?? -1)))
        add(UInt64(bitPattern: Int64(location.column ?? -1)))
    }

    /// Lengths against each provider, as the length tables and the API show them.
    mutating func add(lengths: [ProviderLength]) {
        add(UInt64(lengths.count))
        for length in lengths {
            add(length.provider.id)
            add(optional: length.limit.map(String.init))
            add(UInt64(bitPattern: Int64(length.exampleLength)))
            add(UInt64(bitPattern: Int64(length.worstCase.length)))
            add(list: length.worstCase.unboundedPaths.map(\.description))
            add(optional: length.negativeLength.map(String.init))
        }
    }

    mutating func add(diagnostics: [Diagnostic]) {
        add(UInt64(diagnostics.count))
        for diagnostic in diagnostics {
            add(diagnostic.level.rawValue)
            add(diagnostic.code)
            add(diagnostic.message)
            add(optional: diagnostic.hint)
            add(location: diagnostic.location)
        }
    }

    /// A version as its file says it: everything a `PromptVersion` holds is read from its front
    /// matter, its template text and its place in the file.
    mutating func add(version: PromptVersion) {
        add(version.family)
        add(UInt64(bitPattern: Int64(version.number)))
        add(version.file)
        // Everything read from the file is made from its text: its hash stands for the front
        // matter and template (walking the parsed front matter cost more than the rest of the key).
        add(version.sourceDigest)
    }

    /// A front matter as parsed, with each node's line and column (its file is the version's).
    mutating func add(node: SourceNode?) {
        guard let node else { return add(tag: 0) }
        add(place: node.location)
        switch node.kind {
        case .scalar(let value, let text):
            // A scalar's value is read from its text, by its kind (a quoted `"1"` is a string).
            switch value {
            case .null: add(tag: 1)
            case .bool: add(tag: 2)
            case .int: add(tag: 3)
            case .double: add(tag: 4)
            case .string: add(tag: 5)
            }
            add(text)
        case .mapping(let members):
            add(tag: 6)
            add(UInt64(members.count))
            for member in members {
                add(member.key)
                add(place: member.keyLocation)
                add(node: member.value)
            }
        case .sequence(let items):
            add(tag: 7)
            add(UInt64(items.count))
            for item in items { add(node: item) }
        }
    }
}
