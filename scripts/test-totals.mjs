// Prints vitest's JSON report as the one line CI reads: "N passed, N failed".
// argv[3]: failed static checks (typecheck, lint), each counted as one failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  // Tests that failed, plus suites that failed to load (they hold tests that never ran).
  failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? 1 : 0);
} catch (err) {
  console.error(`no readable vitest report at ${file}: ${err.message}`);
  failed = 1;
}
failed += Number(process.argv[3] ?? 0);
console.log(`${passed} passed, ${failed} failed`);
