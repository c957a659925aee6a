export * from './document-error';
export * from './document-type';
export * from './document-store';
export * from './zip-directory';
