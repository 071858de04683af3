#!/usr/bin/env python3
"""Validates every sample content file against the JSON Schemas that `promptsite schema <kind>`
prints, with the real `jsonschema` validator, and shows that bad files are rejected.

usage: python3 scripts/validate-schemas.py [path/to/promptsite] [project folder]
Exits 0 when every sample file is valid and every bad file is rejected, 1 otherwise.
Without the `jsonschema` or `yaml` Python modules it says so and exits 0 (skipped).
"""
import glob
import json
import os
import subprocess
import sys

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
    if kind == "site":
        return json.loads(text)
    if kind == "version":
        text = front_matter(text)
    return yaml.load(text, Loader=JSONCompatibleLoader)


content = os.path.join(root, "Content")
kinds = {
    "family": "prompts/*/family.yaml",
    "version": "prompts/*/v*.prompt",
    "provider": "providers/*.yaml",
    "plugin": "plugins/*/plugin.yaml",
    "node-type": "node-types/*.yaml",
    "scene": "scenes/*.yaml",
    "context": "contexts/*.yaml",
}
validators = {kind: schema(kind) for kind in list(kinds) + ["site"]}
failures = 0
checked = 0
for kind, pattern in kinds.items():
    paths = sorted(glob.glob(os.path.join(content, pattern)))
    if not paths:
        print(f"FAIL {kind}: no sample file matches {pattern}")
        failures += 1
    for path in paths:
        checked += 1
        for error in validators[kind].iter_errors(read(kind, path)):
            failures += 1
            print(f"FAIL {path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
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
rejected = 0
for kind, documents in bad.items():
    for document in documents:
        if validators[kind].is_valid(document):
            failures += 1
            print(f"FAIL {kind}: a bad document was accepted: {json.dumps(document)}")
        else:
            rejected += 1

print(f"validate-schemas: {checked} sample files checked, {rejected} bad documents rejected, {failures} failures")
sys.exit(1 if failures else 0)
