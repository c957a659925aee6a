/**
 * The options of Node.js that every Jalon process runs with (docs/decisions/0068): a young
 * generation of 64 MiB semi-spaces instead of Node's 16. A query allocates some hundreds of KB
 * that die with it; with 16 MiB, a young collection came every 25 to 40 queries and, once V8 had
 * begun an old-generation collection, copied and promoted almost all it found alive, taking 4 to
 * 5 ms: the tail of the read-model queries. With 64 MiB, they come 5 times less often and never
 * start that state.
 *
 * Node reads them only when it starts: each way of starting Jalon passes them on its command line
 * (`npm start`, `npm run jalon`, the `jalon` command's first line, the Docker image's NODE_OPTIONS,
 * the benchmark and its child processes); test/e2e/node-flags.e2e.spec.ts holds them to this list.
 */
export const JALON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** Whether this process was started with them (on its command line or in NODE_OPTIONS). */
export function startedWithJalonNodeFlags(execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env.NODE_OPTIONS ?? ''): boolean {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter((option) => option.length > 0)]);
  return JALON_NODE_FLAGS.every((flag) => given.has(flag));
}
