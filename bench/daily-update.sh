#!/bin/bash
# A day's update vs a full build (BENCHMARKS.md, issue 13), run by hand, once, nice'd:
#   bench/daily-update.sh <empty database URL> [work dir]
# Copies the pipeline project, generates 1M events (history up to 2025-06-13) with an
# inbox folder for events and one for users (users.csv then lands once), times a full
# `tspipe build`, then lands 2025-06-14's inbox file and times that day's build.
# Logs (per-node times) stay in the work dir.
set -euo pipefail
url=${1:?usage: bench/daily-update.sh <empty database URL> [work dir]}
work=${2:-$(mktemp -d /tmp/tspipe-daily-XXXX)}
repo=$(cd "$(dirname "$0")/.." && pwd)
tspipe="nice -n 10 node $repo/bin/tspipe.js"
cp -r "$repo/project.yml" "$repo/models" "$repo/macros" "$work/"
mkdir -p "$work/tests" "$work/seeds/inbox/events" "$work/seeds/inbox/users" && cp -r "$repo/tests/assertions" "$work/tests/"
cd "$work"
$tspipe generate --users 50000 --games 200 --events 1000000 --seed 7 --dirt-malformed 0 --out seeds > generate.log
export DATABASE_URL=$url
# timed LOG CMD...: runs CMD with its output in LOG, prints its wall seconds
timed() { local log=$1 s; shift; s=$(date +%s.%N); "$@" > "$log" 2>&1; echo "$(date +%s.%N) - $s" | bc; }
full=$(timed full.log $tspipe build --target pg)
$tspipe generate --day 2025-06-14 --out seeds >> generate.log
day=$(timed day.log $tspipe build --target pg --event-time-start 2025-06-14 --event-time-end 2025-06-15)
echo "full build ${full}s, a day's update ${day}s ($(echo "scale=1; 100 * $day / $full" | bc)%), logs in $work"
grep -h "^Completed\|ERROR=" full.log day.log | head -4   # a failed build is not a measurement
