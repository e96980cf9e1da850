import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePrismaConfig } from '../src/prisma-config.ts';

export default definePrismaConfig(path.dirname(fileURLToPath(import.meta.url)));
