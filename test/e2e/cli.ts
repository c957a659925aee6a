import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The compiled CLI, exactly what `npm start`, `npm run demo` and `npm run jalon` run (built by `npm test`). */
export const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
}

export function jalon(args: string[], dataDir: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** {@link jalon}, and the files of every module the command loaded (see test/support/loaded-modules.js). */
export function jalonLoading(args: string[], dataDir: string) {
  const folder = mkdtempSync(join(tmpdir(), 'jalon-modules-'));
  const file = join(folder, 'loaded.json');
  try {
    const preload = join(__dirname, '..', 'support', 'loaded-modules.js');
    const result = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, LOADED_MODULES_FILE: file }, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, loaded: JSON.parse(readFileSync(file, 'utf8')) as string[] };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The `jalon` command, as installed (`npx jalon`, package.json's bin): its first line starts Node.js. */
export const BIN_JALON = join(__dirname, '..', '..', 'bin', 'jalon');

/**
 * `jalon serve` on a free port, resolved once it listens. `command`: how it is started (default:
 * this Node.js running the compiled CLI with no option of its own), e.g. `[BIN_JALON]`.
 */
export function serve(dataDir: string, command: readonly string[] = [process.execPath, CLI]): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const [file, ...args] = command;
  const child: ChildProcess = spawn(file!, [...args, 'serve'], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jalon serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /écoute sur (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          output: () => output,
          // Resolved once its output is closed too ('close', after 'exit'): every line it printed has been read.
          stop: () => new Promise<void>((done) => (child.exitCode !== null && child.stdout!.closed ? done() : (child.once('close', () => done()), child.kill('SIGTERM')))),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`jalon serve exited with ${code}:\n${output}`)));
  });
}
