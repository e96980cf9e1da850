// Prints the plain closing line CI reads ("N passed, N failed") from the JSON reports of Vitest
// (unit and integration tests) and Playwright (browser tests).
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let total = 0;
const parts = [];

if (vitestFile && existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  total += report.numTotalTests;
  parts.push(`vitest ${report.numPassedTests}/${report.numTotalTests}`);
} else {
  failed += 1;
  parts.push('vitest: no report');
}
if (playwrightFile) {
  if (existsSync(playwrightFile)) {
    const { stats } = JSON.parse(readFileSync(playwrightFile, 'utf8'));
    passed += stats.expected;
    failed += stats.unexpected + stats.flaky;
    skipped += stats.skipped;
    total += stats.expected + stats.unexpected + stats.flaky + stats.skipped;
    parts.push(
      `browser ${stats.expected}/${stats.expected + stats.unexpected + stats.flaky + stats.skipped}`,
    );
  } else {
    failed += 1;
    parts.push('browser: no report');
  }
}
console.log(
  `\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''} (${parts.join(', ')})`,
);
process.exit(failed > 0 || total === 0 ? 1 : 0);
