#!/usr/bin/env python3
"""Validates every sample content file against the JSON Schemas that `promptsite schema <kind>`
prints, with the real `jsonschema` validator, and shows that bad files are rejected.

usage: python3 scripts/validate-schemas.py [path/to/promptsite] [project folder]
Exits 0 when every sample file is valid and every bad file is rejected, 1 otherwise.
Without the `jsonschema` or `yaml` Python modules it says so and exits 0 (skipped).

Also validated: PixSim7's own example files in ../shared/pixsim7/ (beside the project) when that
folder exists, and a copy of PixSim7's `content_packs/` folder named by $PIXSIM7_CONTENT_PACKS.
The bad files of PixSim7's formats (action blocks, programs, content packs), whose loaders do not
read through the schemas, are also given to `promptsite check`, which must report an error in each.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError as error:
    print(f"validate-schemas: SKIPPED, Python module missing ({error.name}); run `pip install jsonschema pyyaml`")
    sys.exit(0)

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/promptsite"
root = sys.argv[2] if len(sys.argv) > 2 else "."


class JSONCompatibleLoader(yaml.SafeLoader):
    """YAML as promptsite reads it: dates stay text (PyYAML would make them datetime objects)."""


JSONCompatibleLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema(kind):
    text = subprocess.run([binary, "schema", kind], check=True, capture_output=True, text=True).stdout
    document = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def front_matter(text):
    lines = text.split("\n")
    assert lines[0].strip() == "---", "no front matter"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return "\n".join(lines[1:end])


def read(kind, path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if kind in ("site", "action-block", "program"):
        return json.loads(text)
    if kind == "version":
        text = front_matter(text)
    document = yaml.load(text, Loader=JSONCompatibleLoader)
    # An empty pack file is an empty mapping, as PixSim7's `yaml.safe_load(...) or {}` reads it.
    return {} if document is None and kind.startswith("content-pack-") else document


def pack_files(packs, kind):
    """The files of one content-pack kind under a `content_packs/` folder, as the loader finds them."""
    def files(*patterns):
        return sorted({path for pattern in patterns for path in glob.glob(os.path.join(packs, pattern), recursive=True)})
    prompt_packs = "prompt/[!_.]*/"
    if kind == "content-pack-manifest":
        return files(prompt_packs + "manifest.y*ml", "primitives/[!.]*/manifest.y*ml")
    if kind == "content-pack-blocks":
        return files(*(prompt_packs + name for name in ("schema.yaml", "schema.yml", "blocks.schema.yaml", "blocks.schema.yml",
                                                         "blocks/**/*.schema.yaml", "blocks/**/*.schema.yml")))
    if kind == "content-pack-templates":
        return files(prompt_packs + "templates.yaml", prompt_packs + "templates.yml", prompt_packs + "templates/**/*.yaml",
                     prompt_packs + "templates/**/*.yml")
    return files("primitives/[!.]*/blocks.yaml", "primitives/[!.]*/blocks/*.yaml", "primitives/[!.]*/blocks/*.yml")


content = os.path.join(root, "Content")
kinds = {
    "family": "prompts/*/family.yaml",
    "version": "prompts/*/v*.prompt",
    "provider": "providers/*.yaml",
    "plugin": "plugins/*/plugin.yaml",
    "node-type": "node-types/*.yaml",
    "scene": "scenes/*.yaml",
    "context": "contexts/*.yaml",
    "action-block": "action-blocks/**/*.json",
    "program": "programs/**/*.json",
}
pack_kinds = ["content-pack-manifest", "content-pack-blocks", "content-pack-templates", "content-pack-primitives"]
validators = {kind: schema(kind) for kind in list(kinds) + pack_kinds + ["site"]}
failures = 0
checked = 0


def validate(kind, path):
    global checked, failures
    checked += 1
    for error in validators[kind].iter_errors(read(kind, path)):
        failures += 1
        print(f"FAIL {path}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")


samples = {kind: sorted(glob.glob(os.path.join(content, pattern), recursive=True)) for kind, pattern in kinds.items()}
for kind in pack_kinds:
    samples[kind] = pack_files(os.path.join(content, "content-packs"), kind)
for kind, paths in samples.items():
    if not paths:
        print(f"FAIL {kind}: no sample file")
        failures += 1
    for path in paths:
        validate(kind, path)

pixsim7 = os.path.join(root, "..", "shared", "pixsim7")
if os.path.isdir(pixsim7):
    for name in sorted(os.listdir(pixsim7)):
        if name.endswith(".json"):
            path = os.path.join(pixsim7, name)
            validate("program" if "stages" in read("program", path) else "action-block", path)
else:
    print(f"validate-schemas: {pixsim7} is absent, PixSim7's example files not checked")
if os.environ.get("PIXSIM7_CONTENT_PACKS"):
    for kind in pack_kinds:
        for path in pack_files(os.environ["PIXSIM7_CONTENT_PACKS"], kind):
            validate(kind, path)
site = os.path.join(root, "Site.json")
checked += 1
for error in validators["site"].iter_errors(read("site", site)):
    failures += 1
    print(f"FAIL {site}: {error.message}")

# Bad files each schema must reject: a typo'd field, a wrong type, a missing required field, a bad value.
bad = {
    "family": [{"title": "T", "prompt_tyep": "visual"}, {"title": "T", "prompt_type": "poem"}, {"prompt_type": "visual"},
               {"title": "T", "prompt_type": "visual", "labels": {"production": "six"}}, {"title": "T", "prompt_type": "visual", "active": "yes"}],
    "version": [{"parent": 1}, {"version": "two"}, {"version": 2, "variables": {"lead": {"type": "string", "max_lenght": 4}}},
                {"version": 2, "variables": {"lead": "text"}}, {"version": 2, "examples": [{"name": "a", "varz": {}}]},
                {"version": 2, "randomization": {"mood": {"weights": [1]}}},
                {"version": 2, "variables": {"lead": {}}}, {"version": 2, "variables": {"lead": {"type": "enum"}}},
                {"version": 2, "variables": {"lead": {"type": "string", "max_length": 0}}},
                {"version": 2, "variables": {"mood": {"type": "enum", "values": []}}}, {"version": 2, "randomization": {"mood": []}},
                {"version": 2, "randomization": {"mood": {"values": ["a"], "weights": [-1]}}}, {"version": 2, "strategies": ["sometimes"]}],
    "provider": [{"id": "p", "prompt_limit": 0}, {"id": "p", "parameters": [{"name": "d"}]},
                 {"id": "p", "cost": {"per_generation": "cheap"}}, {"id": "p", "limit": 4}],
    "plugin": [{"id": "p", "validators": [{"level": "error", "forbid": ["x"]}]}, {"id": "p", "variables": {"vars": {}}},
               {"id": "p", "validators": [{"id": "r", "level": "fatal"}]}, {"id": "p", "transformers": [{"prepnd": "x"}]}],
    "node-type": [{"id": "n", "generation": "yes"}, {"id": "n", "prompt_extensions": {"required_prompt_type": "poem"}}],
    "scene": [{"id": "s"}, {"id": "s", "nodes": [{"type": "dialogue"}]}, {"id": "s", "nodes": [{"id": "a", "prompt": {"family": "f", "version": "x"}}]},
              {"id": "s", "nodes": [{"id": "a", "prompt": {"family": "f"}}]}, {"id": "s", "nodes": [{"id": "a", "prompt": {"family": "f", "version": 1, "label": "l"}}]}],
    "context": [{"relationship": {"affinity": 140}}, {"world_time": 90000}, {"npc": {"personality": {"traits": 3}}}],
    "site": [{"title": "T", "checks": {"strict": "no"}}, {"titel": "T"}, {"analytics": {"minSamples": 0}},
             {"analytics": {"confidence": 1.5}}, {"similarity": {"threshold": 0}}, {"baseURL": "no-slash"}, {"baseURL": "//evil.example"},
             {"contentPacks": {"flaggedWords": [{"pattern": ""}]}}],
}
block = {"id": "a", "kind": "single_state", "prompt": "p"}
stage = {"id": "s", "type": "template", "template": "t"}
entry = {"id": "e", "block_schema": {"id_prefix": "x", "variants": [{"key": "a", "text": "T"}]}}
op_entry = {"id": "e", "block_schema": {"id_prefix": "x", "op": {"op_id": "camera.move"}, "variants": [{"key": "a", "text": "T"}]}}


def with_block(**fields):
    return [dict(block, **fields)]


def with_stage(**fields):
    return {"id": "p", "stages": [dict(stage, **fields)]}


def with_schema(**fields):
    return {"blocks": [{"id": "e", "block_schema": dict(entry["block_schema"], **fields)}]}


def with_op(**fields):
    return {"blocks": [{"id": "e", "block_schema": dict(op_entry["block_schema"], op=dict(op_entry["block_schema"]["op"], **fields))}]}


def with_slot(**fields):
    return {"templates": [{"slug": "t", "slots": [dict({"key": "k", "label": "K"}, **fields)]}]}


# PixSim7's formats: each must also be an error of `promptsite check` (see below).
pixsim7_bad = {
    "action-block": [with_block(prompt=5), [{"id": "a", "kind": "single_state"}], with_block(tags={"intensity": 11}),
                     with_block(cameraMovement={"type": "zoom"}), with_block(kind="loop"), with_block(durationSec=0),
                     with_block(intensityProgression={"peak": 0}), with_block(id="  "), with_block(compatibleNext="b"),
                     with_block(consistency={"maintainPose": "yes"}), {"package_info": {"name": "x"}},
                     {"templates": {"t": "text"}, "action_blocks": []}, {"action_blocks": [dict(block, id=None)]}, ["a block"]],
    "program": [with_stage(template=5), {"id": "p"}, {"stages": [stage]}, with_stage(type="loop"), {"id": "p", "version": None, "stages": [stage]},
                {"id": "p", "inputs": {"required": "lead"}, "stages": [stage]}, with_stage(template=None),
                with_stage(type="conditional", conditions=[{"test": "a > 1"}]), with_stage(type="selector", selectors=[]),
                with_stage(type="formatter", formatters=[{"type": "join"}]), with_stage(type="formatter", formatters=[{"type": "append"}]),
                with_stage(conditions=None), with_stage(metadata={"suggested_intents": "flirt"}),
                with_stage(type="selector", selectors=[{"match": {"trust": {"min": "high"}}, "template": "t"}])],
    "content-pack-manifest": [{"matrix_presets": [{"query": {"row_key": "category", "col_key": "role"}}]},
                              {"matrix_presets": [{"label": "L", "query": {"row_key": "category"}}]}, {"matrix_presets": {"label": "L"}},
                              {"matrix_presets": [{"label": "  ", "query": {"row_key": "category", "col_key": "role"}}]}],
    "content-pack-blocks": [{"blocks": [{"id": "e", "block_schema": {"variants": [{"key": "a", "text": "T"}]}}]}, with_schema(variants=[]),
                            with_schema(category=5), {"defaults": {"category": 5}, "blocks": [{"block_id": "b"}]},
                            {"blocks": [{"defaults": {"role": 5}, "block_schema": entry["block_schema"]}]}, {"blocks": [{"block_id": None}]},
                            with_schema(mode="fast"), with_op(op_id_template="camera.{variant}"),
                            {"block_schema": entry["block_schema"]}, with_schema(variants=[{"text": "T"}]), with_schema(id_prefix="..."),
                            with_op(params=[{"key": "speed", "type": "enum"}]), with_op(params=[{"key": "speed", "type": "string", "tag_key": "sped"}]),
                            with_op(modalities=["audio"]), {"blocks": [{"block_id": "b", "text": 5}]}, {"blocks": {"block_id": "b"}},
                            with_schema(variants=[{"key": "a", "text": "T", "op_args": {"speed": "slow"}}]), {"defaults": [], "blocks": []}],
    "content-pack-templates": [with_slot(intensity=11), with_slot(selection_strategy="random"), with_slot(categroy="light"),
                               {"templates": [{"name": "no slug"}]}, {"templates": [{"slug": "t", "template_metadata": {"slot_schema_version": 5}, "slots": []}]},
                               {"templates": [{"slug": "t", "slots": [{"preset": "wide_shot"}]}]}, with_slot(optional="maybe"),
                               with_slot(selection_config={"top_k": 0}), with_slot(exclude_block_ids=["not-a-uuid"]), with_slot(key=""),
                               with_slot(tags={"all": ["a"]}), {"templates": [{"slug": "t", "name": 5}]}],
    "content-pack-primitives": [{"blocks": [{"block_id": "b", "text": "T"}]}, {"blocks": [{"block_id": "b", "category": "c", "text": 5}]},
                                {"blocks": [{"block_id": "b", "category": "c", "text": "T", "tags": ["x"]}]}, {"block": []},
                                {"blocks": [{"block_id": "", "category": "c", "text": "T"}]}],
}
bad.update(pixsim7_bad)

# Unusual files of PixSim7's formats that promptsite accepts: the schemas must not flag them (and `check` finds no error).
pixsim7_good = {
    "action-block": [[], with_block(mood_score=3, tags={"creature": "vampire"}, cameraMovement={"type": None, "height": "low"}),
                     {"action_blocks": None}, with_block(durationSec=0.5, negativePrompt=None)],
    "program": [with_stage(conditions="", selectors={}, formatters=[{"type": "append"}], default={"note": "kept"}),
                with_stage(type="selector", selectors=[{"match": {"trust": {"min": "40", "max": " 1e2 "}, "mood": 3}, "template": "t"}], default=None),
                with_stage(metadata={"visual_prompt": {"template": False}, "suggested_intents": [{"intents": "flirt"}], "owner": "me"}),
                {"id": "p", "stages": [], "inputs": {"extra": ["a"]}, "notes": "kept"}],
    "content-pack-manifest": [{}, {"id": 5, "title": ["kept"], "matrix_presets": None, "icon": "x"}],
    "content-pack-blocks": [{}, with_schema(category=5, variants=[{"key": "a", "text": "T", "category": "c"}]),
                            {"defaults": {"tags": 5, "block_id": 5}, "blocks": [entry]}, with_schema(mode=" Surface "),
                            {"defaults": {"category": 5}, "blocks": [{"block_id": "b", "category": "c"}]},
                            with_schema(text_synthesis={"template": 5}), with_op(params=[{"key": "speed", "type": "ENUM", "enum": ["a"], "tag_key": " motion_speed "}])],
    "content-pack-templates": [{"templates": None}, {"templates": [{"slug": "t", "template_metadata": {"slot_schema_version": 9}}]},
                               with_slot(optional="Yes", intensity="7", slot_index=True, selection_config={"top_k": True}, block_source="library"),
                               {"templates": [{"slug": "t", "slots": [{"preset": "camera_stability"}]}]}, with_slot(tags={"mood": "calm", "any": None})],
    "content-pack-primitives": [{"blocks": []}, {"blocks": [{"block_id": " ", "category": "c", "text": "T", "tags": {"n": 4.0}, "notes": "kept"}]}],
}
for kind, documents in pixsim7_good.items():
    for document in documents:
        for error in validators[kind].iter_errors(document):
            failures += 1
            print(f"FAIL {kind}: an accepted document was flagged: {json.dumps(document)}: {error.message[:200]}")

rejected = 0
for kind, documents in bad.items():
    for document in documents:
        if validators[kind].is_valid(document):
            failures += 1
            print(f"FAIL {kind}: a bad document was accepted: {json.dumps(document)}")
        else:
            rejected += 1

# Where `promptsite check` reads each bad document of PixSim7's formats; it must report an error in that file.
places = {
    "action-block": "action-blocks/bad.json",
    "program": "programs/bad.json",
    "content-pack-manifest": "content-packs/prompt/bad/manifest.yaml",
    "content-pack-blocks": "content-packs/prompt/bad/schema.yaml",
    "content-pack-templates": "content-packs/prompt/bad/templates.yaml",
    "content-pack-primitives": "content-packs/primitives/bad/blocks/bad.yaml",
}
checked_errors = 0
scratch = tempfile.mkdtemp(prefix="validate-schemas-")


def check_errors(kind, document):
    """The errors `promptsite check` reports in `document`, written where the loader reads a file of `kind`."""
    shutil.rmtree(os.path.join(scratch, "Content"), ignore_errors=True)
    path = os.path.join(scratch, "Content", places[kind])
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as handle:
        if path.endswith(".json"):
            json.dump(document, handle)
        else:
            yaml.safe_dump(document, handle)
    result = subprocess.run([binary, "check", "--format", "json", "--config", os.path.join(scratch, "Site.json")], capture_output=True, text=True)
    diagnostics = json.loads(result.stdout)["diagnostics"] if result.stdout.strip() else [{"level": "error", "file": None, "message": result.stderr}]
    return [d for d in diagnostics if d["level"] == "error" and d["file"] in (places[kind], None)]


try:
    with open(os.path.join(scratch, "Site.json"), "w", encoding="utf-8") as handle:
        json.dump({"title": "bad documents"}, handle)
    for kind, documents in pixsim7_bad.items():
        for document in documents:
            if check_errors(kind, document):
                checked_errors += 1
            else:
                failures += 1
                print(f"FAIL {kind}: `promptsite check` reports no error in {json.dumps(document)}")
    for kind, documents in pixsim7_good.items():
        for document in documents:
            for error in check_errors(kind, document):
                failures += 1
                print(f"FAIL {kind}: `promptsite check` reports an error in an accepted document {json.dumps(document)}: {error['message'][:200]}")
finally:
    shutil.rmtree(scratch)

accepted = sum(len(documents) for documents in pixsim7_good.values())
print(f"validate-schemas: {checked} sample files checked, {rejected} bad documents rejected "
      f"({checked_errors} of them also errors of `promptsite check`), {accepted} unusual accepted documents not flagged, {failures} failures")
sys.exit(1 if failures else 0)
