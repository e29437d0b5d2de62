// The import-cycle check that `npm run lint` runs over src/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findCycles } from '../../scripts/check-cycles.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'check-cycles-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;
/** Writes `files` (path → text) into a fresh folder and returns its cycles as relative paths. */
function cyclesOf(files) {
  const folder = join(scratch, String(++projects));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  return findCycles(folder).map((cycle) => cycle.map((file) => relative(folder, file)));
}

describe('check-cycles', () => {
  test('finds no cycle in src/', () => {
    assert.deepEqual(findCycles(join(root, 'src')), []);
  });

  test('reports a circle through folders, naming each file in order', () => {
    const cycles = cyclesOf({
      'core/a.ts': "import { b } from '../adapters/b.js';\nexport const a = b;",
      'adapters/b.ts': "export { c as b } from './deep/c.js';",
      'adapters/deep/c.ts': "import '../../core/a.js';\nexport const c = 1;",
    });
    assert.deepEqual(cycles, [['adapters/b.ts', 'adapters/deep/c.ts', 'core/a.ts', 'adapters/b.ts']]);
  });

  test('counts type-only imports and lazy import()', () => {
    assert.equal(cyclesOf({ 'a.ts': "import type { B } from './b.js';\nexport type A = B;", 'b.ts': "import type { A } from './a.js';\nexport type B = A;" }).length, 1);
    assert.equal(cyclesOf({ 'loader.ts': "export const load = () => import('./lang/da.js');", 'lang/da.ts': "import { load } from '../loader.js';\nvoid load;" }).length, 1);
  });

  test('resolves folder indexes and ignores packages and imports in comments', () => {
    assert.equal(cyclesOf({ 'x/index.ts': "import '../y.js';", 'y.ts': "import './x';" }).length, 1);
    assert.deepEqual(
      cyclesOf({
        'a.ts': "import 'lit';\n// import './b.js';\n/** `import('./b.js')` */\nexport const a = 1;",
        'b.ts': "import { a } from './a.js';\nexport const b = a;",
      }),
      [],
    );
  });

  test('layers importing downwards only have no cycle', () => {
    assert.deepEqual(cyclesOf({ 'components/x.ts': "import '../core/y.js';", 'core/y.ts': "import '../adapters/z.js';", 'adapters/z.ts': 'export {};' }), []);
  });
});
