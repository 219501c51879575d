// Writes the dashboards into the repository's dashboards/ folder (or --out DIR).
//   node packages/dashboards/dist/bin/generate.js [--out DIR] [--runbook-url URL] [--tps-capacity N]
// The committed files are generated with the defaults; a deployment that serves the runbooks
// elsewhere or has another bind capacity generates its own copy with the flags.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDashboards, DEFAULT_OPTIONS } from '../dashboards.js';
import { toPrettyJson } from '../json.js';

// src/bin and dist/bin sit at the same depth: the repository root is four levels up.
const REPO_DASHBOARDS = fileURLToPath(new URL('../../../../dashboards/', import.meta.url));

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: REPO_DASHBOARDS },
    'runbook-url': { type: 'string', default: DEFAULT_OPTIONS.runbookUrl },
    'tps-capacity': { type: 'string', default: String(DEFAULT_OPTIONS.tpsCapacity) },
  },
});
const tpsCapacity = Number(values['tps-capacity']);
if (!(Number.isFinite(tpsCapacity) && tpsCapacity > 0)) {
  console.error(`--tps-capacity must be a positive number, got ${values['tps-capacity']}`);
  process.exit(2);
}

await mkdir(values.out, { recursive: true });
for (const { file, dashboard } of buildDashboards({
  runbookUrl: values['runbook-url'],
  tpsCapacity,
})) {
  const path = join(values.out, file);
  await writeFile(path, toPrettyJson(dashboard));
  console.log(`wrote ${path}`);
}
