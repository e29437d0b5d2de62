// docs/frameworks.md shows the sample apps of examples/, which the other
// tests in this folder compile: each code block marked `<!-- file: path -->`
// must be that file exactly, so the page cannot drift from what is tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

test('every code block of docs/frameworks.md marked with a file is that file, as compiled by the tests', () => {
  const page = read('docs/frameworks.md');
  const blocks = [...page.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```\n/g)];
  assert.ok(blocks.length >= 9, 'the page shows the samples');
  for (const [, path, code] of blocks) assert.equal(`${code}\n`, read(path), path);
  const marked = new Set(blocks.map(([, path]) => path));
  for (const sample of ['examples/react/src/AgentDesk.tsx', 'examples/preact/src/AgentDesk.tsx', 'examples/vue/src/AgentDesk.vue', 'examples/angular/src/agent-desk.component.ts']) {
    assert.ok(marked.has(sample), `the page shows ${sample}`);
  }
});
