import { ERROR_MESSAGES, ErrorCode, isErrorCode } from '@jalon/application';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth';
import { PROBLEM_TYPE_PREFIX } from './problem-details';

/** What the `type` of a problem points to: the French wording of each error code. */
@ApiTags('erreurs')
@Public()
@Controller('api/problems')
export class ProblemsController {
  @Get()
  @ApiOperation({ summary: 'Les codes d’erreur de Jalon et leur libellé français' })
  list(): { type: string; code: ErrorCode; title: string }[] {
    return (Object.keys(ERROR_MESSAGES) as ErrorCode[]).sort().map((code) => this.describe(code));
  }

  @Get(':code')
  @ApiOperation({ summary: 'Un code d’erreur et son libellé français (le `type` d’une erreur y renvoie)' })
  @ApiParam({ name: 'code', schema: { type: 'string', pattern: '^[A-Z_]+\\.[A-Z0-9_]+$' } })
  one(@Param('code') code: string): { type: string; code: ErrorCode; title: string } {
    if (!isErrorCode(code)) throw new NotFoundException();
    return this.describe(code);
  }

  private describe(code: ErrorCode) {
    return { type: `${PROBLEM_TYPE_PREFIX}${code}`, code, title: ERROR_MESSAGES[code] };
  }
}
