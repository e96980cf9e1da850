export * from './config-error.ts';
export * from './load-config.ts';
export * from './settings.ts';
export * from './run-main.ts';
export * from './secret-match.ts';
