#!/usr/bin/env python3
"""Writes the sample generation logs under Content/logs (deterministic: run it again, get the same bytes).

- logs/archive/2026-09.jsonl.gz, logs/2026-10.jsonl, logs/2026-11.jsonl (JSON Lines) and
  logs/studio-b/2026-11.csv (CSV, with quoted commas and doubled quotes in prompts).
- Two experiments: `keeper-warmth` (keeper-dialogue@3 as control vs @4 as `warm`, 0.78 vs 0.90:
  a clear winner) and `stall-lighting` (night-market-stalls@3 vs @4 as A/B, 0.85 vs 0.855: no winner).
- prompt_too_long failures: keeper-dialogue@4 and @5 on inkwell (their example renders to 950 and
  1120 characters, over inkwell's 900: caught by the length check) and one in twenty on market-rumor-mill@3
  on inkwell (270 characters, worst case within 900: not caught), so "limit errors caught" is about 95%.
- Inline generations (prompt text, no version): three groups of edited prompts for `import logs`.
"""
import csv, gzip, io, json, math, os, random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Content", "logs")
rng = random.Random(20261120)

PROVIDERS = {  # operation, latency median (ms), cost per generation
    "inkwell": ("text_to_image", 7000, 0.012),
    "tidewave": ("image_to_video", 55000, 0.11),
    "loremind": ("dialogue", 2200, 0.003),
}
# version -> (provider, success rate, weight)
VERSIONS = {
    "harbor-storm-arrival@4": ("tidewave", 0.80, 3), "harbor-storm-arrival@5": ("tidewave", 0.86, 4),
    "harbor-storm-arrival@6": ("tidewave", 0.91, 5),
    "lighthouse-keeper-portrait@1": ("inkwell", 0.82, 2), "lighthouse-keeper-portrait@2": ("inkwell", 0.90, 4),
    "smuggler-cove-establishing@1": ("inkwell", 0.88, 3), "smuggler-cove-establishing@2": ("inkwell", 0.72, 2),
    "keeper-dialogue@2": ("loremind", 0.80, 2), "keeper-dialogue@5": ("loremind", 0.93, 3),
    "market-rumor-mill@2": ("loremind", 0.87, 3), "market-rumor-mill@3": ("loremind", 0.89, 3),
    "smuggler-barter@3": ("loremind", 0.84, 2), "smuggler-barter@4": ("loremind", 0.90, 3),
    "tidepool-first-meeting@3": ("inkwell", 0.86, 2), "lantern-festival-toast@4": ("inkwell", 0.88, 2),
    "night-market-stalls@2": ("inkwell", 0.83, 2),
}
NODES = {
    "harbor-storm": "harbor-evening/walk", "lighthouse": "harbor-evening/lantern", "keeper": "harbor-evening/keeper-talk",
    "night-market": "night-market/stalls", "market-rumor": "night-market/rumors", "smuggler-cove": "smuggler-cove/arrival",
    "smuggler-barter": "smuggler-cove/barter",
}
BLOCKS = ["harbor_quay_arrival", "harbor_quay_stroll", "harbor_lantern_hanging", "festival_lantern_release"]
STRATEGIES = ["once", "per_playthrough", "per_player", "always"]
ERRORS = ["moderation", "timeout", "provider_error"]
INLINE = [
    ["A gull glides over the harbor at dusk", "A gull glides low over the harbor at dusk",
     "A gull glides low over the harbor at dusk, lanterns flickering on the quay"],
    ["Close-up of the keeper's weathered hands trimming the lamp wick",
     "Close-up of the keeper's weathered hands trimming the lamp wick, warm light on brass"],
    ["Fog rolls into the night market, stall awnings dripping", "Thick fog rolls into the night market, stall awnings dripping, lanterns haloed",
     "Thick fog rolls into the night market, stall awnings dripping, lanterns haloed, a cat under a cart"],
]
DAY = 86400


def days_since_epoch(y, m, d):
    import datetime
    return (datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days


FIRST = days_since_epoch(2026, 9, 7)
LAST = days_since_epoch(2026, 11, 20)


def timestamp(day, seconds):
    import datetime
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(days=day, seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_for(version):
    for prefix, node in NODES.items():
        if version.startswith(prefix):
            return node
    return None


def record(counter, day, version, provider, success_rate, *, experiment=None, arm=None, error=None, block=None, prompt=None, rating_mean=3.9):
    operation, median, cost = PROVIDERS[provider]
    roll = rng.random()
    if error:
        status = "failed"
    elif roll < success_rate:
        status = "success"
    elif roll < success_rate + (1 - success_rate) * 0.85:
        status, error = "failed", rng.choice(ERRORS)
    else:
        status = "cancelled"
    latency = int(median * math.exp(rng.gauss(0, 0.35))) if status != "cancelled" else int(rng.uniform(200, 3000))
    if status == "failed" and error in ("prompt_too_long", "moderation"):
        latency = int(rng.uniform(150, 900))
    rating = None
    if status == "success" and rng.random() < 0.4:
        rating = max(1, min(5, round(rng.gauss(rating_mean, 0.8))))
    return {
        "id": f"g-{counter:06d}", "version": version, "provider": provider, "operation": operation,
        "strategy": rng.choice(STRATEGIES), "status": status, "error": error, "latency_ms": latency,
        "cost": round(cost * (1 + rng.uniform(-0.1, 0.1)), 4), "created_at": timestamp(day, rng.randrange(DAY)),
        "rating": rating, "experiment": experiment, "arm": arm, "node": node_for(version or "") if version else None,
        "block": block, "prompt": prompt,
    }


def generate():
    records = []
    too_long = []
    counter = 0
    names = list(VERSIONS)
    weights = [VERSIONS[name][2] for name in names]
    for day in range(FIRST, LAST + 1):
        for _ in range(rng.randint(110, 150)):
            counter += 1
            version = rng.choices(names, weights)[0]
            provider, rate, _ = VERSIONS[version]
            records.append(record(counter, day, version, provider, rate))
        # Action blocks: a few generations a day through their families.
        for _ in range(rng.randint(8, 14)):
            counter += 1
            block = rng.choice(BLOCKS)
            family = "block-" + block.replace("_", "-")
            records.append(record(counter, day, f"{family}@1", "tidewave", 0.84, block=block))
        # Experiments run for the last 40 days.
        if day > LAST - 40:
            for _ in range(18):
                counter += 1
                warm = rng.random() < 0.5
                records.append(record(counter, day, "keeper-dialogue@4" if warm else "keeper-dialogue@3", "loremind",
                                      0.90 if warm else 0.78, experiment="keeper-warmth", arm="warm" if warm else "control",
                                      rating_mean=4.1 if warm else 3.4))
            for _ in range(12):
                counter += 1
                b = rng.random() < 0.5
                records.append(record(counter, day, "night-market-stalls@4" if b else "night-market-stalls@3", "inkwell",
                                      0.855 if b else 0.85, experiment="stall-lighting", arm="B" if b else "A"))
        # prompt_too_long: long dialogue versions tried on the image provider.
        if rng.random() < 0.6:
            for _ in range(rng.randint(1, 4)):
                counter += 1
                too_long.append(counter)
                # One in twenty is on a version that fits inkwell: a limit error the length check cannot catch.
                version = rng.choice(["keeper-dialogue@4", "keeper-dialogue@5"]) if len(too_long) % 20 else "market-rumor-mill@3"
                records.append(record(counter, day, version, "inkwell", 0, error="prompt_too_long"))
        # Inline prompts: edited over time, the newer text replacing the older.
        for group in INLINE:
            for _ in range(rng.randint(0, 2)):
                counter += 1
                stage = min(len(group) - 1, (day - FIRST) * len(group) // (LAST - FIRST + 1))
                records.append(record(counter, day, None, "inkwell", 0.85, prompt=group[stage]))
    return records


def write():
    records = generate()
    parts = {"archive/2026-09.jsonl.gz": [], "2026-10.jsonl": [], "2026-11.jsonl": [], "studio-b/2026-11.csv": []}
    for item in records:
        month = item["created_at"][:7]
        if month == "2026-09":
            parts["archive/2026-09.jsonl.gz"].append(item)
        elif month == "2026-10":
            parts["2026-10.jsonl"].append(item)
        elif item["node"] == "night-market/rumors" or (item["prompt"] and "," in item["prompt"] and rng.random() < 0.5):
            parts["studio-b/2026-11.csv"].append(item)
        else:
            parts["2026-11.jsonl"].append(item)
    # Quoting is exercised: a rumor prompt with a comma and a doubled quote.
    for item in parts["studio-b/2026-11.csv"][:40]:
        if item["prompt"] is None and item["version"] is None:
            item["prompt"] = 'The keeper says "not tonight", and closes the door'
    for name, items in parts.items():
        path = os.path.join(ROOT, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if name.endswith(".csv"):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            fields = list(items[0].keys())
            writer.writerow(fields)
            for item in items:
                writer.writerow(["" if item[key] is None else item[key] for key in fields])
            data = buffer.getvalue().encode()
        else:
            data = "".join(json.dumps(item, separators=(",", ":")) + "\n" for item in items).encode()
        if name.endswith(".gz"):
            with open(path, "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed:
                    compressed.write(data)
        else:
            with open(path, "wb") as handle:
                handle.write(data)
        print(f"{name}: {len(items)} records")
    for experiment in ("keeper-warmth", "stall-lighting"):
        arms = {}
        for item in records:
            if item["experiment"] == experiment:
                decided = item["status"] != "cancelled"
                stats = arms.setdefault(item["arm"], [0, 0])
                stats[0] += item["status"] == "success"
                stats[1] += decided
        print(experiment, {arm: f"{s}/{n} = {s / n:.3f}" for arm, (s, n) in sorted(arms.items())})
    print("total", len(records))


if __name__ == "__main__":
    write()
