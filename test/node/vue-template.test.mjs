// Compiles the Vue sample (examples/vue) as @vitejs/plugin-vue does, with the
// compiler options of examples/vue/compiler-options.js, and type-checks its
// script against the build (`agent-console` resolves through package.json
// "exports" to dist/, so run `npm run build` first).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { compileScript, parse } from 'vue/compiler-sfc';
import { compilerOptions } from '../../examples/vue/compiler-options.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const project = join(root, 'examples/vue');
const file = join(project, 'src/AgentDesk.vue');

/** The component's compiled module, as the Vite plugin makes it: the template options apply to parsing and to compiling. */
function compile(options) {
  const { descriptor, errors } = parse(readFileSync(file, 'utf8'), { filename: file, templateParseOptions: options });
  assert.deepEqual(errors, []);
  return compileScript(descriptor, { id: 'agent-desk', inlineTemplate: true, templateOptions: { compilerOptions: options } }).content;
}

describe('Vue (examples/vue)', () => {
  test('with isCustomElement, <agent-console> compiles to the element itself: adapter as a property, agent-accept as a listener', () => {
    const code = compile(compilerOptions);
    assert.doesNotMatch(code, /resolveComponent/);
    assert.match(code, /_createElementVNode\("agent-console", \{/);
    assert.match(code, /"\.adapter": __props\.adapter,/, '`:adapter.prop` sets the property');
    assert.match(code, /"max-sessions": "5",/);
    assert.match(code, /onAgentAccept: onAccept\b/, 'Vue listens for agent-accept');
  });

  test('without it, Vue would look <agent-console> up as a component', () => {
    assert.match(compile({}), /_resolveComponent\("agent-console"\)/);
    assert.equal(compilerOptions.isCustomElement('agent-conversation-pane'), true);
    assert.equal(compilerOptions.isCustomElement('router-view'), false);
  });

  test('the compiled component type-checks against the build', () => {
    assert.ok(existsSync(join(root, 'dist/index.d.ts')), 'run `npm run build` first');
    const compiled = `${file}.ts`;
    const config = ts.getParsedCommandLineOfConfigFile(join(project, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
    });
    const host = ts.createCompilerHost(config.options);
    const { readFile, fileExists } = host;
    const code = compile(compilerOptions);
    host.readFile = (name) => (name === compiled ? code : readFile.call(host, name));
    host.fileExists = (name) => name === compiled || fileExists.call(host, name);
    const program = ts.createProgram([compiled], config.options, host);
    const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
    assert.deepEqual(errors, []);
    assert.ok(program.getSourceFile(join(root, 'dist/index.d.ts')), 'agent-console resolves to dist/ through "exports"');
    // It checks: the handler's detail type is the event's.
    const wrong = code.replace('event.detail.requestId', 'event.detail.text');
    host.readFile = (name) => (name === compiled ? wrong : readFile.call(host, name));
    const failed = ts.getPreEmitDiagnostics(ts.createProgram([compiled], config.options, host)).map((diagnostic) => diagnostic.code);
    assert.deepEqual(failed, [2339]);
  });
});
