// agent-console/react on a server: it imports in Node, where there is no
// DOM, and React renders the elements' tags for the client to upgrade. Each
// check runs in a fresh Node process and imports the package by name, through
// package.json "exports" to dist/ (run `npm run build` first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs an ES module in a new Node process in the repository, and parses what it prints as JSON. */
async function run(code) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', code], { cwd: root });
  return JSON.parse(stdout);
}

before(() => assert.ok(existsSync(`${root}dist/react.js`), 'run `npm run build` first'));

test('agent-console/react imports without a DOM, exports a wrapper per element and registers the elements; the JSX entries import as nothing', async () => {
  const result = await run(`
    const noDom = typeof window === 'undefined' && typeof document === 'undefined';
    const wrappers = await import('agent-console/react');
    const elements = await import('agent-console');
    const tags = ['agent-console', 'agent-request-toast', 'agent-toast-stack', 'agent-conversation-pane', 'agent-attachment-picker', 'agent-error-banner', 'agent-privacy-notice'];
    const registered = tags.filter((tag) => customElements.get(tag) === elements[tag.replace(/(^|-)(\\w)/g, (_, d, c) => c.toUpperCase())]);
    // The JSX entries are types, with an empty module so that a plain import of one resolves.
    const jsx = [...Object.keys(await import('agent-console/jsx-react')), ...Object.keys(await import('agent-console/jsx-preact'))];
    console.log(JSON.stringify({ noDom, wrappers: Object.keys(wrappers).sort(), registered, jsx }));
  `);
  assert.equal(result.noDom, true);
  assert.deepEqual(result.wrappers, ['AgentAttachmentPicker', 'AgentConsole', 'AgentConversationPane', 'AgentErrorBanner', 'AgentPrivacyNotice', 'AgentRequestToast', 'AgentToastStack']);
  assert.equal(result.registered.length, 7);
  assert.deepEqual(result.jsx, []);
});

test('React renders the wrappers and plain <agent-console> JSX on the server, without the client-only props', async () => {
  const html = await run(`
    import { createElement } from 'react';
    import { renderToString } from 'react-dom/server';
    import { AgentConsole } from 'agent-console/react';
    import { MockChannelAdapter } from 'agent-console/adapters';
    const adapter = new MockChannelAdapter();
    const onAccept = () => {};
    console.log(JSON.stringify({
      wrapper: renderToString(createElement(AgentConsole, { adapter, maxSessions: 5, className: 'desk', onAgentAccept: onAccept })),
      plain: renderToString(createElement('agent-console', { adapter, 'max-sessions': 5, 'toast-position': 'bottom-end', sound: true, className: 'desk', 'onagent-accept': onAccept })),
    }));
  `);
  // The wrapper sets properties on the client, after hydration.
  assert.equal(html.wrapper, '<agent-console class="desk"></agent-console>');
  // Attributes render; the adapter and the listener wait for the client.
  assert.equal(html.plain, '<agent-console max-sessions="5" toast-position="bottom-end" sound="" class="desk"></agent-console>');
});
