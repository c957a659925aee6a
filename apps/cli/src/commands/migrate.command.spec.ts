import { TransferError } from '@jalon/event-store';
import { join, resolve } from 'node:path';
import { parseTarget } from './migrate.command';

describe('jalon migrate --to: the targets it accepts', () => {
  it.each([
    'esdb://localhost:2113?tls=false',
    'esdb+discover://cluster.example:2113',
    'kurrentdb://admin:secret@node1:2113,node2:2113,node3:2113?tls=true',
    'kurrentdb+discover://cluster.example:2113',
    'KurrentDB://localhost:2113?tls=false',
  ])('takes %s for EventStoreDB (KurrentDB) and never shows its credentials', (to) => {
    const target = parseTarget(to);

    expect(target.label).toBe(to.replace('admin:secret@', ''));
    expect(target.label).not.toContain('secret');
  });

  it('takes sqlite:<directory> and a .sqlite path for the embedded store', () => {
    expect(parseTarget('sqlite:/tmp/jalon-copy').label).toBe(`sqlite:${join(resolve('/tmp/jalon-copy'), 'jalon.sqlite')}`);
    expect(parseTarget('copy.sqlite').label).toBe(`sqlite:${resolve('copy.sqlite')}`);
  });

  it('refuses anything else, naming the schemes it knows', () => {
    expect(() => parseTarget('postgres://ailleurs')).toThrow(TransferError);
    expect(() => parseTarget('postgres://ailleurs')).toThrow(/kurrentdb:\/\//);
  });
});
