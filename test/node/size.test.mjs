// `npm run size` measures what an app gets: it imports the package by name,
// so the figures come through package.json `exports` to dist/ (run `npm run
// build` first). A package whose `exports` lead elsewhere cannot be measured.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { measure } from '../../scripts/consumer-size.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const copies = [];

/** A copy of the package whose `exports` has `target` for `.`, with the real dist/ and dependencies. */
function packageWithRootExport(target) {
  const directory = mkdtempSync(join(tmpdir(), 'agent-console-size-'));
  copies.push(directory);
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ ...manifest, exports: { ...manifest.exports, '.': target } }));
  for (const name of ['dist', 'node_modules', 'custom-elements.json']) symlinkSync(join(root, name), join(directory, name));
  return directory;
}

before(() => assert.ok(existsSync(join(root, 'dist/index.js')), 'run `npm run build` first'));
after(() => copies.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

test('the root entry is measured as an app imports it: by name, through exports, to dist/', async () => {
  const { initial, onDemand, metafile } = await measure('.');
  assert.deepEqual(metafile.inputs['app.js'].imports, [{ path: 'dist/index.js', kind: 'import-statement', original: 'agent-console' }]);
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.includes('dist/components/agent-console/console.component.js'));
  assert.deepEqual(inputs.filter((input) => input.startsWith('src/')), []);
  assert.ok(initial.gzip > 20 * 1024);
  assert.deepEqual(onDemand.map(({ kind, name }) => `${kind} ${name}`).sort(), ['content check content check', 'language da', 'language vi', 'sanitiser sanitiser']);
});

test('a wrong exports target makes the measurement fail', async () => {
  const directory = packageWithRootExport({ types: './dist/index.d.ts', default: './dist/no-such-entry.js' });
  await assert.rejects(measure('.', { root: directory }), /Could not resolve "agent-console"/);
});

test("the exports conditions are a browser production build's", async () => {
  const missing = './dist/no-such-entry.js';
  const directory = packageWithRootExport({ node: missing, require: missing, development: missing, production: { browser: { import: { module: './dist/index.js' } } }, default: missing });
  const { metafile } = await measure('.', { root: directory });
  // dist/ is a link to the package's own, which esbuild follows as it follows an installed package.
  assert.match(metafile.inputs['app.js'].imports[0].path, /(^|\/)dist\/index\.js$/);
});
