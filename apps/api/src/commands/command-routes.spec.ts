import { COMMANDS } from '@jalon/application';
import { getMetadataStorage } from 'class-validator';
import { COMMAND_ROUTES, pathParametersOf } from './command-routes';

describe('command routes', () => {
  it('rule: every command of the catalogue has exactly one route, and every route a command', () => {
    expect(COMMAND_ROUTES.map((route) => route.command).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
    expect(new Set(COMMAND_ROUTES.map((route) => route.path)).size).toBe(COMMAND_ROUTES.length);
  });

  it('rule: every path parameter is a validated field of its command’s input', () => {
    for (const route of COMMAND_ROUTES) {
      const definition = COMMANDS.find((command) => command.name === route.command)!;
      const fields = getMetadataStorage()
        .getTargetValidationMetadatas(definition.input, '', true, false)
        .map((metadata) => metadata.propertyName);
      for (const parameter of pathParametersOf(route.path)) expect({ route: route.path, fields }).toEqual({ route: route.path, fields: expect.arrayContaining([parameter]) });
    }
  });
});
