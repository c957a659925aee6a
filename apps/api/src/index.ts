export * from './create-api-app';
export * from './server';
export * from './errors/error-mapping';
export { logServerError } from './errors/http-error.filter';
export { problemOf } from './errors/problem-details';
export type { ProblemDetails } from './errors/problem-details';
// What an app mounted on the API's port (apps/web) uses of it.
export * from './http/http-extension';
export { header } from './http/request-header';
export { routeQuery } from './http/route-query';
export { Public } from './auth/auth';
export { FailedAuthenticationLimiter, TooManyFailedAuthenticationsError } from './auth/failed-authentication-limiter';
export { AcceptsMultipart, FileTooLargeError, readMultipart } from './http/multipart';
export type { MultipartForm } from './http/multipart';
export { storedDocumentHeaders } from './http/document-download';
export { PAGE_HEADERS } from './http/security-headers';
