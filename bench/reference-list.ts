// The floor `npm run bench` compares the pane with: a bare virtual list in
// plain DOM, no framework. It keeps the messages in an array and shows a
// window of about 30 rows of fixed height (text cut to one line), following
// the newest message while scrolled to the end. Whatever the pane does
// beyond this (variable heights, formatting, accessibility, validation) is
// what its ratio to this list pays for. The bench hands it live messages as
// the pane gets them, through an adapter's `message` events.
import type { Message } from '../src/adapters/index.js';

const rowHeight = 56;
const windowRows = 30;
/** Rows rendered above the first one in view. */
const above = 8;
const time = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

export class ReferenceList {
  readonly element = document.createElement('div');
  #messages: Message[] = [];
  readonly #spacer = document.createElement('div');
  readonly #window = document.createElement('div');
  #stuck = true;
  #scheduled = false;
  /** The rows shown, by message id: kept while their message stays in the window. */
  #rows = new Map<string, { message: Message; element: HTMLElement }>();
  /** What the last render showed, so a scroll within the same window does nothing. */
  #shown = { first: -1, count: -1, messages: [] as Message[] };

  constructor() {
    Object.assign(this.element.style, { height: '100%', overflowY: 'auto', position: 'relative', font: '15px/1.4 system-ui, sans-serif' });
    Object.assign(this.#spacer.style, { position: 'relative' });
    Object.assign(this.#window.style, { position: 'absolute', left: '0', right: '0', top: '0' });
    this.#spacer.append(this.#window);
    this.element.append(this.#spacer);
    this.element.addEventListener('scroll', () => {
      const { scrollTop, scrollHeight, clientHeight } = this.element;
      this.#stuck = scrollTop + clientHeight >= scrollHeight - 4;
      this.#render();
    });
  }

  /** A live message. */
  append(message: Message): void {
    this.#messages.push(message);
    this.#schedule();
  }

  /** A page of history, before what is shown; the row in view stays where it is. */
  prepend(page: Message[]): void {
    this.#messages = page.concat(this.#messages);
    if (!this.#stuck) this.element.scrollTop += page.length * rowHeight;
    this.#schedule();
  }

  /** Another conversation's messages, shown from the newest. */
  show(messages: Message[]): void {
    this.#messages = messages;
    this.#stuck = true;
    this.#schedule();
  }

  scrollToTop(): void {
    this.#stuck = false;
    this.element.scrollTop = 0;
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#render();
    });
  }

  #render() {
    const messages = this.#messages;
    const count = messages.length;
    if (count !== this.#shown.count) this.#spacer.style.height = `${count * rowHeight}px`;
    if (this.#stuck) this.element.scrollTop = count * rowHeight;
    const first = Math.max(0, Math.min(count - windowRows, Math.floor(this.element.scrollTop / rowHeight) - above));
    if (first === this.#shown.first && count === this.#shown.count && messages === this.#shown.messages) return;
    this.#shown = { first, count, messages };
    const rows = new Map<string, { message: Message; element: HTMLElement }>();
    for (let i = first; i < Math.min(count, first + windowRows); i++) {
      const message = messages[i];
      const kept = this.#rows.get(message.id);
      rows.set(message.id, kept?.message === message ? kept : { message, element: row(message) });
    }
    this.#rows = rows;
    this.#window.style.transform = `translateY(${first * rowHeight}px)`;
    // Only rows that came or went touch the DOM; the rest stay where they are.
    const elements = [...rows.values()].map((r) => r.element);
    if (elements.length !== this.#window.children.length || elements.some((element, i) => this.#window.children[i] !== element)) {
      this.#window.replaceChildren(...elements);
    }
  }
}

function row(message: Message): HTMLElement {
  const element = document.createElement('div');
  element.className = `row ${message.direction}`;
  element.dataset.id = message.id;
  Object.assign(element.style, { height: `${rowHeight}px`, overflow: 'hidden', padding: '4px 12px', boxSizing: 'border-box' });
  const text = document.createElement('p');
  Object.assign(text.style, { margin: '0', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' });
  text.textContent = message.text ?? '';
  const when = document.createElement('time');
  when.textContent = time.format(Date.parse(message.sentAt));
  element.append(text, when);
  return element;
}
