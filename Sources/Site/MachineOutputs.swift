import Analytics
import Checks
import Diagnostics
import Foundation
import Project
import PromptCatalog
import PromptTemplates

/// The JSON API, search index, sitemap, Atom feed and CI reports are planned by the same
/// context as the pages.
typealias MachineOutputs = PagePlanner

extension PagePlanner {
    /// `search-index.json`.
    /// Made from the families and docs only: taken on the catalog's key when none changed.
    func searchIndexFile() -> [OutputFile] {
        [OutputFile(path: "search-index.json", content: .keyed(key: catalogDigest) { .data { Data((searchIndexText() + "\n").utf8) } })]
    }

    /// `api/v1/families.json`; each family's own document is planned with its pages (`promptPages`).
    func familyFiles() -> [OutputFile] { [.json("api/v1/families.json", familiesIndex())] }

    func providerFiles() -> [OutputFile] { [.json("api/v1/providers.json", providers())] }
    func blockFiles() -> [OutputFile] { [.json(SitePaths.blocksAPI, blocks())] }
    func programFiles() -> [OutputFile] { [.json(SitePaths.programsAPI, programs())] }
    func pluginFiles() -> [OutputFile] { pluginDocuments().map { .json($0.path, $0.document) } }
    func analyticsFiles() -> [OutputFile] { analyticsDocuments().map { .json(SitePaths.analyticsAPI($0.0), $0.1) } }
    func suggestionOutputs() -> [OutputFile] { suggestionFiles().sorted { $0.key < $1.key }.map { .text($0.key, $0.value) } }

    /// `reports/checks.json`, `reports/junit.xml`, `reports/checks.sarif`.
    /// Made from the diagnostics and the checked files only: taken on their key when neither changed.
    func reportFiles() -> [OutputFile] {
        let key = reportsKey
        // Paths from the project folder (where Site.json is), as `check` run there shows them: code
        // scanning resolves a SARIF file's paths against the repository, not the content folder.
        let project = config.file?.deletingLastPathComponent() ?? config.contentDirectory.deletingLastPathComponent()
        let content = relativePath(of: config.contentDirectory, from: project)
        let shown: @Sendable (String) -> String = { collapsingParentFolders(content.isEmpty || content == "." ? $0 : content + "/" + $0) }
        let report = { @Sendable in DiagnosticReport(diagnostics: diagnostics, checkedFiles: catalog.files, displayPath: shown) }
        return [("reports/checks.json", DiagnosticFormat.json), ("reports/junit.xml", .junit), ("reports/checks.sarif", .sarif)].map { path, format in
            OutputFile(path: path, content: .keyed(key: key) { .data { Data(report().rendered(as: format).utf8) } })
        }
    }

    // MARK: Search

    /// The index as compact JSON: each family's entries are serialized on all cores and joined
    /// (a compact array is its items joined by commas), the same bytes as serializing it whole.
    private func searchIndexText() -> String {
        let families = parallelMap(catalog.families) { family in searchEntries(family).map { $0.serialized() }.joined(separator: ",") }
        let docs = catalog.docs.map { doc in
            JSONValue.object([
                ("kind", .string("doc")), ("title", .string(doc.title)), ("url", .string(SitePaths.doc(doc.path))),
                ("type", .null), ("tags", .array([])), ("text", .string(String(doc.markdown.prefix(400)))),
            ]).serialized()
        }
        return "[" + (families + docs).joined(separator: ",") + "]"
    }

    /// A family's entry, then one per version.
    private func searchEntries(_ family: PromptFamily) -> [JSONValue] {
        let entry = JSONValue.object([
            ("kind", .string("family")), ("title", .string(family.title)), ("url", .string(SitePaths.family(family.slug))),
            ("type", .optional(family.promptType?.rawValue)), ("tags", .array(family.tags.map(JSONValue.string))),
            ("text", .string(family.description ?? "")),
        ])
        return [entry] + family.versions.map { version in
            .object([
                ("kind", .string("version")), ("title", .string("\(family.title) v\(version.number)")),
                ("url", .string(SitePaths.version(family.slug, version.number))), ("type", .optional(family.promptType?.rawValue)),
                ("tags", .array(version.tags.map(JSONValue.string))),
                ("text", .string(Self.searchText((version.message ?? "") + " " + version.template.source))),
            ])
        }
    }

    /// The first 400 characters of a version's text for the index. Counting characters means
    /// finding grapheme boundaries, which was an eighth of the index's time; in ASCII text without
    /// a `\r` (where `\r\n` is one character) every byte is a character, so 400 bytes are taken.
    static func searchText(_ text: String) -> String {
        let limit = 400
        var text = text
        let asciiBytes = text.withUTF8 { bytes -> Int? in
            let checked = min(bytes.count, limit + 1)
            for index in 0..<checked where bytes[index] >= 0x80 || bytes[index] == UInt8(ascii: "\r") { return nil }
            return min(bytes.count, limit)
        }
        if let asciiBytes { return String(decoding: text.utf8.prefix(asciiBytes), as: UTF8.self) }
        return String(text.prefix(limit))
    }

    // MARK: API

    private func familiesIndex() -> JSONValue {
        .object([
            ("families", .array(catalog.families.map { family in
                .object(familyFields(family) + [("url", .string(SitePaths.familyAPI(family.slug)))])
            })),
        ])
    }

    private func familyFields(_ family: PromptFamily) -> [(String, JSONValue)] {
        [
            ("slug", .string(family.slug)), ("title", .string(family.title)), ("prompt_type", .optional(family.promptType?.rawValue)),
            ("category", .optional(family.category)), ("tags", .array(family.tags.map(JSONValue.string))),
            ("node_types", .array(family.nodeTypes.map(JSONValue.string))), ("active", .bool(family.active)),
            ("labels", .object(family.labels.map { ($0.name, JSONValue.int($0.version)) })),
            ("latest", .optional(family.latest?.number)), ("versions", .int(family.versions.count)),
        ]
    }

    func familyDocument(_ family: PromptFamily) -> JSONValue {
        var fields = familyFields(family).filter { $0.0 != "versions" }
        fields.append(("description", .optional(family.description)))
        fields.append(("versions", .array(family.versions.map { version(family, $0) })))
        return .object(fields)
    }

    private func version(_ family: PromptFamily, _ version: PromptVersion) -> JSONValue {
        let lengths = lengths.of(version)
        return .object([
            ("number", .int(version.number)), ("id", .string(version.id)), ("parent", .optional(version.parent?.value)),
            ("branch", .string(version.branch)), ("labels", .array(family.labels.filter { $0.version == version.number }.map { .string($0.name) })),
            ("message", .optional(version.message)), ("author", .optional(version.author)),
            ("date", .optional(version.date.map(ISODate.format))), ("semver", .optional(version.semver)),
            ("tags", .array(version.tags.map(JSONValue.string))), ("strategies", .array(version.strategies.map { .string($0.value) })),
            ("text", .string(version.template.source)), ("negative", .optional(version.negative?.value)),
            ("variables", .array(version.variables.map { spec in
                .object([
                    ("name", .string(spec.path.description)), ("type", .optional(spec.typeName?.value)), ("required", .bool(spec.required)),
                    ("default", spec.defaultValue.map { .string($0.templateValue.renderedText) } ?? .null),
                    ("max_length", .optional(spec.maxLength?.value)),
                    ("min", spec.min.map { .double($0.value) } ?? .null), ("max", spec.max.map { .double($0.value) } ?? .null),
                    ("values", .array(spec.values.map { .string($0.value) })), ("description", .optional(spec.description)),
                ])
            })),
            ("randomization", .object(version.randomization.map { ($0.name, JSONValue.array($0.pool.values.map(JSONValue.string))) })),
            ("lengths", .object(lengths.map { length in
                (length.provider.id, JSONValue.object([
                    ("limit", .optional(length.limit)), ("example", .int(length.exampleLength)),
                    ("worst_case", length.worstCase.isBounded ? .int(length.worstCase.length) : .null),
                    ("worst_case_at_least", .int(length.worstCase.length)),
                    ("unbounded", .array(length.worstCase.unboundedPaths.map { .string($0.description) })),
                    ("fits", .bool(length.exampleFits && length.worstCaseFits == true)),
                ]))
            })),
            ("url", .string(SitePaths.version(family.slug, version.number))),
        ])
    }

    private func providers() -> JSONValue {
        .object([("providers", .array(catalog.providers.map { provider in
            .object([
                ("id", .string(provider.id)), ("name", .string(provider.name)), ("prompt_limit", .optional(provider.promptLimit)),
                ("negative_prompt_limit", .optional(provider.negativePromptLimit)),
                ("operations", .array(provider.operations.map(JSONValue.string))),
                ("parameters", .array(provider.parameters.map { parameter in
                    .object([("name", .string(parameter.name)), ("type", .string(parameter.type.rawValue)),
                             ("min", parameter.min.map(JSONValue.double) ?? .null), ("max", parameter.max.map(JSONValue.double) ?? .null),
                             ("values", .array(parameter.values.map(JSONValue.string)))])
                })),
            ])
        }))])
    }

    /// Every action block (SPEC §2.4), in catalog order; `url` is its page.
    private func blocks() -> JSONValue {
        let addresses = BlockAddresses(catalog.blocks)
        return .object([("blocks", .array(zip(catalog.blocks, addresses.paths).map { block, path in
            .object([
                ("id", .string(block.id)), ("package", .optional(block.package)), ("file", .string(block.file)),
                ("kind", .optional(block.kind?.text)),
                ("tags", .object([
                    ("location", .optional(block.tags.location?.value)), ("pose", .optional(block.tags.pose?.value)),
                    ("intimacy_level", .optional(block.tags.intimacyLevel?.value)), ("mood", .optional(block.tags.mood?.value)),
                    ("content_rating", .optional(block.tags.contentRating?.value)), ("time_of_day", .optional(block.tags.timeOfDay?.value)),
                    ("indoors", block.tags.indoors.map { .bool($0.value) } ?? .null), ("branch_type", .optional(block.tags.branchType?.value)),
                    ("intensity", .optional(block.tags.intensity?.value)), ("custom", .array(block.tags.custom.map { .string($0.value) })),
                ])),
                ("prompt", .string(block.prompt.source)), ("layered_prompt", .string(block.layeredPrompt.source)),
                ("duration", block.durationSec.map { .double($0.value) } ?? .null),
                ("compatible_next", .array(block.compatibleNext.map { .string($0.value) })),
                ("compatible_prev", .array(block.compatiblePrev.map { .string($0.value) })),
                ("start_pose", .optional(block.firstPose?.value)), ("end_pose", .optional(block.lastPose?.value)),
                ("family", .optional(catalog.familyVersioning(block: block.id)?.slug)),
                ("url", .string(path)),
            ])
        }))])
    }

    // MARK: Sitemap and feed

    /// An absolute URL from Site.json's baseURL; a relative base stays relative.
    func absolute(_ path: String) -> String {
        let base = config.baseURL.hasSuffix("/") ? config.baseURL : config.baseURL + "/"
        return base + path
    }

    /// `sitemap.xml` (template `sitemap.mustache`): every page but the 404, from the base URL.
    /// Keyed by the pages it lists (the base URL is in every file's salt).
    static func sitemap(pages: [String], baseURL: String) -> OutputFile {
        var key = Fingerprint(seed: 0x517E_3A9)
        key.add(list: pages)
        return .page("sitemap.xml", template: "sitemap", key: key.digest) {
            let base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
            let urls = pages.sorted().filter { $0 != SitePaths.notFound }.map { page in
                base + (page.hasSuffix("index.html") ? String(page.dropLast(10)) : page)
            }
            return SitemapView(urls: urls)
        }
    }

    /// The most entries the feed holds (the newest).
    static let feedEntries = 200

    /// `feed.xml` (template `feed.mustache`), Atom: one entry per version and per label pointer,
    /// newest first, the newest `feedEntries` of them; `updated` is the newest content date, never the build time, so two builds are
    /// byte-identical. A version without `date:` is dated as the newest dated version before it in
    /// its family (else 1970-01-01): it is still announced. Each entry names the version's `author`;
    /// the feed names the site, so every entry has an author, as Atom requires.
    func feed() -> PlannedPage {
        // Every version and label move is a candidate, ordered by date and id; only the newest
        // `feedEntries` are made into entries (their titles, summaries and authors escaped).
        var candidates: [(date: Date, id: String, make: () -> FeedEntry)] = []
        for family in catalog.families {
            var dates: [Int: Date] = [:]
            var latest = Date(timeIntervalSince1970: 0)
            for version in family.versions {
                let date = version.date ?? latest
                if let written = version.date, written > latest { latest = written }
                dates[version.number] = dates[version.number] ?? date
                let urn = FeedEntry.urnPart("version:\(version.id)")
                candidates.append((date, urn, {
                    FeedEntry(urn: urn, title: "\(family.title) v\(version.number)",
                              url: absolute(SitePaths.version(family.slug, version.number)), updated: ISODate.format(date),
                              summary: version.message ?? "New version", author: version.author)
                }))
            }
            for label in family.labels {
                guard let date = dates[label.version] else { continue }
                let urn = FeedEntry.urnPart("label:\(family.slug):\(label.name):\(label.version)")
                candidates.append((date, urn, {
                    FeedEntry(urn: urn, title: "\(family.title): \(label.name) → v\(label.version)",
                              url: absolute(SitePaths.version(family.slug, label.version)), updated: ISODate.format(date),
                              summary: "Label \(label.name) points at v\(label.version)")
                }))
            }
        }
        candidates.sort { ($0.date, $0.id) > ($1.date, $1.id) }
        // The newest: readers fetch the feed again and again (20,000 families made it 10.7 MB).
        let entries = candidates.prefix(Self.feedEntries).map { (date: $0.date, entry: $0.make()) }
        let url = absolute("")
        // Atom wants an absolute IRI: the site's URL when the base URL has a scheme, else a URN made from the title.
        let id = url.contains("://") ? url : "urn:promptsite:site:" + FeedEntry.urnPart(config.title)
        let model = FeedView(title: XML.characters(config.title), siteAuthor: XML.characters(config.title.isEmpty ? "promptsite" : config.title),
                             id: XML.characters(id), url: url,
                             updated: entries.first?.entry.updated ?? "1970-01-01T00:00:00Z", entries: entries.map(\.entry))
        return PlannedPage(path: "feed.xml", template: "feed", model: model)
    }
}

struct SitemapView: Encodable, Sendable {
    let urls: [String]
}

struct FeedView: Encodable, Sendable {
    let title: String
    let siteAuthor: String
    let id: String
    let url: String
    let updated: String
    let entries: [FeedEntry]
}

struct FeedEntry: Encodable, Sendable {
    let id: String
    let title: String
    let url: String
    let updated: String
    let summary: String
    let author: String?

    /// Titles, messages, authors and label names as XML may carry them (see `XML.characters`);
    /// `urn`: the entry's id already made a URN part (`urnPart`), as the feed orders entries by it.
    init(urn: String, title: String, url: String, updated: String, summary: String, author: String? = nil) {
        self.id = urn
        self.title = XML.characters(title)
        self.url = url
        self.updated = updated
        self.summary = XML.characters(summary)
        self.author = author.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : XML.characters($0) }
    }

    /// Text as part of a URN: letters, digits and `-._~:@` as they are, every other byte
    /// percent-encoded (a label name with a space made an id no feed reader takes for an IRI).
    static func urnPart(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
                 UInt8(ascii: ":"), UInt8(ascii: "@"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum XML {
    /// `text` with the characters XML 1.0 forbids (controls other than tab, line feed and carriage
    /// return; U+FFFE and U+FFFF) replaced by U+FFFD: escaping cannot make them legal, and one of
    /// them makes a feed reader refuse the whole feed.
    static func characters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isAllowed(scalar) ? scalar : "\u{FFFD}") }
        return String(scalars)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
