/**
 * `tsx scripts/stage-runtime.ts <dest>`: the Dockerfile's build stage copies what the runtime
 * image needs (scripts/lib/runtime-files.ts) into <dest>/manifests and <dest>/app, after
 * `npm run generate` and `npm run build`.
 */
import path from 'node:path';
import { stageRuntime } from './lib/runtime-files.ts';

const dest = process.argv[2];
if (!dest) {
  console.error('usage: stage-runtime <dest>');
  process.exit(2);
}
try {
  const files = stageRuntime(path.resolve(dest));
  console.log(
    `stage-runtime: ${files.manifests.length} manifests, ${files.app.length} application files in ${dest}`,
  );
} catch (error) {
  console.error(`stage-runtime: ${(error as Error).message}`);
  process.exit(1);
}
