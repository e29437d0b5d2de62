// Prints what a page pays, minified and gzipped, for each entry of the
// package (bundled with lit, dompurify and the date-fns parts it uses).
// With --check, exits non-zero when an element entry is over its budget.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const kb = 1024;
// Budgets in bytes. Entries without one are printed for information only
// (the adapters are separate entries, not paid by a page that brings its own).
const budgets = { '.': 45 * kb, './request-toast.js': 12 * kb, './error-banner.js': 12 * kb };

const { exports } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
const entries = Object.entries(exports).filter(([, target]) => typeof target === 'object');

const rows = [];
for (const [entry, target] of entries) {
  const result = await build({
    entryPoints: [new URL(`.${target.default.slice(1)}`, new URL('../', import.meta.url)).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    conditions: ['production'],
    legalComments: 'none',
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const budget = budgets[entry];
  rows.push({ entry, min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, budget });
}

const format = (bytes) => `${(bytes / kb).toFixed(1)} KB`;
console.log('entry'.padEnd(28), 'minified'.padStart(10), 'gzipped'.padStart(10), 'budget'.padStart(10));
for (const { entry, min, gzip, budget } of rows) {
  const verdict = budget === undefined ? '' : gzip <= budget ? '  ok' : '  OVER BUDGET';
  console.log(entry.padEnd(28), format(min).padStart(10), format(gzip).padStart(10), (budget ? format(budget) : '—').padStart(10) + verdict);
}

const over = rows.filter(({ gzip, budget }) => budget !== undefined && gzip > budget);
if (process.argv.includes('--check') && over.length) {
  console.error(`\nSize budget exceeded: ${over.map((r) => r.entry).join(', ')}`);
  process.exit(1);
}
