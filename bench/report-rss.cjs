// Preloaded into benchmarked Node processes: writes the peak RSS (KiB) at exit.
const { writeFileSync } = require('node:fs');
const file = process.env.TSPIPE_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
