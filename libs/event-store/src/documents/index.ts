export * from './document-error';
export * from './document-type';
export * from './document-store';
