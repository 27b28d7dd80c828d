#!/usr/bin/env node
// Sums the vitest JSON reports of every workspace package into the one line CI reads:
// `N passed, N failed` (plus `, N skipped` if any). A package with a test script but no report
// (it crashed before reporting) counts as one failure. Extra checks can be added with
// `--check name=pass|fail` (lint, typecheck). Exits 1 when anything failed or was skipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

for (const group of ['packages', 'apps']) {
  const directory = join(root, group);
  if (!existsSync(directory)) continue;
  for (const name of readdirSync(directory)) {
    const manifestPath = join(directory, name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (!manifest.scripts?.test) continue;
    const reportPath = join(directory, name, '.reports', 'vitest.json');
    if (!existsSync(reportPath)) {
      failed++;
      problems.push(`${manifest.name}: no test report (the test run did not complete)`);
      continue;
    }
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load has no tests but failed as a suite.
    const brokenSuites = (report.testResults ?? []).filter(
      (suite) => suite.status === 'failed' && suite.assertionResults?.length === 0,
    );
    failed += brokenSuites.length;
    for (const suite of brokenSuites)
      problems.push(`${manifest.name}: ${suite.name} failed to run: ${suite.message ?? ''}`.slice(0, 300));
    if (report.numFailedTests > 0) problems.push(`${manifest.name}: ${report.numFailedTests} failed`);
  }
}

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--check') continue;
  const [name, outcome] = (args[++i] ?? '').split('=');
  if (outcome === 'pass') passed++;
  else {
    failed++;
    problems.push(`${name}: failed`);
  }
}

for (const problem of problems) console.log(`- ${problem}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || skipped > 0 ? 1 : 0);
