// The page side of `npm run bench` (scripts/bench.mjs bundles it and drives it
// through `window.bench`). It fills a transcript, mounts a fresh view for
// every run, and times it up to the first settled frame.
import type { ReactiveElement } from 'lit';
import { MockChannelAdapter, seededRandom as seeded } from '../src/adapters/mock-adapter.js';
import { AgentConversationPane } from '../src/conversation-pane.js';
import { ConsoleCore } from '../src/core/console-core.js';
import type { Message } from '../src/adapters/types.js';
import { NaiveTranscript } from './naive-transcript.js';

export type ViewKind = 'pane' | 'naive';
type View = (AgentConversationPane | NaiveTranscript) & ReactiveElement;

const minute = 60_000;
const hour = 60 * minute;


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

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await frame();
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the element has no update pending and two frames have passed with none scheduled. */
async function settle(element: View, limitMs = 10_000) {
  const start = performance.now();
  let cycles = 0;
  for (;;) {
    while (!(await element.updateComplete)) cycles++;
    await frames(2);
    if (!element.isUpdatePending) return cycles;
    if (performance.now() - start > limitMs) throw new Error(`${element.localName} did not settle within ${limitMs} ms`);
  }
}

function countElements(root: ParentNode): number {
  let count = 0;
  for (const element of root.querySelectorAll('*')) {
    count++;
    if (element.shadowRoot) count += countElements(element.shadowRoot);
  }
  return count;
}

let adapter: MockChannelAdapter | undefined;
let core: ConsoleCore | undefined;
let conversationId = '';
let view: View | undefined;
let appended = 0;
const host = document.getElementById('host')!;

/** Counts updates, and the time spent in willUpdate(), update() (render and commit) and updated(). */
const profile = { updates: 0, willUpdateMs: 0, updateMs: 0, updatedMs: 0 };
for (const proto of [AgentConversationPane.prototype, NaiveTranscript.prototype] as unknown as Record<string, (...a: unknown[]) => unknown>[]) {
  for (const name of ['willUpdate', 'update', 'updated'] as const) {
    const original = proto[name];
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - start;
        if (name === 'update') profile.updates++;
        profile[`${name}Ms`] += ms;
      }
    };
  }
}

function resetProfile() {
  Object.assign(profile, { updates: 0, willUpdateMs: 0, updateMs: 0, updatedMs: 0 });
}

const bench = {
  /** A fresh adapter and core with one session holding `size` messages. */
  async fill(size: number) {
    bench.unmount();
    core?.detach();
    await adapter?.disconnect();
    adapter = new MockChannelAdapter({ latency: 0, historySize: 0 });
    core = new ConsoleCore(adapter);
    core.attach();
    await adapter.connect();
    // A conversation the mock knows, so markRead and receive() work as in production.
    const request = adapter.request({ preview: undefined, customer: { name: 'Ana Souza' } });
    const session = await core.accept(request.id);
    conversationId = session.id;
    const random = seeded(size);
    // One minute apart, with a night's gap every 300 messages; the newest an hour ago.
    const span = size * minute + Math.floor(size / 300) * 12 * hour;
    let time = Date.now() - hour - span;
    const start = performance.now();
    for (let i = 0; i < size; i++) {
      time += minute + (i % 300 === 299 ? 12 * hour : 0);
      const outbound = i % 2 === 1;
      const words = Array.from({ length: 1 + Math.floor(random() * random() * 6) }, () => sentences[Math.floor(random() * sentences.length)]);
      const message: Message = {
        id: `bench-${i}`,
        conversationId,
        direction: outbound ? 'outbound' : 'inbound',
        sentAt: new Date(time).toISOString(),
        text: words.join(' '),
      };
      if (outbound) message.status = i % 20 === 1 ? 'read' : 'delivered';
      session.transcript.upsert(message);
    }
    session.history = { hasMore: false, loading: false };
    session.unread = 0;
    appended = 0;
    return { fillMs: performance.now() - start, size: session.transcript.size };
  },

  /** Mounts a fresh view, then times from giving it the transcript to its first settled frame. */
  async mount(kind: ViewKind) {
    bench.unmount();
    const element = document.createElement(kind === 'pane' ? 'agent-conversation-pane' : 'naive-transcript') as View;
    host.append(element);
    view = element;
    await settle(element);
    resetProfile();
    const start = performance.now();
    element.core = core;
    element.conversationId = conversationId;
    const cycles = await settle(element);
    const ms = performance.now() - start;
    return { ms, cycles, ...profile };
  },

  unmount() {
    view?.remove();
    view = undefined;
  },

  elements() {
    return countElements(view!.shadowRoot!);
  },

  /** Times one customer message from the adapter event to a settled frame showing its row. */
  async append() {
    const element = view!;
    await settle(element);
    await pause(10); // let markRead and other follow-ups of the previous append finish
    resetProfile();
    const text = sentences[appended++ % sentences.length];
    const start = performance.now();
    const message = adapter!.receive(conversationId, text);
    const selector = `[data-id="${CSS.escape(message.id)}"]`;
    let cycles = await settle(element);
    while (!element.shadowRoot!.querySelector(selector)) {
      if (performance.now() - start > 5000) throw new Error(`${element.localName} did not render appended message ${message.id}`);
      await frame();
      cycles += await settle(element);
    }
    const ms = performance.now() - start;
    // Sticking to the newest message means the new row is in the visible part of the scroller.
    const row = element.shadowRoot!.querySelector(selector)!.getBoundingClientRect();
    const scroller = (element.shadowRoot!.querySelector('.scroller') ?? element).getBoundingClientRect();
    const visible = row.bottom > scroller.top && row.top < scroller.bottom && row.bottom <= scroller.bottom + 1;
    return { ms, cycles, visible, ...profile };
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
  interface Window {
    bench: typeof bench;
  }
}

window.bench = bench;
document.body.dataset.ready = 'true';
