// Preloaded (NODE_OPTIONS=--import) into every Node process of a smoke run on another Node line,
// so the test can check that the smoke script and each Node it started ran on that line. Plain
// JavaScript: it runs on every line as it is. The prefix is `reportPrefix` in node-lines.ts.
process.stderr.write(`genmeta-rehearsal-node ${process.version} ${process.argv[1] ?? '-'}\n`);
