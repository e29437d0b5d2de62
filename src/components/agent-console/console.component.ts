import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChannelAdapter, ConversationRequest, Message } from '../../adapters/types.js';
import { channelTitle } from '../../adapters/types.js';
import { ClockController, resolutionFor } from '../../controllers/clock.js';
import { CoreSubscriptionController } from '../../controllers/core-subscription.js';
import { ConsoleCore, SessionLimitError } from '../../core/console-core.js';
import type { RequestOutcome } from '../../core/requests.js';
import type { Session } from '../../core/session.js';
import { TabSync } from '../../core/tab-sync.js';
import { formatDuration } from '../../l10n/format.js';
import { LocalizeController } from '../../l10n/localize.js';
import type { Translation } from '../../l10n/translation.js';
import { AgentElement } from '../base/agent-element.js';
import { avatar } from '../base/avatar.js';
import { describeError } from '../base/channel-error.js';
import type { AgentConversationPane } from '../conversation-pane/conversation-pane.component.js';
import { messageSummary } from '../conversation-pane/message-row.js';
import type { RequestAnswerDetail } from '../request-toast/request-toast.component.js';
import type { AgentToastStack, ToastPosition } from '../toast-stack/toast-stack.component.js';
import { chime } from './alerts.js';
import { consoleStyles } from './console.styles.js';

/** How long a request that went away stays on screen with the reason. */
const leavingFor = 6000;

type Explain = (t: Translation) => string;

/**
 * The whole agent console on one adapter: it connects, shows conversation
 * requests as toasts, opens a session on **Accept** with its
 * `<agent-conversation-pane>`, lists the open sessions (unread counts,
 * waiting time) to switch between, ends and closes them, and says when the
 * connection is down and what it is doing about it. Requests answered in one
 * tab leave the same console in the browser's other tabs.
 *
 * @tag agent-console
 * @csspart base - The console.
 * @csspart connection - The connection bar: while the connection is down, what the console is doing about it.
 * @csspart sessions - The list of open sessions.
 * @csspart session - The selected session: its header and pane.
 * @csspart transcript - The pane's message list (re-exported from `<agent-conversation-pane>`, as are the next five).
 * @csspart bubble - A message bubble.
 * @csspart inbound - A customer's message bubble.
 * @csspart outbound - An agent's message bubble.
 * @csspart save - A link that saves a received file.
 * @csspart composer - The message box and Send button.
 * @csspart toast - Each request toast.
 * @cssproperty --agent-console-height - Height of the console (default 36rem).
 * @cssproperty --agent-font-family - Font family of the console and every element in it (default: the system UI font).
 * @cssproperty --agent-font-size - Font size of the console and every element in it (default: the inherited size).
 * @cssproperty --agent-surface - Background of the console and of buttons.
 * @cssproperty --agent-text - Text colour.
 * @cssproperty --agent-muted - Secondary text colour: waiting times, the last message of a session.
 * @cssproperty --agent-border - Borders of the sessions in the list and of the selected session.
 * @cssproperty --agent-control-border - Button borders.
 * @cssproperty --agent-accent - Accent colour: primary buttons, the selected session, unread counts.
 * @cssproperty --agent-on-accent - Text on the accent colour.
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @cssproperty --agent-danger - Error text.
 * @cssproperty --agent-warning-background - Background of the connection bar while the connection is down.
 * @cssproperty --agent-warning-color - Text of the connection bar while the connection is down.
 * @cssproperty --agent-radius - Corner radius.
 * @event agent-accept - `RequestAnswerDetail`, from a toast: the agent accepted a request.
 * @event agent-reject - `RequestAnswerDetail`, from a toast: the agent rejected a request.
 * @event agent-timeout - `RequestAnswerDetail`, from a toast: a request expired.
 * @event agent-privacy-acknowledge - `PrivacyAcknowledgeDetail`: the agent acknowledged the privacy notice.
 * @event agent-error - `AgentErrorDetail`: an adapter event was refused or an adapter call failed.
 */
export class AgentConsole extends AgentElement {
  static override styles = consoleStyles;

  /** The channel adapter to run on. */
  @property({ attribute: false }) adapter?: ChannelAdapter;

  /** Sessions the agent may hold at once; at the limit, Accept explains why it cannot. */
  @property({ type: Number, attribute: 'max-sessions' }) maxSessions = 10;

  /** Seconds to answer a request (default 120); `0` never expires. */
  @property({ type: Number }) timeout = 120;

  /** Toasts shown before the rest fold into "+N more". */
  @property({ type: Number, attribute: 'max-visible' }) maxVisible = 3;

  /**
   * Where request toasts show: a corner of the viewport, `top-end` (default),
   * `top-start`, `bottom-end` or `bottom-start`, over the page; or `console`,
   * at the top of the console's own box, pushing its content down, so that
   * toasts never cover the page or the console's controls.
   */
  @property({ attribute: 'toast-position' }) toastPosition: ToastPosition = 'top-end';

  /** Plays a chime for each new request (in one tab only, when the console is open in several). */
  @property({ type: Boolean }) sound = false;

  /**
   * Shows a desktop notification for new requests while the page is hidden.
   * If the agent has not decided yet, permission is asked on their next click in the console.
   */
  @property({ type: Boolean }) notify = false;

  /** Shows the agent the privacy notice: this text, or the localised default when empty. Absent: no notice. */
  @property({ attribute: 'privacy-notice' }) privacyNotice: string | null = null;

  /** Whether the agent has acknowledged the privacy notice (set it to skip a notice acknowledged earlier). */
  @property({ type: Boolean, attribute: 'privacy-acknowledged', reflect: true }) privacyAcknowledged = false;

  /** Sent to the customer as the first message of every session, e.g. a consent or recording notice. */
  @property({ attribute: 'customer-notice' }) customerNotice = '';

  /**
   * Separates consoles that must not share requests across tabs (another agent or backend on the same site).
   * Messages not yet sent are kept in the browser under it (and the channel), so a page reload does not lose them.
   */
  @property({ attribute: 'sync-key' }) syncKey = '';

  @state() private selected = '';
  private get pane() {
    return this.renderRoot.querySelector<AgentConversationPane>('agent-conversation-pane');
  }
  private get stack() {
    return this.renderRoot.querySelector<AgentToastStack>('agent-toast-stack');
  }

  readonly #l10n = new LocalizeController(this);
  #core?: ConsoleCore;
  #sync?: TabSync;
  /** How often the waiting times shown change (set while rendering them). */
  #waitingEvery = 0;
  /** Why answering a request failed, by request id. */
  readonly #errors = new Map<string, Explain>();
  /** Requests that went away while shown, kept briefly with the reason. */
  readonly #leaving = new Map<string, { request: ConversationRequest; why: Explain; timer: ReturnType<typeof setTimeout> }>();
  /** The pending requests as last shown. */
  #shown = new Map<string, ConversationRequest>();
  #ending = new Set<string>();
  /** Why the last action on the shown session (End, Hand back) failed. */
  #endError?: Explain;

  /** The console's state (requests, sessions, transcripts), for pages that need more than the events. */
  get core(): ConsoleCore | undefined {
    return this.#core;
  }

  /** The conversation id of the session shown, or `''` when there is none. */
  get selectedConversationId(): string {
    const sessions = this.#core?.sessions;
    return sessions?.has(this.selected) ? this.selected : (sessions?.keys().next().value ?? '');
  }

  /** Shows a session; with `focus`, moves focus to its message box. */
  async select(conversationId: string, focus = false): Promise<void> {
    this.selected = conversationId;
    this.#endError = undefined;
    await this.updateComplete;
    if (focus) this.pane?.focus();
  }

  constructor() {
    super();
    new CoreSubscriptionController(this, {
      core: () => this.#core,
      change: ({ area }) => {
        if (area === 'requests') this.#requestsChanged();
        this.requestUpdate();
      },
      error: (detail) => this.emit('agent-error', detail),
    });
    // Seconds while the reconnect countdown or a waiting time under a minute shows, else minutes.
    new ClockController(this, () => (this.#core?.reconnectAt ? 1000 : this.#waitingEvery));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A console moved elsewhere in the page is connected again at once: keep it running.
    queueMicrotask(() => this.isConnected || this.#stop());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('adapter') && this.#core?.adapter !== this.adapter) {
      this.#stop();
      this.#core = this.adapter && new ConsoleCore(this.adapter, { maxSessions: this.maxSessions, outboxKey: this.syncKey });
      this.#shown.clear();
      this.#start();
    }
    if (this.#core) Object.assign(this.#core, { maxSessions: this.maxSessions, customerNotice: this.customerNotice });
    if (this.sound || this.notify) this.#sync?.lead();
  }

  override render() {
    const core = this.#core;
    const t = this.#l10n.translation;
    const sessions = core ? [...core.sessions.values()] : [];
    const current = core?.sessions.get(this.selected) ?? sessions[0];
    this.#waitingEvery = 0;
    // The stack comes before the sessions, where it shows with toast-position="console"
    // (and so in reading order too); in a corner it is fixed over the page.
    return html`<div part="base" class="base" @click=${this.#askToNotify}>
      ${this.privacyNotice !== null && !this.privacyAcknowledged
        ? html`<agent-privacy-notice .message=${this.privacyNotice} @agent-privacy-acknowledge=${this.#onAcknowledge}></agent-privacy-notice>`
        : nothing}
      ${core ? this.#renderConnection(core, t) : nothing}
      <agent-toast-stack
        max-visible=${this.maxVisible}
        position=${this.toastPosition}
        @agent-accept=${this.#onAccept}
        @agent-reject=${this.#onReject}
        @agent-timeout=${this.#onTimeout}
      >
        ${core ? this.#renderToasts(core, t) : nothing}
      </agent-toast-stack>
      <div class="main">
        <nav part="sessions" aria-label=${t.conversations}>
          <p class="heading" tabindex="-1">${t.conversations}</p>
          ${sessions.length
            ? html`<ul>
                ${sessions.map((session) => this.#renderItem(session, session === current, t))}
              </ul>`
            : html`<p class="muted">${t.noSessions}</p>`}
        </nav>
        ${current ? this.#renderSession(current, core!, t) : nothing}
      </div>
    </div>`;
  }

  #renderConnection(core: ConsoleCore, t: Translation) {
    const { state, error, code } = core.connection;
    const lost = state === 'closed' && (!!core.reconnectAt || !!error);
    // A code is the one clear reason, e.g. the backend's access to the channel expired (sends wait meanwhile).
    const why = code ? t.channelError(code, this.#channelName(core.adapter.channel)) : lost ? t.connectionLost : t.connecting;
    const text = core.offline || state !== 'open' ? `${why}${core.sessions.size ? ` ${t.keptWhileOffline}` : ''}` : '';
    const seconds = core.reconnectAt && Math.max(1, Math.ceil((core.reconnectAt - Date.now()) / 1000));
    return html`<div part="connection" class="connection ${text ? 'down' : ''}">
      <p role="status">${text}</p>
      ${lost
        ? html`${seconds ? html`<span class="muted">${t.reconnectingIn(seconds)}</span>` : nothing}
            <button type="button" @click=${() => core.reconnectNow()}>${t.reconnectNow}</button>`
        : nothing}
    </div>`;
  }

  #renderItem(session: Session, selected: boolean, t: Translation) {
    const { customer, channel } = session.conversation;
    const { transcript } = session;
    let last: Message | undefined;
    for (let i = transcript.size - 1; i >= 0 && !last; i--) if (transcript.at(i)!.direction !== 'system') last = transcript.at(i);
    const summary = last ? messageSummary(last, { t, customer: customer.name, lang: this.#l10n.locale(), unsupported: this.#core?.capabilities?.unsupported }) : '';
    const waiting = !session.ended && last?.direction === 'inbound';
    if (waiting) this.#waitingEvery = Math.min(this.#waitingEvery || Infinity, resolutionFor(Date.now() - Date.parse(last!.sentAt)));
    const status = session.ended ? t.endedShort : waiting ? t.waiting(formatDuration(last!.sentAt, this.#l10n.locale())) : '';
    return html`<li>
      <button type="button" class="item" aria-current=${selected ? 'true' : nothing} @click=${() => this.select(session.id)}>
        <span class="name">${avatar(customer)}<span dir="auto">${customer.name}</span></span>
        <span class="muted">
          ${this.#channelName(channel)}
          ${session.unread
            ? html`<span class="unread"><span aria-hidden="true">${session.unread}</span><span class="visually-hidden">${t.unread(session.unread)}</span></span>`
            : nothing}
        </span>
        <span class="last muted" dir="auto">${last?.direction === 'outbound' ? `${t.you}: ` : ''}${summary}</span>
        ${status ? html`<span class="muted status">${status}</span>` : nothing}
      </button>
    </li>`;
  }

  #renderSession(session: Session, core: ConsoleCore, t: Translation) {
    const { id, conversation } = session;
    const ending = this.#ending.has(id);
    return html`<section part="session" class="session" aria-label=${t.conversationWith(conversation.customer.name)}>
      <header>
        <p class="title"><strong dir="auto">${conversation.customer.name}</strong> <span class="muted">${this.#channelName(conversation.channel)}</span></p>
        ${session.ended
          ? html`<button type="button" @click=${() => this.#close(core, id)}>${t.closeConversation}</button>`
          : html`${session.thread?.owner === 'console' && core.adapter.passThread
                ? html`<button type="button" @click=${() => this.#handBack(core, id)}>${t.handBack}</button>`
                : nothing}
              <button type="button" aria-disabled=${ending} @click=${() => !ending && this.#end(core, id)}>${t.endConversation}</button>`}
      </header>
      ${this.#endError ? html`<p class="error" role="alert">${this.#endError(t)}</p>` : nothing}
      <agent-conversation-pane .core=${core} conversation-id=${id} exportparts="transcript, bubble, inbound, outbound, save, composer"></agent-conversation-pane>
    </section>`;
  }

  #renderToasts(core: ConsoleCore, t: Translation) {
    const pending = core.requests.pending;
    const leaving = [...this.#leaving.values()].filter(({ request }) => !core.requests.get(request.id));
    const toasts = [...pending.map((request) => ({ request, why: undefined })), ...leaving].sort(
      (a, b) => Date.parse(b.request.createdAt) - Date.parse(a.request.createdAt),
    );
    const blocked = core.atSessionLimit ? t.sessionLimit(core.maxSessions) : '';
    return repeat(
      toasts,
      ({ request }) => request.id,
      ({ request, why }) => {
        const busy = core.isAccepting(request.id);
        return html`<agent-request-toast
          part="toast"
          .request=${request}
          .channel=${core.capabilities}
          .timeout=${this.timeout}
          .busy=${busy}
          .error=${this.#errors.get(request.id)?.(t) ?? ''}
          .blocked=${busy ? '' : blocked}
          .gone=${why?.(t) ?? ''}
        ></agent-request-toast>`;
      },
    );
  }

  #start() {
    const core = this.#core;
    if (!core || this.#sync || !this.isConnected) return;
    this.#sync = new TabSync(`${core.adapter.channel}:${this.syncKey}`, this.#answeredElsewhere);
    if (this.sound || this.notify) this.#sync.lead();
    this.#requestsChanged();
    core.start().catch(() => {}); // the connection bar says so, and the core tries again
  }

  #stop() {
    const core = this.#core;
    if (!core || !this.#sync) return;
    this.#sync.close();
    this.#sync = undefined;
    for (const { timer } of this.#leaving.values()) clearTimeout(timer);
    this.#leaving.clear();
    this.#errors.clear();
    core.stop().catch(() => {}); // reported by the core as agent-error
  }

  /** Alerts for new requests; keeps withdrawn ones on screen briefly with the reason. */
  #requestsChanged() {
    const requests = this.#core!.requests;
    for (const request of requests.pending) if (!this.#shown.has(request.id)) this.#alert(request);
    for (const [id, request] of this.#shown) {
      if (requests.get(id)) continue;
      this.#errors.delete(id);
      const outcome = requests.outcome(id)!;
      if (requests.answeredElsewhere(id)) this.#leave(request, (t) => t.answeredElsewhere(outcome));
      else if (outcome === 'withdrawn') this.#leave(request, (t) => t.withdrawn(request.customer.name));
    }
    this.#shown = new Map(requests.pending.map((request) => [request.id, request]));
  }

  #answeredElsewhere = (requestId: string, outcome: RequestOutcome) => this.#core?.answeredElsewhere(requestId, outcome);

  #leave(request: ConversationRequest, why: Explain) {
    const timer = setTimeout(() => {
      this.#leaving.delete(request.id);
      this.requestUpdate();
    }, leavingFor);
    this.#leaving.set(request.id, { request, why, timer });
  }

  #alert(request: ConversationRequest) {
    if (!this.#sync?.leader) return;
    if (this.sound) chime();
    if (!this.notify || document.visibilityState !== 'hidden' || globalThis.Notification?.permission !== 'granted') return;
    const title = this.#l10n.translation.incoming(this.#channelName(request.channel), request.customer.name);
    new Notification(title, { body: request.preview ?? '', tag: `agent-console:${request.id}` }).onclick = () => {
      window.focus();
      this.stack?.focusNewest();
    };
  }

  /** The channel's name as its adapter gives it, or as the conversation or request names it until then. */
  #channelName(channel: string) {
    return this.#core?.capabilities?.name ?? channelTitle(channel);
  }

  async #onAcknowledge() {
    this.privacyAcknowledged = true;
    await this.updateComplete;
    // The notice and its focused button are gone; focus goes to the work list.
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  #askToNotify() {
    if (this.notify && globalThis.Notification?.permission === 'default') void Notification.requestPermission();
  }

  async #onAccept(event: CustomEvent<RequestAnswerDetail>) {
    const core = this.#core!;
    const toast = event.target as Element;
    const focused = toast.matches(':focus-within');
    await this.#answer(event.detail, async () => {
      const session = await core.accept(event.detail.requestId);
      // Show the new session, unless the agent has meanwhile gone back to work in another one.
      const withAgent = focused && (toast.matches(':focus-within') || document.activeElement === document.body);
      if (withAgent || !this.matches(':focus-within')) await this.select(session.id, withAgent);
    });
  }

  #onReject(event: CustomEvent<RequestAnswerDetail>) {
    void this.#answer(event.detail, () => this.#core!.reject(event.detail.requestId));
  }

  #onTimeout(event: CustomEvent<RequestAnswerDetail>) {
    void this.#answer(event.detail, () => this.#core!.expire(event.detail.requestId));
  }

  /** Answers a request and tells the other tabs; a failure is shown on its toast, which stays answerable. */
  async #answer({ requestId, outcome }: RequestAnswerDetail, answer: () => Promise<unknown>) {
    this.#errors.delete(requestId);
    this.requestUpdate();
    try {
      await answer();
      this.#sync?.answered(requestId, outcome);
    } catch (error) {
      if (outcome !== 'timed-out' && this.#core?.requests.get(requestId)) {
        this.#errors.set(requestId, (t) =>
          error instanceof SessionLimitError
            ? t.sessionLimit(error.limit)
            : (outcome === 'accepted' ? t.acceptFailed : t.rejectFailed)(describeError(t, this.#channelName(this.#core!.adapter.channel), error)),
        );
      }
      if (outcome === 'timed-out') this.#sync?.answered(requestId, outcome); // it left this tab's queue all the same
    }
    this.requestUpdate();
  }

  async #end(core: ConsoleCore, id: string) {
    this.#ending.add(id);
    await this.#act(core, () => core.end(id), (t, why) => t.endFailed(why));
    this.#ending.delete(id);
    this.requestUpdate();
  }

  async #handBack(core: ConsoleCore, id: string) {
    if (!(await this.#act(core, () => core.passThread(id), (t, why) => t.actionFailed(t.handBack, why)))) return;
    // Its button has gone: focus goes to the pane, which says who has the conversation now.
    await this.updateComplete;
    if (this.selectedConversationId === id && !this.renderRoot.querySelector(':focus')) this.pane?.focus();
  }

  /** Runs an action on the shown session; a failure shows under its header, in the console's words for a known code. */
  async #act(core: ConsoleCore, action: () => Promise<void>, failed: (t: Translation, why: string) => string): Promise<boolean> {
    this.#endError = undefined;
    this.requestUpdate();
    try {
      await action();
      return true;
    } catch (error) {
      this.#endError = (t) => failed(t, describeError(t, this.#channelName(core.adapter.channel), error));
      return false;
    } finally {
      this.requestUpdate();
    }
  }

  #close(core: ConsoleCore, id: string) {
    core.close(id);
    const next = core.sessions.keys().next().value;
    void this.select(next ?? '', true);
  }
}
