'use strict';
/**
 * Preloaded (`node --require`) by the benchmark into a compiled Jalon process (`jalon replay` from
 * dist/): reports the process's peak resident memory when it exits, on the benchmark's channel
 * (a line `BENCH {json}` on stdout). Plain JavaScript, so that nothing but Jalon's own code runs.
 */
process.on('exit', () => {
  process.stdout.write(`BENCH ${JSON.stringify({ type: 'exit', maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
});
