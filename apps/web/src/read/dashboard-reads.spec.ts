import { DashboardReads } from './dashboard-reads';

/**
 * Rule (one home per concern): each read of the dashboard has one method in DashboardReads. Two
 * methods that only hand back the same query (the same dependency, method and arguments) are one
 * read under two names, and callers drift apart between them.
 *
 * The check is behavioural: every dependency is a recording stand-in whose every method returns a
 * fresh marker of its call, and each method of the reads is called with the same probe arguments.
 * A method that returns a marker as it is only delegates that call; a method that reshapes what it
 * reads (or fails on a marker) is not a plain delegation and is left alone.
 */
const MARK = Symbol('delegated call');
type Marker = { readonly [MARK]: string };
const PROBES = ['probe-1', 'probe-2', 'probe-3'] as const;

function recorder(label: string): unknown {
  return new Proxy(
    {},
    {
      get: (_target, method) =>
        typeof method === 'string' ? (...args: unknown[]): Marker => ({ [MARK]: `${label}.${method}(${JSON.stringify(args)})` }) : undefined,
    },
  );
}

/** The call each plain-delegation method of `instance` hands back, by method name. */
async function delegations(instance: object): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const prototype = Object.getPrototypeOf(instance) as object;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
    if (name === 'constructor' || typeof descriptor.value !== 'function') continue;
    let result: unknown;
    try {
      result = await (descriptor.value as (...args: unknown[]) => unknown).apply(instance, [...PROBES]);
    } catch {
      continue;
    }
    if (typeof result === 'object' && result !== null && MARK in result) found.set(name, (result as Marker)[MARK]);
  }
  return found;
}

/** Method names grouped by the call they hand back, where more than one hands back the same. */
function duplicates(found: Map<string, string>): string[][] {
  const byCall = new Map<string, string[]>();
  for (const [name, call] of found) byCall.set(call, [...(byCall.get(call) ?? []), name]);
  return [...byCall.values()].filter((names) => names.length > 1);
}

/** DashboardReads built on recording stand-ins, each labelled with the field it is kept in. */
function recordedReads(): DashboardReads {
  const labels = ['reports', 'programmeQueries', 'streams', 'config', 'clock'];
  return new (DashboardReads as unknown as new (...deps: unknown[]) => DashboardReads)(...labels.map(recorder));
}

describe('DashboardReads: one method per read', () => {
  it('rule: one home per read — no two methods of DashboardReads hand back the same query', async () => {
    const found = await delegations(recordedReads());
    expect(found.size).toBeGreaterThan(5); // the probe reaches the plain delegations
    expect(duplicates(found)).toEqual([]);
  });

  it('rule: an antenna of today is read through antennaSituation only (pages, forms, imports, documents)', async () => {
    const found = await delegations(recordedReads());
    const antennaReads = [...found].filter(([, call]) => call.startsWith('programmeQueries.antenna(')).map(([name]) => name);
    expect(antennaReads).toEqual(['antennaSituation']);
    expect(found.get('antennaSituation')).toBe(`programmeQueries.antenna(${JSON.stringify([PROBES[0]])})`);
  });

  it('the check sees what it looks for: two names for one query, and not two different queries', async () => {
    class Reads {
      constructor(private readonly queries: { antenna(id: string): unknown; forecast(id: string): unknown }) {}
      situation(antennaId: string): unknown {
        return this.queries.antenna(antennaId);
      }
      phases(antennaId: string): unknown {
        return this.queries.antenna(antennaId);
      }
      forecast(antennaId: string): unknown {
        return this.queries.forecast(antennaId);
      }
      names(): unknown {
        return (this.queries.antenna('x') as string[]).map((name) => name);
      }
    }
    const found = await delegations(new Reads(recorder('queries') as never));
    expect([...found.keys()]).toEqual(['situation', 'phases', 'forecast']);
    expect(duplicates(found)).toEqual([['situation', 'phases']]);
  });
});
