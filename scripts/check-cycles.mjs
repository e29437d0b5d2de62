// Fails when modules under a folder (src/ by default) import each other in a
// circle. A circle makes load order decide what a module sees (an import that
// is still undefined when first read) and blurs which layer rests on which.
// Type-only and lazy `import()` edges count too: removing one `type` keyword
// or making a lazy import eager must not be what brings a circle to life.
//
//   node scripts/check-cycles.mjs [folder]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const sourceExtensions = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return sourceExtensions.includes(extname(entry.name)) ? [path] : [];
  });
}

const isFile = (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/** The file a relative specifier names: as written, its `.ts` twin (`./x.js` → `./x.ts`), or a folder's index. */
function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, ...sourceExtensions.map((extension) => stem + extension), ...sourceExtensions.map((extension) => join(base, `index${extension}`))];
  return candidates.find(isFile);
}

/** Each file's imports of other files in the set: static, `export … from`, type-only and `import()`. */
export function importGraph(files) {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles
        .map(({ fileName }) => (fileName.startsWith('.') ? resolveImport(file, fileName) : undefined))
        .filter((target) => target && known.has(target));
      return [file, [...new Set(targets)]];
    }),
  );
}

/** Every import circle under `folder`, each as the files in order with the first repeated at the end. */
export function findCycles(folder) {
  const graph = importGraph(sourceFiles(resolve(folder)));
  const done = new Set();
  const path = [];
  const onPath = new Set();
  const cycles = [];
  const visit = (file) => {
    path.push(file);
    onPath.add(file);
    for (const next of graph.get(file)) {
      if (onPath.has(next)) cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    onPath.delete(file);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) if (!done.has(file)) visit(file);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folder = process.argv[2] ?? 'src';
  const cycles = findCycles(folder);
  for (const cycle of cycles) console.error(`Import cycle: ${cycle.map((file) => relative(process.cwd(), file)).join(' → ')}`);
  if (cycles.length) {
    console.error(`${cycles.length} import cycle(s) in ${folder}/. Move what both sides need into a module of the lower layer.`);
    process.exitCode = 1;
  }
}
