#!/usr/bin/env bash
# Pail's performance benchmark (issue 6): Pail against nginx (static, WebDAV, discard), the JDK's MD5 and the disk,
# on loopback, in interleaved rounds, reported as ratios measured in the same run. See bench/README.md.
#
#   bench/run.sh                full run: 3 rounds, under 15 minutes on 2 cores
#   bench/run.sh --smoke        about a minute: 1 round, tiny durations, no 1 GiB, 10k-object LIST bucket (CI)
#   options: --rounds N  --keep (keep the scratch dir)  --work DIR (scratch base, default /var/tmp)
#            --no-build (use target/pail.jar even if sources are newer)
#
# Prints the table and writes bench/results/<UTC time>[-smoke].jsonl. Exit status: 0 done; 1 the harness broke;
# 2 done but requests failed (non-2xx answers, SDK errors), so the numbers are not valid. Never on a figure.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

# tools from Debian (ab, from apache2-utils, drives the HEAD test: wrk hangs on HEAD responses)
need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v ab >/dev/null || need+=(apache2-utils)
command -v fio >/dev/null || need+=(fio)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then echo "bench/run.sh: missing ${need[*]}; install them (needs root)" >&2; exit 1; fi
  echo "installing ${need[*]}"
  apt-get update -qq
  # policy-rc.d may refuse to start nginx's service: fine, the benchmark runs its own nginx
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in bench/lib

for j in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25*; do
  if [[ -n "$j" && -x "$j/bin/java" ]] && "$j/bin/java" -version 2>&1 | grep -q '"25'; then export JAVA_HOME="$j"; break; fi
done
[[ -n "${JAVA_HOME:-}" ]] || { echo "bench/run.sh: no JDK 25 found (set JAVA_HOME)" >&2; exit 1; }

# the server under test: rebuilt when missing or older than its sources (--no-build to skip)
if [[ ! -f target/pail.jar ]] || { ((build)) && [[ -n "$(find src/main pom.xml -newer target/pail.jar -print -quit)" ]]; }; then
  echo "building target/pail.jar"
  ./mvnw -q -B package -DskipTests
elif [[ -n "$(find src/main pom.xml -newer target/pail.jar -print -quit)" ]]; then
  echo "warning: target/pail.jar is older than src/main (--no-build): measuring the old build" >&2
fi

python3 bench/lib/osssign.py selftest

# the SDK mixed load: src/test/java/dev/pail/bench compiled on its own against the test class path, so the
# benchmark does not depend on the rest of the test tree compiling
scratch=$(mktemp -d /tmp/pail-bench-cp.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
if ! ./mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$scratch/cp.txt" >/dev/null 2>&1; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$scratch/cp.txt" >/dev/null
fi
"$JAVA_HOME/bin/javac" -nowarn -d "$scratch/classes" -cp "$(cat "$scratch/cp.txt")" src/test/java/dev/pail/bench/*.java

set +e
python3 bench/lib/driver.py --mixed-cp "$scratch/classes:$(cat "$scratch/cp.txt")" "${args[@]}"
code=$?
set -e
exit $code
