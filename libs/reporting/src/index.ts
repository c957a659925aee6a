export * from './report';
export * from './format/french';
export * from './render';
export * from './wording/history-events';
export * from './wording/history-labels';
export * from './wording/history-sentences';
export * from './wording/labels';
export * from './wording/report-messages';
