import { CommandResult, commandNamed, IdempotencyService, KeyedExecution } from '@jalon/application';
import { RunCommand } from '@jalon/core';
import { Controller, Post, Req, Res, Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth';
import { header } from '../http/request-header';
import { commandInputOf, executeOptionsOf } from './command-request';
import { CommandRoute, pathParametersOf } from './command-routes';

/**
 * Builds the controller that exposes every command of the catalogue at its route. Each route is
 * a thin adapter: read the request, send `RunCommand` on the command bus (through the
 * idempotency record when an `Idempotency-Key` is given), answer 201 when events were written
 * and 200 when the command was a repeat that changed nothing.
 */
export function createCommandsController(routes: readonly CommandRoute[]): Type<unknown> {
  @ApiBearerAuth()
  @Controller('api')
  class CommandsController {
    constructor(
      readonly commandBus: CommandBus,
      readonly idempotency: IdempotencyService,
    ) {}

    async run(route: CommandRoute, parameters: readonly string[], request: AuthenticatedRequest, response: FastifyReply): Promise<CommandResult & { ids?: Record<string, string> }> {
      const name = route.command;
      const input = commandInputOf(request, parameters);
      const options = executeOptionsOf(request);
      const send = (keyed?: KeyedExecution) =>
        this.commandBus.execute<RunCommand, CommandResult>(new RunCommand(name, input, request.actor, keyed ? { ...options, ...keyed } : options));
      const key = header(request, 'idempotency-key');
      const outcome = key === undefined ? { result: await send(), replayed: false } : await this.idempotency.run(request.actor, key, { command: name, input }, send);
      // A replay answers the first result as it was; that it is one is said by a header.
      const { replayed: _flag, ...result } = outcome.result;
      const replayed = outcome.replayed;
      response.status(result.written ? 201 : 200);
      if (result.nextExpectedRevision !== 'no_stream') response.header('ETag', `"${result.nextExpectedRevision}"`);
      if (replayed) response.header('Idempotency-Replayed', 'true');
      // The input was valid (the command ran): the ids it derives can be read from it.
      const created = Object.entries(route.createdIds ?? {});
      if (created.length === 0 || typeof input !== 'object' || input === null) return result;
      return { ...result, ids: Object.fromEntries(created.map(([id, { of }]) => [id, of(input as Record<string, unknown>)])) };
    }
  }

  const prototype = CommandsController.prototype as unknown as Record<string, unknown>;
  for (const route of routes) {
    const definition = commandNamed(route.command);
    const parameters = pathParametersOf(route.path);
    prototype[route.command] = function (this: CommandsController, request: AuthenticatedRequest, response: FastifyReply) {
      return this.run(route, parameters, request, response);
    };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, route.command)!;
    const decorators: MethodDecorator[] = [
      Post(route.path),
      ApiTags(route.tag),
      ApiOperation({ operationId: route.command, summary: definition.summary, description: `Commande \`${route.command}\`. Rôles autorisés : ${definition.roles.join(', ')}.` }),
      ApiBody({ schema: { $ref: `#/components/schemas/${route.command}Body` } }),
      ...parameters.map((name) => ApiParam({ name, type: String })),
      ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Rejouer la même requête avec la même clé renvoie le premier résultat sans rien écrire.' }),
      ApiHeader({ name: 'If-Match', required: false, description: 'Révision attendue du flux (valeur de l’en-tête ETag reçu) : 409 si le flux a changé.' }),
      ApiResponse({ status: 201, description: 'Événements enregistrés' }),
      ApiResponse({ status: 200, description: 'Commande répétée : rien de nouveau à enregistrer' }),
      ApiResponse({ status: 400, description: 'Entrée invalide (un message par champ et par règle), rien n’est écrit' }),
      ApiResponse({ status: 401, description: 'Jeton absent ou inconnu' }),
      ApiResponse({ status: 403, description: 'Rôle non autorisé pour cette commande' }),
      ApiResponse({ status: 404, description: 'Élément introuvable' }),
      ApiResponse({ status: 409, description: 'Conflit avec ce qui est déjà enregistré, ou révision périmée' }),
      ApiResponse({ status: 422, description: 'Règle métier non respectée (code stable)' }),
    ];
    for (const decorate of decorators) decorate(prototype, route.command, descriptor);
    Req()(prototype, route.command, 0);
    Res({ passthrough: true })(prototype, route.command, 1);
  }
  return CommandsController;
}
