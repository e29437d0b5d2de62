// docs/adapter-contract.md is the contract of the product. These tests keep it
// in step with the code: every adapter member, event type, exported type and
// field of src/adapters/types.ts, and every rule of the conformance suite, must
// be named on the page (names in backticks, outside code blocks), its links
// (to its sections and to files) must lead somewhere, and nothing in src/ or relay/ may still
// cite the old SPEC.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

const page = read('docs/adapter-contract.md');
const prose = page.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** Every name the page writes in backticks: `Message.sentAt`, `loadHistory?(…)` and `{ emoji, action }` name each part. */
const named = new Set(
  [...prose.matchAll(/`([^`\n]+)`/g)].flatMap(([, span]) =>
    span
      .replace(/^\{\s*|\s*\}$/g, '')
      .split(/,\s*/)
      .flatMap((part) => part.trim().replace(/\(.*\)$/s, '').replace(/\?$/, '').split('.'))
      .map((name) => name.replace(/\?$/, '').replace(/\[\]$/, '')),
  ),
);

const missing = (names) => names.filter((name) => !named.has(name));

// The declarations of types.ts, without their doc comments.
const source = read('src/adapters/types.ts')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/^\s*\/\/.*$/gm, '');

/** An interface's own members (not those of the object types inside it), or undefined when it is not there. */
function membersOf(name) {
  const start = new RegExp(`export interface ${name}\\b[^{]*\\{`).exec(source);
  if (!start) return undefined;
  let depth = 1;
  let end = start.index + start[0].length;
  while (depth > 0 && end < source.length) {
    const c = source[end++];
    if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  let body = source.slice(start.index + start[0].length, end - 1);
  // Fold nested object types and parameter lists away, innermost first.
  for (let before; before !== body; ) {
    before = body;
    body = body.replace(/\{[^{}]*\}/g, '{}').replace(/\([^()]*\)/g, '()');
  }
  return body
    .split(/[;\n]/)
    .map((line) => /^\s*(?:readonly\s+)?(?:'([^']+)'|([A-Za-z_$][\w$]*))\??\s*[:(]/.exec(line))
    .filter(Boolean)
    .map((match) => match[1] ?? match[2]);
}

const interfaces = [...source.matchAll(/export interface (\w+)/g)].map((match) => match[1]);

test('the page names every member of ChannelAdapter', () => {
  const members = membersOf('ChannelAdapter');
  assert.ok(members?.length >= 10, 'types.ts declares ChannelAdapter');
  assert.deepEqual(missing(members), [], 'ChannelAdapter members not on docs/adapter-contract.md');
});

test('the page names every event type of ChannelEventMap', () => {
  const types = membersOf('ChannelEventMap');
  assert.ok(types?.includes('message') && types.includes('connection-change'), 'types.ts declares ChannelEventMap');
  assert.deepEqual(missing(types), [], 'event types not on docs/adapter-contract.md');
});

test('the page names every type, constant and function types.ts exports', () => {
  const exported = [...source.matchAll(/export (?:interface|type|const|function) (\w+)/g)].map((match) => match[1]);
  assert.ok(exported.includes('Message') && exported.includes('ConnectionState'));
  assert.deepEqual(missing(exported), [], 'exports of types.ts not on docs/adapter-contract.md');
});

test('the page names every field of the data model', () => {
  const unnamed = interfaces.flatMap((name) => missing(membersOf(name)).map((field) => `${name}.${field}`));
  assert.deepEqual(unnamed, [], 'fields not on docs/adapter-contract.md');
});

test('the page names every field of ChannelCapabilities', (t) => {
  const fields = membersOf('ChannelCapabilities');
  if (!fields) return t.skip('types.ts has no ChannelCapabilities yet');
  assert.ok(fields.includes('name') && fields.includes('attachments'));
  assert.deepEqual(missing(fields), [], 'ChannelCapabilities fields not on docs/adapter-contract.md');
});

test('the page lists every rule of the conformance suite', () => {
  const rules = [...read('src/adapters/contract.ts').matchAll(/\bit\(\s*'([^']+)'/g)].map((match) => match[1]);
  assert.ok(rules.length >= 10, 'contract.ts registers its tests with it()');
  assert.deepEqual(
    rules.filter((rule) => !page.includes(`| ${rule} |`)),
    [],
    'tests of describeChannelAdapter not in the rules table of docs/adapter-contract.md',
  );
});

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown) {
  const seen = new Map();
  return markdown
    .replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => {
      const slug = line
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      return count ? `${slug}-${count}` : slug;
    });
}

test('links to sections of the page lead to one', () => {
  const targets = new Set(anchors(page));
  const links = [
    ...[...prose.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]),
    ...['relay/PROTOCOL.md', 'src/adapters/index.ts'].flatMap((file) =>
      [...read(file).matchAll(/adapter-contract\.md#([\w-]+)/g)].map((match) => match[1]),
    ),
  ];
  assert.ok(links.length >= 10);
  assert.deepEqual(links.filter((link) => !targets.has(link)), [], 'links to headings docs/adapter-contract.md does not have');
});

test('links to files lead to files of the repository', () => {
  const files = [...prose.matchAll(/\]\((?!#|https?:)([^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1]);
  assert.ok(files.includes('../relay/PROTOCOL.md'));
  assert.deepEqual(files.filter((file) => !existsSync(new URL(file, new URL('docs/', root)))), [], 'links of docs/adapter-contract.md to no file');
});

test('nothing in src/ or relay/ cites the old SPEC: docs/adapter-contract.md is the contract', () => {
  const files = ['src/', 'relay/'].flatMap((folder) =>
    readdirSync(new URL(folder, root), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !(entry.parentPath ?? entry.path).includes('node_modules'))
      .map((entry) => `${entry.parentPath ?? entry.path}/${entry.name}`),
  );
  assert.ok(files.some((file) => file.endsWith('types.ts')) && files.some((file) => file.endsWith('PROTOCOL.md')));
  const citing = files.filter((file) => /\bSPEC\b/.test(readFileSync(file, 'utf8'))).map((file) => file.slice(fileURLToPath(root).length));
  assert.deepEqual(citing, [], 'files that cite SPEC; cite docs/adapter-contract.md instead');
});

test('the page explains every agent-error code', () => {
  const union = read('src/core/console-core.ts').match(/code: ((?:'[a-z-]+'(?: \| )?)+);/);
  assert.ok(union, 'AgentErrorDetail.code is a union of string literals in console-core.ts');
  const codes = [...union[1].matchAll(/'([a-z-]+)'/g)].map((match) => match[1]);
  assert.deepEqual(codes.filter((code) => !page.includes(`| \`${code}\` |`)), [], 'agent-error codes without a row in docs/adapter-contract.md');
});
