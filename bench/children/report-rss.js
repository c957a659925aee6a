'use strict';
/**
 * Preloaded (`node --require`) by the benchmark into a compiled Jalon process (`jalon replay` from
 * dist/): reports the process's peak resident memory when it exits, on the benchmark's channel
 * (a line `BENCH {json}` on stdout). Plain JavaScript, so that nothing but Jalon's own code runs.
 *
 * The peak is VmHWM from /proc/self/status (Linux): `process.resourceUsage().maxRSS` is not the
 * process's own, since Linux carries ru_maxrss across fork and exec, so a child would report at
 * least the benchmark's own memory at the moment it was spawned. maxRSS is the fallback elsewhere.
 */
const { readFileSync } = require('node:fs');

function peakRssBytes() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}

process.on('exit', () => {
  process.stdout.write(`BENCH ${JSON.stringify({ type: 'exit', maxRssBytes: peakRssBytes() })}\n`);
});
