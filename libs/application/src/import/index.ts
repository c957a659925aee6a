export * from './import-problems';
export * from './sheet-reader';
export * from './french-cells';
export * from './sheet-layouts';
export * from './sheet-template';
export * from './record-expenditures.command';
export * from './sheet-import.service';
