import { generateAll } from '../src/generate.ts';

await generateAll((line) => console.log(line), process.argv.includes('--force'));
