#!/usr/bin/env bash
# Where the methods help: per dataset, one teacher and its soft labels, then one `readout sweep` per method
# over its hyper-parameters and the training seeds (0, 1, 2 by default), all students on the same data and
# teacher probabilities, so a trial of DEDIER and one of KD or ERM with the same seed differ only by the method.
# The full grids run on syn95 (DEDIER beta × lambda × readout block, SIFER aux-lr × forget-lr × forget-every);
# the other datasets search the smaller grids around them (DEDIER beta × lambda at block1, SIFER aux-lr ×
# forget-lr every 5 steps), as 2 cores allow. Each sweep's sweep.json (every trial's validation-selected and final figures, by_seed means, the cpu) is
# copied to docs/bench/results/study-<dataset>-<method>.json; `readout bench tables` renders the "Where the
# methods help" tables of docs/BENCHMARKS.md from them: per method the configuration with the highest mean
# validation worst-group accuracy (the test split never chooses), then its test figures and the paired
# differences, seed by seed, against the baselines.
#
#   docs/bench/methods-study.sh [--data-dir ../shared/data] [--work /tmp/readout-study]
#                               [--datasets syn95,syn99,syn995,dom2k] [--seeds 0,1,2] [--no-tables]
#
# A rerun resumes every sweep (finished trials are kept). READOUT (default deploy/bin/readout) names the
# launcher, READOUT_MASTER (default local[2]) the Spark master.
set -euo pipefail
cd "$(dirname "$0")/../.."

readout="${READOUT:-deploy/bin/readout}"
master="${READOUT_MASTER:-local[2]}"
data_dir="../shared/data"
work="/tmp/readout-study"
datasets="syn95,syn99,syn995,dom2k"
seeds="0,1,2"
tables=true
source docs/bench/study-args.sh
study_args "$@"
mkdir -p "$work"

sweep() {  # dataset, method, base flags (JSON members), space (JSON members)
  local d="$1" method="$2" base="$3" space="$4"
  local config="$work/$d/configs/$method.json"
  mkdir -p "$work/$d/configs"
  cat > "$config" <<EOF
{"out": "$work/$d/sweeps/$method",
 "base": {"method": "$method", "arch": "student", "data": "$work/$d/data", "epochs": 8, "workers": 2 $base},
 "search": "grid",
 "space": {$space "seed": [$seeds]},
 "select": "val_wga"}
EOF
  "$readout" --master "$master" sweep --config "$config"
  cp "$work/$d/sweeps/$method/sweep.json" "docs/bench/results/study-$d-$method.json"
}

for d in ${datasets//,/ }; do
  root="$work/$d"
  case "$d" in
    syn95) prepare=(--dataset synthetic --n-train 2000 --core-contrast 0.15 --rho 0.95) ;;
    syn99) prepare=(--dataset synthetic --n-train 2000 --core-contrast 0.15 --rho 0.99) ;;
    syn995) prepare=(--dataset synthetic --n-train 2000 --core-contrast 0.15 --rho 0.995) ;;
    dom2k) prepare=(--dataset dominoes --mnist "$data_dir/mnist-10k" --fashion "$data_dir/fashion-mnist" --n-train 2000) ;;
    *) echo "methods-study.sh: unknown dataset $d (syn95, syn99, syn995, dom2k)" >&2; exit 2 ;;
  esac
  [[ -f "$root/data/_SUCCESS" ]] || "$readout" --master "$master" prepare --out "$root/data" --shards 4 "${prepare[@]}"
  [[ -f "$root/teacher/_SUCCESS" ]] || "$readout" --master "$master" train --method erm --arch teacher \
      --data "$root/data" --out "$root/teacher" --epochs 8 --workers 2 --overwrite
  [[ -f "$root/teacher-probs/_SUCCESS" ]] || "$readout" --master "$master" teacher-probs \
      --teacher "$root/teacher" --data "$root/data" --out "$root/teacher-probs" --temperature 2
  tp=", \"teacher-probs\": \"$root/teacher-probs\""
  sweep "$d" erm "" ""
  sweep "$d" kd "$tp" ""
  if [[ "$d" == syn95 ]]; then
    sweep "$d" dedier "$tp" '"beta": [1, 2, 4], "lambda": [0.5, 0.7], "aux-at": ["block1", "block2"],'
    sweep "$d" sifer "" '"aux-lr": [0.001, 0.01], "forget-lr": [0.001, 0.01], "forget-every": [5, 10],'
  else
    sweep "$d" dedier "$tp" '"beta": [1, 2, 4], "lambda": [0.5, 0.7],'
    sweep "$d" sifer "" '"aux-lr": [0.001, 0.01], "forget-lr": [0.001, 0.01],'
  fi
done

if [[ "$tables" == true ]]; then
  "$readout" bench tables
fi
