// What a page pays for one entry of the package, measured the way an app gets
// it: a one-line app imports the entry by its package name, so esbuild resolves
// it through package.json `exports` to dist/ (with the conditions of an app's
// production build for the browser), bundles it with Lit, DOMPurify and the
// date-fns parts it uses, splits out what loads on demand, minifies, and each
// file is gzipped (-9) on its own, as a browser fetches it. Used by size.mjs.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));

/**
 * The app that uses `entry` (a key of `exports`): it imports the entry by name
 * and mounts the element the entry defines, if it defines one (`.` and
 * `./console.js` mount one `<agent-console>`), else it keeps every export.
 */
export function consumerApp(entry, root = packageRoot) {
  const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const specifier = entry === '.' ? name : `${name}${entry.slice(1)}`;
  const tags = new Set(JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')).modules.flatMap((module) => module.declarations ?? []).map((declaration) => declaration.tagName).filter(Boolean));
  const tag = entry === '.' ? 'agent-console' : `agent-${entry.match(/^\.\/([\w-]+)\.js$/)?.[1]}`;
  return tags.has(tag) ? `import '${specifier}';\ndocument.body.append(document.createElement('${tag}'));\n` : `export * from '${specifier}';\n`;
}

/** What a chunk that loads on demand is, from the modules in it. */
function describe(inputs, entryPoint) {
  const language = inputs.map((input) => input.match(/translations\/([\w-]+)\.js$/)?.[1]).find(Boolean);
  if (language) return { kind: 'language', name: language };
  if (inputs.some((input) => input.includes('node_modules/dompurify/'))) return { kind: 'sanitiser', name: 'sanitiser' };
  if (inputs.some((input) => input.endsWith('core/sniff.js'))) return { kind: 'content check', name: 'content check' };
  return { kind: 'other', name: entryPoint ?? inputs[0] };
}

/**
 * Bundles the app of {@link consumerApp} for `entry` and returns what loads
 * with the first frame (the app's chunk and every chunk it imports
 * statically) and, one by one, what loads on demand (each dynamically imported
 * chunk with the chunks it imports that the first frame did not load), in
 * bytes minified and gzipped, with esbuild's metafile. `root` is the package
 * directory (the app sits in it and imports the package by its own name).
 */
export async function measure(entry, { root = packageRoot } = {}) {
  const result = await build({
    stdin: { contents: consumerApp(entry, root), resolveDir: root, sourcefile: 'app.js', loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: 'app',
    minify: true,
    write: false,
    metafile: true,
    // A browser build's conditions (browser, import, default) and those of an
    // app bundler's production mode (module, production).
    platform: 'browser',
    conditions: ['module', 'production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // React is the app's own (a peer dependency), not something the wrappers bring.
    external: ['react', 'react-dom'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const { outputs } = result.metafile;
  const sizes = new Map(result.outputFiles.map((file) => [relative(root, file.path), { min: file.contents.byteLength, gzip: gzipSync(file.contents, { level: 9 }).byteLength }]));
  /** The chunks `start` loads with it: itself and its static imports, but not those already in `loaded`. */
  const withImports = (start, loaded = new Set()) => {
    const chunks = new Set([start]);
    for (const chunk of chunks) for (const { path, kind } of outputs[chunk].imports) if (kind !== 'dynamic-import' && sizes.has(path) && !loaded.has(path)) chunks.add(path);
    return chunks;
  };
  const total = (chunks) => [...chunks].reduce((sum, chunk) => ({ min: sum.min + sizes.get(chunk).min, gzip: sum.gzip + sizes.get(chunk).gzip }), { min: 0, gzip: 0 });
  const app = Object.keys(outputs).find((chunk) => outputs[chunk].entryPoint === 'app.js');
  const initial = withImports(app);
  const onDemand = [];
  const seen = new Set(initial);
  for (let index = -1; index < onDemand.length; index++) {
    const from = index < 0 ? initial : onDemand[index].chunks;
    for (const chunk of from) {
      for (const { path, kind } of outputs[chunk].imports) {
        if (kind !== 'dynamic-import' || !sizes.has(path) || seen.has(path)) continue;
        seen.add(path);
        const chunks = withImports(path, initial);
        const inputs = [...chunks].flatMap((each) => Object.keys(outputs[each].inputs));
        onDemand.push({ ...describe(inputs, outputs[path].entryPoint), ...total(chunks), chunks });
      }
    }
  }
  return { initial: { ...total(initial), chunks: initial }, onDemand, metafile: result.metafile };
}
