import { InputValidationError, ReadModelBehindError, ReportService } from '@jalon/application';
import { LogIntegrityService } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { ReportsController } from './reports.controller';

/**
 * `waitForPosition` once the wait is over: the read side behind a position the log holds is "try
 * again" (503, READ_MODEL.BEHIND); a position the log does not hold is the client's mistake (400).
 * The runner and the store are stand-ins: the wait itself is the runner's (its own specs).
 */
describe('reports controller: waitForPosition', () => {
  const controllerWith = (head: bigint, reached: boolean) => {
    const reports = { build: jest.fn(async () => ({ kind: 'kpis' })) } as unknown as ReportService;
    const runner = { waitForPosition: async () => reached, unavailability: () => undefined } as unknown as ProjectionRunner;
    const store = { headPosition: async () => head } as unknown as EventStore;
    return { controller: new ReportsController(reports, runner, {} as LogIntegrityService, store), reports };
  };

  it('rule: a position the log holds that the read model has not reached in time answers READ_MODEL.BEHIND (503), nothing built', async () => {
    const { controller, reports } = controllerWith(120n, false);
    await expect(controller.report('kpis', { waitForPosition: '120' })).rejects.toBeInstanceOf(ReadModelBehindError);
    expect(reports.build).not.toHaveBeenCalled();
  });

  it('rule: a position past the log’s last one is refused naming waitForPosition (400), nothing built', async () => {
    const { controller, reports } = controllerWith(120n, false);
    const refused = await controller.report('kpis', { waitForPosition: '121' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputValidationError);
    expect((refused as InputValidationError).violations).toEqual([
      { field: 'waitForPosition', rule: 'isLoggedPosition', message: 'waitForPosition (121) dépasse la dernière position du journal (120) : donnez une position renvoyée par une commande' },
    ]);
    expect(reports.build).not.toHaveBeenCalled();
  });

  it('a position the read model reached: the report is built', async () => {
    const { controller, reports } = controllerWith(120n, true);
    await expect(controller.report('kpis', { waitForPosition: '120' })).resolves.toEqual({ kind: 'kpis' });
    expect(reports.build).toHaveBeenCalledTimes(1);
  });
});
