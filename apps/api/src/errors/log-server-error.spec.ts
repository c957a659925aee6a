import { Logger } from '@nestjs/common';
import { JalonNestLogger } from '@jalon/core';
import { logServerError } from './http-error.filter';

/** What the service's log says of an answer of 500 and more. */
describe('logServerError: the log of answers of 500 and more', () => {
  const logged = () => {
    const lines: { level: string; text: string }[] = [];
    const logger = { error: (text: string) => lines.push({ level: 'error', text }), warn: (text: string) => lines.push({ level: 'warn', text }) } as unknown as Logger;
    return { lines, logger };
  };

  it('rule: a fault Jalon knows (503 STORE.UNAVAILABLE on a full disk) is one warning line naming its code, the request and the French message, without a stack trace at every request', () => {
    const { lines, logger } = logged();
    const error = new Error('le disque est plein');
    logServerError(logger, error, { statusCode: 503, code: 'STORE.UNAVAILABLE', message: 'écriture impossible : le disque est plein (ENOSPC)' }, { method: 'POST', url: '/api/programmes?x=1' });
    expect(lines).toEqual([{ level: 'warn', text: '503 STORE.UNAVAILABLE — POST /api/programmes : écriture impossible : le disque est plein (ENOSPC)' }]);
  });

  it('rule: an unexpected error (INTERNAL) is logged as an error with its stack, to be mended; below 500 nothing is logged', () => {
    const { lines, logger } = logged();
    const error = new Error('boom');
    logServerError(logger, error, { statusCode: 500, code: 'INTERNAL', message: 'Erreur interne' }, { method: 'GET', url: '/api/x' });
    logServerError(logger, error, { statusCode: 400, code: 'INPUT.INVALID', message: 'x' }, { method: 'GET', url: '/api/x' });
    expect(lines).toEqual([{ level: 'error', text: error.stack }]);
  });

  it('rule: the log’s time is written as French staff read it (04/12/2026 22:14:52), not en-US (12/4/2026, 10:14:52 PM)', () => {
    const logger = new JalonNestLogger(['log']) as unknown as { getTimestamp(): string };
    expect(logger.getTimestamp()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });
});
