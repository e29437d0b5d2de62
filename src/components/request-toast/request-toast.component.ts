import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ChannelCapabilities, ConversationRequest } from '../../adapters/types.js';
import { channelTitle } from '../../adapters/types.js';
import { ClockController, resolutionFor } from '../../controllers/clock.js';
import { formatDuration } from '../../l10n/format.js';
import { LocalizeController } from '../../l10n/localize.js';
import { AgentElement } from '../base/agent-element.js';
import { avatar } from '../base/avatar.js';
import { channelIcon } from '../base/channel-icon.js';
import { requestToastStyles } from './request-toast.styles.js';

/**
 * The `detail` of `agent-accept`, `agent-reject` and `agent-timeout`, which
 * `<agent-request-toast>` dispatches (and which bubble out of
 * `<agent-console>`) when the agent answers a request or the time to answer
 * runs out (see the [element reference](docs:api.md#agent-request-toast)).
 */
export interface RequestAnswerDetail {
  /** The request answered. */
  requestId: string;
  /** `accepted` (Accept), `declined-by-agent` (Reject) or `timed-out`. */
  outcome: 'accepted' | 'declined-by-agent' | 'timed-out';
}


const previewLength = 140;

/** The customer's first words on one line, cut at a whole character. */
const shorten = (text: string) => {
  const characters = Array.from(text.replace(/\s+/g, ' ').trim());
  return characters.length > previewLength ? `${characters.slice(0, previewLength - 1).join('')}…` : characters.join('');
};

const clock = (ms: number) => {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * One incoming conversation request: who (with their picture, or initials), on which channel, their first
 * words and how long they have waited, with **Accept** and **Reject** and a
 * countdown. It never takes focus by itself; it is announced politely
 * ("Incoming Facebook conversation from Ana") and `focus()` moves to Accept.
 * The countdown runs whether or not it is shown, from when the toast first
 * shows the request.
 *
 * @tag agent-request-toast
 * @csspart base - The toast box.
 * @csspart accept - The Accept button.
 * @csspart reject - The Reject button.
 * @csspart countdown - The time left to answer.
 * @cssproperty --agent-font-family - Font family (default: the system UI font).
 * @cssproperty --agent-font-size - Font size (default: the inherited size).
 * @cssproperty --agent-toast-background - Toast background (default: `--agent-surface`).
 * @cssproperty --agent-toast-width - Width of the toast (default: 22rem, or less where there is less room; the whole width inside `<agent-console toast-position="console">`).
 * @cssproperty --agent-accent - Accept button, the toast's edge and the countdown bar.
 * @cssproperty --agent-on-accent - Text of the Accept button.
 * @cssproperty --agent-surface - Background of the Reject button, and of the toast when `--agent-toast-background` is not set.
 * @cssproperty --agent-control-border - Border of the Reject button.
 * @cssproperty --agent-border - Border of the toast.
 * @cssproperty --agent-text - Text colour.
 * @cssproperty --agent-muted - Secondary text: the waiting time and the countdown.
 * @cssproperty --agent-danger - Error text, e.g. why accepting failed.
 * @cssproperty --agent-channel-color - The colour of a channel icon given as SVG (default: the accent).
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @cssproperty --agent-radius - Corner radius.
 * @event agent-accept - `RequestAnswerDetail`: the agent chose Accept.
 * @event agent-reject - `RequestAnswerDetail`: the agent chose Reject.
 * @event agent-timeout - `RequestAnswerDetail`: the time to answer ran out.
 */
export class AgentRequestToast extends AgentElement {
  static override styles = requestToastStyles;

  /** The request to show. */
  @property({ attribute: false }) request?: ConversationRequest;

  /**
   * The channel's name and icon, from its adapter's capabilities
   * (`<agent-console>` passes them). Without, the toast names the channel
   * by the request's `channel` (`webchat` → `Webchat`) and shows no icon.
   * An SVG icon is drawn at 1em as an image in one colour
   * (`--agent-channel-color`), so its markup never enters the page; a URL
   * icon shows in its own colours, only if it is `https:` or `data:image/`.
   */
  @property({ attribute: false }) channel?: Pick<ChannelCapabilities, 'name' | 'icon'>;

  /** Seconds the agent has to answer (default 120); `0` never expires. A request's earlier `expiresAt` wins. */
  @property({ type: Number }) timeout = 120;

  /** Hides the countdown; the request still expires. */
  @property({ type: Boolean, attribute: 'hide-countdown' }) hideCountdown = false;

  /** Accept is in flight: the toast says so and its buttons wait. */
  @property({ type: Boolean, reflect: true }) busy = false;

  /** Why the last answer failed, shown to the agent. */
  @property() error = '';

  /** Why Accept is not possible now (e.g. the session limit); Accept stays focusable and explains it. */
  @property() blocked = '';

  /** Why the request went away (withdrawn, answered in another tab); the toast then only says this. */
  @property() gone = '';

  @state() private now = Date.now();
  @state() private announcement = '';

  readonly #l10n = new LocalizeController(this);
  #shown = { id: '', at: 0 };
  #expired = false;
  #hadFocus = false;

  /** When the request expires (epoch ms), or `undefined` when it never does. */
  get expiresAt(): number | undefined {
    const request = this.request;
    if (!request) return undefined;
    const own = request.expiresAt ? Date.parse(request.expiresAt) : Infinity;
    const deadline = Math.min(own, this.timeout > 0 ? this.#shown.at + this.timeout * 1000 : Infinity);
    return deadline === Infinity ? undefined : deadline;
  }

  constructor() {
    super();
    // Seconds while the request can still expire, else as the waiting time needs.
    new ClockController(
      this,
      () => (this.expiresAt !== undefined && !this.#expired && !this.gone ? 1000 : this.request ? resolutionFor(Date.now() - Date.parse(this.request.createdAt)) : 0),
      () => this.#tick(),
    );
  }

  /** Focuses Accept, or the explanation when the request can no longer be answered. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('button, .why')?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#hadFocus = this.matches(':focus-within');
    if (changed.has('gone') && this.gone) this.announcement = this.gone;
    const id = this.request?.id ?? '';
    if (changed.has('request') && id !== this.#shown.id) {
      this.#shown = { id, at: (this.now = Date.now()) };
      this.#expired = false;
    }
  }

  protected override updated(): void {
    // Its buttons went away under the agent (withdrawn, expired): keep focus on the explanation.
    if (this.#hadFocus && !this.matches(':focus-within')) this.renderRoot.querySelector<HTMLElement>('.why')?.focus();
  }

  protected override firstUpdated(): void {
    // A live region announces changes, not what it held when it appeared.
    setTimeout(() => (this.announcement = this.#label()), 250);
  }

  override render() {
    const { request } = this;
    if (!request) return nothing;
    const t = this.#l10n.translation;
    const lang = this.#l10n.locale();
    const deadline = this.expiresAt;
    const left = deadline === undefined ? undefined : Math.max(0, deadline - this.now);
    const waiting = !this.gone && !this.#expired;
    const acceptDisabled = this.busy || !!this.blocked;
    return html`<div part="base" role="group" aria-label=${this.#label()}>
      <p class="head">
        ${channelIcon(this.channel?.icon)}
        <span>${this.#channelName()}</span>
        <span class="muted">${t.waiting(formatDuration(request.createdAt, lang, this.now))}</span>
      </p>
      <div class="who">${avatar(request.customer)}<p class="customer" dir="auto">${request.customer.name}</p></div>
      ${request.preview ? html`<p class="preview" dir="auto">${shorten(request.preview)}</p>` : nothing}
      ${this.gone
        ? html`<p class="why" tabindex="-1">${this.gone}</p>`
        : html`${left !== undefined && !this.hideCountdown
              ? html`<p part="countdown" class="muted">
                  ${this.#expired ? html`<span class="why" tabindex="-1">${t.expired}</span>` : t.expiresIn(clock(left))}
                  <progress aria-hidden="true" max=${this.timeout || 1} value=${left / 1000}></progress>
                </p>`
              : nothing}
            ${this.busy ? html`<p class="muted">${t.accepting}</p>` : nothing}
            ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
            ${this.blocked ? html`<p class="muted" id="blocked">${this.blocked}</p>` : nothing}
            ${waiting
              ? html`<p class="actions">
                  <button
                    part="accept"
                    class="primary"
                    type="button"
                    aria-disabled=${acceptDisabled}
                    aria-describedby=${this.blocked ? 'blocked' : nothing}
                    @click=${() => !acceptDisabled && this.#answer('agent-accept', 'accepted')}
                  >
                    ${t.accept}
                  </button>
                  <button part="reject" type="button" aria-disabled=${this.busy} @click=${() => !this.busy && this.#answer('agent-reject', 'declined-by-agent')}>
                    ${t.reject}
                  </button>
                </p>`
              : nothing}`}
      <p class="visually-hidden" role="status">${this.announcement}</p>
    </div>`;
  }

  #label() {
    const { request } = this;
    return request ? this.#l10n.translation.incoming(this.#channelName(), request.customer.name) : '';
  }

  #channelName() {
    return this.channel?.name || channelTitle(this.request!.channel);
  }

  #tick() {
    this.now = Date.now();
    const deadline = this.expiresAt;
    if (deadline !== undefined && this.now >= deadline && !this.#expired && !this.busy && !this.gone) {
      this.#expired = true;
      this.announcement = this.#l10n.translation.expired;
      this.#answer('agent-timeout', 'timed-out');
    }
  }

  #answer(event: 'agent-accept' | 'agent-reject' | 'agent-timeout', outcome: RequestAnswerDetail['outcome']) {
    if (this.request) this.emit(event, { requestId: this.request.id, outcome });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-accept': CustomEvent<RequestAnswerDetail>;
    'agent-reject': CustomEvent<RequestAnswerDetail>;
    'agent-timeout': CustomEvent<RequestAnswerDetail>;
  }
}
