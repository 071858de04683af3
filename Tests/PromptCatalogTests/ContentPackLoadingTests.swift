import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import PromptCatalog

private func load(_ files: [String: String]) throws -> LoadResult {
    let content = try TemporaryContent(files)
    return CatalogLoader.load(contentDirectory: content.root)
}

private func tags(_ block: PackBlock) -> String {
    block.tags.map { "\($0.key)=\($0.value.pythonText)" }.joined(separator: " ")
}

@Suite struct ContentPackLoadingTests {
    @Test func fixtureCompilesEveryShapeWithPixSim7IDsAndTexts() throws {
        let result = try load(ContentPackFixture.files)
        #expect(result.diagnostics.isEmpty)
        let packs = result.catalog.contentPacks
        #expect(packs.packs.map { "\($0.kind.rawValue)/\($0.name)" } == ["prompt/lantern_scenes", "primitives/harbor_moods"])
        let texts = packs.blocks.map { "\($0.id) | \($0.category) | \($0.text)" }
        #expect(texts == [
            "lantern.light.glow.amber | light | Lantern light: amber glow.",
            "lantern.light.glow.teal | light | Cold teal lantern light over the water.",
            "lantern.special.festival_glow | light | Lantern light: festival glow.",
            "lantern.camera.drift.pan_left | camera | A slow camera drift to the left.",
            "lantern.camera.drift.hold | camera | Camera drift.",
            "lantern.place.dock.pier_end | location | Wooden dock at the pier_end.",
            "lantern.place.dock.boathouse | location | Wooden dock at the boathouse.",
            "lantern.place.plain_quay | location | A plain stone quay.",
            "harbor.mood.hush | mood | Hushed harbor at dusk.",
            "harbor.mood.bustle | mood | Bustling quay with festival chatter.",
        ])
    }

    @Test func tagsAreDerivedAsPixSim7DerivesThem() throws {
        let packs = try load(ContentPackFixture.files).catalog.contentPacks
        func block(_ id: String) throws -> PackBlock { try #require(packs.blocks.first { $0.id == id }) }
        #expect(tags(try block("lantern.light.glow.amber")) == "modifier_family=lantern_light light_temperature=warm variant=amber block_mode=surface "
            + "schema_group=lighting role=lighting legacy_category=light source_pack=lantern_scenes content_pack=lantern_scenes")
        // op params: tag_key, a registered key (vertical_angle) with its value alias, default_args under op_args.
        #expect(tags(try block("lantern.camera.drift.pan_left")) == "variant=pan_left motion_speed=slow motion_direction=left vertical_angle=eye "
            + "op_id=camera.motion.pan_left op_namespace=camera op_modalities=video modality_support=video block_mode=op "
            + "legacy_category=camera source_pack=lantern_scenes content_pack=lantern_scenes")
        #expect(try block("lantern.camera.drift.hold").tag("vertical_angle") == .string("bird"))
        #expect(tags(try block("lantern.place.plain_quay")) == "place=quay legacy_category=location source_pack=lantern_scenes content_pack=lantern_scenes")
        // Primitive tags: scalars as Python's str() (YAML 1.1 `yes` is True), lists kept.
        #expect(tags(try block("harbor.mood.hush")) == "mood=calm source_pack=harbor_moods duration_sec=4.0 loop=True")
        #expect(try block("harbor.mood.bustle").tag("layers") == .array([.string("crowd"), .string("music")]))
        let amber = try block("lantern.light.glow.amber")
        #expect(amber.schemaID == "glow")
        #expect(amber.variantKey == "amber")
        #expect(amber.packageName == "lantern_scenes")
        #expect(amber.location == SourceLocation(file: "content-packs/prompt/lantern_scenes/schema.yaml", line: 16, column: 11))
        #expect(amber.textLocation == SourceLocation(file: "content-packs/prompt/lantern_scenes/schema.yaml", line: 12, column: 22))
    }

    @Test func manifestAndTemplatesAreRead() throws {
        let packs = try load(ContentPackFixture.files).catalog.contentPacks
        let manifest = try #require(packs.packs.first?.manifest)
        #expect(manifest.title == "Lantern Scenes")
        #expect(manifest.version == "1.0.0")
        #expect(manifest.matrixPresets.map { "\($0.label): \($0.rowKey) × \($0.columnKey)" } == ["Light by variant: tag:modifier_family × tag:variant"])
        let template = try #require(packs.templates.first)
        #expect(template.slug == "lantern-harbor-shot")
        #expect(template.compositionStrategy == "sequential")
        #expect(template.slots.map(\.name) == ["place", "light", "camera", "mood"])
        let light = template.slots[1]
        #expect(light.query.all.map(\.key) == ["modifier_family"])
        #expect(light.query.not.map { "\($0.key)=\($0.values)" } == ["light_temperature=[\"cool\"]"])
        let camera = template.slots[2]
        #expect(camera.query.any.map { "\($0.key)=\($0.values)" } == ["motion_direction=[\"left\", \"right\"]", "vertical_angle=[\"bird\"]"])
        func candidates(_ slot: PackSlot) -> [String] { packs.blocks.filter(slot.accepts).map(\.id) }
        #expect(candidates(template.slots[0]) == ["lantern.place.dock.pier_end", "lantern.place.dock.boathouse", "lantern.place.plain_quay"])
        #expect(candidates(light) == ["lantern.light.glow.amber", "lantern.special.festival_glow"])
        #expect(candidates(camera) == ["lantern.camera.drift.pan_left", "lantern.camera.drift.hold"])
        #expect(candidates(template.slots[3]) == ["harbor.mood.hush", "harbor.mood.bustle"])
    }

    /// PixSim7's `rglob`/`glob` match files named `_…` inside a pack; only prompt-pack folders named `_…` are skipped
    /// (`discover_content_packs`), while `load_all_primitives` loads every primitive-pack folder.
    @Test func underscoreFilesInAPackAreRead() throws {
        let result = try load([
            "content-packs/prompt/pp/schema.yaml": "blocks:\n  - {block_id: pp.main, category: c, text: main}",
            "content-packs/prompt/pp/blocks/_shared.schema.yaml": "blocks:\n  - {block_id: pp.shared, category: c, text: shared}",
            "content-packs/prompt/pp/blocks/_drafts/more.schema.yaml": "blocks:\n  - {block_id: pp.draft, category: c, text: draft}",
            "content-packs/prompt/pp/templates/_draft.yaml": "templates:\n  - {slug: from-underscore}",
            "content-packs/prompt/_archived/schema.yaml": "blocks:\n  - {block_id: old.one, category: c, text: old}",
            "content-packs/primitives/qq/blocks/_extra.yaml": "blocks:\n  - {block_id: qq.extra, category: c, text: extra}",
            "content-packs/primitives/_old/blocks.yaml": "blocks:\n  - {block_id: old.prim, category: c, text: old}",
            "content-packs/primitives/qq/blocks/.hidden.yaml": "blocks:\n  - {block_id: qq.hidden, category: c, text: hidden}",
        ])
        #expect(result.diagnostics.isEmpty)
        let packs = result.catalog.contentPacks
        #expect(packs.packs.map { "\($0.kind.rawValue)/\($0.name)" } == ["prompt/pp", "primitives/_old", "primitives/qq"])
        #expect(packs.blocks.map(\.id) == ["pp.main", "pp.draft", "pp.shared", "old.prim", "qq.extra"])
        #expect(packs.templates.map(\.slug) == ["from-underscore"])
    }

    /// PyYAML's `safe_load` keeps a repeated key's last value in its first place (a warning here);
    /// outside the packs a repeated key is still refused.
    @Test func aRepeatedKeyInAPackKeepsItsLastValue() throws {
        let many = (1...20).map { "k\($0): \($0)" }.joined(separator: ", ")
        let result = try load([
            "content-packs/prompt/dk/schema.yaml": """
            blocks:
              - {block_id: dk.gone, category: c, text: gone}
            blocks:
              - {block_id: dk.one, category: first, text: old text, category: second, text: new text}
              - block_id: dk.two
                category: c
                text: two
                tags: {\(many), k3: again}
            """,
            "providers/p.yaml": "id: p\nname: P\nname: Q\nprompt_limit: 10\n",
        ])
        let repeats = result.diagnostics.filter { $0.code == "yaml-duplicate-key" }
        #expect(repeats.map { $0.location?.line ?? 0 } == [3, 4, 4, 8])
        #expect(repeats.allSatisfy { $0.level == .warning && $0.location?.file == "content-packs/prompt/dk/schema.yaml" })
        #expect(repeats.first?.message == "key `blocks` is repeated in this mapping (first at line 1); PixSim7's `yaml.safe_load` keeps this last value")
        let packs = result.catalog.contentPacks
        #expect(packs.blocks.map(\.id) == ["dk.one", "dk.two"])
        let one = try #require(packs.blocks.first { $0.id == "dk.one" })
        #expect(one.category == "second")
        #expect(one.text == "new text")
        let two = try #require(packs.blocks.first { $0.id == "dk.two" })
        #expect(two.tag("k3") == .string("again"))
        #expect(tags(two).contains("k2=2 k3=again k4=4"), "the repeated key keeps its first place")
        let provider = result.diagnostics.filter { $0.location?.file == "providers/p.yaml" }
        #expect(provider.map(\.code) == ["yaml-syntax"])
        #expect(provider.first?.message.hasPrefix("duplicate key `name`") == true)
    }

    /// A file of many repeats keeps 99 of them and counts the rest (not one warning each in memory).
    @Test func manyRepeatedKeysAreCounted() throws {
        let repeats = String(repeating: "  - {block_id: dk.a, category: c, text: t, text: u}\n", count: 150)
        let result = try load(["content-packs/prompt/dk/schema.yaml": "blocks:\n" + repeats])
        let warnings = result.diagnostics.filter { $0.code == "yaml-duplicate-key" }
        #expect(warnings.count == 100)
        #expect(warnings.filter { $0.location?.line == nil }.map(\.message) == ["51 more repeated keys in this file, not listed"])
    }

    /// `project_block_to_primitive` stores `category` stripped, else `role`, else `uncategorized`; slots select on that.
    @Test func categoryFallsBackToTheRole() throws {
        let result = try load([
            "content-packs/prompt/rp/schema.yaml": """
            blocks:
              - id: moves
                block_schema:
                  id_prefix: rp.move
                  role: camera
                  text_template: "Camera move: {variant}."
                  variants: [{key: dolly}]
              - {block_id: rp.spaced, category: " light ", role: key, text: Soft key light.}
              - {block_id: rp.blank, category: "  ", role: " fill ", text: Fill.}
              - {block_id: rp.none, text: Nothing.}
            """,
            "content-packs/prompt/rp/templates.yaml": "templates:\n  - slug: shot\n    slots: [{key: c, category: camera}, {key: l, category: light}]",
        ])
        #expect(result.diagnostics.isEmpty)
        let packs = result.catalog.contentPacks
        #expect(packs.blocks.map { "\($0.id)=\($0.category)" } == ["rp.move.dolly=camera", "rp.spaced=light", "rp.blank=fill", "rp.none=uncategorized"])
        #expect(try #require(packs.blocks.first { $0.id == "rp.spaced" }).tag("legacy_category") == .string("light"))
        #expect(packs.compositions.first?.slots.map { $0.candidates.map(\.id) } == [["rp.move.dolly"], ["rp.spaced"]])
        #expect(" \u{1C}\t id \u{3000}\n".pythonStripped == "id")
        #expect("\u{200B}id".pythonStripped == "\u{200B}id", "a zero-width space is not whitespace to Python")
    }

    /// `normalize_template_slots`: slots sorted by `slot_index` (stable; a slot without one is at its place), pydantic's
    /// lax `bool` for `optional`, `normalize_slot_tag_query` for the tag query, the category compared as written.
    @Test func slotsAreNormalizedAsPixSim7NormalizesThem() throws {
        let result = try load([
            "content-packs/prompt/tp/templates.yaml": """
            templates:
              - slug: ordered
                slots:
                  - {key: b, label: " B ", category: light, slot_index: 5, optional: "yes"}
                  - {key: a, category: cam, slot_index: 5, optional: 1}
                  - {key: c, category: " light ", optional: "OFF"}
                  - preset: subject_preservation
                  - {key: d, slot_index: 3}
              - slug: queries
                slots:
                  - {key: merged, tags: {all_of: {mood: tense}, all: {mood: calm, hue: [null, red, 3]}, not: null}}
                  - {key: dropped, tags: {all: {mood: [null], hue: null}, any: {}}}
                  - {key: flat, tags: {mood: calm}, tag_constraints: {mood: tense}}
                  - {key: legacy, tag_constraints: {mood: tense}}
              - slug: v4
                template_metadata: {slot_schema_version: 4}
                slots:
                  - {key: legacy, tag_constraints: {mood: tense}}
            """,
        ])
        #expect(result.diagnostics.map(\.code) == ["pack-slot-preset"])
        let templates = result.catalog.contentPacks.templates
        let ordered = try #require(templates.first)
        // Indexes: c at its place 2, d 3, b and a 5 in written order (the preset holds places 3–5 but d names 3).
        #expect(ordered.slots.map(\.name) == ["c", "d", "b", "a"])
        #expect(ordered.slots.map(\.optional) == [false, false, true, true])
        #expect(ordered.slots.map(\.category) == [" light ", nil, "light", "cam"])
        #expect(ordered.slots[2].label == "B")
        func query(_ slot: PackSlot) -> String {
            [("all", slot.query.all), ("any", slot.query.any), ("not", slot.query.not)].filter { !$0.1.isEmpty }
                .map { "\($0.0) " + $0.1.map { "\($0.key)=\($0.values.joined(separator: "|"))" }.joined(separator: ",") }.joined(separator: "; ")
        }
        #expect(templates[1].slots.map(query) == ["all mood=tense,hue=red|3", "", "all mood=calm", "all mood=tense"])
        #expect(templates[2].slots.map(query) == [""], "from version 2 on, tag_constraints is dropped")
    }

    /// `_render_text_synthesis` looks words up with `table.get(str(value), value)`: a key PyYAML reads as an int
    /// or a bool never matches, so the value itself is written.
    @Test func wordTablesMatchOnlyStringKeys() throws {
        let result = try load(["content-packs/prompt/wt/schema.yaml": """
            blocks:
              - block_schema:
                  id_prefix: wt.push
                  op: {op_id: push.it, params: [{key: force, type: integer}, {key: soft, type: boolean}]}
                  text_synthesis:
                    template: "push {force} {soft}"
                    word_tables:
                      force: {1: gently, "2": firmly}
                      soft: {true: softly, "False": hard}
                  variants:
                    - {key: one, op_args: {force: 1, soft: true}}
                    - {key: two, op_args: {force: 2, soft: false}}
            """])
        #expect(result.diagnostics.isEmpty)
        #expect(result.catalog.contentPacks.blocks.map(\.text) == ["Push 1 True", "Push firmly hard"])
    }

    /// `sorted()` of `Path`s compares component by component: `blocks/a/…` before `blocks/a-b/…` and `blocks/a.b/…`.
    @Test func fragmentsAreInPythonPathOrder() throws {
        let result = try load([
            "content-packs/prompt/po/blocks/a-b/x.schema.yaml": "blocks:\n  - {block_id: po.dash, text: t}",
            "content-packs/prompt/po/blocks/a/x.schema.yaml": "blocks:\n  - {block_id: po.plain, text: t}",
            "content-packs/prompt/po/blocks/a.b/x.schema.yaml": "blocks:\n  - {block_id: po.dot, text: t}",
            "content-packs/prompt/po/blocks/B/x.schema.yaml": "blocks:\n  - {block_id: po.upper, text: t}",
        ])
        #expect(result.catalog.contentPacks.blocks.map(\.id) == ["po.upper", "po.plain", "po.dash", "po.dot"])
    }

    /// `_required_non_empty_string` strips the id as `str.strip()` does: a block scalar's newline, tabs, U+001C too.
    @Test func blockIDsAreStrippedAsPythonStrips() throws {
        let result = try load(["content-packs/prompt/ids/schema.yaml": """
            blocks:
              - block_id: |
                  ids.block_scalar
                text: t
              - {block_id: "\\tids.tabbed\\u001c ", text: t}
              - {block_id: "\\n", text: t}
            """])
        #expect(result.catalog.contentPacks.blocks.map(\.id) == ["ids.block_scalar", "ids.tabbed"])
        #expect(result.diagnostics.map(\.message) == ["blocks[2].block_id is required and must be a non-empty string"])
    }

    @Test func aContentTreeWithoutPacksHasNone() throws {
        let result = try load(["prompts/.keep": ""])
        #expect(result.catalog.contentPacks.isEmpty)
        #expect(result.diagnostics.isEmpty)
    }
}

/// What PixSim7's loader rejects, each at its line, with its message.
@Suite struct ContentPackRejectionTests {
    private func diagnostics(schema: String, file: String = "schema.yaml") throws -> [String] {
        try load(["content-packs/prompt/bad/\(file)": schema]).diagnostics.map { "\($0.location?.line ?? 0) \($0.code): \($0.message)" }
    }

    private func entry(_ schema: String) -> String {
        "blocks:\n  - id: entry\n    block_schema:\n" + schema.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    }

    @Test func schemaErrors() throws {
        let cases: [(String, String)] = [
            ("text_template: x\nvariants: [{key: a}]", "4 pack-schema: block_schema.id_prefix must be a non-empty string"),
            ("id_prefix: p\nvariants: []", "5 pack-schema: block_schema.variants must be a non-empty list"),
            ("id_prefix: p\ntext_template: x\nvariants: [{text: y}]", "6 pack-schema: block_schema.variants[0].key is required and must be a non-empty string"),
            ("id_prefix: p\nvariants: [{key: a}]", "5 pack-schema: block_schema.variants[0] mode=surface requires text or text_template output"),
            ("id_prefix: p\ntext_template: 'x {who}'\nvariants: [{key: a}]", "5 pack-schema: block_schema.text_template failed for variant 'a': 'who'"),
            ("id_prefix: p\nmode: fancy\nvariants: [{key: a, text: t}]", "5 pack-schema: block_schema.mode must be one of: surface, hybrid, op"),
            ("id_prefix: p\nop: {op_id: a, op_id_template: b}\nvariants: [{key: a, text: t}]",
             "5 pack-schema: block_schema.op requires exactly one of op_id or op_id_template"),
            ("id_prefix: p\nop: {op_id: x.y, params: [{key: s, type: enum}]}\nvariants: [{key: a, text: t}]",
             "5 pack-schema: block_schema.op.params[0] type=enum requires enum values"),
            ("id_prefix: p\nop: {op_id: x.y, params: [{key: s, type: string, tag_key: nope}]}\nvariants: [{key: a, text: t, op_args: {s: v}}]",
             "5 pack-schema: block_schema.op.params key 's' references unknown tag_key 'nope' (not registered in prompt_block_tags)"),
            ("id_prefix: p\nop: {op_id: x.y, params: [{key: s, type: string, tag_key: tempo}]}\nvariants: [{key: a, text: t, op_args: {s: fast}, tags: {tempo: slow}}]",
             "6 pack-schema: block_schema.variants[0].tags.tempo conflicts with op_args-derived value"),
            ("id_prefix: p\nop: {op_id: x.y}\nvariants: [{key: a}]", "6 pack-schema: block_schema.variants[0] mode=op requires text or image_surface/video_surface tags"),
            ("id_prefix: p\ntext_template: t\nvariants: [{key: a, op_args: {s: 1}}]",
             "6 pack-schema: block_schema.variants[0] defines op fields but no op_id could be resolved"),
            ("id_prefix: p\nop: {op_id: x.y, modalities: [audio]}\nvariants: [{key: a, text: t}]",
             "5 pack-schema: block_schema.op.modalities[0] must be one of: image, video, both"),
            ("id_prefix: p\ntext_synthesis: {template: ''}\nvariants: [{key: a}]", "5 pack-schema: block_schema.text_synthesis.template must be a non-empty string"),
        ]
        for (schema, expected) in cases {
            let found = try diagnostics(schema: entry(schema))
            #expect(found == [expected], "\(schema)")
        }
    }

    @Test func loaderErrors() throws {
        #expect(try diagnostics(schema: "blocks:\n  - category: x\n    text: y") == ["2 pack-field: blocks[0].block_id is required and must be a non-empty string"])
        #expect(try diagnostics(schema: "blocks:\n  - {block_id: a, text: y}\n  - {block_id: a, text: z}")
            == ["3 pack-duplicate-block: duplicate block_id 'a' in blocks[1] (already defined in content-packs/prompt/bad/schema.yaml)"])
        #expect(try diagnostics(schema: "blocks:\n  - {block_id: a, text: [y]}") == ["2 pack-field: blocks[0].text must be a string"])
        #expect(try diagnostics(schema: "blocks:\n  - {block_id: a, category: 3}") == ["2 pack-field: blocks[0].category must be a string"])
        #expect(try diagnostics(schema: "blocks:\n  - {block_id: a, tags: [x]}") == ["2 pack-field: blocks[0].tags must be an object"])
        #expect(try diagnostics(schema: "blocks: {a: 1}") == ["1 pack-field: blocks must be a list"])
        #expect(try diagnostics(schema: "- a") == ["1 pack-field: expected top-level YAML mapping, got list"])
        #expect(try diagnostics(schema: "block_schema: {id_prefix: p}") == ["1 pack-schema: top-level block_schema is no longer supported; use blocks[].block_schema"])
        #expect(try diagnostics(schema: "blocks:\n  - id: ''\n    block_schema: {id_prefix: p, variants: [{key: a, text: t}]}")
            == ["2 pack-field: blocks[0].id must be a non-empty string"])
        #expect(try diagnostics(schema: "blocks:\n  - {block_id: a, text: y}", file: "blocks.yaml")
            == ["0 pack-legacy-source: found unsupported legacy block source(s): blocks.yaml. Use schema.yaml, blocks.schema.yaml, or blocks/**/*.schema.yaml."])
        let conflict = try load([
            "content-packs/prompt/bad/schema.yaml": "package_name: one\nblocks: []",
            "content-packs/prompt/bad/blocks/more.schema.yaml": "package_name: two\nblocks: []",
        ]).diagnostics.map(\.message)
        #expect(conflict == ["package_name 'two' conflicts with 'one' from content-packs/prompt/bad/schema.yaml"])
    }

    @Test func templateErrors() throws {
        func found(_ text: String) throws -> [String] {
            try load(["content-packs/prompt/bad/templates.yaml": text]).diagnostics.map { "\($0.location?.line ?? 0) \($0.code): \($0.message)" }
        }
        #expect(try found("templates:\n  - name: x") == ["2 pack-field: templates[0].slug is required and must be a non-empty string"])
        #expect(try found("templates:\n  - {slug: a}\n  - {slug: a}") == ["3 pack-duplicate-slug: duplicate slug 'a' in templates[1] (already defined in content-packs/prompt/bad/templates.yaml)"])
        // PixSim7 migrates slot tags before it validates slots, so this message has no `slot[0]`.
        #expect(try found("templates:\n  - slug: a\n    slots: [{tags: [x]}]") == ["3 pack-template: templates[0].slots invalid: slot.tags must be an object"])
        #expect(try found("templates:\n  - slug: a\n    slots: x") == ["3 pack-field: templates[0].slots must be a list"])
        #expect(try found("templates:\n  - slug: a\n    slots:\n      - preset: camera_stability\n      - {key: kept}")
            == ["4 pack-slot-preset: templates[0].slots[0] uses slot preset `camera_stability`, which is not expanded here: the slot is left out of candidates and combinations"])
    }

    /// `TemplateSlotSpec` (pydantic, `extra="forbid"`): each refused field at its place, with pydantic's message; the template is left out.
    @Test func slotSchemaErrors() throws {
        func found(_ slot: String, metadata: String = "") throws -> [String] {
            let result = try load(["content-packs/prompt/bad/templates.yaml": "templates:\n  - slug: a\n\(metadata)    slots:\n      - \(slot)"])
            #expect(result.catalog.contentPacks.templates.isEmpty)
            return result.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.code): \($0.message)" }
        }
        let prefix = "pack-template: templates[0].slots invalid: slot[0] invalid: "
        #expect(try found("{key: a, categroy: light}") == ["4:18 \(prefix)categroy: Extra inputs are not permitted (did you mean `category`?)"])
        #expect(try found("{selection_strategy: random}") == ["4:30 \(prefix)selection_strategy: Input should be 'uniform', 'weighted_rating', "
            + "'weighted_tags', 'diverse', 'coherent_rerank' or 'llm_rerank'"])
        #expect(try found("{intensity: 11, slot_index: -1}") == ["4:37 \(prefix)slot_index: Input should be greater than or equal to 0",
                                                               "4:21 \(prefix)intensity: Input should be less than or equal to 10"])
        #expect(try found("{key: '', optional: maybe, weight: x}") == [
            "4:15 \(prefix)key: String should have at least 1 character",
            "4:44 \(prefix)weight: Input should be a valid number, unable to parse string as a number",
            "4:29 \(prefix)optional: Input should be a valid boolean, unable to interpret input",
        ])
        #expect(try found("{intensity: 2.5, label: null, exclude_block_ids: [x]}") == [
            "4:33 \(prefix)label: Input should be a valid string",
            "4:21 \(prefix)intensity: Input should be a valid integer, got a number with a fractional part",
            "4:59 \(prefix)exclude_block_ids.0: Input should be a valid UUID",
        ])
        #expect(try found("{preferences: {novelty_weight: 2, boost: {}}, selection_config: {weights: {rating: -1}}}") == [
            "4:40 \(prefix)preferences.novelty_weight: Input should be less than or equal to 1",
            "4:43 \(prefix)preferences.boost: Extra inputs are not permitted",
            "4:92 \(prefix)selection_config.weights.rating: Input should be greater than or equal to 0",
        ])
        #expect(try found("x") == ["4:9 \(prefix)template slot must be an object"])
        #expect(try found("{preset: nope}") == ["4:18 pack-template: templates[0].slots invalid: unknown slot preset: 'nope'"])
        #expect(try found("{tags: {all: [x], all_of: {a: 1}}}")
            == ["4:16 pack-template: templates[0].slots invalid: slot.tags group 'all' must be an object when combining aliases"])
        #expect(try found("{key: a}", metadata: "    template_metadata: {slot_schema_version: x}\n")
            == ["3:46 pack-template: templates[0].slots invalid: invalid slot schema version: 'x'"])
        #expect(try found("{key: a}", metadata: "    template_metadata: {slot_schema_version: 9}\n")
            == ["3:46 pack-template: templates[0].slots invalid: unsupported slot schema version 9; max supported is 4"])
        // `block_source` is dropped by the migration to version 3; from version 3 on it is an unknown field.
        #expect(try found("{block_source: primitives}", metadata: "    template_metadata: {slot_schema_version: 3}\n")
            == ["5:10 \(prefix)block_source: Extra inputs are not permitted"])
    }

    @Test func primitiveErrors() throws {
        func found(_ text: String) throws -> [String] {
            try load(["content-packs/primitives/bad/blocks/a.yaml": text]).diagnostics.map { "\($0.location?.line ?? 0) \($0.code): \($0.message)" }
        }
        let file = "content-packs/primitives/bad/blocks/a.yaml"
        #expect(try found("blocks:\n  - {category: c, text: t}") == ["2 pack-field: Block #0 in \(file) missing or invalid 'block_id'"])
        #expect(try found("blocks:\n  - {block_id: a, text: t}") == ["2 pack-field: Block 'a' missing or invalid 'category'"])
        #expect(try found("blocks:\n  - {block_id: a, category: c}") == ["2 pack-field: Block 'a' missing or invalid 'text'"])
        #expect(try found("blocks:\n  - {block_id: a, category: c, text: t, tags: null}") == ["2 pack-field: Block 'a' has invalid 'tags' (expected mapping)"])
        #expect(try found("items: []") == ["1 pack-field: Expected 'blocks' list in \(file)"])
        #expect(try found("blocks:\n  - {block_id: a, category: c, text: t}\n  - {block_id: a, category: c, text: u}")
            == ["3 pack-duplicate-block: Duplicate block_id 'a' in \(file) (already defined in another file in bad)"])
    }

    @Test func aBadEntryLeavesTheRestOfThePack() throws {
        let result = try load(["content-packs/prompt/bad/schema.yaml": """
        blocks:
          - block_schema: {id_prefix: p, variants: []}
          - {block_id: kept, text: still here}
        """])
        #expect(result.diagnostics.count == 1)
        #expect(result.catalog.contentPacks.blocks.map(\.id) == ["kept"])
    }

    @Test func pythonFormatMatchesStrFormat() {
        #expect(PythonFormat.format("{{literal}} {variant}", values: ["variant": "v"], missingIsEmpty: false) == .success("{literal} v"))
        #expect(PythonFormat.format("a } b", values: [:], missingIsEmpty: true).failureMessage == "Single '}' encountered in format string")
        // `format_map` (text_synthesis) refuses positional fields; `format(variant=)` finds no positional argument.
        #expect(PythonFormat.format("{}", values: [:], missingIsEmpty: true).failureMessage == "Format string contains positional fields")
        #expect(PythonFormat.format("{0}", values: [:], missingIsEmpty: false).failureMessage == "Replacement index 0 out of range for positional args tuple")
        #expect(PythonFormat.format("{gone} x", values: [:], missingIsEmpty: true) == .success(" x"))
    }

    /// Conversions, indexes and string format specs, as Python's `str.format` gives them (each
    /// value and message checked against CPython 3).
    @Test func pythonFormatSpecsConversionsAndIndexes() {
        let rendered: [(String, String)] = [
            ("Token {variant!r} [{variant:>6}]", "Token 'pan' [   pan]"), ("Starts with {variant[0]}: {variant}", "Starts with p: pan"),
            ("{variant:^9}|", "   pan   |"), ("{variant:*<7}", "pan****"), ("{variant:.2}", "pa"), ("{variant:07}", "pan0000"),
            ("{variant!r:>10}", "     'pan'"), ("{variant[1]!r}", "'a'"), ("{{{variant}}}", "{pan}"), ("{variant:>{w}}", "   pan"),
        ]
        for (template, expected) in rendered {
            #expect(PythonFormat.format(template, values: ["variant": "pan", "w": "6"], missingIsEmpty: false) == .success(expected), "\(template)")
        }
        #expect(PythonFormat.format("{variant!a}", values: ["variant": "pée"], missingIsEmpty: false) == .success("'p\\xe9e'"))
        let refused: [(String, String)] = [
            ("{variant:d}", "Unknown format code 'd' for object of type 'str'"), ("{variant:+}", "Sign not allowed in string format specifier"),
            ("{variant:=5}", "'=' alignment not allowed in string format specifier"), ("{variant:,}", "Cannot specify ',' with 's'."),
            ("{variant[9]}", "string index out of range"), ("{variant[x]}", "string indices must be integers, not 'str'"),
            ("{variant!x}", "Unknown conversion specifier x"), ("{variant:ss}", "Invalid format specifier 'ss' for object of type 'str'"),
            ("{variant", "expected '}' before end of string"), ("{variant:.}", "Format specifier missing precision"),
            ("{variant:#}", "Alternate form (#) not allowed in string format specifier"), ("{nope}", "'nope'"),
        ]
        for (template, message) in refused {
            #expect(PythonFormat.format(template, values: ["variant": "pan"], missingIsEmpty: false).failureMessage == message, "\(template)")
        }
    }
}

extension Result where Success == String, Failure == PythonFormat.Failure {
    var failureMessage: String? {
        if case .failure(let failure) = self { return failure.message }
        return nil
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.success(let a), .success(let b)): a == b
        case (.failure(let a), .failure(let b)): a.message == b.message
        default: false
        }
    }
}
