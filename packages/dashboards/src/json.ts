// Dashboard JSON as the repository's prettier writes it (printWidth 100, 2 spaces), so the
// generated files pass `prettier --check` as they are: objects always expanded (prettier keeps
// an object broken when its source had a newline after `{`, which JSON.stringify always has),
// arrays of scalars on one line when they fit, anything else one element per line.
const PRINT_WIDTH = 100;
const INDENT = '  ';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isScalar = (v: Json) => v === null || typeof v !== 'object';

function print(v: Json, depth: number, prefix: string, suffix: string): string {
  const pad = INDENT.repeat(depth);
  if (isScalar(v)) return `${pad}${prefix}${JSON.stringify(v)}${suffix}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return `${pad}${prefix}[]${suffix}`;
    if (v.every(isScalar)) {
      const line = `${pad}${prefix}[${v.map((x) => JSON.stringify(x)).join(', ')}]${suffix}`;
      if (line.length <= PRINT_WIDTH) return line;
      // prettier fills long number arrays several per line; we never emit one.
      if (v.some((x) => typeof x === 'number')) throw new Error('long number arrays unsupported');
    }
    const items = v.map((x, i) => print(x, depth + 1, '', i < v.length - 1 ? ',' : ''));
    return [`${pad}${prefix}[`, ...items, `${pad}]${suffix}`].join('\n');
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return `${pad}${prefix}{}${suffix}`;
  const items = entries.map(([k, x], i) =>
    print(x, depth + 1, `${JSON.stringify(k)}: `, i < entries.length - 1 ? ',' : ''),
  );
  return [`${pad}${prefix}{`, ...items, `${pad}}${suffix}`].join('\n');
}

/** `value` as JSON text (functions and undefined members dropped, as JSON.stringify does). */
export function toPrettyJson(value: unknown): string {
  return `${print(JSON.parse(JSON.stringify(value)) as Json, 0, '', '')}\n`;
}
