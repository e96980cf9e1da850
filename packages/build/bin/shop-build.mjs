#!/usr/bin/env node
// `shop-build [src/main.ts ...]`: an application workspace's `build` script (see src/build.mjs).
import { buildEntry } from '../src/build.mjs';

const entries = process.argv.slice(2);
try {
  for (const entry of entries.length ? entries : ['src/main.ts'])
    console.log(`built ${await buildEntry(entry)}`);
} catch (error) {
  // esbuild has printed the details already; one line says which build stopped.
  console.error(`shop-build: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  process.exit(1);
}
