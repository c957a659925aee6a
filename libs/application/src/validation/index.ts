export * from './nested.decorators';
export * from './rule-schemas';
export * from './text.decorators';
export * from './validate-input';
export * from './input-description';
export * from './slug-suggestion';
export * from './query-parameters';
