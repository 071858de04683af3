#!/usr/bin/env python3
"""Writes Tests/PromptCatalogTests/Fixtures/program-differential/expected.json: what PixSim7's own
narrative evaluator (pixsim7/backend/main/domain/narrative/programs.py + engine.py) produces for the
programs and contexts in that folder, which we wrote. Our evaluator is tested against it.

PixSim7's code is read from a clone or a bare git directory of Sakenfor/pixsim7 and run in memory; it is
never copied into this repository. Only engine.py's imports outside the narrative package (the stat
engine, used by build_context, not by program execution) are replaced by stubs.

- Every program file is loaded the way PixSim7 loads it: `NarrativeEngine(programs_dir)._load_program(<file
  stem>)`, then run with `_execute_program(program, vars)` where vars is the context JSON object as is (the
  flat dict `NarrativeContext.to_template_vars()` returns, or any other shape, read unchanged).
  An exception is recorded by its type name (`error`), the text is then null.
- Every expression of conditions.json is evaluated with `ConditionExpression(expression=...).evaluate(vars)`
  against every context.

Usage: python3 scripts/pixsim7-program-fixtures.py /path/to/pixsim7   (a clone, or its bare .git directory)
Needs pydantic 2. Deterministic: the same PixSim7 commit gives the same bytes.
"""
import glob, json, os, subprocess, sys, types

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "Tests", "PromptCatalogTests", "Fixtures", "program-differential")
NARRATIVE = "pixsim7/backend/main/domain/narrative"
PACKAGE = "pixsim7.backend.main.domain.narrative"


def source_reader(repo):
    """(read(path) -> text, commit) for a work tree or a bare git directory."""
    bare = os.path.isfile(os.path.join(repo, "HEAD")) and not os.path.isdir(os.path.join(repo, ".git"))
    git = ["git", "--git-dir", repo] if bare else ["git", "-C", repo]
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    if bare:
        return (lambda path: subprocess.run(git + ["show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout), commit
    return (lambda path: open(os.path.join(repo, path), encoding="utf-8").read()), commit


def load_pixsim7(read):
    """Builds PixSim7's narrative modules in memory; returns the engine module."""
    parts = PACKAGE.split(".")
    for i in range(1, len(parts) + 1):
        module = types.ModuleType(".".join(parts[:i]))
        module.__path__ = []
        sys.modules[module.__name__] = module
    stats = types.ModuleType("pixsim7.backend.main.domain.game.stats")
    stats.StatEngine = None
    migration = types.ModuleType("pixsim7.backend.main.domain.game.stats.migration")
    migration.get_default_relationship_definition = None
    migration.resolve_stats_config = None
    for name in ("pixsim7.backend.main.domain.game", "pixsim7.backend.main.domain.game.stats"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["pixsim7.backend.main.domain.game.stats"] = stats
    sys.modules["pixsim7.backend.main.domain.game.stats.migration"] = migration
    loaded = {}
    for name in ("context", "programs", "engine"):
        module = types.ModuleType(f"{PACKAGE}.{name}")
        module.__package__ = PACKAGE
        sys.modules[module.__name__] = module
        exec(compile(read(f"{NARRATIVE}/{name}.py"), f"{NARRATIVE}/{name}.py", "exec"), module.__dict__)
        loaded[name] = module
    return loaded


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    read, commit = source_reader(sys.argv[1])
    modules = load_pixsim7(read)
    engine_module, programs_module = modules["engine"], modules["programs"]
    contexts = {}
    for path in sorted(glob.glob(os.path.join(FIXTURES, "contexts", "*.json"))):
        with open(path, encoding="utf-8") as handle:
            contexts[os.path.splitext(os.path.basename(path))[0]] = json.load(handle)
    programs_dir = os.path.join(FIXTURES, "programs")
    runs = []
    for path in sorted(glob.glob(os.path.join(programs_dir, "*.json"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        for name, variables in contexts.items():
            engine = engine_module.NarrativeEngine(programs_dir=__import__("pathlib").Path(programs_dir))
            try:
                program = engine._load_program(stem)
                text, _ = engine._execute_program(program, dict(variables))
                runs.append({"program": stem, "context": name, "text": text, "error": None})
            except Exception as error:  # recorded, as PixSim7's caller would see it raised
                runs.append({"program": stem, "context": name, "text": None, "error": type(error).__name__})
    with open(os.path.join(FIXTURES, "conditions.json"), encoding="utf-8") as handle:
        expressions = json.load(handle)
    conditions = []
    for expression in expressions:
        results = {name: programs_module.ConditionExpression(expression=expression).evaluate(dict(variables))
                   for name, variables in contexts.items()}
        conditions.append({"expression": expression, "results": results})
    output = {"source": f"Sakenfor/pixsim7@{commit}", "runs": runs, "conditions": conditions}
    with open(os.path.join(FIXTURES, "expected.json"), "w", encoding="utf-8") as handle:
        json.dump(output, handle, indent=1, ensure_ascii=False, sort_keys=False)
        handle.write("\n")
    print(f"{len(runs)} runs, {len(conditions)} expressions x {len(contexts)} contexts from {commit}")


if __name__ == "__main__":
    main()
