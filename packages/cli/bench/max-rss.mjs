// Preloaded into the bin by bench/report.mjs (`node --import`) where /usr/bin/time is missing:
// with GENMETA_BENCH_MAX_RSS=1, prints the process's peak RSS on stderr as it exits.
if (process.env.GENMETA_BENCH_MAX_RSS === '1') {
  process.on('exit', () => {
    process.stderr.write(`genmeta-bench max-rss-kb ${process.resourceUsage().maxRSS}\n`);
  });
}
