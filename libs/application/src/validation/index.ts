export * from './text.decorators';
export * from './validate-input';
