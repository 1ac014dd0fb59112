#!/usr/bin/env bash
# Image processing benchmark (issue 5): Pail's GET ?x-oss-process on a 12-megapixel JPEG against
# the vipsthumbnail command and ImageMagick's convert on the same file, in the same run.
#
#   bench/images.sh            full run (about 4 minutes)
#   bench/images.sh --quick    smoke run (about 1 minute)
#
# Reports images per second at concurrency 2 (this machine class has 2 cores) and the ratio
# Pail / vipsthumbnail. Pail runs with its image cache off so every request is processed.
set -euo pipefail
cd "$(dirname "$0")/.."

DUR=20; CLI_RUNS=40; MAGICK_RUNS=10
if [[ "${1:-}" == "--quick" ]]; then DUR=5; CLI_RUNS=10; MAGICK_RUNS=4; fi

need=()
command -v vipsthumbnail >/dev/null || need+=(libvips-tools)
[[ -x /usr/bin/convert ]] || need+=(imagemagick)
command -v wrk >/dev/null || need+=(wrk)
ldconfig -p | grep -q libvips.so.42 || need+=(libvips42)
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
MAGICK=/usr/bin/convert # /usr/local/bin may hold a stand-in

for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25*; do
  if [[ -n "$j" && -x "$j/bin/java" ]] && "$j/bin/java" -version 2>&1 | grep -q '"25'; then export JAVA_HOME="$j"; break; fi
done
[[ -f target/pail.jar ]] || ./mvnw -q -B package -DskipTests

WORK=$(mktemp -d /tmp/pail-img-bench.XXXXXX)
PID=
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

PHOTO="$WORK/photo.jpg"
vips gaussnoise "$WORK/noise.v" 4000 3000 --sigma 40 --mean 128
vips gaussblur "$WORK/noise.v" "$WORK/soft.v" 3
vips colourspace "$WORK/soft.v" "$WORK/srgb.v" srgb
vips bandjoin "$WORK/srgb.v $WORK/srgb.v $WORK/srgb.v" "$WORK/rgb.v"
vips copy "$WORK/rgb.v" "$PHOTO[Q=90]"
echo "source: $(vipsheader "$PHOTO") $(stat -c %s "$PHOTO") bytes"

AK=bench-access-key; SK=bench-secret-key-0123456789
PORT=$(( 20000 + RANDOM % 20000 ))
sign() { printf '%b' "$1" | openssl dgst -sha1 -hmac "$SK" -binary | base64; }

start_pail() { # engine
  PAIL_ACCESS_KEY_ID=$AK PAIL_ACCESS_KEY_SECRET=$SK bin/pail server --port "$PORT" --data "$WORK/data-$1" \
    --buckets bench --image-engine "$1" --image-cache-mb 0 >"$WORK/pail-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/-/health" >/dev/null && break; sleep 0.1; done
  local d; d=$(date -u '+%a, %d %b %Y %H:%M:%S GMT')
  curl -sf -X PUT -H "Date: $d" -H "x-oss-acl: public-read" \
    -H "Authorization: OSS $AK:$(sign "PUT\n\n\n$d\nx-oss-acl:public-read\n/bench/?acl")" "http://127.0.0.1:$PORT/bench/?acl"
  curl -sf -X PUT -H "Date: $d" -H "Content-Type: image/jpeg" --data-binary "@$PHOTO" \
    -H "Authorization: OSS $AK:$(sign "PUT\n\nimage/jpeg\n$d\n/bench/photo.jpg")" "http://127.0.0.1:$PORT/bench/photo.jpg"
}
stop_pail() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

pail_rate() { # process → images/s (wrk, 2 connections)
  local url="http://127.0.0.1:$PORT/bench/photo.jpg?x-oss-process=$1"
  for _ in 1 2 3; do curl -sf -o /dev/null "$url"; done
  wrk -t2 -c2 -d"${DUR}s" "$url" | awk '/Requests\/sec/ {print $2}'
}

cli_rate() { # runs, command template with {} for the run number → images/s with 2 in parallel
  local runs=$1; shift
  local t0 t1; t0=$(date +%s.%N)
  seq "$runs" | xargs -P2 -I{} sh -c "$*"
  t1=$(date +%s.%N)
  echo "$runs / ($t1 - $t0)" | bc -l
}

declare -A R
CASES=("image/resize,w_200" "image/resize,w_1000/format,webp")
R[vips,0]=$(cli_rate "$CLI_RUNS" "vipsthumbnail '$PHOTO' -s 200x -o '$WORK/t{}.jpg[Q=85]'")
R[vips,1]=$(cli_rate "$CLI_RUNS" "vipsthumbnail '$PHOTO' -s 1000x -o '$WORK/t{}.webp[Q=85]'")
R[magick,0]=$(cli_rate "$MAGICK_RUNS" "$MAGICK '$PHOTO' -resize 200x -quality 85 '$WORK/m{}.jpg'")
R[magick,1]=$(cli_rate "$MAGICK_RUNS" "$MAGICK '$PHOTO' -resize 1000x -quality 85 '$WORK/m{}.webp'")
for engine in vips java; do
  start_pail "$engine"
  for i in 0 1; do R[$engine-pail,$i]=$(pail_rate "${CASES[$i]}"); done
  stop_pail
done

printf '\n%-34s %12s %10s %12s %12s %10s %10s\n' "process (12 MP JPEG source)" vipsthumbnail convert "Pail+vips" "Pail+java" "vips/cli" "java/cli"
for i in 0 1; do
  printf '%-34s %12.2f %10.2f %12.2f %12.2f %10.2f %10.2f\n' "${CASES[$i]}" "${R[vips,$i]}" "${R[magick,$i]}" \
    "${R[vips-pail,$i]}" "${R[java-pail,$i]}" \
    "$(echo "${R[vips-pail,$i]} / ${R[vips,$i]}" | bc -l)" "$(echo "${R[java-pail,$i]} / ${R[vips,$i]}" | bc -l)"
done
echo "(images per second, 2 at a time; ratios are Pail / vipsthumbnail in this run)"
