// Prints the fault matrix's figures (test-results/faults/*.json, written by each row of
// `pnpm test:faults`) as the Markdown table kept in docs/reliability.md.
import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('../test-results/faults/', import.meta.url);
let rows = [];
try {
  rows = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
} catch {
  console.error('no figures: run the fault matrix first (pnpm test:faults)');
  process.exit(1);
}
const cols = [
  ['row', (r) => `\`${r.row}\``],
  ['fault', (r) => r.faults],
  ['messages', (r) => r.messages],
  ['lost', (r) => r.lost],
  ['doubled', (r) => r.doubled],
  ['conflicts → DLQ', (r) => r.conflictsToDlq],
  ['invalid → DLQ', (r) => r.invalidToDlq],
  ['winner copies → DLQ', (r) => r.winnerCopiesToDlq],
  ['redeliveries', (r) => r.redeliveries],
  ['max backlog', (r) => r.maxPending],
  ['recovery (s)', (r) => (r.recoverySeconds === null ? '—' : r.recoverySeconds.toFixed(1))],
  ['consumer processes', (r) => r.consumerProcesses],
];
console.log(`| ${cols.map(([h]) => h).join(' | ')} |`);
console.log(`| ${cols.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${cols.map(([, f]) => f(r)).join(' | ')} |`);
