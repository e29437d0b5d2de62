// Every JavaScript entry of the package loads where there is no DOM — a
// server renderer (Next.js, Astro, Nuxt), a worker, a plain Node script — and
// registers elements only where a custom element registry exists. Each entry
// is imported in a fresh Node process by the package's own name, as a
// consumer's code would, so one entry cannot lean on another loaded before it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

const fileOf = (target) => (typeof target === 'string' ? target : (target.import ?? target.default));
const entries = Object.entries(pkg.exports)
  // An entry with a `node` target of its own (the single-file bundle) is a
  // browser build: Node and server renderers get that target instead.
  .map(([key, target]) => ({
    key,
    file: fileOf(target),
    files: typeof target === 'string' ? [target] : [...new Set(Object.entries(target).filter(([condition]) => condition !== 'types').map(([, file]) => file))],
    browserBuild: typeof target === 'object' && !!target.node && target.node !== target.default,
  }))
  .filter(({ file }) => file.endsWith('.js'));
const specifier = (key) => pkg.name + key.slice(1);
// A types-only entry (the JSX types) ships an empty module, so a plain import of it is harmless.
const typesOnly = ({ file }) => readFileSync(`${root}${file}`, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '').trim() === '';

const tags = [
  ...new Set(
    JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'))
      .modules.flatMap((module) => module.declarations ?? [])
      .map((declaration) => declaration.tagName)
      .filter(Boolean),
  ),
];
// What an entry registers: the root, the React wrappers and the bundle every
// element; `./x.js` <agent-x> (and the elements it is made of); the rest none.
const registersAll = new Set(['.', './react', './bundle.js']);
const registers = ({ key }) => {
  if (registersAll.has(key)) return { all: tags };
  const tag = `agent-${key.slice(2).replace(/\.js$/, '')}`;
  return tags.includes(tag) ? { atLeast: [tag] } : { all: [] };
};

// Browser globals that no module of ours may read while it loads. Reads from
// our own files (dist/, src/) are recorded; Lit's own checks are its business.
// `customElements` is left out: registering where it exists is the point.
const browserGlobals = [
  'window', 'self', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage',
  'indexedDB', 'matchMedia', 'getComputedStyle', 'requestAnimationFrame', 'requestIdleCallback',
  'ResizeObserver', 'MutationObserver', 'IntersectionObserver', 'BroadcastChannel', 'Notification',
  'HTMLElement', 'Element', 'Node', 'ShadowRoot', 'CSSStyleSheet', 'DOMParser', 'FileReader',
];

// Runs in the child: watches the globals, imports the entry, reports.
// With `default`, the resolver drops the `node` condition, so Lit's browser
// build loads instead of its Node build (which brings a DOM shim and a
// `customElements` registry); that build needs only `HTMLElement` and
// `document.createTreeWalker` to load, so those two are stubbed for Lit.
const child = `
import { register } from 'node:module';
const [specifier, condition, watched, ours] = process.argv.slice(1).map((arg) => JSON.parse(arg));
const touched = new Set();
let loading = true;
for (const name of watched) {
  let value = globalThis[name];
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get: function read() {
      const site = {};
      Error.captureStackTrace(site, read);
      const caller = site.stack.split('\\n')[1] ?? '';
      if (loading && ours.some((folder) => caller.includes(folder))) touched.add(name + ' ' + caller.trim());
      return value;
    },
    set(next) { value = next; },
  });
}
if (condition === 'default') {
  const hooks = 'export async function resolve(specifier, context, next) {' +
    " return next(specifier, { ...context, conditions: context.conditions.filter((c) => c !== 'node') }); }";
  register('data:text/javascript,' + encodeURIComponent(hooks));
  globalThis.HTMLElement = class HTMLElement {};
  globalThis.document = { createTreeWalker: () => ({}) };
}
const entry = await import(specifier);
loading = false;
const registry = globalThis.customElements;
process.stdout.write(JSON.stringify({
  exports: Object.keys(entry),
  registry: typeof registry,
  registered: ${JSON.stringify(tags)}.filter((tag) => registry?.get(tag)),
  touched: [...touched],
}));
`;

async function load(key, condition) {
  const ours = [`${root}dist/`, `${root}src/`].map((folder) => pathToFileURL(folder).href);
  const args = [specifier(key), condition, browserGlobals, ours].map((arg) => JSON.stringify(arg));
  // cwd is the package root, so the package's own name resolves (self-reference).
  const options = { cwd: root, timeout: 30_000 };
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', child, ...args], options).catch((error) => {
    throw new Error(`importing ${args[0]} failed:\n${error.stderr || error.message}`);
  });
  return JSON.parse(stdout);
}

describe('entries without a DOM', { concurrency: 2 }, () => {
  it('covers the root, the adapters and every entry that registers elements', () => {
    const keys = entries.map(({ key }) => key);
    for (const key of ['.', './adapters', './adapters/contract.js']) assert.ok(keys.includes(key), `exports has ${key}`);
    assert.ok(tags.includes('agent-console'), 'custom-elements.json lists the elements');
  });

  it('lists every file of an entry that registers elements in sideEffects, so bundlers keep `import "agent-console/…"`', () => {
    for (const entry of entries) {
      const expected = registers(entry);
      if (!(expected.atLeast ?? expected.all).length) continue;
      for (const file of entry.files) assert.ok(pkg.sideEffects.includes(file), `sideEffects lists ${file} (${specifier(entry.key)})`);
    }
    assert.ok(pkg.sideEffects.includes('./themes/*.css'), 'a stylesheet import is a side effect too');
  });

  for (const entry of entries) {
    const built = existsSync(`${root}${entry.file}`);

    it(`${specifier(entry.key)} loads in Node, with Lit's Node build`, async () => {
      assert.ok(built, `${entry.file} exists after npm run build`);
      const result = await load(entry.key, 'node');
      if (!typesOnly(entry)) assert.ok(result.exports.length > 0, 'it exports something');
      assert.deepEqual(result.touched, [], 'no browser global is read while it loads');
      // Lit's Node build brings a registry of its own; the elements go there.
      const { all, atLeast } = registers(entry);
      if (all) assert.deepEqual(result.registered.sort(), [...all].sort());
      else for (const tag of atLeast) assert.ok(result.registered.includes(tag), `registers <${tag}>`);
    });

    const browserBuild = entry.browserBuild && `${entry.file} is for browsers; Node resolves its node target`;
    it(`${specifier(entry.key)} loads with Lit's browser build and no registry, registering nothing`, { skip: browserBuild }, async () => {
      assert.ok(built, `${entry.file} exists after npm run build`);
      const result = await load(entry.key, 'default');
      if (!typesOnly(entry)) assert.ok(result.exports.length > 0, 'it exports something');
      assert.deepEqual(result.touched, [], 'no browser global is read while it loads');
      assert.equal(result.registry, 'undefined', 'no registry is made up');
      assert.deepEqual(result.registered, []);
    });
  }
});
