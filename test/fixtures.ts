import { sendKeys } from '@web/test-runner-commands';
import type { Message } from '../src/adapters/types.js';

/** A valid inbound message; override any field. */
export const message = (overrides: Partial<Message> = {}): Message => ({
  id: 'm1',
  conversationId: 'c1',
  direction: 'inbound',
  sentAt: '2026-11-21T10:00:00.000Z',
  text: 'Hello',
  ...overrides,
});

/** Payloads that execute script if they ever reach the DOM as markup. */
export const hostileStrings = [
  '<script>window.__pwned = true</script>',
  '<img src=x onerror="window.__pwned = true">',
  '<svg><script>window.__pwned = true</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=true">',
  'javascript:window.__pwned = true',
  '"><iframe srcdoc="<script>parent.__pwned=true</script>">',
  '<style>*{display:none}</style><link rel="stylesheet" href="https://evil.example/x.css">',
  '<object data="javascript:window.__pwned=true"></object><embed src="javascript:window.__pwned=true">',
  '<form action="javascript:window.__pwned=true"><button>Track my parcel</button></form>',
  '<svg><style>@import "https://evil.example/x.css"</style><a href="javascript:window.__pwned=true"><text>Track</text></a></svg>',
];

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}

/** Every element below `root`, looking into open shadow roots (of this window's elements or a frame's). */
export function deepElements(root: ParentNode): Element[] {
  const shadow = 'shadowRoot' in root ? (root as Element).shadowRoot : null;
  const found: Element[] = shadow ? deepElements(shadow) : [];
  for (const element of root.querySelectorAll('*')) {
    found.push(element);
    if (element.shadowRoot) found.push(...deepElements(element.shadowRoot));
  }
  return found;
}

const implicitRoles: Record<string, string> = { NAV: 'navigation', BUTTON: 'button', A: 'link', TEXTAREA: 'textbox', DIALOG: 'dialog', IMG: 'img', PROGRESS: 'progressbar' };

/** An element's accessible name, simply: aria-label, else its text. */
export const accessibleName = (element: Element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Finds elements by role and accessible name, as a user would, through shadow roots. */
export function queryAllByRole(root: ParentNode, role: string, name?: string | RegExp): HTMLElement[] {
  return deepElements(root).filter((element): element is HTMLElement => {
    const named = element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby');
    const implicit = element.tagName === 'SECTION' ? (named ? 'region' : '') : element.tagName === 'A' && !element.hasAttribute('href') ? '' : implicitRoles[element.tagName];
    const own = element.getAttribute('role') ?? implicit;
    if (own !== role) return false;
    if (name === undefined) return true;
    const accessible = accessibleName(element);
    return typeof name === 'string' ? accessible === name : name.test(accessible);
  });
}

export function getByRole(root: ParentNode, role: string, name?: string | RegExp): HTMLElement {
  const found = queryAllByRole(root, role, name);
  if (found.length !== 1) throw new Error(`Expected one ${role} named ${name}, found ${found.length}.`);
  return found[0];
}

/** Waits for Lit updates to finish and two frames to be painted. */
export async function settle(element?: { updateComplete: Promise<boolean>; isUpdatePending: boolean }) {
  for (let i = 0; i < 6; i++) {
    await element?.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    if (!element?.isUpdatePending) break;
  }
}

/** Like {@link getByRole}, among elements that are rendered (not inside `hidden` or `display: none`). */
export function getShownByRole(root: ParentNode, role: string, name?: string | RegExp): HTMLElement {
  const found = queryAllShownByRole(root, role, name);
  if (found.length !== 1) throw new Error(`Expected one shown ${role} named ${name}, found ${found.length}.`);
  return found[0];
}

/** Alt+Shift+N, the documented shortcut to the newest toast. */
export async function pressShortcut() {
  await sendKeys({ down: 'Alt' });
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'KeyN' });
  await sendKeys({ up: 'Shift' });
  await sendKeys({ up: 'Alt' });
}

/** Like {@link queryAllByRole}, among elements that are rendered. */
export const queryAllShownByRole = (root: ParentNode, role: string, name?: string | RegExp) =>
  queryAllByRole(root, role, name).filter((element) => element.checkVisibility());

/** The text of every transcript row below `root`, one line each, joined by ` | `. */
export const transcriptText = (root: ParentNode) =>
  queryAllByRole(root, 'listitem')
    .map((row) => row.textContent!.replace(/\s+/g, ' ').trim())
    .join(' | ');

/**
 * Polls `probe` (which may be async) until it gives something truthy, and
 * returns that; fails naming `what` (and the probe's last error) after `timeout` ms,
 * an upper bound generous enough for a busy machine.
 */
export async function until<T>(probe: () => T | Promise<T>, what: string, timeout = 15_000): Promise<Exclude<Awaited<T>, false | 0 | '' | null | undefined>> {
  const end = performance.now() + timeout;
  let failure: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<Awaited<T>, false | 0 | '' | null | undefined>;
    } catch (error) {
      failure = error;
    }
    if (performance.now() > end) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}${failure instanceof Error ? ` (${failure.message})` : ''}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollEvery));
  }
}

/** Milliseconds between two probes of {@link until}: how often it looks, not how long it waits. */
const pollEvery = 10;

/** Loads `src` in an iframe of the given size and resolves once it has loaded; remove the frame when done. */
export async function openFrame(src: string, width: number, height: number) {
  const frame = document.createElement('iframe');
  frame.src = src;
  frame.style.width = `${width}px`;
  frame.style.height = `${height}px`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return { frame, win: frame.contentWindow as Window & typeof globalThis, doc: frame.contentDocument! };
}

/** The part of `element`'s box that is not clipped away by the ancestors it scrolls in (through shadow roots). */
function visibleBox(element: Element): DOMRect {
  let { left, top, right, bottom } = element.getBoundingClientRect();
  const view = element.ownerDocument.defaultView!; // the frame's own window, for a page in a frame
  for (let node: Node | null = element.parentNode; node; node = String(node) === '[object ShadowRoot]' ? (node as ShadowRoot).host : node.parentNode) {
    if (node.nodeType !== Node.ELEMENT_NODE || view.getComputedStyle(node as Element).overflowY === 'visible') continue;
    const clip = (node as Element).getBoundingClientRect();
    ({ left, top, right, bottom } = { left: Math.max(left, clip.left), top: Math.max(top, clip.top), right: Math.min(right, clip.right), bottom: Math.min(bottom, clip.bottom) });
  }
  return new DOMRect(left, top, Math.max(0, right - left), Math.max(0, bottom - top));
}

/** The names of the shown buttons below `root` that a shown toast (a `group`) covers; buttons of the toasts themselves aside. */
export function controlsUnderToasts(root: ParentNode): string[] {
  const toasts = queryAllShownByRole(root, 'group');
  const boxes = toasts.map(visibleBox).filter((box) => box.width > 0 && box.height > 0);
  const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return queryAllShownByRole(root, 'button')
    .filter((control) => !toasts.some((toast) => toast.contains(control)))
    // A message's own actions (Reply, React) scroll with the transcript, under whatever floats over it.
    .filter((control) => !control.closest('li, [role="listitem"]'))
    .filter((control) => boxes.some((box) => overlaps(box, control.getBoundingClientRect())))
    .map((control) => accessibleName(control));
}
