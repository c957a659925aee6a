export * from './report';
export * from './format/french';
export * from './render';
