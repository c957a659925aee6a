import { Actor, ForbiddenError, IdentityService, validateNoFields } from '@jalon/application';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentActor } from '../auth/auth';
import { refuseCommandQuery, refuseUserActionHeaders } from '../commands/command-request';
import { routeQuery } from '../http/route-query';

type RawQuery = Readonly<Record<string, unknown>>;

/** What an action on users reads of its request besides the body and the address: nothing (no query, none of the command headers). */
function refuseAllButBody(request: FastifyRequest): void {
  refuseCommandQuery(request.query as RawQuery);
  refuseUserActionHeaders(request);
}

/** The OpenAPI description of every action: the headers of the other commands it refuses, and why. */
const ACTION_HEADERS =
  'Ne prend ni `If-Match`, ni `If-None-Match`, ni `Idempotency-Key` (400 `INPUT.INVALID`, règle `notAccepted`, nommant l’en-tête) : ' +
  'ces actions ne renvoient pas de révision (ETag) et sont décidées sur l’état présent des utilisateurs, et une réponse qui porte un jeton ' +
  'ne peut pas être rejouée (seule l’empreinte du jeton est conservée). Avant de réessayer une action dont la réponse est perdue, consultez GET /api/users.';
const ACTION_REFUSED = 'Entrée invalide : un corps, un paramètre de requête, ou l’un des en-têtes If-Match, If-None-Match, Idempotency-Key';

/**
 * The actions on one user take everything from their address: a body with fields is refused
 * (validateNoFields), never ignored. They are commands on the users' stream and, like the
 * catalogue's, read nothing from the query (refuseCommandQuery); the lists read none either.
 * Unlike the catalogue's, they refuse `If-Match` and `Idempotency-Key` (refuseUserActionHeaders).
 */
@ApiBearerAuth()
@ApiTags('utilisateurs')
@Controller('api/users')
export class UsersController {
  constructor(private readonly identity: IdentityService) {}

  @Get('me')
  @ApiOperation({ summary: 'L’utilisateur du jeton présenté' })
  me(@Query() query: RawQuery, @CurrentActor() actor: Actor) {
    routeQuery(query, [], 'l’utilisateur du jeton');
    return actor;
  }

  @Get()
  @ApiOperation({ summary: 'Les utilisateurs (administrateurs seulement)' })
  list(@Query() query: RawQuery, @CurrentActor() actor: Actor) {
    routeQuery(query, [], 'la liste des utilisateurs');
    if (actor.role !== 'admin') throw new ForbiddenError(actor.role, 'de lister les utilisateurs');
    return this.identity.listUsers();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Créer un utilisateur ; son jeton n’est affiché qu’une fois (administrateurs seulement)', description: ACTION_HEADERS })
  @ApiResponse({ status: 400, description: ACTION_REFUSED })
  add(@Body() body: unknown, @Req() request: FastifyRequest, @CurrentActor() actor: Actor) {
    refuseAllButBody(request);
    if (actor.role !== 'admin') throw new ForbiddenError(actor.role, 'de créer des utilisateurs');
    return this.identity.addUser(body, actor);
  }

  @Post(':userId/deactivation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Désactiver un utilisateur : son jeton est refusé à l’instant, ses sessions prennent fin (administrateurs seulement)', description: ACTION_HEADERS })
  @ApiResponse({ status: 400, description: ACTION_REFUSED })
  deactivate(@Param('userId') userId: string, @Body() body: unknown, @Req() request: FastifyRequest, @CurrentActor() actor: Actor) {
    refuseAllButBody(request);
    validateNoFields(body);
    return this.identity.deactivateUser(userId, actor);
  }

  @Post(':userId/reactivation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Réactiver un utilisateur, avec le jeton qu’il avait s’il n’a pas été révoqué (administrateurs seulement)', description: ACTION_HEADERS })
  @ApiResponse({ status: 400, description: ACTION_REFUSED })
  reactivate(@Param('userId') userId: string, @Body() body: unknown, @Req() request: FastifyRequest, @CurrentActor() actor: Actor) {
    refuseAllButBody(request);
    validateNoFields(body);
    return this.identity.reactivateUser(userId, actor);
  }

  @Post(':userId/token-revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Révoquer le jeton d’un utilisateur, sans le remplacer (administrateurs seulement)', description: ACTION_HEADERS })
  @ApiResponse({ status: 400, description: ACTION_REFUSED })
  revokeToken(@Param('userId') userId: string, @Body() body: unknown, @Req() request: FastifyRequest, @CurrentActor() actor: Actor) {
    refuseAllButBody(request);
    validateNoFields(body);
    return this.identity.revokeToken(userId, actor);
  }

  @Post(':userId/token-rotation')
  @HttpCode(201)
  @ApiOperation({ summary: 'Remplacer le jeton d’un utilisateur : le nouveau n’est affiché qu’une fois, l’ancien est révoqué (administrateurs seulement)', description: ACTION_HEADERS })
  @ApiResponse({ status: 400, description: ACTION_REFUSED })
  rotateToken(@Param('userId') userId: string, @Body() body: unknown, @Req() request: FastifyRequest, @CurrentActor() actor: Actor) {
    refuseAllButBody(request);
    validateNoFields(body);
    return this.identity.rotateToken(userId, actor);
  }
}
