import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { holderGone, holderStarted, holderStopped, newInstanceId } from './projection-lease';

/**
 * A lease whose holder is certainly gone is taken over at once; anything not certain (another
 * machine, another container's process namespace, a live process) waits for the lease to expire.
 */
describe('projection lease holders', () => {
  const [, , namespace] = newInstanceId().split(':');
  const onLinux = namespace !== '0';

  it('rule: a runner of this process is gone once stopped, not before', () => {
    const id = newInstanceId();
    expect(id).toMatch(new RegExp(`^${hostname()}:${process.pid}:\\d+:[0-9a-f]{6}$`));
    holderStarted(id);
    expect(holderGone(id)).toBe(false);
    holderStopped(id);
    expect(holderGone(id)).toBe(true);
  });

  it('rule: a process of this machine and namespace that no longer exists is gone (where the namespace can be known: Linux); one that exists is not', () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(holderGone(`${hostname()}:${ended.stdout}:${namespace}:abcdef`)).toBe(onLinux);
    expect(holderGone(`${hostname()}:${process.ppid}:${namespace}:abcdef`)).toBe(false);
  });

  it('rule: a holder of another machine, another process namespace, or an id of another form is presumed alive', () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(holderGone(`another-${hostname()}:${ended.stdout}:${namespace}:abcdef`)).toBe(false);
    expect(holderGone(`${hostname()}:${ended.stdout}:1${namespace}:abcdef`)).toBe(false);
    expect(holderGone(`${hostname()}:${ended.stdout}`)).toBe(false);
    expect(holderGone('a')).toBe(false);
  });
});
