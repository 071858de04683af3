import Diagnostics
import PromptTemplates

/// The fields of every content file, in one place: the loaders read through these schemas
/// (`FieldReader`) and `promptsite schema <kind>` publishes them as JSON Schemas.
public enum ContentSchemas {
    /// A kind of content file with a published schema.
    public enum Kind: String, CaseIterable, Sendable {
        case family, version, provider, plugin, nodeType = "node-type", scene, context, site
        case actionBlock = "action-block", program
        case contentPackManifest = "content-pack-manifest", contentPackBlocks = "content-pack-blocks"
        case contentPackTemplates = "content-pack-templates", contentPackPrimitives = "content-pack-primitives"

        /// The fields of a file of this kind; of one block for `action-block` (a file is a list of
        /// blocks or a package: see `document`).
        public var schema: ObjectSchema {
            switch self {
            case .family: ContentSchemas.family
            case .version: ContentSchemas.version
            case .provider: ContentSchemas.provider
            case .plugin: ContentSchemas.plugin
            case .nodeType: ContentSchemas.nodeType
            case .scene: ContentSchemas.scene
            case .context: ContentSchemas.context
            case .site: ContentSchemas.site
            case .actionBlock: ContentSchemas.actionBlock
            case .program: ContentSchemas.program
            case .contentPackManifest: ContentSchemas.packManifest
            case .contentPackBlocks: ContentSchemas.packBlocks
            case .contentPackTemplates: ContentSchemas.packTemplates
            case .contentPackPrimitives: ContentSchemas.packPrimitives
            }
        }

        /// The files of this kind, as a glob relative to the project (for editor settings).
        public var files: String {
            switch self {
            case .family: "Content/prompts/*/family.yaml"
            case .version: "Content/prompts/*/v*.prompt (the front matter)"
            case .provider: "Content/providers/*.yaml"
            case .plugin: "Content/plugins/*/plugin.yaml"
            case .nodeType: "Content/node-types/*.yaml"
            case .scene: "Content/scenes/*.yaml"
            case .context: "Content/contexts/*.yaml"
            case .site: "Site.json"
            case .actionBlock: "Content/action-blocks/**/*.json"
            case .program: "Content/programs/**/*.json"
            case .contentPackManifest: "Content/content-packs/*/*/manifest.yaml"
            case .contentPackBlocks: "Content/content-packs/prompt/*/schema.yaml, blocks.schema.yaml and blocks/**/*.schema.yaml"
            case .contentPackTemplates: "Content/content-packs/prompt/*/templates.yaml and templates/**/*.yaml"
            case .contentPackPrimitives: "Content/content-packs/primitives/*/blocks.yaml and blocks/*.yaml"
            }
        }

        /// What the files' loader holds them to that JSON Schema cannot say (`promptsite check` reports it).
        public var limits: String? {
            switch self {
            case .actionBlock:
                "template syntax; a package template's params; ids unique across files; links to other blocks; "
                    + "`peak` not below `start` and `end`; a duration within the default providers' limit; the layered prompt's length"
            case .program:
                "template and condition syntax; stage ids unique; `combine` sources that name a stage; a range's `min` not above its `max`; "
                    + "which strings are numbers in a range"
            case .contentPackBlocks:
                "defaults from the pack's root schema file (so `block_id` is not required here); what a block schema's `mode` needs of the "
                    + "compiled text; `op_args` values a tag cannot take; block ids unique and `package_name` the same across the pack's files"
            case .contentPackTemplates:
                "slugs unique in the pack; the size of a number written as a string; `block_source` and `tag_constraints` by `slot_schema_version`"
            case .contentPackPrimitives:
                "block ids unique in the pack"
            default:
                nil
            }
        }

        /// Where the site publishes the schema.
        public var sitePath: String { "schemas/\(rawValue).schema.json" }

        /// The JSON Schema document, pretty-printed with a final newline.
        public var document: String {
            let description = "promptsite: \(files)" + (limits.map { ". Checked by `promptsite check`, not here: \($0)." } ?? "")
            let json = switch self {
            case .actionBlock: ContentSchemas.actionBlockFile(id: sitePath, description: description)
            default: schema.jsonSchema(id: sitePath, description: description)
            }
            return json.serialized(pretty: true) + "\n"
        }
    }

    static let promptTypes = PromptType.allCases.map(\.rawValue)

    // MARK: family.yaml

    public static let family = ObjectSchema("family.yaml", [
        FieldSchema("title", .text(), required: true, "The family's title."),
        FieldSchema("description", .text(), "Markdown."),
        FieldSchema("prompt_type", .text(values: promptTypes), required: true, "visual, narrative, hybrid or snippet (only included by other prompts)."),
        FieldSchema("category", .text(), "A free category."),
        FieldSchema("tags", .textList, "Tags such as `location:harbor`."),
        FieldSchema("node_types", .textList, "Node types this family is written for."),
        FieldSchema("action_block", .text(), "The action block this family versions."),
        FieldSchema("scene", .text(), "The scene this family belongs to."),
        FieldSchema("npc", .text(), "The NPC this family speaks for."),
        FieldSchema("labels", .map(.integer(minimum: 1)), "Label → version number, e.g. `{ production: 6 }`."),
        FieldSchema("active", .boolean, "false moves the family apart in the index (default true)."),
    ])

    // MARK: v<N>.prompt front matter

    static func variableFields(examples: Bool) -> [FieldSchema] {
        [
            FieldSchema("type", .text(values: VariableType.allCases.map(\.rawValue)), "string, int, float, bool or enum."),
            FieldSchema("default", .any, "The value when none is given (makes the variable optional)."),
        ] + (examples ? [FieldSchema("example", .any, "The value previews use.")] : []) + [
            FieldSchema("required", .boolean, "Default: true unless there is a default."),
            FieldSchema("description", .text(), "What the variable is."),
            FieldSchema("max_length", .integer(minimum: 1), "Longest string, in characters."),
            FieldSchema("min", .number, "Smallest number."),
            FieldSchema("max", .number, "Largest number."),
            FieldSchema("values", .constrained(.textList, [("minItems", .int(1))]), "The values of an enum."),
        ]
    }

    /// `strategies:` names among `Strategy`'s (`unknown-strategy` for any other).
    static let strategies: FieldShape = {
        let names = Strategy.allCases.map(\.rawValue)
        return .oneOf([.text(values: names), .list(.text(values: names))])
    }()

    /// A declaration needs its `type` (`variable-type`), and an enum its `values`.
    static let variableRules: [(String, JSONValue)] = [
        ("required", .array([.string("type")])),
        ("if", .object([("properties", .object([("type", .object([("const", .string("enum"))]))]))])),
        ("then", .object([("required", .array([.string("values")]))])),
    ]
    public static let variable = ObjectSchema("variable", together: variableRules, variableFields(examples: false))
    public static let pluginVariable = ObjectSchema("plugin variable", together: variableRules, variableFields(examples: true))

    /// `lead: string` or `lead: { type: string, max_length: 40 }`.
    static func variables(_ schema: ObjectSchema) -> FieldShape {
        .map(.oneOf([.text(values: VariableType.allCases.map(\.rawValue)), .object(schema)]))
    }

    public static let pool = ObjectSchema("randomization pool", [
        FieldSchema("values", .constrained(.list(.any), [("minItems", .int(1))]), required: true, "The values drawn from."),
        FieldSchema("weights", .list(.constrained(.number, [("minimum", .int(0))])), "One weight per value (none negative)."),
    ])

    public static let example = ObjectSchema("example", [
        FieldSchema("name", .text(), "The example's name."),
        FieldSchema("vars", .map(.any), "Variable values (dotted paths or nested mappings)."),
    ])

    public static let version = ObjectSchema("v<N>.prompt front matter", [
        FieldSchema("version", .integer(minimum: 1), required: true, "Must equal N of v<N>.prompt."),
        FieldSchema("parent", .integer(minimum: 1), "The earlier version this one derives from."),
        FieldSchema("branch", .text(), "Default: main."),
        FieldSchema("message", .text(), "What changed."),
        FieldSchema("author", .text(), "Who changed it."),
        FieldSchema("date", .text(), "ISO 8601, e.g. 2025-11-17T10:00:00Z."),
        FieldSchema("semver", .text(), "A semantic version, if you keep one."),
        FieldSchema("tags", .textList, "Tags."),
        FieldSchema("providers", .textList, "Provider ids (default: Site.json defaultProviders)."),
        FieldSchema("variables", variables(variable), "Variable declarations."),
        FieldSchema("strategies", strategies, "Generation strategies: once, per_playthrough, per_player, always."),
        FieldSchema("randomization", .map(.oneOf([.constrained(.list(.any), [("minItems", .int(1))]), .object(pool)])), "Pools: a list, or `{ values, weights }`."),
        FieldSchema("provider_hints", .map(.map(.any)), "Provider id → parameter → value."),
        FieldSchema("negative", .text(), "The negative prompt."),
        FieldSchema("examples", .list(.object(example)), "Examples previewed and measured."),
    ])

    // MARK: providers/<id>.yaml

    public static let providerParameter = ObjectSchema("provider parameter", [
        FieldSchema("name", .text(), required: true, "The parameter's name."),
        FieldSchema("type", .text(values: ParameterType.allCases.map(\.rawValue)), required: true, "int, float, bool, string or enum."),
        FieldSchema("min", .number, "Smallest value."),
        FieldSchema("max", .number, "Largest value."),
        FieldSchema("values", .textList, "The values of an enum."),
    ])

    public static let providerCost = ObjectSchema("provider cost", [
        FieldSchema("per_generation", .number, "Cost of one generation."),
        FieldSchema("per_second", .number, "Cost per second of output."),
        FieldSchema("currency", .text(), "Default: USD."),
    ])

    public static let provider = ObjectSchema("providers/<id>.yaml", [
        FieldSchema("id", .text(), "Must match the file name."),
        FieldSchema("name", .text(), "Display name."),
        FieldSchema("prompt_limit", .integer(minimum: 1), "Longest prompt, in characters."),
        FieldSchema("negative_prompt_limit", .integer(minimum: 1), "Longest negative prompt, in characters."),
        FieldSchema("operations", .textList, "Operations such as text_to_video."),
        FieldSchema("parameters", .list(.object(providerParameter)), "Parameters provider_hints may set."),
        FieldSchema("cost", .object(providerCost), "Cost per generation and per second."),
    ])

    // MARK: plugins/<id>/plugin.yaml

    public static let pluginScope = ObjectSchema("applies_to", [
        FieldSchema("prompt_type", .textList, "visual, narrative, hybrid or snippet (only included by other prompts)."),
        FieldSchema("node_types", .textList, "Node type ids."),
        FieldSchema("families", .textList, "Family slugs."),
        FieldSchema("tags", .textList, "Family tags."),
    ])

    public static let pluginVariables = ObjectSchema("plugin variables", [
        FieldSchema("scope", .text(), required: true, "The prefix of every variable (`quest` for `quest.stage`)."),
        FieldSchema("vars", variables(pluginVariable), "Variable declarations."),
    ])

    public static let pluginValidator = ObjectSchema("plugin validator", [
        FieldSchema("id", .text(), required: true, "The rule id (code `plugin:<plugin>/<id>`)."),
        FieldSchema("level", .text(values: Severity.allCases.map(\.rawValue)), "error, warning or info."),
        FieldSchema("applies_to", .object(pluginScope), "Which versions the rule checks."),
        FieldSchema("forbid", .textList, "Words the template must not contain."),
        FieldSchema("forbid_regex", .text(), "An ICU regular expression the template must not match."),
        FieldSchema("max_length", .integer(minimum: 1), "Longest worst-case length."),
        FieldSchema("require_variables", .textList, "Variables the template must use."),
    ])

    public static let pluginTransformer = ObjectSchema("plugin transformer", [
        FieldSchema("applies_to", .object(pluginScope), "Which versions the change applies to."),
        FieldSchema("prepend", .text(), "Text put before the prompt."),
        FieldSchema("append", .text(), "Text put after the prompt."),
        FieldSchema("replace", .text(), "An ICU regular expression replaced by `with`."),
        FieldSchema("with", .text(), "The replacement (required with `replace`)."),
    ])

    public static let plugin = ObjectSchema("plugins/<id>/plugin.yaml", [
        FieldSchema("id", .text(), "Must match the folder name."),
        FieldSchema("name", .text(), "Display name."),
        FieldSchema("version", .text(), "The plugin's version."),
        FieldSchema("description", .text(), "What it does."),
        FieldSchema("variables", .object(pluginVariables), "Variables the plugin provides."),
        FieldSchema("validators", .list(.object(pluginValidator)), "Rules run on every version they apply to."),
        FieldSchema("transformers", .list(.object(pluginTransformer)), "Changes applied to rendered prompts, in order."),
        FieldSchema("node_types", .textList, "Node types the plugin contributes."),
        FieldSchema("docs", .text(), "The plugin's page, a file in its folder (default README.md)."),
    ])

    // MARK: node-types/<id>.yaml

    public static let promptExtensions = ObjectSchema("prompt_extensions", [
        FieldSchema("recommended_families", .textList, "Family slugs."),
        FieldSchema("variables", variables(variable), "Variables prompts for this node type receive."),
        FieldSchema("required_prompt_type", .text(values: promptTypes), "visual, narrative, hybrid or snippet (only included by other prompts)."),
        FieldSchema("strategies", strategies, "Allowed generation strategies: once, per_playthrough, per_player, always."),
    ])

    public static let nodeType = ObjectSchema("node-types/<id>.yaml", [
        FieldSchema("id", .text(), "Must match the file name."),
        FieldSchema("name", .text(), "Display name."),
        FieldSchema("plugin", .text(), "The plugin that contributes it."),
        FieldSchema("generation", .boolean, "Whether nodes of this type generate content."),
        FieldSchema("prompt_extensions", .object(promptExtensions), "What its prompts must be."),
    ])

    // MARK: scenes/<id>.yaml

    /// Exactly one of a version, a label, `latest: true` or inline text (`invalid-field` otherwise).
    public static let scenePrompt = ObjectSchema("scene node prompt", together: [
        ("oneOf", .array([
            .object([("required", .array([.string("version")]))]),
            .object([("required", .array([.string("label")]))]),
            .object([("required", .array([.string("latest")])), ("properties", .object([("latest", .object([("const", .bool(true))]))]))]),
            .object([("required", .array([.string("inline")]))]),
        ])),
    ], [
        FieldSchema("family", .text(), "A family slug."),
        FieldSchema("version", .integer(minimum: 1), "A version number."),
        FieldSchema("label", .text(), "A label of the family."),
        FieldSchema("latest", .boolean, "The family's latest version."),
        FieldSchema("inline", .text(), "A prompt written in place."),
        FieldSchema("variables", .map(.any), "Variable values."),
    ])

    public static let sceneNode = ObjectSchema("scene node", [
        FieldSchema("id", .text(), required: true, "Unique within the scene."),
        FieldSchema("type", .text(), "A node type id (default generation)."),
        FieldSchema("provider", .text(), "A provider id."),
        FieldSchema("strategy", .text(), "A generation strategy."),
        FieldSchema("prompt", .object(scenePrompt), "One of version, label, latest or inline."),
    ])

    public static let scene = ObjectSchema("scenes/<id>.yaml", [
        FieldSchema("id", .text(), "Must match the file name."),
        FieldSchema("title", .text(), "Display title."),
        FieldSchema("nodes", .list(.object(sceneNode)), required: true, "The scene's nodes."),
    ])

    // MARK: contexts/<id>.yaml

    /// The built-in scopes of `ContextSchema`; any other top-level name is allowed.
    public static let context: ObjectSchema = {
        var scopes: [String: [(path: [String], field: ContextSchema.Field)]] = [:]
        for path in ContextSchema.fixedPaths {
            let parts = path.split(separator: ".").map(String.init)
            scopes[parts[0], default: []].append((Array(parts.dropFirst()), ContextSchema.field(VariablePath(path))!))
        }
        func shape(_ entries: [(path: [String], field: ContextSchema.Field)], name: String) -> FieldShape {
            if entries.count == 1, entries[0].path.isEmpty { return contextShape(entries[0].field) }
            var children: [String: [(path: [String], field: ContextSchema.Field)]] = [:]
            for entry in entries where !entry.path.isEmpty {
                children[entry.path[0], default: []].append((Array(entry.path.dropFirst()), entry.field))
            }
            return .object(ObjectSchema(name, open: true, children.keys.sorted().map {
                FieldSchema($0, shape(children[$0]!, name: "\(name).\($0)"), "Built-in `\(name).\($0)`.")
            }))
        }
        let fields = ContextSchema.scopes.map { scope -> FieldSchema in
            if let entries = scopes[scope] { return FieldSchema(scope, shape(entries, name: scope), "Built-in scope `\(scope)`.") }
            return FieldSchema(scope, .map(.any), "Built-in scope `\(scope)`.")
        }
        // The same fields written flat, one dotted key each (`npc.name: Mara`), as PixSim7's programs read them.
        let flat = ContextSchema.fixedPaths.filter { $0.contains(".") }.map { path in
            FieldSchema(path, contextShape(ContextSchema.field(VariablePath(path))!), "Built-in `\(path)`, written as one dotted key.")
        }
        return ObjectSchema("contexts/<id>.yaml", open: true, fields + flat)
    }()

    private static func contextShape(_ field: ContextSchema.Field) -> FieldShape {
        switch field {
        case .text: .text()
        case .integer(let min, let max): .integer(minimum: min, maximum: max)
        case .list: .textList
        case .open: .any
        }
    }

    // MARK: Site.json

    public static let siteAnalytics = ObjectSchema("Site.json analytics", [
        FieldSchema("minSamples", .integer(minimum: 1), "Decided generations each arm needs before a verdict (default 30)."),
        FieldSchema("confidence", .constrained(.number, [("exclusiveMinimum", .int(0)), ("exclusiveMaximum", .int(1))]), "Confidence of every interval, between 0 and 1 (default 0.95)."),
    ])
    public static let siteSimilarity = ObjectSchema("Site.json similarity", [
        FieldSchema("threshold", .constrained(.number, [("exclusiveMinimum", .int(0)), ("maximum", .int(1))]), "Near-duplicate similarity, above 0 and at most 1 (default 0.85)."),
    ])
    public static let siteChecks = ObjectSchema("Site.json checks", [
        FieldSchema("strict", .boolean, "Warnings fail the build."),
        FieldSchema("ignore", .textList, "Codes to silence (`plugin:*` matches a prefix)."),
        FieldSchema("errors", .textList, "Codes raised to errors."),
    ])
    public static let siteMarkdown = ObjectSchema("Site.json markdown", [
        FieldSchema("unsafeHTML", .boolean, "Keep raw HTML in Markdown."),
    ])

    public static let siteLogsPostgres = ObjectSchema("Site.json logs.postgres", [
        FieldSchema("url", .text(), "libpq connection URL (postgresql://…); prefer urlEnv so no password sits in the repository."),
        FieldSchema("urlEnv", .text(), "Environment variable holding the connection URL; wins over url when set."),
        FieldSchema("preset", .text(values: LogDatabaseConfig.presets), "Table layout: promptsite (default, the log columns) or pixsim7 (PixSim7's generations tables)."),
        FieldSchema("table", .text(), "The generations table (default generations)."),
        FieldSchema("timeoutSeconds", .integer(minimum: 1), "statement_timeout of each aggregate query, in seconds (default 30)."),
    ])
    public static let siteLogs = ObjectSchema("Site.json logs", [
        FieldSchema("maxLineBytes", .integer(minimum: 64), "Longest log line read, in bytes (default 1048576); longer lines are skipped as log-malformed."),
        FieldSchema("preset", .text(values: SiteConfig.logPresets), "Log columns: promptsite (default) or langfuse (Langfuse observation exports)."),
        FieldSchema("postgres", .object(siteLogsPostgres), "Generation logs in PostgreSQL, aggregated in the database."),
    ])
    public static let siteFlaggedWord = ObjectSchema("Site.json flagged word", [
        FieldSchema("pattern", .constrained(.text(), [("type", .string("string")), ("minLength", .int(1))]), required: true, "A case-insensitive regular expression (`\\bfrozen\\b`)."),
        FieldSchema("suggestion", .text(), "What to write instead."),
    ])
    public static let siteContentPacks = ObjectSchema("Site.json contentPacks", [
        FieldSchema("flaggedWords", .list(.object(siteFlaggedWord)), "Words content-pack texts should avoid, besides PixSim7's list."),
    ])
    public static let site = ObjectSchema("Site.json", [
        FieldSchema("title", .text(), "The site's title."),
        FieldSchema("baseURL", .constrained(.text(), [("type", .string("string")), ("pattern", .string(#"^(/(?!/)|[hH][tT][tT][pP][sS]?://[^\s\\]+)[^\s\\]*$"#))]),
                    "Where the site is published: a path starting with `/`, or an http(s) address."),
        FieldSchema("content", .text(), "The content folder, relative to Site.json."),
        FieldSchema("templates", .text(), "The templates folder."),
        FieldSchema("output", .text(), "The output folder."),
        FieldSchema("cache", .text(), "The log summary cache folder."),
        FieldSchema("defaultProviders", .textList, "Providers of versions that name none."),
        FieldSchema("analytics", .object(siteAnalytics), "Analytics settings."),
        FieldSchema("similarity", .object(siteSimilarity), "Similarity settings."),
        FieldSchema("checks", .object(siteChecks), "Check policy."),
        FieldSchema("markdown", .object(siteMarkdown), "Markdown settings."),
        FieldSchema("logs", .object(siteLogs), "How generation logs are read."),
        FieldSchema("contentPacks", .object(siteContentPacks), "Content-pack checks."),
    ])
}
