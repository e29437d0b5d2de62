// The page side of `npm run bench` (scripts/bench.mjs bundles it and drives it
// through `window.bench`). It uses the package as a consumer does: the
// `agent-console` and `agent-console/adapters` entries, a channel adapter of
// its own (bench-adapter.ts), the standalone <agent-conversation-pane> and
// <agent-console>. Each measurement has the same on the reference list
// (reference-list.ts), in the same page and run.
//
// Every time is from the moment the messages are handed over (the first
// `message` event dispatched, the history page resolved, the session's
// button clicked) to the settled frame showing the newest one: its row is in
// the view's DOM, then two animation frames have passed.
import type { Message } from '../src/adapters/index.js';
import '../src/index.js';
import type { AgentConsole, AgentConversationPane } from '../src/index.js';
import { BenchAdapter } from './bench-adapter.js';
import { ReferenceList } from './reference-list.js';

/** What is measured: the pane (or the console for switching), or the reference list. */
export type ViewKind = 'pane' | 'reference';

const minute = 60_000;
const hour = 60 * minute;
const historyPage = 50;

const sentences = [
  'Hi, my order #4471 has not arrived yet.',
  'Thanks! Let me check.',
  'It says *delivered* but I have nothing.',
  'Can I change the delivery address for my parcel?',
  'Is there a tracking link? https://example.com/track/4471',
  'I have sent you a new label, it should be in your inbox within a few minutes.',
  'OK, that works for me.',
  'Hej! Jeg har et spørgsmål om min faktura.',
  'Xin chào, tôi muốn đổi sản phẩm.',
  'Great, thank you so much 🙏',
  'The courier says the parcel was left with a neighbour at number 12, could you ask them?',
  'Happy to help!',
];

/** Mulberry32: the same transcript for the same seed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let made = 0;

/**
 * `count` messages of a conversation, oldest first, one minute apart with a
 * night's gap every 300, the newest an hour ago; every other one the agent's.
 * Ids are new on every call, so no view can reuse rows of an earlier run.
 */
function makeMessages(conversationId: string, count: number, seed = count): Message[] {
  const random = seeded(seed);
  const run = made++;
  const span = count * minute + Math.floor(count / 300) * 12 * hour;
  let time = Date.now() - hour - span;
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    time += minute + (i % 300 === 299 ? 12 * hour : 0);
    const outbound = i % 2 === 1;
    const words = Array.from({ length: 1 + Math.floor(random() * random() * 6) }, () => sentences[Math.floor(random() * sentences.length)]);
    const message: Message = {
      id: `m${run}-${i}`,
      conversationId,
      direction: outbound ? 'outbound' : 'inbound',
      sentAt: new Date(time).toISOString(),
      text: words.join(' '),
    };
    if (outbound) message.status = i % 20 === 1 ? 'read' : 'delivered';
    messages.push(message);
  }
  return messages;
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await frame();
};

/** Waits, frame by frame, until `ready` holds; throws after `limitMs`. */
async function until(ready: () => unknown, what: string, limitMs = 60_000) {
  const start = performance.now();
  while (!ready()) {
    if (performance.now() - start > limitMs) throw new Error(`Not within ${limitMs} ms: ${what}`);
    await frame();
  }
}

/** Waits for the message's row in `root`, then two frames; the time it was settled. */
async function shown(root: () => ParentNode | null | undefined, id: string) {
  const selector = `[data-id="${CSS.escape(id)}"]`;
  await until(() => root()?.querySelector(selector), `row ${id} shown`);
  await frames(2);
  return performance.now();
}

let windows = 0;

/** Starts a timed window; its marks let the script add up the main thread's work in it from a trace. */
function begin() {
  const label = `bench-${windows++}`;
  performance.mark(`${label}:start`);
  return { label, start: performance.now() };
}

/** Ends a timed window at the settled frame; its time in ms and its label. */
function finish(window: { label: string; start: number }, end: number, start = window.start) {
  performance.mark(`${window.label}:end`);
  performance.clearMarks();
  return { ms: end - start, label: window.label };
}

function countElements(root: ParentNode): number {
  let count = 0;
  for (const element of root.querySelectorAll('*')) {
    count++;
    if (element.shadowRoot) count += countElements(element.shadowRoot);
  }
  return count;
}

const host = document.getElementById('host')!;

/** The view being measured. */
let current:
  | { kind: 'pane'; pane: AgentConversationPane; adapter: BenchAdapter; id: string }
  | { kind: 'reference'; list: ReferenceList; adapter: BenchAdapter }
  | { kind: 'console'; console: AgentConsole; adapter: BenchAdapter }
  | undefined;
/** Messages kept for the heap figure of the messages alone. */
let kept: Message[] | undefined;
let conversations = 0;

const conversation = (id: string, name: string) => ({ id, channel: 'bench', customer: { id: `c-${id}`, name }, startedAt: new Date().toISOString() });

/** A fresh standalone pane on a fresh adapter; resolves once it has asked for the conversation's history and settled. */
async function mountPane(history: Message[] = [], firstPage = history.length, pageSize = firstPage, held = false) {
  unmount();
  const id = `conversation-${conversations++}`;
  for (const message of history) message.conversationId = id;
  const adapter = new BenchAdapter();
  adapter.setHistory(id, history, firstPage, pageSize);
  adapter.hold(id, held);
  const pane = document.createElement('agent-conversation-pane');
  pane.adapter = adapter;
  pane.conversation = conversation(id, 'Ana Souza');
  pane.conversationId = id;
  host.append(pane);
  current = { kind: 'pane', pane, adapter, id };
  return current;
}

/** A fresh reference list, handed live messages as the pane is: by a fresh adapter's `message` events. */
function mountReference() {
  unmount();
  const list = new ReferenceList();
  const adapter = new BenchAdapter();
  adapter.addEventListener('message', (event) => list.append((event as CustomEvent<Message>).detail));
  host.append(list.element);
  current = { kind: 'reference', list, adapter };
  return current;
}

function unmount() {
  if (current?.kind === 'pane') current.pane.remove();
  if (current?.kind === 'reference') current.list.element.remove();
  if (current?.kind === 'console') current.console.remove();
  current = undefined;
}

/** The root the rows of the view are in. */
function rowsRoot(): ParentNode | null | undefined {
  if (current?.kind === 'pane') return current.pane.shadowRoot;
  if (current?.kind === 'reference') return current.list.element;
  if (current?.kind === 'console') return current.console.shadowRoot?.querySelector('agent-conversation-pane')?.shadowRoot;
  return undefined;
}

const bench = {
  /** 1. `count` live `message` events dispatched at once, as a backend replaying them. */
  async live(kind: ViewKind, count: number) {
    const view = kind === 'pane' ? await mountPane() : mountReference();
    if (view.kind === 'pane') {
      // The opened pane settles (an empty conversation) before the clock starts.
      await until(() => view.pane.shadowRoot?.querySelector('[part~="transcript"]'), 'pane open', 10_000);
      await frames(3);
    }
    const messages = makeMessages(view.kind === 'pane' ? view.id : 'reference', count);
    await frames(2);
    await globalThis.beforeTimedWindow?.(); // the script's --profile starts here
    const window = begin();
    for (const message of messages) view.adapter.deliver(message);
    const end = await shown(rowsRoot, messages.at(-1)!.id);
    return { ...finish(window, end), elements: countElements(rowsRoot()!) };
  },

  /** 2. A conversation whose history comes in one page of `count`. The view stays for `append` and the heap. */
  async history(kind: ViewKind, count: number) {
    const messages = makeMessages('', count);
    const newest = messages.at(-1)!.id;
    if (kind === 'pane') {
      const view = await mountPane(messages, messages.length, messages.length, true);
      await until(() => view.adapter.pending.length, 'history asked for');
      await frames(2);
      await globalThis.beforeTimedWindow?.(); // the script's --profile=history starts here
      const window = begin();
      const start = view.adapter.pending.shift()!.release();
      const end = await shown(rowsRoot, newest);
      const result = { ...finish(window, end, start), elements: countElements(rowsRoot()!) };
      // The older part of a large page goes in after the first frame, in slices: when all of it is in.
      const session = () => view.pane.activeCore?.sessions.get(view.id);
      await until(() => session()?.transcript.size === count && !session()?.history.loading, 'whole page in');
      view.adapter.forget(); // the heap then holds what the console keeps
      return { ...result, complete: performance.now() - start };
    }
    const view = mountReference();
    await frames(2);
    const window = begin();
    view.list.prepend(messages);
    const end = await shown(rowsRoot, newest);
    return { ...finish(window, end), elements: countElements(rowsRoot()!) };
  },

  /** 4. One live message on the view `history` left. */
  async append() {
    const view = current!;
    const [message] = makeMessages(view.kind === 'pane' ? view.id : 'reference', 1, made);
    message.sentAt = new Date().toISOString();
    await frames(3); // what the last one set off (marking it read) is over
    const window = begin();
    if (view.kind !== 'console') view.adapter.deliver(message);
    return finish(window, await shown(rowsRoot, message.id));
  },

  /** 3. With `count` shown, scrolled to the top: `pages` pages of 50 earlier messages, one after another. */
  async paging(kind: ViewKind, count: number, pages: number) {
    const messages = makeMessages('', count + pages * historyPage);
    const times: { ms: number; label: string }[] = [];
    if (kind === 'pane') {
      const view = await mountPane(messages, count, historyPage);
      await shown(rowsRoot, messages.at(-1)!.id);
      view.adapter.hold(view.id, true);
      const scroller = () => view.pane.shadowRoot!.querySelector<HTMLElement>('[part~="transcript"]')!;
      await globalThis.beforeTimedWindow?.(); // the script's --profile=paging starts here
      for (let page = 0; page < pages; page++) {
        // As an agent does: up to the top until earlier history is asked for (a large page may still be going in).
        await until(() => view.adapter.pending.length || void (scroller().scrollTop = 0), 'history asked for at the top');
        await frames(2);
        const next = view.adapter.pending.shift()!;
        const window = begin();
        const start = next.release();
        times.push(finish(window, await shown(rowsRoot, next.messages.at(-1)!.id), start));
      }
    } else {
      const view = mountReference();
      const total = messages.length;
      view.list.prepend(messages.slice(total - count));
      await shown(rowsRoot, messages.at(-1)!.id);
      for (let page = 0; page < pages; page++) {
        view.list.scrollToTop();
        await frames(2);
        const end = total - count - page * historyPage;
        const earlier = messages.slice(end - historyPage, end);
        const window = begin();
        view.list.prepend(earlier);
        times.push(finish(window, await shown(rowsRoot, earlier.at(-1)!.id)));
      }
    }
    unmount();
    return { times };
  },

  /** 5. Two sessions of `count` each in <agent-console>, switched `switches` times (the reference: two arrays). */
  async switching(kind: ViewKind, count: number, switches: number) {
    const a = makeMessages('', count);
    const b = makeMessages('', count, count + 1);
    const times: { ms: number; label: string }[] = [];
    if (kind === 'pane') {
      unmount();
      const adapter = new BenchAdapter();
      const ids = [`conversation-${conversations++}`, `conversation-${conversations++}`];
      const names = ['Ana Souza', 'Bao Tran'];
      ids.forEach((id, i) => {
        for (const message of [a, b][i]) message.conversationId = id;
        adapter.conversations.push(conversation(id, names[i]));
        adapter.setHistory(id, [a, b][i], count);
      });
      const element = document.createElement('agent-console');
      element.syncKey = `bench-${ids[0]}`;
      element.adapter = adapter;
      host.append(element);
      current = { kind: 'console', console: element, adapter };
      const button = (name: string) =>
        [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="sessions"] button')].find((b) => b.textContent!.includes(name))!;
      await shown(rowsRoot, a.at(-1)!.id);
      // The first visit to the second session loads its history: not a switch.
      await until(() => button(names[1]), 'sessions listed');
      button(names[1]).click();
      await shown(rowsRoot, b.at(-1)!.id);
      // Both histories wholly in (a large page goes in slices after its first frame): switching is timed, not loading.
      const loaded = (id: string) => element.core?.sessions.get(id)?.transcript.size === count && !element.core.sessions.get(id)!.history.loading;
      await until(() => ids.every(loaded), 'both histories in');
      for (let i = 0; i < switches; i++) {
        const to = i % 2;
        await frames(3);
        const window = begin();
        button(names[to]).click();
        times.push(finish(window, await shown(rowsRoot, [a, b][to].at(-1)!.id)));
      }
    } else {
      const view = mountReference();
      view.list.show(b);
      await shown(rowsRoot, b.at(-1)!.id);
      for (let i = 0; i < switches; i++) {
        const to = [a, b][i % 2];
        await frames(3);
        const window = begin();
        view.list.show(to);
        times.push(finish(window, await shown(rowsRoot, to.at(-1)!.id)));
      }
    }
    unmount();
    return { times };
  },

  unmount,

  /** Holds `count` messages and nothing else, for the heap they take on their own. */
  keep(count: number) {
    unmount();
    kept = makeMessages('kept', count);
  },

  /** Lets the kept messages go; how many there were. */
  drop() {
    const count = kept?.length ?? 0;
    kept = undefined;
    return count;
  },

  /** How many frames per second rAF runs at (to tell whether frames are vsync-throttled). */
  async frameRate() {
    await frame();
    const start = performance.now();
    for (let i = 0; i < 30; i++) {
      host.style.outline = `${i % 2}px solid`; // something to draw, as after an update
      await frame();
    }
    host.style.outline = '';
    return 30_000 / (performance.now() - start);
  },
};

declare global {
  // Set by the script when it profiles a window.
  var beforeTimedWindow: (() => Promise<unknown>) | undefined;
  interface Window {
    bench: typeof bench;
  }
}

window.bench = bench;
document.body.dataset.ready = 'true';
