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
  find_jdk; require_maven; require_node
  ensure_packages "${TEST_PACKAGES[@]}" bc:bc python3:python3
  # pdf: the legacy app's report cards in Ruby (Prawn, and wkhtmltopdf as wicked_pdf uses it) run beside the service
  [ "$name" != pdf ] || ensure_packages ruby:ruby :ruby-prawn :ruby-prawn-table wkhtmltopdf:wkhtmltopdf \
    /usr/bin/time:time fc-match:fontconfig :fonts-dejavu-core
  "$ROOT/bench/$name/run.sh" "$@"
}
