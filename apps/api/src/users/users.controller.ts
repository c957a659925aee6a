import { Actor, ForbiddenError, IdentityService } from '@jalon/application';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth';

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
}
