#!/usr/bin/env bash
# CPU backend builds side by side (docs/BENCHMARKS.md, "CPU backend builds").
#
# Each nd4j-native build (-Dnd4j.native.build=...) needs its own uber-jar, so this is a script, not a
# readout command. Stages:
#   1. export the committed tree (git archive HEAD) to $WORK/src, so the builds never touch the
#      working tree, and build the uber-jar once per build into $WORK/builds/<name>/
#      (readout.jar, spark.classpath, jvm.options: what deploy/bin/readout runs);
#   2. run `readout bench throughput` with each variant, interleaved A B C ... A B C ... for
#      --rounds rounds, so a slow spell of the (shared) machine hits every variant alike;
#   3. collect single-process (1 thread) and Spark examples/s of teacher and student per variant
#      into one JSON: per round and the median over rounds, with the CPU the runs name (their "cpu"
#      field; runs on different CPUs, or without one, are refused with exit code 2).
# Variants: every build, plus the oneDNN-AVX2 build with DL4J's oneDNN helpers off (-Dreadout.onednn=false).
#
# Usage: docs/bench/backends.sh --data DIR [--rounds N] [--max-examples N] [--out FILE] [--builds LIST] [--rebuild]
#                                [--stage build|run|collect] [--first-round N]
#   --stage:  only build the jars; only run and collect (with jars built earlier); only collect the
#             JSON of runs made earlier; default: all
#   --first-round: start at round N, keeping the runs of earlier rounds (add a round to a finished set)
#   --builds: comma-separated nd4j.native.build values, "plain" for the empty one
#             (default: plain,-avx2,-avx512,-onednn,-onednn-avx2)
# Environment: MVN (default "mvn -o"), WORK (default /tmp/readout-backends), JAVA_HOME, MASTER (default local[2]).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data=""
rounds=2
max_examples=2000
out="$root/docs/bench/results/backends.json"
builds="plain,-avx2,-avx512,-onednn,-onednn-avx2"
rebuild=false
stage=all
first_round=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --max-examples) max_examples="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --builds) builds="$2"; shift 2 ;;
    --rebuild) rebuild=true; shift ;;
    --stage) stage="$2"; shift 2 ;;
    --first-round) first_round="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "backends.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$stage" =~ ^(all|build|run|collect)$ ]] || { echo "backends.sh: --stage '$stage' is not build, run or collect" >&2; exit 2; }
[[ "$first_round" =~ ^[1-9][0-9]*$ ]] || { echo "backends.sh: --first-round '$first_round' must be a positive integer" >&2; exit 2; }
[[ "$stage" == build || ( -n "$data" && -d "$data" ) ]] || { echo "backends.sh: --data '$data' is not a prepared dataset folder" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "backends.sh: --rounds '$rounds' must be a positive integer" >&2; exit 2; }

work="${WORK:-/tmp/readout-backends}"
mvn_cmd="${MVN:-mvn -o}"
master="${MASTER:-local[2]}"
java_cmd="java"
[[ -n "${JAVA_HOME:-}" ]] && java_cmd="$JAVA_HOME/bin/java"
mkdir -p "$work/builds" "$work/runs" "$work/logs"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

name_of() { [[ "$1" == plain ]] && echo "linux-x86_64" || echo "linux-x86_64$1"; }

# 1. builds
commit="$(git -C "$root" rev-parse HEAD)"
IFS=',' read -r -a build_list <<< "$builds"
for b in "${build_list[@]}"; do
  [[ "$stage" == run || "$stage" == collect ]] && break
  name="$(name_of "$b")"
  dest="$work/builds/$name"
  if [[ "$rebuild" == false && -f "$dest/readout.jar" && "$(cat "$dest/commit" 2>/dev/null)" == "$commit" ]]; then
    echo "backends.sh: $name already built from $commit"
    continue
  fi
  if [[ ! -f "$work/src/.commit" || "$(cat "$work/src/.commit")" != "$commit" ]]; then
    rm -rf "$work/src" && mkdir -p "$work/src"
    git -C "$root" archive HEAD | tar -x -C "$work/src"
    echo "$commit" > "$work/src/.commit"
  fi
  value="$b"; [[ "$b" == plain ]] && value=""
  echo "backends.sh: building $name ..."
  start=$(date +%s)
  # shellcheck disable=SC2086
  (cd "$work/src" && $mvn_cmd -B -q -Dstyle.color=never -DskipTests "-Dnd4j.native.build=$value" package -pl deploy -am) \
    > "$work/logs/build-$name.log" 2>&1 || { cat "$work/logs/build-$name.log" >&2; exit 1; }
  mkdir -p "$dest"
  cp "$work/src/deploy/target/readout.jar" "$work/src/deploy/target/spark.classpath" \
     "$work/src/deploy/target/jvm.options" "$dest/"
  echo "$commit" > "$dest/commit"
  echo "backends.sh: built $name in $(( $(date +%s) - start )) s, $(( $(stat -c %s "$dest/readout.jar") / 1000000 )) MB"
done

[[ "$stage" == build ]] && exit 0

# Variants: name, build directory, extra JVM flags.
variants=()
for b in "${build_list[@]}"; do variants+=("$(name_of "$b")"); done
if [[ ",$builds," == *",-onednn-avx2,"* ]]; then variants+=("linux-x86_64-onednn-avx2+helpers-off"); fi

run_variant() {  # variant round
  local v="$1" r="$2" build="${1%%+*}" extra=()
  [[ "$v" == *+helpers-off ]] && extra=(-Dreadout.onednn=false)
  local dir="$work/builds/$build" json="$work/runs/$v.round$r.json"
  local -a opens
  read -r -a opens < "$dir/jvm.options"
  echo "backends.sh: round $r, $v ($(cut -d' ' -f1-3 /proc/loadavg) load)"
  "$java_cmd" "${opens[@]}" -Dio.netty.tryReflectionSetAccessible=true -Djava.awt.headless=true \
    "${extra[@]}" -cp "$dir/readout.jar:$(cat "$dir/spark.classpath")" io.readout.jobs.cli.ReadoutCli \
    --master "$master" bench throughput --data "$data" --max-examples "$max_examples" --repeats 1 --epochs 1 \
    --out "$json" > "$work/logs/$v.round$r.out" 2> "$work/logs/$v.round$r.err" \
    || { tail -5 "$work/logs/$v.round$r.err" >&2; echo "backends.sh: $v failed (log $work/logs/$v.round$r.err)" >&2; return 0; }
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)" > "$work/runs/$v.round$r.load"
}

# 2. interleaved runs
if [[ "$stage" != collect ]]; then
  for r in $(seq "$first_round" "$rounds"); do
    for v in "${variants[@]}"; do run_variant "$v" "$r"; done
  done
fi

# 3. collect
python3 - "$work" "$out" "$rounds" "$max_examples" "$master" "$data" "$commit" "${variants[@]}" <<'PY'
import json, os, statistics, sys
work, out, rounds, max_examples, master, data, commit, *variants = sys.argv[1:]
rounds = int(rounds)
DEFAULT = "linux-x86_64-onednn-avx2"  # nd4j.native.build's default in the root pom
# The CPU comes from the runs themselves (bench throughput's "cpu" field, io.readout.common.MachineCpu):
# every run must name one, and all the same one, or the comparison is not of builds on one machine.
cpus = {}


def fail(message):  # bad input: one line, exit code 2
    print("backends.sh: " + message, file=sys.stderr)
    sys.exit(2)


result = {"cpu": None,
          "command": f"bench throughput --data {data} --max-examples {max_examples} --repeats 1 --epochs 1 "
                     f"(--master {master}), variants interleaved, {rounds} round(s)",
          "commit": commit, "variants": {}}
for v in variants:
    build_commit = open(f"{work}/builds/{v.split('+')[0]}/commit").read().strip()
    entry = {"build": v.split('+')[0], "helpers": "off" if v.endswith('+helpers-off') else "as built",
             "default": v == DEFAULT, "built_from": build_commit,
             "jar_mb": round(os.path.getsize(f"{work}/builds/{v.split('+')[0]}/readout.jar") / 1e6, 1),
             "rounds": []}
    per = {}
    for r in range(1, rounds + 1):
        p = f"{work}/runs/{v}.round{r}.json"
        if not os.path.exists(p):
            entry["rounds"].append({"round": r, "failed": True})
            continue
        j = json.load(open(p))
        if "cpu" not in j:
            fail(f"{p}: no cpu field (run by a readout older than it); run round {r} again")
        cpus.setdefault(json.dumps(j["cpu"], sort_keys=True), (j["cpu"], []))[1].append(p)
        entry["kernels"] = j["kernels"]
        row = {"round": r}
        for arch, t in j["training"].items():
            for run in t["runs"]:
                key = f"{arch}_{'single_1t' if run['mode'].startswith('single') else 'spark'}"
                row[key] = run["examples_per_second_median"]
                per.setdefault(key, []).append(run["examples_per_second_median"])
        lp = f"{work}/runs/{v}.round{r}.load"
        if os.path.exists(lp):
            row["load_after"] = open(lp).read().split()[1:4]
        entry["rounds"].append(row)
    entry["median_examples_per_second"] = {k: statistics.median(vs) for k, vs in per.items()}
    result["variants"][v] = entry
if len(cpus) != 1:
    fail("the runs name " + (f"{len(cpus)} different CPUs: " + "; ".join(
        f"{c} ({len(ps)} runs, e.g. {ps[0]})" for c, (_, ps) in cpus.items()) if cpus else "no CPU: no run finished"))
result["cpu"] = next(iter(cpus.values()))[0]
# Each round's figure over the default build's in the same round (runs minutes apart), then the median:
# a slow spell of the machine that lasts a round cancels out.
if DEFAULT in result["variants"]:
    base = {r["round"]: r for r in result["variants"][DEFAULT]["rounds"] if not r.get("failed")}
    for v, e in result["variants"].items():
        ratios = {}
        for r in e["rounds"]:
            b = base.get(r["round"])
            if r.get("failed") or b is None:
                continue
            for k in ("teacher_single_1t", "student_single_1t", "teacher_spark", "student_spark"):
                if k in r and k in b:
                    ratios.setdefault(k, []).append(r[k] / b[k])
        e["median_ratio_to_default"] = {k: statistics.median(vs) for k, vs in ratios.items()}
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
json.dump(result, open(out, 'w'), indent=2)
print(f"cpu: {result['cpu']['model']}, {result['cpu']['cores']} cores, isa {' '.join(result['cpu']['isa'] or ['not recorded'])}")
print(f"{'variant':40s} {'kernels':11s} {'teacher 1t':>11s} {'student 1t':>11s} {'teacher spark':>14s} "
      f"{'student spark':>14s}  (median examples/s; x = median ratio to {DEFAULT} in the same round)")
for v, e in result["variants"].items():
    m = e["median_examples_per_second"]
    x = e.get("median_ratio_to_default", {})
    f = lambda k: (f"{m[k]:.0f}" + (f" x{x[k]:.2f}" if k in x else "")) if k in m else "-"
    print(f"{v:40s} {e.get('kernels', 'failed')[:11]:11s} {f('teacher_single_1t'):>11s} {f('student_single_1t'):>11s} "
          f"{f('teacher_spark'):>14s} {f('student_spark'):>14s}")
print("wrote", out)
PY
