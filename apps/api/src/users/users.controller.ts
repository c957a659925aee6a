import { Actor, ForbiddenError, IdentityService, validateNoFields } from '@jalon/application';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth';
import { refuseCommandQuery } from '../commands/command-request';
import { routeQuery } from '../http/route-query';

type RawQuery = Readonly<Record<string, unknown>>;

/**
 * The actions on one user take everything from their address: a body with fields is refused
 * (validateNoFields), never ignored. They are commands on the users' stream and, like the
 * catalogue's, read nothing from the query (refuseCommandQuery); the lists read none either.
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
  @ApiOperation({ summary: 'Créer un utilisateur ; son jeton n’est affiché qu’une fois (administrateurs seulement)' })
  add(@Body() body: unknown, @Query() query: RawQuery, @CurrentActor() actor: Actor) {
    refuseCommandQuery(query);
    if (actor.role !== 'admin') throw new ForbiddenError(actor.role, 'de créer des utilisateurs');
    return this.identity.addUser(body, actor);
  }

  @Post(':userId/deactivation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Désactiver un utilisateur : son jeton est refusé à l’instant, ses sessions prennent fin (administrateurs seulement)' })
  deactivate(@Param('userId') userId: string, @Body() body: unknown, @Query() query: RawQuery, @CurrentActor() actor: Actor) {
    refuseCommandQuery(query);
    validateNoFields(body);
    return this.identity.deactivateUser(userId, actor);
  }

  @Post(':userId/reactivation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Réactiver un utilisateur, avec le jeton qu’il avait s’il n’a pas été révoqué (administrateurs seulement)' })
  reactivate(@Param('userId') userId: string, @Body() body: unknown, @Query() query: RawQuery, @CurrentActor() actor: Actor) {
    refuseCommandQuery(query);
    validateNoFields(body);
    return this.identity.reactivateUser(userId, actor);
  }

  @Post(':userId/token-revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Révoquer le jeton d’un utilisateur, sans le remplacer (administrateurs seulement)' })
  revokeToken(@Param('userId') userId: string, @Body() body: unknown, @Query() query: RawQuery, @CurrentActor() actor: Actor) {
    refuseCommandQuery(query);
    validateNoFields(body);
    return this.identity.revokeToken(userId, actor);
  }

  @Post(':userId/token-rotation')
  @HttpCode(201)
  @ApiOperation({ summary: 'Remplacer le jeton d’un utilisateur : le nouveau n’est affiché qu’une fois, l’ancien est révoqué (administrateurs seulement)' })
  rotateToken(@Param('userId') userId: string, @Body() body: unknown, @Query() query: RawQuery, @CurrentActor() actor: Actor) {
    refuseCommandQuery(query);
    validateNoFields(body);
    return this.identity.rotateToken(userId, actor);
  }
}
