// `npm run size`: what a page pays, minified and gzipped, for each entry of
// the package, bundled with Lit, DOMPurify and the date-fns parts it uses, and
// the same for the single-file bundle. It writes the table into README.md.
//
// English is built in; Danish and Vietnamese load on demand, only on pages
// that show them. The content check of attached files loads with the first
// file an agent attaches. DOMPurify loads after the first frame, when a pane is
// shown, but every page with a pane loads it, so budgets apply to everything
// an English page loads: the entry and the sanitiser. With --check (part of
// npm test) it writes nothing and exits non-zero when an entry is over its
// budget or the README's figures are not these.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFigures, writeFigures } from './readme-figures.mjs';

const kb = 1024;
// Budgets in bytes. Entries without one are printed for information only
// (the adapters are separate entries, not paid by a page that brings its own).
// The root entry's budget rose from 45 KB to 46.5 KB with the unsent messages
// kept across reloads, channel capabilities and the shared controllers; the
// content check moved out of it, to load with the first attached file.
const budgets = { '.': 46.5 * kb, './request-toast.js': 12 * kb, './error-banner.js': 12 * kb };

const root = new URL('../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', root)));
const code = (file) => readFileSync(new URL(file, root), 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '').trim();
// Entries with code: the JSX entries are types only; the bundle is measured as the one file it is.
const entries = Object.entries(exports).filter(([entry, target]) => typeof target === 'object' && entry !== './bundle.js' && code(target.default));
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).byteLength;

const rows = [];
const languages = new Map();
// The content check of attached files loads with the first file an agent attaches.
let fileCheck = 0;
for (const [entry, target] of entries) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(target.default, root))],
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
  const sizes = new Map(result.outputFiles.map((file) => [relative(process.cwd(), file.path), { min: file.contents.byteLength, gzip: gzip(file.contents) }]));
  const { outputs } = result.metafile;
  // The entry chunk and every chunk it imports statically: what loads with it.
  const loaded = new Set([Object.keys(outputs).find((path) => outputs[path].entryPoint)]);
  const lazy = new Set();
  for (const path of loaded) {
    for (const { path: chunk, kind } of outputs[path].imports) if (sizes.has(chunk)) (kind === 'dynamic-import' ? lazy : loaded).add(chunk);
  }
  const sum = (paths, key) => [...paths].reduce((total, path) => total + sizes.get(path)[key], 0);
  let sanitizer = 0;
  let language = 0;
  for (const path of lazy) {
    const name = Object.keys(outputs[path].inputs).map((input) => input.match(/translations\/(\w+)\./)?.[1]).find(Boolean);
    if (name) {
      languages.set(name, sizes.get(path).gzip);
      language = Math.max(language, sizes.get(path).gzip);
    } else if (Object.keys(outputs[path].inputs).some((input) => input.includes('dompurify'))) sanitizer += sizes.get(path).gzip;
    else if (Object.keys(outputs[path].inputs).some((input) => input.endsWith('core/sniff.js'))) fileCheck = sizes.get(path).gzip;
    else throw new Error(`${entry} loads ${path} on demand, which is neither a language nor the sanitiser.`);
  }
  const first = sum(loaded, 'gzip');
  rows.push({ entry, min: sum(loaded, 'min'), first, total: first + sanitizer, language, budget: budgets[entry] });
}

const format = (bytes) => (bytes ? `${(bytes / kb).toFixed(1)} KB` : '—');
const bundle = readFileSync(new URL('dist/bundle.js', root));
const table = [
  '| entry | minified | gzipped, first frame | gzipped, with the sanitiser | + a language | budget |',
  '| --- | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(({ entry, min, first, total, language, budget }) => {
    const verdict = budget === undefined ? '—' : `${format(budget)} ${total <= budget ? 'ok' : '**over**'}`;
    return `| \`${entry}\` | ${format(min)} | ${format(first)} | ${format(total)} | ${format(language)} | ${verdict} |`;
  }),
  `| \`./bundle.js\` (one file: everything, all languages, the adapters) | ${format(bundle.byteLength)} | ${format(gzip(bundle))} | ${format(gzip(bundle))} | — | — |`,
  '',
  `"With the sanitiser": what an English page loads in all (DOMPurify follows the first frame); budgets apply to it. ` +
    `Languages on demand, gzipped: ${[...languages].map(([name, bytes]) => `${name} ${format(bytes)}`).join(', ')}. ` +
    `The content check of attached files loads with the first file the agent attaches: ${format(fileCheck)}.`,
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
