// Prints the plain closing line CI reads ("N passed, N failed") from the JSON reports of Vitest
// (unit and integration tests) and Playwright (browser tests).
import { existsSync, readFileSync } from 'node:fs';

// Arguments: Vitest reports, then `--browser` and Playwright's report.
const args = process.argv.slice(2);
const browserAt = args.indexOf('--browser');
const vitestFiles = browserAt < 0 ? args : args.slice(0, browserAt);
const playwrightFile = browserAt < 0 ? undefined : args[browserAt + 1];
let passed = 0;
let failed = 0;
let skipped = 0;
let total = 0;
const parts = [];
/** Failed tests by name, printed last: CI keeps only the tail of the output. */
const failures = [];
// Vitest's messages carry terminal colours (ESC [ ... m).
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const firstLine = (text) =>
  String(text ?? '')
    .replace(ansi, '')
    .split('\n')
    .find((l) => l.trim()) ?? '';

for (const vitestFile of vitestFiles) {
  if (existsSync(vitestFile)) {
    const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    total += report.numTotalTests;
    parts.push(`vitest ${report.numPassedTests}/${report.numTotalTests}`);
    for (const file of report.testResults ?? []) {
      const name = file.name.replace(`${process.cwd()}/`, '');
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      for (const test of failedTests)
        failures.push(`${name} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      // A file that failed outside its tests (a hook, an import) has no failed test to name.
      if (file.status === 'failed' && failedTests.length === 0) {
        failures.push(`${name}: ${firstLine(file.message)}`);
        failed += 1;
      }
    }
  } else {
    failed += 1;
    parts.push(`vitest: no report ${vitestFile}`);
  }
}
if (playwrightFile) {
  if (existsSync(playwrightFile)) {
    const { stats } = JSON.parse(readFileSync(playwrightFile, 'utf8'));
    passed += stats.expected;
    failed += stats.unexpected + stats.flaky;
    skipped += stats.skipped;
    total += stats.expected + stats.unexpected + stats.flaky + stats.skipped;
    const walk = (suite, file) => {
      for (const spec of suite.specs ?? [])
        for (const test of spec.tests ?? [])
          if (test.status === 'unexpected' || test.status === 'flaky')
            failures.push(
              `${file} > ${spec.title}: ${firstLine(test.results?.at(-1)?.error?.message)}`,
            );
      for (const child of suite.suites ?? []) walk(child, file);
    };
    for (const suite of JSON.parse(readFileSync(playwrightFile, 'utf8')).suites ?? [])
      walk(suite, suite.file ?? suite.title);
    parts.push(
      `browser ${stats.expected}/${stats.expected + stats.unexpected + stats.flaky + stats.skipped}`,
    );
  } else {
    failed += 1;
    parts.push('browser: no report');
  }
}
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(
  `\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''} (${parts.join(', ')})`,
);
process.exit(failed > 0 || total === 0 ? 1 : 0);
