#!/usr/bin/env python3
"""Writes the sample generation logs of the Lanternfall content under Content/logs.

Deterministic (a fixed seed, no clock, gzip with mtime=0): running it again gives the same
bytes. Standard library only. Usage: python3 scripts/generate-sample-logs.py

Files (SPEC §2.10, keys in the spec's order, null for absent):
  logs/archive/2026-09.jsonl.gz   September, gzipped JSON Lines
  logs/2026-10.jsonl              October
  logs/2026-11.jsonl              November, all but studio B
  logs/studio-b/2026-11.csv       November, studio B (the smuggler-cove scenes and its own
                                  inline prompts): CSV with a header row; prompts with
                                  commas and doubled quotes exercise RFC 4180 quoting
About 13,500 records over the 75 days 2026-09-07 .. 2026-11-20 (UTC).

Traffic. Every family is generated only on providers that suit its prompt_type (visual on
inkwell text_to_image or tidewave text/image_to_video, narrative on loremind `dialogue`,
hybrid on what its versions list), with the strategies its versions declare, each version
in a window of days (older versions fade out as newer ones ship). Success rates differ by
version: harbor-storm-arrival@6, keeper-dialogue@4, market-rumor-mill@2 and
smuggler-barter@3 are clearly better than their parents; smuggler-cove-establishing@3 (the
seamless loop) is clearly worse than @2. About 10% of the records are action-block
generations (`block` set, `version` null or the block's `block-*` family at @1).

Experiments (exact quotas, so the verdicts do not depend on luck):
  keeper-warmth   control = keeper-dialogue@4 (production), warm = keeper-dialogue@5 (staging,
                  tagged `experiment`); ~700 per arm, success 0.78 vs 0.90, rating mean ~3.4
                  vs ~4.1: a clear winner (p < 0.001).
  stall-lighting  A = night-market-stalls@3, B = night-market-stalls@4 on inkwell; ~250 per
                  arm, success 0.84 vs 0.86, same ratings: no winner.

prompt_too_long (150 failures). Lengths were measured with
`promptsite render <family>@<N> --provider <id> --config Site.json` (example render) and
the worst cases in the build's api/v1/families/*.json. No version is over tidewave's 2048
or loremind's 8000; the long loremind system prompts are over inkwell's 900 when the
storyboard tool sends them to Inkwell to sketch the scene:
  keeper-dialogue@5 on inkwell   example 1120 > 900 (worst case 1855)        caught
  keeper-dialogue@4 on inkwell   example  950 > 900 (worst case 1665)        caught
  keeper-dialogue@3 on inkwell   example  702, worst case 1415 > 900         caught (long backstory)
  smuggler-barter@4 on inkwell   example  774, worst case 1037 > 900         caught (long item names)
  lantern-festival-toast@4 on inkwell   example 717, worst case 868 <= 900  NOT caught
The last pair fits by every measure (Inkwell counts the negative prompt and the style
preset into its limit): 8 of the 150 failures (~5%), so "limit errors caught" reads ~95%.

Inline generations (~200: prompt text, no version, no block): four groups of prompts an
author edited over time (a word changed, a clause added), for `promptsite import logs`.
One early text still holds an unrendered `{{player_name}}`, as a prototype tool left it.
"""
import csv
import datetime
import gzip
import io
import json
import math
import os
import random

CONTENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Content")
LOGS = os.path.join(CONTENT, "logs")
SEED = 20261120
rng = random.Random(SEED)

FIRST_DAY = datetime.date(2026, 9, 7)
DAYS = 75  # 2026-09-07 .. 2026-11-20
FIELDS = ["id", "version", "provider", "operation", "strategy", "status", "error", "latency_ms", "cost",
          "created_at", "rating", "experiment", "arm", "node", "block", "prompt"]

# Content/providers/*.yaml `cost:`; tidewave also charges per second of video.
COST_PER_GENERATION = {"inkwell": 0.012, "tidewave": 0.05, "loremind": 0.003}
TIDEWAVE_PER_SECOND = 0.012
# Failure mix per provider (prompt_too_long is only generated on purpose, below).
ERRORS = {
    "inkwell": [("moderation", 45), ("provider_error", 30), ("timeout", 25)],
    "tidewave": [("timeout", 45), ("provider_error", 40), ("moderation", 15)],
    "loremind": [("provider_error", 40), ("timeout", 30), ("moderation", 30)],
}
TIMEOUT_MS = {"inkwell": 30000, "tidewave": 180000, "loremind": 15000}
CANCEL_RATE = 0.025


class Version:
    """A version's traffic: where it runs, how well, and when."""

    def __init__(self, ref, routes, success, rating, weight, days, strategies, node, duration=None):
        self.ref = ref                  # family@N
        self.routes = routes            # [(provider, operation, weight)]
        self.success = success          # success / decided
        self.rating = rating            # mean rating
        self.weight = weight            # share of the day's base traffic while active
        self.days = days                # (first, last) day index, inclusive
        self.strategies = strategies    # as the version declares them
        self.node = node                # <scene>/<node>, or None
        self.duration = duration        # tidewave provider_hints duration (seconds)


HARBOR_WALK, LANTERN, KEEPER = "harbor-evening/walk", "harbor-evening/lantern", "harbor-evening/keeper-talk"
STALLS, RUMORS = "night-market/stalls", "night-market/rumors"
COVE, BARTER = "smuggler-cove/arrival", "smuggler-cove/barter"
IMAGE = ("inkwell", "text_to_image")
STORM_VIDEO = [("tidewave", "text_to_video", 6), ("tidewave", "image_to_video", 4)]
DIALOGUE = [("loremind", "dialogue", 1)]

VERSIONS = [
    # harbor-storm-arrival: tidewave video; @6 (production) clearly better than its parent @3.
    Version("harbor-storm-arrival@3", STORM_VIDEO, 0.79, 3.5, 3.0, (0, 22), ["always"], HARBOR_WALK, 8),
    Version("harbor-storm-arrival@5", STORM_VIDEO, 0.86, 3.9, 1.2, (0, 50), ["once"], HARBOR_WALK, 8),
    Version("harbor-storm-arrival@6", STORM_VIDEO, 0.92, 4.1, 4.0, (8, 74), ["always"], HARBOR_WALK, 8),
    # lighthouse-keeper-portrait: inkwell images; @5 (staging) about as good as @4.
    Version("lighthouse-keeper-portrait@4", [IMAGE + (1,)], 0.89, 4.0, 3.0, (0, 74), ["once"], LANTERN),
    Version("lighthouse-keeper-portrait@5", [IMAGE + (1,)], 0.88, 4.1, 1.5, (20, 74), ["once"], LANTERN),
    # keeper-dialogue: loremind; @4 clearly better than @3. From day 35 all keeper-talk
    # traffic is the keeper-warmth experiment (below), so @4 leaves the base mix there.
    Version("keeper-dialogue@2", DIALOGUE, 0.70, 3.0, 0.8, (0, 9), ["always"], KEEPER),
    Version("keeper-dialogue@3", DIALOGUE, 0.72, 3.2, 2.0, (0, 18), ["always"], KEEPER),
    Version("keeper-dialogue@4", DIALOGUE, 0.79, 3.4, 4.0, (5, 34), ["always"], KEEPER),
    # night-market-stalls: inkwell stills; @3/@4 also as tidewave loops. From day 45 the
    # inkwell stills are the stall-lighting experiment.
    Version("night-market-stalls@2", [IMAGE + (1,)], 0.81, 3.6, 1.5, (0, 20), ["once"], STALLS),
    Version("night-market-stalls@3", [IMAGE + (1,)], 0.85, 3.8, 3.0, (0, 44), ["always"], STALLS),
    Version("night-market-stalls@3", [("tidewave", "image_to_video", 1)], 0.83, 3.8, 1.0, (20, 74), ["always"], STALLS, 5),
    Version("night-market-stalls@4", [("tidewave", "image_to_video", 1)], 0.84, 3.8, 0.8, (45, 74), ["always"], STALLS, 5),
    # market-rumor-mill: loremind barks; @2 clearly better than @1.
    Version("market-rumor-mill@1", DIALOGUE, 0.77, 3.3, 1.8, (0, 28), ["per_playthrough"], RUMORS),
    Version("market-rumor-mill@2", DIALOGUE, 0.90, 3.9, 3.0, (0, 74), ["per_playthrough"], RUMORS),
    Version("market-rumor-mill@3", DIALOGUE, 0.88, 3.7, 1.5, (30, 74), ["per_playthrough"], RUMORS),
    # smuggler-barter: loremind; @3 clearly better than @2.
    Version("smuggler-barter@2", DIALOGUE, 0.78, 3.3, 1.6, (0, 24), ["always"], BARTER),
    Version("smuggler-barter@3", DIALOGUE, 0.89, 3.9, 3.0, (0, 74), ["always"], BARTER),
    Version("smuggler-barter@4", DIALOGUE, 0.90, 4.0, 1.4, (40, 74), ["always"], BARTER),
    # smuggler-cove-establishing: tidewave; the seamless loop @3 is clearly worse than @2.
    Version("smuggler-cove-establishing@2", [("tidewave", "text_to_video", 1)], 0.88, 3.9, 2.5, (0, 74), ["once"], COVE, 8),
    Version("smuggler-cove-establishing@3", [("tidewave", "text_to_video", 1)], 0.68, 3.1, 1.5, (35, 74), ["per_playthrough"], COVE, 10),
    # lantern-festival-toast (hybrid, loremind as its versions list).
    Version("lantern-festival-toast@3", DIALOGUE, 0.87, 4.0, 1.2, (0, 74), ["once"], LANTERN),
    Version("lantern-festival-toast@4", DIALOGUE, 0.89, 4.1, 0.9, (45, 74), ["per_playthrough"], LANTERN),
    # tidepool-first-meeting (hybrid): the journal panel on inkwell, Wren's line on loremind. No scene node.
    Version("tidepool-first-meeting@2", [IMAGE + (3,), ("loremind", "dialogue", 2)], 0.86, 3.9, 1.5, (0, 74), ["once"], None),
    Version("tidepool-first-meeting@3", DIALOGUE, 0.88, 4.0, 0.8, (50, 74), ["once"], None),
    # old-fog-bell: retired in the November layout pass; a trickle before that.
    Version("old-fog-bell@2", [IMAGE + (1,)], 0.84, 3.5, 0.3, (0, 30), ["once"], HARBOR_WALK),
]

# Content/action-blocks: id -> (duration seconds, success rate, node).
BLOCKS = {
    "harbor_quay_arrival": (5.0, 0.87, HARBOR_WALK),
    "harbor_quay_stroll": (6.0, 0.88, HARBOR_WALK),
    "harbor_net_mending_pause": (5.0, 0.85, HARBOR_WALK),
    "harbor_lantern_hanging": (6.0, 0.86, LANTERN),
    "harbor_breakwater_lean": (7.0, 0.84, HARBOR_WALK),
    "harbor_beam_sweep_farewell": (6.0, 0.83, LANTERN),
    "festival_lantern_lighting": (6.0, 0.85, LANTERN),
    "festival_lantern_release": (7.0, 0.76, LANTERN),
    "festival_toast_on_the_steps": (5.0, 0.86, LANTERN),
}
BLOCK_STRATEGIES = [("per_player", 5), ("once", 3), ("per_playthrough", 2)]

# prompt_too_long: (version, provider, node, failures, caught by the length check) — see the docstring.
TOO_LONG = [
    ("keeper-dialogue@5", "inkwell", KEEPER, 60, True),
    ("keeper-dialogue@4", "inkwell", KEEPER, 50, True),
    ("keeper-dialogue@3", "inkwell", KEEPER, 12, True),
    ("smuggler-barter@4", "inkwell", BARTER, 20, True),
    ("lantern-festival-toast@4", "inkwell", LANTERN, 8, False),
]

# Inline prompts: each group is one prompt as its author edited it; a later text replaces an
# earlier one over the group's days (with a little overlap, as cached requests linger).
INLINE = [
    {"provider": "inkwell", "operation": "text_to_image", "node": HARBOR_WALK, "days": (3, 70), "count": 56, "texts": [
        "A gull glides over Lanternfall harbor at dusk, fishing boats rocking at their moorings",
        "A gull glides low over Lanternfall harbor at dusk, fishing boats rocking at their moorings",
        "A gull glides low over Lanternfall harbor at dusk, fishing boats rocking at their moorings, lanterns flickering on the quay",
    ]},
    {"provider": "tidewave", "operation": "image_to_video", "node": LANTERN, "days": (10, 60), "count": 44, "texts": [
        "Close-up of the keeper's weathered hands trimming the lamp wick in the lantern room",
        "Close-up of the keeper's weathered hands trimming the lamp wick in the lantern room, warm light on the brass",
        "Slow close-up of the keeper's weathered hands trimming the lamp wick in the lantern room, warm light on the brass",
    ]},
    {"provider": "inkwell", "operation": "text_to_image", "node": BARTER, "days": (40, 74), "count": 52, "studio_b": True, "texts": [
        "Sable Marrow counts silver marks by lantern light, crates stacked behind her, a ledger open on the barrel",
        'Sable Marrow counts silver marks by lantern light, crates stacked behind her, a ledger marked "paid in full" on the barrel',
        'Sable Marrow counts silver marks by shuttered lantern light, crates stacked behind her, a ledger marked "paid in full" on the barrel',
    ]},
    {"provider": "loremind", "operation": "dialogue", "node": RUMORS, "days": (20, 74), "count": 48, "texts": [
        "You are a fishmonger at the Lanternfall night market. Greet {{player_name}} and mention the fog rolling in, in one short line.",
        "You are a fishmonger at the Lanternfall night market. Greet the player by name and mention the fog rolling in, in one short line.",
        "You are a tired fishmonger at the Lanternfall night market. Greet the player by name, mention the fog rolling in and the fleet running late, in one short line.",
    ]},
]

# Experiments: (name, version by arm, provider, operation, node, strategy, days, records per arm, success by arm, rating weights by arm)
RATINGS_COLD = [7, 14, 30, 36, 13]      # mean 3.34
RATINGS_WARM = [1, 4, 14, 44, 37]       # mean 4.12
RATINGS_STALLS = [3, 8, 22, 42, 25]     # mean 3.78
EXPERIMENTS = [
    ("keeper-warmth", {"control": "keeper-dialogue@4", "warm": "keeper-dialogue@5"}, "loremind", "dialogue", KEEPER,
     "always", (35, 74), 700, {"control": 0.78, "warm": 0.90}, {"control": RATINGS_COLD, "warm": RATINGS_WARM}),
    ("stall-lighting", {"A": "night-market-stalls@3", "B": "night-market-stalls@4"}, "inkwell", "text_to_image", STALLS,
     "always", (45, 74), 250, {"A": 0.84, "B": 0.86}, {"A": RATINGS_STALLS, "B": RATINGS_STALLS}),
]
RATED_SHARE = 0.4
NO_NODE_SHARE = 0.08  # editor previews and batch jobs run outside any scene


def weighted(pairs):
    total = sum(weight for _, weight in pairs)
    roll = rng.uniform(0, total)
    for value, weight in pairs:
        roll -= weight
        if roll <= 0:
            return value
    return pairs[-1][0]


def day_volume(day, base):
    """Weekends are quieter; traffic grows ~30% over the period."""
    date = FIRST_DAY + datetime.timedelta(days=day)
    growth = 0.85 + 0.3 * day / (DAYS - 1)
    weekend = 0.7 if date.weekday() >= 5 else 1.0
    return max(1, round(base * growth * weekend * rng.uniform(0.92, 1.08)))


def created_at(day):
    """Mostly studio hours (08-19 UTC), the rest whenever players play."""
    if rng.random() < 0.7:
        seconds = rng.randrange(8 * 3600, 19 * 3600)
    else:
        seconds = rng.randrange(86400)
    moment = datetime.datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day) + datetime.timedelta(days=day, seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def latency(provider, operation, status, error, duration):
    """Log-normal per provider: images ~4-12 s, video ~30-90 s, dialogue ~1-4 s."""
    if status == "cancelled":
        return None
    if error == "timeout":
        return TIMEOUT_MS[provider] + rng.randrange(0, 400)
    if error in ("prompt_too_long", "moderation"):
        return int(rng.uniform(80, 450) if error == "prompt_too_long" else rng.uniform(300, 1500))
    if provider == "inkwell":
        median, sigma = 7000, 0.28
    elif provider == "tidewave":
        median, sigma = 6200 * (duration or 6) * (1.1 if operation == "text_to_video" else 0.92), 0.22
    else:
        median, sigma = 2000, 0.3
    value = median * math.exp(rng.gauss(0, sigma))
    if error == "provider_error":
        value *= rng.uniform(0.1, 0.9)
    return int(value)


def cost(provider, status, error, duration):
    """Success: the full price. Timeouts and provider errors: the per-generation fee only.
    Rejected before generating (moderation, prompt_too_long) or cancelled: nothing."""
    if status == "success":
        value = COST_PER_GENERATION[provider] + (TIDEWAVE_PER_SECOND * (duration or 6) if provider == "tidewave" else 0)
    elif error in ("timeout", "provider_error"):
        value = COST_PER_GENERATION[provider]
    else:
        value = 0.0
    return round(value, 4)


def rating(mean):
    return max(1, min(5, round(rng.gauss(mean, 0.85))))


def record(day, *, version, provider, operation, strategy, status, error=None, duration=None, node=None,
           rated=None, experiment=None, arm=None, block=None, prompt=None):
    if status == "failed" and error is None:
        error = weighted(ERRORS[provider])
    return {
        "id": None, "version": version, "provider": provider, "operation": operation, "strategy": strategy,
        "status": status, "error": error if status == "failed" else None,
        "latency_ms": latency(provider, operation, status, error, duration), "cost": cost(provider, status, error, duration),
        "created_at": created_at(day), "rating": rated if status == "success" else None,
        "experiment": experiment, "arm": arm, "node": node, "block": block, "prompt": prompt,
    }


def random_status(success):
    if rng.random() < CANCEL_RATE:
        return "cancelled"
    return "success" if rng.random() < success else "failed"


def maybe_rating(status, mean):
    return rating(mean) if status == "success" and rng.random() < RATED_SHARE else None


def maybe_node(node):
    return None if node is None or rng.random() < NO_NODE_SHARE else node


def base_traffic(records):
    for day in range(DAYS):
        active = [v for v in VERSIONS if v.days[0] <= day <= v.days[1]]
        for _ in range(day_volume(day, 142)):
            v = weighted([(v, v.weight) for v in active])
            provider, operation = weighted([((p, o), w) for p, o, w in v.routes])
            status = random_status(v.success)
            records.append(record(day, version=v.ref, provider=provider, operation=operation,
                                  strategy=rng.choice(v.strategies), status=status, duration=v.duration,
                                  node=maybe_node(v.node), rated=maybe_rating(status, v.rating)))


def block_traffic(records):
    ids = list(BLOCKS)
    for day in range(DAYS):
        for _ in range(day_volume(day, 20)):
            block = rng.choice(ids)
            duration, success, node = BLOCKS[block]
            family = "block-" + block.replace("_", "-")
            provider, operation = weighted([(("tidewave", "image_to_video"), 7), (("inkwell", "text_to_image"), 3)])
            status = random_status(success)
            records.append(record(day, version=f"{family}@1" if rng.random() < 0.5 else None, provider=provider,
                                  operation=operation, strategy=weighted(BLOCK_STRATEGIES), status=status,
                                  duration=int(duration), node=node, rated=maybe_rating(status, 3.9), block=block))


def quota_ratings(count, weights):
    """`count` ratings in the proportions of `weights` (largest remainder), shuffled."""
    total = sum(weights)
    exact = [count * weight / total for weight in weights]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(5), key=lambda index: exact[index] - counts[index], reverse=True)
    for index in by_remainder[:count - sum(counts)]:
        counts[index] += 1
    scores = [score for score, n in zip([1, 2, 3, 4, 5], counts) for _ in range(n)]
    rng.shuffle(scores)
    return scores


def experiment_traffic(records):
    """Exact quotas per arm: the success share and the rated share are what the docstring says."""
    for name, versions, provider, operation, node, strategy, (first, last), per_arm, success, ratings in EXPERIMENTS:
        for arm, version in versions.items():
            count = per_arm + rng.randint(-15, 15)
            cancelled = round(count * CANCEL_RATE)
            decided = count - cancelled
            successes = round(decided * success[arm])
            statuses = ["success"] * successes + ["failed"] * (decided - successes) + ["cancelled"] * cancelled
            rng.shuffle(statuses)
            scores = quota_ratings(round(successes * RATED_SHARE), ratings[arm])
            rated_slots = set(rng.sample(range(successes), len(scores)))
            seen = 0
            for status in statuses:
                rated = None
                if status == "success":
                    if seen in rated_slots:
                        rated = scores.pop()
                    seen += 1
                records.append(record(rng.randint(first, last), version=version, provider=provider, operation=operation,
                                      strategy=strategy, status=status, node=maybe_node(node), rated=rated,
                                      experiment=name, arm=arm))


def too_long_traffic(records):
    for version, provider, node, failures, _ in TOO_LONG:
        first = 35 if version == "keeper-dialogue@5" else 0
        for _ in range(failures):
            records.append(record(rng.randint(first, DAYS - 1), version=version, provider=provider, operation="text_to_image",
                                  strategy="once", status="failed", error="prompt_too_long", node=node))


def inline_traffic(records):
    for group in INLINE:
        first, last = group["days"]
        texts = group["texts"]
        for _ in range(group["count"]):
            day = rng.randint(first, last)
            # The text in use on that day, sometimes the one before it (a cached request).
            stage = min(len(texts) - 1, (day - first) * len(texts) // (last - first + 1))
            if stage > 0 and rng.random() < 0.12:
                stage -= 1
            status = random_status(0.86)
            item = record(day, version=None, provider=group["provider"], operation=group["operation"],
                          strategy=weighted([("always", 3), ("once", 2)]), status=status, duration=6,
                          node=group["node"] if rng.random() < 0.6 else None, rated=maybe_rating(status, 3.8),
                          prompt=texts[stage])
            item["_studio_b"] = group.get("studio_b", False)
            records.append(item)


def generate():
    records = []
    base_traffic(records)
    block_traffic(records)
    experiment_traffic(records)
    too_long_traffic(records)
    inline_traffic(records)
    # Chronological ids, as a log is appended. The sort is stable, so equal times keep generation order.
    records.sort(key=lambda item: item["created_at"])
    for number, item in enumerate(records, 1):
        item["id"] = f"g-{number:06d}"
    return records


def is_studio_b(item):
    return item.pop("_studio_b", False) or item["node"] in (COVE, BARTER) or (item["version"] or "").startswith(("smuggler-", ))


def split(records):
    parts = {"archive/2026-09.jsonl.gz": [], "2026-10.jsonl": [], "2026-11.jsonl": [], "studio-b/2026-11.csv": []}
    for item in records:
        month = item["created_at"][:7]
        studio_b = is_studio_b(item)
        if month == "2026-09":
            parts["archive/2026-09.jsonl.gz"].append(item)
        elif month == "2026-10":
            parts["2026-10.jsonl"].append(item)
        elif studio_b:
            parts["studio-b/2026-11.csv"].append(item)
        else:
            parts["2026-11.jsonl"].append(item)
    return parts


def encode(name, items):
    if name.endswith(".csv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(FIELDS)
        for item in items:
            writer.writerow(["" if item[key] is None else item[key] for key in FIELDS])
        return buffer.getvalue().encode("utf-8")
    lines = (json.dumps({key: item[key] for key in FIELDS}, separators=(",", ":"), ensure_ascii=False) for item in items)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def write(parts):
    sizes = {}
    for name, items in parts.items():
        path = os.path.join(LOGS, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = encode(name, items)
        sizes[name] = len(data)
        if name.endswith(".gz"):
            with open(path, "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed:
                    compressed.write(data)
        else:
            with open(path, "wb") as handle:
                handle.write(data)
    return sizes


def rate(items):
    successes = sum(item["status"] == "success" for item in items)
    decided = sum(item["status"] != "cancelled" for item in items)
    return successes, decided


def summary(records, parts, sizes):
    print("records per file:")
    for name, items in parts.items():
        print(f"  logs/{name}: {len(items)} records, {sizes[name]:,} bytes uncompressed")
    print(f"  total: {len(records)} records, {sum(sizes.values()):,} bytes uncompressed, "
          f"{records[0]['created_at'][:10]} .. {records[-1]['created_at'][:10]}")
    successes, decided = rate(records)
    cancelled = sum(item["status"] == "cancelled" for item in records)
    print(f"success rate: {successes}/{decided} = {successes / decided:.3f} (success / decided; "
          f"{successes / len(records):.3f} of all records; {cancelled} cancelled)")
    print("experiments:")
    for name, versions, *_ in EXPERIMENTS:
        for arm, version in versions.items():
            items = [item for item in records if item["experiment"] == name and item["arm"] == arm]
            s, n = rate(items)
            rated = [item["rating"] for item in items if item["rating"] is not None]
            print(f"  {name} {arm} ({version}): {len(items)} records, {s}/{n} = {s / n:.3f}, "
                  f"rating mean {sum(rated) / len(rated):.2f} over {len(rated)}")
    print("success rate by version (outside experiments, excluding prompt_too_long):")
    by_version = {}
    for item in records:
        if item["version"] and not item["experiment"] and item["error"] != "prompt_too_long":
            by_version.setdefault(item["version"], []).append(item)
    for version in sorted(by_version):
        s, n = rate(by_version[version])
        print(f"  {version}: {s}/{n} = {s / n:.3f}")
    too_long = [item for item in records if item["error"] == "prompt_too_long"]
    caught = {(version, provider) for version, provider, _, _, is_caught in TOO_LONG if is_caught}
    hits = sum((item["version"], item["provider"]) in caught for item in too_long)
    print(f"prompt_too_long: {len(too_long)} failures, {hits} on pairs over the limit ({hits / len(too_long):.1%})")
    blocks = sum(item["block"] is not None for item in records)
    print(f"action-block records: {blocks} ({blocks / len(records):.1%})")
    inline = [item for item in records if item["prompt"] is not None]
    print(f"inline generations: {len(inline)} in {len(INLINE)} groups, {len({item['prompt'] for item in inline})} distinct texts")
    with_node = sum(item["node"] is not None for item in records)
    rated = [item for item in records if item["status"] == "success"]
    print(f"records with a node: {with_node / len(records):.1%}; rated successes: "
          f"{sum(item['rating'] is not None for item in rated) / len(rated):.1%}")


def main():
    records = generate()
    parts = split(records)
    sizes = write(parts)
    summary(records, parts, sizes)


if __name__ == "__main__":
    main()
