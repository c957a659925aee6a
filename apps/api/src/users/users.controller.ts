import { Actor, ForbiddenError, IdentityService, validateNoFields } from '@jalon/application';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth';

/** The actions on one user take everything from their address: a body with fields is refused (validateNoFields), never ignored. */
@ApiBearerAuth()
@ApiTags('utilisateurs')
@Controller('api/users')
export class UsersController {
  constructor(private readonly identity: IdentityService) {}

  @Get('me')
  @ApiOperation({ summary: 'L’utilisateur du jeton présenté' })
  me(@CurrentActor() actor: Actor) {
    return actor;
  }

  @Get()
  @ApiOperation({ summary: 'Les utilisateurs (administrateurs seulement)' })
  list(@CurrentActor() actor: Actor) {
    if (actor.role !== 'admin') throw new ForbiddenError(actor.role, 'de lister les utilisateurs');
    return this.identity.listUsers();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Créer un utilisateur ; son jeton n’est affiché qu’une fois (administrateurs seulement)' })
  add(@Body() body: unknown, @CurrentActor() actor: Actor) {
    if (actor.role !== 'admin') throw new ForbiddenError(actor.role, 'de créer des utilisateurs');
    return this.identity.addUser(body, actor);
  }

  @Post(':userId/deactivation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Désactiver un utilisateur : son jeton est refusé à l’instant, ses sessions prennent fin (administrateurs seulement)' })
  deactivate(@Param('userId') userId: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    validateNoFields(body);
    return this.identity.deactivateUser(userId, actor);
  }

  @Post(':userId/reactivation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Réactiver un utilisateur, avec le jeton qu’il avait s’il n’a pas été révoqué (administrateurs seulement)' })
  reactivate(@Param('userId') userId: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    validateNoFields(body);
    return this.identity.reactivateUser(userId, actor);
  }

  @Post(':userId/token-revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Révoquer le jeton d’un utilisateur, sans le remplacer (administrateurs seulement)' })
  revokeToken(@Param('userId') userId: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    validateNoFields(body);
    return this.identity.revokeToken(userId, actor);
  }

  @Post(':userId/token-rotation')
  @HttpCode(201)
  @ApiOperation({ summary: 'Remplacer le jeton d’un utilisateur : le nouveau n’est affiché qu’une fois, l’ancien est révoqué (administrateurs seulement)' })
  rotateToken(@Param('userId') userId: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    validateNoFields(body);
    return this.identity.rotateToken(userId, actor);
  }
}
