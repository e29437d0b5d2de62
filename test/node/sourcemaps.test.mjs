// The source maps published in dist/ lead back to the right line of src/:
// a string literal's place in a built module maps to the line of the .ts
// file it is written on, also below lit templates whose line breaks the build
// collapses (scripts/minify-templates.mjs). Run `npm run build` first.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

// Modules with many-line html`` and css`` templates, whose text the build shrinks.
const modules = [
  'components/conversation-pane/conversation-pane.component',
  'components/conversation-pane/message-row',
  'components/request-toast/request-toast.component',
  'components/agent-console/console.component',
];

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes a source map's `mappings`: per generated line, segments [column, source, line, column] (0-based, absolute). */
function decodeMappings(mappings) {
  const lines = [];
  const state = [0, 0, 0, 0];
  for (const line of mappings.split(';')) {
    const segments = [];
    state[0] = 0; // the generated column restarts on each line; the others carry on
    for (const segment of line ? line.split(',') : []) {
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = base64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      fields.forEach((delta, i) => (state[i] += delta));
      if (fields.length >= 4) segments.push([...state]);
    }
    lines.push(segments);
  }
  return lines;
}

/** Where a built module's line and column (0-based) come from: `{ file, line }` (line 1-based), as a debugger shows it. */
function originalPosition(mapFile, line, column) {
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const segment = decodeMappings(map.mappings)[line]?.findLast(([generated]) => generated <= column);
  if (!segment) return { file: 'nowhere: the map has nothing there', line: undefined };
  return { file: resolve(dirname(mapFile), map.sourceRoot ?? '', map.sources[segment[1]]), line: segment[2] + 1 };
}

/** The 0-based line and column of `index` in `text`. */
function lineAndColumn(text, index) {
  const before = text.slice(0, index).split('\n');
  return { line: before.length - 1, column: before.at(-1).length };
}

/**
 * Single-quoted string literals that occur once in `source` and once in `built`, with their
 * places in each; not module specifiers, whose import statements rollup writes itself, nor
 * apostrophes in comments.
 */
function sharedLiterals(source, built) {
  const once = (text, literal) => text.indexOf(literal) >= 0 && text.indexOf(literal) === text.lastIndexOf(literal);
  return [...source.matchAll(/'(?:[^'\\\n]|\\.)*'/g)]
    .filter(([literal]) => literal.length >= 8)
    .filter((match) => !/^\s*(import|export|\*|\/\*)|\bfrom $|\/\//.test(source.slice(source.lastIndexOf('\n', match.index) + 1, match.index)))
    .map(([literal]) => literal)
    .filter((literal) => once(source, literal) && once(built, literal))
    .map((literal) => ({ literal, source: lineAndColumn(source, source.indexOf(literal)), built: lineAndColumn(built, built.indexOf(literal)) }));
}

before(() => assert.ok(existsSync(`${root}dist/index.js`), 'dist/ is built (npm run build)'));

for (const module of modules) {
  test(`dist/${module}.js maps its code back to the lines of src/${module}.ts`, () => {
    const sourceFile = `${root}src/${module}.ts`;
    const builtFile = `${root}dist/${module}.js`;
    const source = readFileSync(sourceFile, 'utf8');
    const built = readFileSync(builtFile, 'utf8');
    assert.match(built, new RegExp(`//# sourceMappingURL=${module.split('/').at(-1)}\\.js\\.map\\n?$`), 'the module names its map');
    const literals = sharedLiterals(source, built);
    assert.ok(literals.length >= 3, `${module} has string literals to look for (found ${literals.length})`);
    // The build must have collapsed lines above the last of them, or this would not test the map.
    const last = literals.at(-1);
    assert.ok(last.built.line < last.source.line, `${module}: the build shortens the module above ${last.literal}`);
    const places = literals.map(({ literal, built: { line, column } }) => ({ literal, ...originalPosition(`${builtFile}.map`, line, column) }));
    assert.deepEqual(
      places,
      literals.map(({ literal, source: { line } }) => ({ literal, file: sourceFile, line: line + 1 })),
    );
  });
}
