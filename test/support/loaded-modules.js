// Preloaded with `node --require` by tests that check what a process loads: at its exit, writes the
// file of every CommonJS module it loaded (`require.cache`) as JSON to LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache))));
