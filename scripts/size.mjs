// Prints what a page pays, minified and gzipped, for each entry of the
// package, bundled with lit, dompurify and the date-fns parts it uses.
// English is built in; Danish and Vietnamese load on demand, only on pages
// that show them, so the budget is checked for what loads with the entry and
// each language is printed as what a page showing it pays on top. With
// --check, exits non-zero when an element entry is over its budget.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const kb = 1024;
// Budgets in bytes. Entries without one are printed for information only
// (the adapters are separate entries, not paid by a page that brings its own).
const budgets = { '.': 45 * kb, './request-toast.js': 12 * kb, './error-banner.js': 12 * kb };

const root = new URL('../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', root)));
// Entries with code: the JSX entries are types only, and the bundle is the
// same code as `.` and `./adapters` together (printed at the end).
const hasCode = (file) => readFileSync(new URL(file, root), 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '').trim() !== '';
const entries = Object.entries(exports).filter(([entry, target]) => typeof target === 'object' && entry !== './bundle.js' && hasCode(target.default));

const rows = [];
let languages = [];
for (const [entry, target] of entries) {
  const result = await build({
    entryPoints: [new URL(target.default, root).pathname],
    bundle: true,
    splitting: true,
    outdir: 'out',
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    conditions: ['production'],
    // React is the app's own (a peer dependency), not something the wrappers bring.
    external: ['react', 'react-dom'],
    legalComments: 'none',
    logLevel: 'error',
  });
  const gzipped = new Map(result.outputFiles.map((file) => [relative(process.cwd(), file.path), [file.contents.byteLength, gzipSync(file.contents, { level: 9 }).byteLength]]));
  const { outputs } = result.metafile;
  // The entry chunk and every chunk it imports statically: what loads with it.
  const loaded = new Set([Object.keys(outputs).find((path) => outputs[path].entryPoint)]);
  const lazy = new Set();
  for (const path of loaded) {
    for (const { path: target, kind } of outputs[path].imports) {
      if (!gzipped.has(target)) continue;
      (kind === 'dynamic-import' ? lazy : loaded).add(target);
    }
  }
  const sum = (paths, index) => [...paths].reduce((total, path) => total + gzipped.get(path)[index], 0);
  const extras = [...lazy].map((path) => {
    const language = Object.keys(outputs[path].inputs).map((input) => input.match(/translations\/(\w+)\./)?.[1]).find(Boolean);
    return { language: language ?? path, min: gzipped.get(path)[0], gzip: gzipped.get(path)[1] };
  });
  if (extras.length > languages.length) languages = extras;
  const largest = Math.max(0, ...extras.map((extra) => extra.gzip));
  rows.push({ entry, min: sum(loaded, 0), gzip: sum(loaded, 1), worst: sum(loaded, 1) + largest, budget: budgets[entry] });
}

const format = (bytes) => `${(bytes / kb).toFixed(1)} KB`;
console.log('entry'.padEnd(26), 'minified'.padStart(10), 'gzipped'.padStart(10), '+ language'.padStart(10), 'budget'.padStart(10));
for (const { entry, min, gzip, worst, budget } of rows) {
  const verdict = budget === undefined ? '' : gzip <= budget ? '  ok' : '  OVER BUDGET';
  console.log(entry.padEnd(26), format(min).padStart(10), format(gzip).padStart(10), format(worst).padStart(10), (budget ? format(budget) : '—').padStart(10) + verdict);
}
const bundle = readFileSync(new URL('dist/bundle.js', root));
console.log('./bundle.js (one file)'.padEnd(26), format(bundle.byteLength).padStart(10), format(gzipSync(bundle, { level: 9 }).byteLength).padStart(10), '(every element, the core, all languages and the adapters)');
console.log(`\nLanguages on demand, on top (gzipped): ${languages.map(({ language, gzip }) => `${language} ${format(gzip)}`).join(', ')}`);
console.log('"+ language": a page that also shows the largest of them. Budgets apply to "gzipped".');

const over = rows.filter(({ gzip, budget }) => budget !== undefined && gzip > budget);
if (process.argv.includes('--check') && over.length) {
  console.error(`\nSize budget exceeded: ${over.map((r) => r.entry).join(', ')}`);
  process.exit(1);
}
