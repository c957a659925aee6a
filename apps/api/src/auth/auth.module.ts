import { Global, Module } from '@nestjs/common';
import { FailedAuthenticationLimiter } from './failed-authentication-limiter';

/** What the bearer guard and the dashboard's sign-in share: one count of failed authentications per client. */
@Global()
@Module({ providers: [FailedAuthenticationLimiter], exports: [FailedAuthenticationLimiter] })
export class AuthModule {}
