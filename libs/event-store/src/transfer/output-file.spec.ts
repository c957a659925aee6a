import { openSync } from 'node:fs';
import { describeFileSystemFailure } from './output-file';

function failureOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('describeFileSystemFailure', () => {
  it('rule: a file that cannot be opened is worded as an opening, not as a write, whichever way it was opened', () => {
    const missing = '/nonexistent-jalon-dir/history.ndjson';
    expect(describeFileSystemFailure(failureOf(() => openSync(missing, 'r')))).toBe(`ouverture impossible : ${missing} : fichier ou dossier introuvable (ENOENT)`);
    expect(describeFileSystemFailure(failureOf(() => openSync(missing, 'w')))).toBe(`ouverture impossible : ${missing} : fichier ou dossier introuvable (ENOENT)`);
  });

  it('rule: an error that is not one of the file system is left to its own wording', () => {
    expect(describeFileSystemFailure(new Error('autre chose'))).toBeUndefined();
  });
});
