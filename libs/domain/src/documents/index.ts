export * from './document.events';
export * from './document.decide';
