# shellcheck shell=bash
# ./apiary bench NAME [ARGS...]: runs bench/NAME/run.sh (results go to bench/RESULTS.md by hand, with date,
# machine and command; the scripts print a ready-made table).

cmd_bench() {
  local name=${1:-}
  if [ -z "$name" ] || [ ! -x "$ROOT/bench/$name/run.sh" ]; then
    echo "usage: ./apiary bench NAME   (one of: $(cd "$ROOT/bench" && for d in */; do [ -x "$d/run.sh" ] && printf '%s ' "${d%/}"; done))" >&2
    return 2
  fi
  shift
  find_jdk
  ensure_packages "${SUITE_PACKAGES[@]}"
  "$ROOT/bench/$name/run.sh" "$@"
}
