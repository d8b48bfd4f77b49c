# The flags the study scripts share (sourced by workers-study.sh and methods-study.sh).
# The caller sets the defaults of data_dir, work, datasets, seeds and tables, then calls
#   study_args "$@"
# which reads --data-dir, --work, --datasets, --seeds, --no-tables and -h, and checks the data folder.
study_args() {
  local name help_lines
  name="$(basename "$0")"
  help_lines="$(awk 'NR > 1 && !/^#/ { print NR - 1; exit }' "$0")"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --data-dir) data_dir="$2"; shift 2 ;;
      --work) work="$2"; shift 2 ;;
      --datasets) datasets="$2"; shift 2 ;;
      --seeds) seeds="$2"; shift 2 ;;
      --no-tables) tables=false; shift ;;
      -h|--help) sed -n "2,${help_lines}p" "$0"; exit 0 ;;
      *) echo "$name: unknown argument $1" >&2; exit 2 ;;
    esac
  done
  [[ -d "$data_dir/mnist-10k" && -d "$data_dir/fashion-mnist" ]] || {
    echo "$name: --data-dir $data_dir: needs mnist-10k/ and fashion-mnist/" >&2; exit 2; }
  data_dir="$(cd "$data_dir" && pwd)"
}
