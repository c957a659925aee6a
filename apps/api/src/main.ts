import 'reflect-metadata';
import { loadConfig } from '@jalon/core';
import { startServer } from './server';

/** `node dist/apps/api/src/main.js`: the HTTP API alone, without the dashboard (`jalon serve` mounts both on one port). */
startServer(loadConfig()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
