#!/usr/bin/env bash
# Two workers learn what one learns: student ERM at 1, 2, 4 and 8 parameter-averaging workers, 3 seeds, on small
# (about 2,000 training rows) and large data, before (--batch-scope worker: each worker fits the whole --batch,
# dl4j-spark's convention) and after (the default: the batch shared by the workers). Each (dataset, variant) is
# one `readout sweep` over workers and seeds; its sweep.json (with by_seed: mean ± std over the seeds, and the
# cpu) is copied to docs/bench/results/workers-<dataset>-<variant>.json, and `readout bench tables` renders
# docs/BENCHMARKS.md's table from those files.
#
#   docs/bench/workers-study.sh [--data-dir ../shared/data] [--work /tmp/readout-workers]
#                               [--datasets syn2k,dom2k,col49,dom10k] [--seeds 0,1,2] [--no-tables]
#
# W workers run as W partitions on local[2] (READOUT_MASTER): the figures do not depend on how many cores run
# them (placement by id, results added in partition order), only the time does. A rerun resumes every sweep.
# READOUT (default deploy/bin/readout) names the launcher.
set -euo pipefail
cd "$(dirname "$0")/../.."

readout="${READOUT:-deploy/bin/readout}"
master="${READOUT_MASTER:-local[2]}"
data_dir="../shared/data"
work="/tmp/readout-workers"
datasets="syn2k,dom2k,col49,dom10k"
seeds="0,1,2"
tables=true
source docs/bench/study-args.sh
study_args "$@"
mkdir -p "$work/data" "$work/sweeps" "$work/configs"

prepare() {  # name, then prepare's flags
  local name="$1"; shift
  [[ -f "$work/data/$name/_SUCCESS" ]] || "$readout" --master "$master" prepare --out "$work/data/$name" --shards 4 "$@"
}

for d in ${datasets//,/ }; do
  case "$d" in
    syn2k) prepare syn2k --dataset synthetic --n-train 2000 --core-contrast 0.15 ;;
    dom2k) prepare dom2k --dataset dominoes --mnist "$data_dir/mnist-10k" --fashion "$data_dir/fashion-mnist" --n-train 2000 ;;
    col49) prepare col49 --dataset colored --images "$data_dir/mnist-10k" --classes 4,9 --palette ff0000,0000ff ;;
    dom10k) prepare dom10k --dataset dominoes --mnist "$data_dir/mnist-10k" --fashion "$data_dir/fashion-mnist" ;;
    *) echo "workers-study.sh: unknown dataset $d (syn2k, dom2k, col49, dom10k)" >&2; exit 2 ;;
  esac
  for variant in before after; do
    if [[ "$variant" == before ]]; then
      scope=', "batch-scope": "worker"'; workers="2, 4, 8"
    else
      scope=''; workers="1, 2, 4, 8"
    fi
    config="$work/configs/$d-$variant.json"
    cat > "$config" <<EOF
{"out": "$work/sweeps/$d-$variant",
 "base": {"method": "erm", "arch": "student", "data": "$work/data/$d", "epochs": 8 $scope},
 "search": "grid",
 "space": {"workers": [$workers], "seed": [$seeds]},
 "select": "val_wga"}
EOF
    "$readout" --master "$master" sweep --config "$config"
    cp "$work/sweeps/$d-$variant/sweep.json" "docs/bench/results/workers-$d-$variant.json"
  done
done

if [[ "$tables" == true ]]; then
  "$readout" bench tables
fi
