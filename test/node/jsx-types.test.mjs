// Type-checks the React and Preact sample apps in examples/ as an app would
// build them: `agent-console` resolves by name through package.json
// "exports" to the build in dist/ (the repository refers to itself by its
// package name), so run `npm run build` first. Mistakes are checked too: each
// `@ts-expect-error` in a sample must meet an error, or tsc fails the build.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(root, 'examples');

/**
 * Type-checks `files` of examples/<project> with its tsconfig.json. `sources`
 * replaces or adds files (paths relative to the project) without writing them;
 * `options` overrides compiler options.
 */
function typeCheck(project, files, sources = {}, options = {}) {
  const dir = join(examples, project);
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
  });
  const virtual = new Map(Object.entries(sources).map(([file, text]) => [resolve(dir, file), text]));
  const compilerOptions = { ...config.options, ...options };
  const host = ts.createCompilerHost(compilerOptions);
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (name) => virtual.get(resolve(name)) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    if (!name.endsWith('.d.ts') || virtual.has(resolve(name))) return getSourceFile.call(host, name, version, ...rest);
    const key = `${name} ${JSON.stringify(version)}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile.call(host, name, version, ...rest));
    return parsed.get(key);
  };
  host.fileExists = (name) => virtual.has(resolve(name)) || fileExists.call(host, name);
  const program = ts.createProgram(files.map((file) => resolve(dir, file)), compilerOptions, host);
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${diagnostic.file.fileName.slice(dir.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}` : '';
    return { line: where, text: `${where} TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}` };
  });
  return { program, errors, messages: errors.map((error) => error.text) };
}

/** Parsed declaration files (lib, node_modules, dist), shared by every check as an editor shares them. */
const parsed = new Map();

const source = (project, file) => readFileSync(join(examples, project, file), 'utf8');
const loaded = (program, path) => program.getSourceFiles().some((file) => file.fileName === join(root, path));
const manifest = () => JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));

/** Without its `import type {} from '<entry>'` line, `file` no longer knows the tags. */
function needsTypesEntry(project, file, entry) {
  const without = source(project, file).replace(`import type {} from '${entry}';\n`, '');
  const failed = typeCheck(project, [file], { [file]: without }).messages.join('\n');
  assert.match(failed, /TS2339: Property 'agent-console' does not exist on type 'JSX.IntrinsicElements'/);
}

/** Without its `@ts-expect-error` lines, a mistakes file errs on exactly the lines they stood over. */
function checkMistakes(project, file) {
  const text = source(project, file);
  assert.deepEqual(typeCheck(project, [file]).messages, [], 'every expected error is met');
  const lines = text.split('\n');
  const directive = /^\s*\{\/\* @ts-expect-error\b/;
  const expected = lines.flatMap((line, i) => (directive.test(line) ? [`${file}:${i + 2}`] : []));
  assert.ok(expected.length >= 6, 'the file lists its mistakes');
  const bare = lines.map((line) => (directive.test(line) ? '' : line)).join('\n');
  const erring = new Set(typeCheck(project, [file], { [file]: bare }).errors.map((error) => error.line));
  assert.deepEqual([...erring].sort(), expected.sort(), 'each mistake, and nothing else, fails once its directive is gone');
}

/** A file that looks up every attribute, property and event of custom-elements.json in `props(tag)`. */
function coverage(header, props) {
  const lookups = manifest().modules.flatMap((module) =>
    (module.declarations ?? [])
      .filter((declaration) => declaration.customElement)
      .flatMap(({ tagName, attributes = [], events = [], members = [] }) => [
        ...attributes.map((attribute) => `${props(tagName)}['${attribute.name}']`),
        ...members
          .filter((member) => member.kind === 'field' && !member.attribute && !member.static && !member.privacy && !member.readonly && !member.name.startsWith('#'))
          .map((member) => `${props(tagName)}['${member.name}']`),
        ...events.map((event) => `${props(tagName)}['on${event.name}']`),
      ]),
  );
  assert.ok(lookups.length > 30, 'the manifest lists the elements');
  return `${header}\nexport type Lookups = [\n${lookups.join(',\n')}\n];\n`;
}

before(() => {
  assert.ok(existsSync(join(root, 'dist/react.d.ts')) && existsSync(join(root, 'custom-elements.json')), 'run `npm run build` first');
});

describe('React (examples/react)', () => {
  test('the sample app with the wrappers and plain <agent-console> JSX type-checks against the build', () => {
    const { program, messages } = typeCheck('react', ['src/main.tsx', 'src/AgentDesk.tsx']);
    assert.deepEqual(messages, []);
    assert.ok(loaded(program, 'dist/react.d.ts'), 'agent-console/react resolves to dist/ through "exports"');
  });

  test('plain JSX type-checks with agent-console and agent-console/jsx-react alone, and not without the types entry', () => {
    const { program, messages } = typeCheck('react', ['src/PlainJsx.tsx']);
    assert.deepEqual(messages, []);
    assert.ok(loaded(program, 'dist/jsx-react.d.ts') && !loaded(program, 'dist/react.d.ts'), 'no wrappers involved');
    needsTypesEntry('react', 'src/PlainJsx.tsx', 'agent-console/jsx-react');
  });

  test('misspelt props, wrong values and wrong event detail types fail to type-check', () => {
    checkMistakes('react', 'src/type-errors.tsx');
  });

  test('the JSX types and the wrappers cover every attribute, property and event of custom-elements.json', () => {
    const pascal = (name) => name.replace(/(^|-)(\w)/g, (_, _dash, letter) => letter.toUpperCase());
    const header = "import type {} from 'agent-console/jsx-react';\nimport type { JSX } from 'react';";
    const jsx = coverage(header, (tag) => `Required<JSX.IntrinsicElements['${tag}']>`);
    assert.deepEqual(typeCheck('react', ['src/coverage.ts'], { 'src/coverage.ts': jsx }).messages, []);
    // The wrappers take camelCase properties and onAgentX event props.
    const wrappers = "import type { ComponentProps } from 'react';\nimport type * as Wrappers from 'agent-console/react';";
    const wrapped = coverage(wrappers, (tag) => `Required<ComponentProps<typeof Wrappers.${pascal(tag)}>>`)
      .replace(/\['on(agent-[\w-]+)'\]/g, (_, event) => `['on${pascal(event)}']`)
      .replace(/\['([a-z]+(?:-[a-z]+)+)'\]/g, (_, attribute) => `['${attribute.replace(/-(\w)/g, (_m, letter) => letter.toUpperCase())}']`);
    assert.deepEqual(typeCheck('react', ['src/coverage.ts'], { 'src/coverage.ts': wrapped }).messages, []);
    // The lookups can fail: a name the element does not have is an error.
    const missing = typeCheck('react', ['src/coverage.ts'], { 'src/coverage.ts': `${header}\nexport type Missing = Required<JSX.IntrinsicElements['agent-console']>['max-sesions'];\n` });
    assert.match(missing.messages.join('\n'), /TS2339: Property 'max-sesions' does not exist/);
  });
});

describe('Preact (examples/preact)', () => {
  test('the sample app with plain <agent-console> JSX type-checks against the build', () => {
    const { program, messages } = typeCheck('preact', ['src/AgentDesk.tsx']);
    assert.deepEqual(messages, []);
    assert.ok(loaded(program, 'dist/jsx-preact.d.ts'));
    needsTypesEntry('preact', 'src/AgentDesk.tsx', 'agent-console/jsx-preact');
  });

  test('misspelt props, wrong values and wrong event detail types fail to type-check', () => {
    checkMistakes('preact', 'src/type-errors.tsx');
  });

  test('the JSX types cover every attribute, property and event of custom-elements.json', () => {
    const file = coverage("import type {} from 'agent-console/jsx-preact';\nimport type { JSX } from 'preact';", (tag) => `Required<JSX.IntrinsicElements['${tag}']>`);
    assert.deepEqual(typeCheck('preact', ['src/coverage.ts'], { 'src/coverage.ts': file }).messages, []);
  });
});

test('the root entry and agent-console/adapters bring no React or Preact types', () => {
  const app = "import { AgentConsole } from 'agent-console';\nimport { MockChannelAdapter } from 'agent-console/adapters';\nexport const desk: AgentConsole = document.createElement('agent-console');\ndesk.adapter = new MockChannelAdapter();\n";
  const { program, messages } = typeCheck('react', ['src/plain.ts'], { 'src/plain.ts': app }, { jsx: undefined });
  assert.deepEqual(messages, []);
  const frameworks = program.getSourceFiles().map((file) => file.fileName).filter((name) => /node_modules\/(@types\/react|preact|@lit\/react)\//.test(name));
  assert.deepEqual(frameworks, []);
  assert.ok(loaded(program, 'dist/index.d.ts'));
  assert.equal(dirname(program.getRootFileNames()[0]), join(examples, 'react/src'));
});
