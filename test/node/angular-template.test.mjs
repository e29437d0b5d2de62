// Compiles the Angular sample (examples/angular) with the Angular compiler
// (what `ngc` and `ng build` run), strict templates on. `agent-console`
// resolves through package.json "exports" to dist/, so run `npm run build` first.
import { formatDiagnostics, performCompilation, readConfiguration } from '@angular/compiler-cli';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const project = join(root, 'examples/angular/tsconfig.json');
const component = join(root, 'examples/angular/src/agent-desk.component.ts');

/** Parsed declaration files (lib, node_modules, dist), shared by the compilations as an editor shares them. */
const parsed = new Map();

/** Compiles the sample, with `edit` applied to the component's source (not written to disk); returns the errors. */
function compile(edit = (source) => source) {
  const config = readConfiguration(project);
  assert.deepEqual(config.errors, []);
  assert.equal(config.options.strictTemplates, true);
  const host = ts.createCompilerHost(config.options);
  const { readFile, getSourceFile } = host;
  host.readFile = (name) => (resolve(name) === component ? edit(readFileSync(component, 'utf8')) : readFile.call(host, name));
  host.getSourceFile = (name, version, ...rest) => {
    if (!name.endsWith('.d.ts')) return getSourceFile.call(host, name, version, ...rest);
    const key = `${name} ${JSON.stringify(version)}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile.call(host, name, version, ...rest));
    return parsed.get(key);
  };
  const { diagnostics } = performCompilation({ rootNames: config.rootNames, options: config.options, host });
  return stripVTControlCharacters(formatDiagnostics(diagnostics, { getCurrentDirectory: () => root, getCanonicalFileName: (name) => name, getNewLine: () => '\n' }));
}

/** Replaces `from` with `to` in the component, failing if `from` is not there. */
const replacing = (...pairs) => (source) =>
  pairs.reduce((text, [from, to]) => {
    assert.ok(text.includes(from), `the component has ${from}`);
    return text.replace(from, to);
  }, source);

before(() => assert.ok(existsSync(join(root, 'dist/index.d.ts')), 'run `npm run build` first'));

describe('Angular (examples/angular)', () => {
  test('the standalone component with CUSTOM_ELEMENTS_SCHEMA, [adapter] and (agent-accept) compiles in strict templates mode', () => {
    assert.equal(compile(), '');
  });

  test('without CUSTOM_ELEMENTS_SCHEMA, the compiler refuses <agent-console> (NG8001) and [adapter] (NG8002)', () => {
    const errors = compile(replacing(['CUSTOM_ELEMENTS_SCHEMA, ', ''], ['  schemas: [CUSTOM_ELEMENTS_SCHEMA],\n', '']));
    assert.match(errors, /NG8001: 'agent-console' is not a known element/);
    assert.match(errors, /NG8002: Can't bind to 'adapter' since it isn't a known property of 'agent-console'/);
  });

  test('$event is typed from the event map: a handler for another event’s detail fails to compile', () => {
    const errors = compile(replacing(['(agent-accept)="onAccept($event)"', '(agent-send)="onAccept($event)"']));
    assert.match(errors, /TS2345: Argument of type 'CustomEvent<SendDetail>' is not assignable to parameter of type 'CustomEvent<RequestAnswerDetail>'/);
  });
});
