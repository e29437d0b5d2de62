import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Message } from '../adapters/types.js';
import { RowHeights } from '../components/conversation-pane/row-heights.js';
import type { Session } from '../core/session.js';

/** Rendered beyond the viewport, in px, so fast scrolling does not show gaps. */
const overscan = 600;
/** How near the end, in px, the view still counts as at the newest message. */
const nearEnd = 24;
/** Room, in px, left above a message scrolled to, so that it does not touch the edge. */
const roomAbove = 24;

/** Where the agent is reading: the message at the top of the view and how far, in px, it is scrolled past. */
export type ScrollAnchor = NonNullable<Session['scrollAnchor']>;

/**
 * The transcript a {@link TranscriptVirtualizer} shows: a session, or
 * anything like one. When `id` changes, the view starts at `scrollAnchor`
 * (`undefined`: at the newest message).
 */
export type TranscriptView = Pick<Session, 'id' | 'transcript' | 'scrollAnchor'>;

/** What a {@link TranscriptVirtualizer} works on, and what it tells its host. */
export interface TranscriptVirtualizerOptions {
  /**
   * The scrolling element. Its first child is sized to the whole transcript
   * and holds one element in which the host renders the rows of `range`,
   * each with `class="row"` and `data-id` (the message id).
   */
  scroller(): HTMLElement | null | undefined;
  /** The transcript to show, if any. */
  view(): TranscriptView | undefined;
  /** The agent scrolled; where they are reading now (`undefined`: at the newest message). */
  scrolled?(anchor: ScrollAnchor | undefined): void;
  /**
   * The view was laid out or scrolled (never during an update): the time for
   * what depends on what is in view, such as marking it read or loading history.
   */
  viewed?(): void;
}

/** The transcript a set of row heights is for, as it was then. */
interface Rows {
  id: string;
  first: string;
  last: string;
  count: number;
  version: number;
}

/** How many transcripts' row heights are kept besides the one shown. */
const keptTranscripts = 4;

/** A row's height until it has been on screen. */
function estimatedHeight(message: Message): number {
  const lines = Math.ceil((message.text?.length ?? 0) / 42);
  return 52 + 20 * lines + (message.attachments?.length ? 190 : 0);
}

/**
 * Virtual scrolling for a transcript, so that 100,000 messages scroll like
 * 100. It owns which rows are rendered (`range`), their heights (measured
 * once shown, estimated until then) and where the view is: at the newest
 * message while the agent is there, else on the row they are reading, which
 * stays in place when history is added above or rows change height.
 *
 * The range is worked out before each of the host's updates; rows are
 * measured and placed after it, through the CSSOM (never a style attribute:
 * CRM pages with a strict Content Security Policy refuse those), and when
 * the scroller or the rows are resized. It asks the host for an update only
 * when the range changes, and never during one.
 */
export class TranscriptVirtualizer implements ReactiveController {
  /** The rows to render: transcript positions from `start` up to, not including, `end`. */
  range = { start: 0, end: 0 };

  #heights = new RowHeights();
  readonly #measured = new Map<string, number>();
  /** The transcript the heights are for, as it was. */
  #rows: Rows = { id: '', first: '', last: '', count: 0, version: -1 };
  /** The heights of the transcripts shown last, so that switching back to one costs nothing. */
  readonly #kept = new Map<string, { heights: RowHeights; rows: Rows }>();
  #stuck = true;
  #anchor?: ScrollAnchor;
  #observed?: HTMLElement;
  #frame = 0;
  // Placed at once, before the frame is painted; a new range waits for the next
  // frame, as an update now would resize what is observed while it reports.
  readonly #resize = new ResizeObserver(() => this.#place() && this.#checkSoon());

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: TranscriptVirtualizerOptions,
  ) {
    host.addController(this);
  }

  /** Whether the view follows the newest message. */
  get stuck(): boolean {
    return this.#stuck;
  }

  /** Follows the newest message again, e.g. after the agent sent one. */
  scrollToEnd(): void {
    this.#stuck = true;
    this.#anchor = undefined;
    this.host.requestUpdate();
  }

  /** Stops following the newest message and shows this one (which must be in the transcript) near the top of the view. */
  scrollToMessage(messageId: string): void {
    this.#stuck = false;
    this.#anchor = { messageId, offset: -roomAbove };
    this.host.requestUpdate();
  }

  /**
   * Stops following the newest message and keeps the row at the top of the
   * view where it is, e.g. while earlier history is added above it.
   */
  keepPlace(): void {
    const scroller = this.options.scroller();
    if (!this.#stuck || !scroller || this.#heights.total <= scroller.clientHeight) return;
    this.#anchor = this.#anchorAt(scroller.scrollTop);
    this.#stuck = !this.#anchor;
  }

  hostConnected(): void {
    this.#observe();
  }

  hostUpdate(): void {
    this.#sync();
    this.range = this.#visibleRange();
  }

  hostUpdated(): void {
    this.#observe();
    // Placed now, before the frame is painted; whether other rows are now in view is for the next frame.
    if (this.#place()) this.#checkSoon();
  }

  hostDisconnected(): void {
    this.#unobserve();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  /** Watches the scroller (scrolling, resizing) and the rows (resizing). */
  #observe() {
    const scroller = this.options.scroller() ?? undefined;
    if (scroller === this.#observed) return;
    this.#unobserve();
    if (!scroller) return;
    scroller.addEventListener('scroll', this.#onScroll);
    this.#resize.observe(scroller);
    this.#resize.observe(scroller.firstElementChild!.firstElementChild!);
    this.#observed = scroller;
  }

  #unobserve() {
    this.#resize.disconnect();
    this.#observed?.removeEventListener('scroll', this.#onScroll);
    this.#observed = undefined;
  }

  /** Brings the row heights in line with the transcript: append fast, rebuild otherwise. */
  #sync() {
    const view = this.options.view();
    if (!view) return;
    const { id, transcript } = view;
    if (this.#rows.id !== id) this.#switchTo(id, view.scrollAnchor);
    const rows = this.#rows;
    const size = transcript.size;
    const first = transcript.at(0)?.id ?? '';
    const last = transcript.at(-1)?.id ?? '';
    rows.version = transcript.version;
    if (rows.count === size && rows.first === first && rows.last === last) return;
    const heightOf = (message: Message) => this.#measured.get(message.id) ?? estimatedHeight(message);
    const added = size - rows.count;
    if (rows.count >= 0 && added > 0 && first === rows.first && transcript.at(rows.count - 1)?.id === rows.last) {
      for (let i = rows.count; i < size; i++) this.#heights.push(heightOf(transcript.at(i)!));
    } else if (rows.count > 0 && added > 0 && last === rows.last && transcript.at(added)?.id === rows.first) {
      // A page of history above: only its rows are new.
      this.#heights.prepend(added, (i) => heightOf(transcript.at(i)!));
    } else {
      this.#heights.reset(size, (i) => heightOf(transcript.at(i)!));
    }
    Object.assign(rows, { first, last, count: size });
  }

  /** Shows another transcript, with its row heights as they were when it was last shown, if they were kept. */
  #switchTo(id: string, anchor: ScrollAnchor | undefined) {
    const shown = this.#rows.id;
    if (shown) {
      this.#kept.set(shown, { heights: this.#heights, rows: this.#rows });
      if (this.#kept.size > keptTranscripts) this.#kept.delete(this.#kept.keys().next().value!);
    }
    const kept = this.#kept.get(id);
    this.#kept.delete(id);
    this.#heights = kept?.heights ?? new RowHeights();
    this.#rows = kept?.rows ?? { id, first: '', last: '', count: -1, version: -1 };
    this.#anchor = anchor;
    this.#stuck = !anchor;
  }

  /** Where the top of the view belongs: at the end, on the anchor row, or where the agent left it. */
  #top(height: number): number {
    const scroller = this.options.scroller();
    if (this.#stuck) return this.#heights.total - height;
    const index = this.#anchor ? (this.options.view()?.transcript.indexOf(this.#anchor.messageId) ?? -1) : -1;
    return index >= 0 ? this.#heights.offsetOf(index) + this.#anchor!.offset : (scroller?.scrollTop ?? 0);
  }

  #visibleRange() {
    const count = this.#heights.count;
    // Before the first render there is no scroller yet: the host's height is near enough.
    const height = this.options.scroller()?.clientHeight ?? this.host.clientHeight;
    if (!count) return { start: 0, end: 0 };
    const top = this.#top(height);
    const start = this.#heights.indexAt(Math.max(0, top - overscan));
    const end = this.#heights.indexAt(top + height + overscan) + 1;
    return { start, end: Math.min(count, end) };
  }

  /**
   * Reads the rendered rows' heights, sizes the list, moves the rows and the
   * view to their place. False while there is nothing to lay out (hidden:
   * `display: none` has no sizes; the resize observer calls again when shown).
   */
  #place(): boolean {
    const scroller = this.options.scroller();
    const transcript = this.options.view()?.transcript;
    if (!scroller?.clientHeight || !transcript) return false;
    // Rows rendered from an older transcript are measured after the next update.
    if (transcript.version === this.#rows.version) {
      let next = this.range.start;
      for (const row of scroller.querySelectorAll<HTMLElement>('.row')) {
        const id = row.dataset.id!;
        const index = transcript.at(next)?.id === id ? next : transcript.indexOf(id);
        next = index + 1;
        const height = row.offsetHeight;
        if (index < 0 || !height) continue; // not laid out; keep the estimate
        this.#measured.set(id, height);
        this.#heights.set(index, height);
      }
    }
    const spacer = scroller.firstElementChild as HTMLElement;
    spacer.style.height = `${this.#heights.total}px`;
    (spacer.firstElementChild as HTMLElement).style.transform = `translateY(${this.#heights.offsetOf(this.range.start)}px)`;
    const top = Math.max(0, Math.round(this.#top(scroller.clientHeight)));
    if (Math.abs(scroller.scrollTop - top) >= 1) scroller.scrollTop = top;
    return true;
  }

  #checkSoon() {
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#check();
    });
  }

  /** Asks for an update only when other rows are near the view; then tells the host the view is in place. */
  #check() {
    const range = this.#visibleRange();
    if (range.start !== this.range.start || range.end !== this.range.end) {
      this.range = range;
      this.host.requestUpdate();
    }
    this.options.viewed?.();
  }

  #onScroll = () => {
    const scroller = this.options.scroller();
    if (!scroller?.clientHeight || !this.options.view()) return;
    const top = scroller.scrollTop;
    this.#stuck = top + scroller.clientHeight >= this.#heights.total - nearEnd;
    this.#anchor = this.#stuck ? undefined : this.#anchorAt(top);
    this.options.scrolled?.(this.#anchor);
    this.#check();
  };

  /** The row at `top` and how far the view is scrolled past its start. */
  #anchorAt(top: number): ScrollAnchor | undefined {
    const index = this.#heights.indexAt(top);
    const message = this.options.view()?.transcript.at(index);
    return message && { messageId: message.id, offset: top - this.#heights.offsetOf(index) };
  }
}
