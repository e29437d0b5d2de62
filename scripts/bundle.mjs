// Writes dist/bundle.js: the whole package (every element, the core, the
// languages and the adapters) as one ES module with Lit, DOMPurify and
// date-fns inside, for pages without a bundler or import map:
//   <script type="module" src="https://cdn.example/agent-console/dist/bundle.js"></script>
// It is made from the build in dist/ (run after rollup), in Lit's production
// mode, and is for browsers; Node gets dist/bundle-node.js instead.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root))).version;
const own = JSON.parse(readFileSync(new URL('package.json', root)));
const inside = [
  ['lit', 'BSD-3-Clause'],
  ['dompurify', 'MPL-2.0 OR Apache-2.0'],
  ['date-fns', 'MIT'],
];

const result = await build({
  stdin: {
    contents: "export * from './dist/index.js';\nexport * from './dist/adapters/index.js';\n",
    resolveDir: fileURLToPath(root),
    sourcefile: 'bundle.js',
  },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  conditions: ['production'],
  outfile: fileURLToPath(new URL('dist/bundle.js', root)),
  sourcemap: true,
  legalComments: 'eof',
  banner: {
    js: `/*! ${own.name} ${own.version} (${own.license}), with ${inside.map(([name, license]) => `${name} ${version(name)} (${license})`).join(', ')} */`,
  },
  metafile: true,
  logLevel: 'error',
});

// Dynamic imports (the languages) are inlined: the bundle must stay one file.
const outputs = Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.js'));
if (outputs.length !== 1) throw new Error(`dist/bundle.js must be one file, got ${outputs.join(', ')}`);
// The same surface for Node and server rendering (the `node` condition in
// package.json): the unbundled modules, which load without a DOM.
const reexports = "export * from './index.js';\nexport * from './adapters/index.js';\n";
writeFileSync(new URL('dist/bundle-node.js', root), reexports);
writeFileSync(new URL('dist/bundle.d.ts', root), `// Types of dist/bundle.js: the root entry and agent-console/adapters in one.\n${reexports}`);
console.log(`dist/bundle.js: ${(result.metafile.outputs[outputs[0]].bytes / 1024).toFixed(1)} KB minified`);
