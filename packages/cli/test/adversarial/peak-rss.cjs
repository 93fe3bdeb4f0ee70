// Preloaded into a spawned bin (`node --require peak-rss.cjs`): at exit, the process's peak
// resident set size, in bytes, is written to the file named by GENMETA_TEST_PEAK_RSS_FILE.
const { writeFileSync } = require('node:fs');

const target = process.env.GENMETA_TEST_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes.
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
