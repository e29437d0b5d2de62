// `npm run size`: what a page pays, minified and gzipped, for each entry of
// the package, measured as an app gets it (scripts/consumer-size.mjs): a
// one-line app imports the entry by its package name, so esbuild resolves it
// through package.json `exports` to dist/ with a browser production build's
// conditions (browser, import, default, module, production); it mounts the
// entry's element (`.`: one `<agent-console>`) or keeps every export; the
// build is bundled, code-split and minified, and each file gzipped -9 on its
// own. It writes the table into README.md; the single-file bundle is measured
// as the one file it is.
//
// What loads with the first frame is the app's chunk and its static imports.
// Loaded on demand: Danish and Vietnamese, only on pages that show them; the
// content check of attached files, with the first file an agent attaches;
// DOMPurify, after the first frame when a pane is shown. Every page with a pane
// loads the sanitiser, so budgets apply to the first frame plus the sanitiser.
// Anything else that loads on demand is listed by the module it starts from.
// With --check (part of npm test) it writes nothing and exits non-zero when an
// entry is over its budget or the README's figures are not these.
//
// Why an app's bundle of `import 'agent-console'`, one console mounted, once
// came to 48.4 KB where this script said 44.5 KB: the app's set-up was not
// recorded, but on the build of that time (commit 3af0918: entry chunk 44.5,
// DOMPurify still inside it) the first frame measures the same both ways
// (44.3 through `exports`: dist/ either way), and the gap is in what was
// counted. Summing every file the app's build writes adds both languages,
// which an English page never loads (47.8); no code splitting inlines them
// (47.4); bundling for Node (`platform: 'node'`: Lit's `node` condition
// brings its DOM shim) gives 47.8; Lit's `development` condition 48.8. On
// today's build (first frame 34.7, with the sanitiser 46.3) those weigh: every
// written file 51.3, no splitting 50.5, Node +3.5, `development` +4.3. What
// weighs nothing or less: building dist/index.js as the entry point, as this
// script used to, keeps every export (+0.2); the `production` condition
// changes no file (no dependency has one; Lit picks its builds by
// `development`); tslib comes once, as its ES module; date-fns resolves to its
// per-function ES modules; an app gets dist/, not src/ (src/index.ts through
// esbuild would be +1.0: its own decorator helpers); `agent-console/bundle.js`
// is a separate, self-contained file no `import 'agent-console'` reaches.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { measure } from './consumer-size.mjs';
import { readFigures, writeFigures } from './readme-figures.mjs';

const kb = 1024;
// Budgets in bytes, for the first frame with the sanitiser. Entries without one
// are printed for information only (the adapters are separate entries, not
// paid by a page that brings its own). The root entry's budget is the whole
// kit as an app bundles it, one console mounted. Raised from 50 KB and 12 KB
// when the console learnt Facebook as it is (edits, replies, reactions,
// handover, link and location rows, avatars, error codes: 4.4 KB together);
// to win back: an English table per entry, and the rarely used parts on demand.
const budgets = { '.': 53 * kb, './request-toast.js': 12.5 * kb, './error-banner.js': 12 * kb };

const root = new URL('../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', root)));
const code = (file) => readFileSync(new URL(file, root), 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '').trim();
// Entries with code: the JSX entries are types only; the bundle is measured as the one file it is.
const entries = Object.entries(exports).filter(([entry, target]) => typeof target === 'object' && entry !== './bundle.js' && code(target.default));

const format = (bytes) => (bytes ? `${(bytes / kb).toFixed(1)} KB` : '—');
const rows = [];
const languages = new Map();
for (const [entry] of entries) {
  const { initial, onDemand } = await measure(entry);
  const sanitizer = onDemand.filter(({ kind }) => kind === 'sanitiser').reduce((sum, { gzip }) => sum + gzip, 0);
  for (const { kind, name, gzip } of onDemand) if (kind === 'language') languages.set(name, gzip);
  const later = onDemand.filter(({ kind }) => kind !== 'sanitiser').map(({ name, gzip }) => `${name} ${format(gzip)}`);
  rows.push({ entry, min: initial.min, first: initial.gzip, total: initial.gzip + sanitizer, later, budget: budgets[entry] });
}

const bundle = readFileSync(new URL(exports['./bundle.js'].default, root));
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).byteLength;
const table = [
  '| entry | minified | gzipped, first frame | gzipped, with the sanitiser | on demand, gzipped | budget |',
  '| --- | ---: | ---: | ---: | --- | --- |',
  ...rows.map(({ entry, min, first, total, later, budget }) => {
    const verdict = budget === undefined ? '—' : `${format(budget)} ${total <= budget ? 'ok' : '**over**'}`;
    return `| \`${entry}\` | ${format(min)} | ${format(first)} | ${format(total)} | ${later.sort().join(', ') || '—'} | ${verdict} |`;
  }),
  `| \`./bundle.js\` (one file: everything, all languages, the adapters) | ${format(bundle.byteLength)} | ${format(gzip(bundle))} | ${format(gzip(bundle))} | — | — |`,
  '',
  'Measured as an app bundles the package: it imports the entry by name, through `exports`, and mounts its element ' +
    '(`.`: one `<agent-console>`) or keeps every export; esbuild with code splitting, minified, each file gzipped -9. ' +
    `"With the sanitiser": what an English page loads in all (DOMPurify follows the first frame); budgets apply to it. ` +
    `On demand: ${[...languages.keys()].sort().join(' and ')} on pages that show them; the content check with the first file the agent attaches.`,
  '',
].join('\n');

console.log(table);
const over = rows.filter(({ total, budget }) => budget !== undefined && total > budget);
if (process.argv.includes('--check')) {
  const problems = over.map(({ entry, total, budget }) => `${entry} is ${format(total)} gzipped, over its budget of ${format(budget)}.`);
  if (readFigures('size') !== table) problems.push('README.md shows other size figures than these: run `npm run size` to write them.');
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
} else {
  writeFigures('size', table);
  console.log('Written to README.md.');
  if (over.length) process.exitCode = 1;
}
