# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source it
# Sourced by run.sh and floor.sh: the service's JVM flags, the JDK and tool checks, a scratch folder cleaned up
# on exit (with the service and Redis it started), the build, the request data and a private Redis.
# Needs $here and $repo set by the caller.

# The service's JVM flags, as deployed: deploy/jvm/pdf-service.args (why: RESULTS-pdf.md, "JVM flags and why"),
# the heap apart so floor.sh can vary it.
jvm_flags() { sed 's/#.*//' "$repo/deploy/jvm/pdf-service.args" | tr -s ' \t' '\n\n' | grep -v '^$' || true; }
PDF_JVM_FLAGS=$(jvm_flags | grep -vE '^-Xm[snx]' | tr '\n' ' ')
PDF_HEAP_FLAGS=$(jvm_flags | grep -E '^-Xm[snx]' | tr '\n' ' ')
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
BASELINE_DIR=${BASELINE_DIR:-"$here/baseline"}   # the Ruby report cards of the legacy app (baseline/README.md)

# JDK 25: JAVA_HOME, else the java on PATH
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs JDK 25+ (set JAVA_HOME)" >&2; exit 1; }

require_tools() { # command...
  for t in "$@"; do command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }; done
}

work=$(mktemp -d)
svc_pid=""
redis_pid=""
cleanup() {
  if [ -n "$svc_pid" ]; then kill "$svc_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

build_service() { # sets $jar
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building pdf-service..." >&2
    (cd "$repo" && mvn -B -ntp -q -pl pdf-service -am package -DskipTests >/dev/null)
  fi
  jar="$repo/pdf-service/target/pdf-service.jar"
}

make_requests() { # N... -> $work/baseline/data-N.json (the baseline's data) and $work/req-N.json (the same as a request)
  mkdir -p "$work/baseline/out"
  ruby "$BASELINE_DIR/gen_data.rb" "$work/baseline" "$@" >/dev/null
  for n in "$@"; do
    # the baseline data plus "template" and "school_id" is a pdf-service request ("generated_by" is ignored)
    sed '0,/{/s//{"template": "report_card", "school_id": "lakeview",/' "$work/baseline/data-$n.json" > "$work/req-$n.json"
  done
}

intl_request() { # N -> $work/req-N-intl.json: req-N.json with every 5th student's name (and advisor comment) in
  # another script, so 20% of the cards need the fallback fonts, shaping and bidi
  python3 - "$work/req-$1.json" "$work/req-$1-intl.json" <<'PY'
import json, sys
names = ["अनन्या क्षत्रिय", "فاطمة الزهراء", "王小明", "সুমাইয়া রহমান", "สมชาย ใจดี", "שרה לוי",
         "கார்த்திக் சுப்பிரமணியம்", "山田はなこ", "김민준", "Αλέξανδρος Παπαδόπουλος"]
comments = ["कक्षा में बहुत अच्छा प्रदर्शन, अंतिम परीक्षा में 95 अंक।", "تقدم ممتاز: 95 نقطة في الاختبار النهائي.",
            "进步显著：期末考试获得95分。", "চমৎকার অগ্রগতি: চূড়ান্ত পরীক্ষায় 95 নম্বর।", "ความก้าวหน้าดีเยี่ยม ได้ 95 คะแนน",
            "התקדמות מצוינת: 95 נקודות במבחן הסופי.", "சிறந்த முன்னேற்றம்: 95 மதிப்பெண்கள்.",
            "とても良く頑張りました。期末試験は95点でした。", "훌륭한 발전: 기말 시험에서 95점을 받았습니다.",
            "Εξαιρετική πρόοδος: 95 μονάδες στο τελικό διαγώνισμα."]
r = json.load(open(sys.argv[1]))
for i, s in enumerate(r["students"]):
    if i % 5 == 0:
        k = (i // 5) % len(names)
        s["name"] = names[k]
        s["advisor_comment"] = comments[k]
json.dump(r, open(sys.argv[2], "w"), ensure_ascii=False)
PY
}

setup_baseline() { # checks the Ruby baseline's tools; the DejaVu fonts its Prawn report embeds, found once
  require_tools ruby wkhtmltopdf pdfinfo fc-match
  [ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (Debian package time)" >&2; exit 1; }
  ruby -e 'require "prawn"; require "prawn/table"' || { echo "missing: ruby-prawn, ruby-prawn-table" >&2; exit 1; }
  mkdir -p "$work/baseline/fonts"
  local face file
  for face in "" ":bold" ":italic" ":bold:italic"; do
    file=$(fc-match -f '%{file}' "DejaVu Sans$face")
    case "$file" in
      *DejaVuSans*.ttf) cp -f "$file" "$work/baseline/fonts/" ;;
      *) echo "DejaVu Sans$face not found (Debian package fonts-dejavu-core)" >&2; exit 1 ;;
    esac
  done
  export BASELINE_FONTS="$work/baseline/fonts"
}

start_redis() { # sets $redis_port
  redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --logfile "$work/redis.log" &
  redis_pid=$!
}
