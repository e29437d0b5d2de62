import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChannelAdapter, Conversation, Message } from '../../adapters/types.js';
import { channelTitle } from '../../adapters/types.js';
import { ClockController, resolutionFor } from '../../controllers/clock.js';
import { CoreSubscriptionController } from '../../controllers/core-subscription.js';
import { MenuController } from '../../controllers/menu.js';
import { TranscriptVirtualizer } from '../../controllers/transcript-virtualizer.js';
import { type AgentErrorDetail, ConsoleCore, type CoreChangeDetail } from '../../core/console-core.js';
import type { Session } from '../../core/session.js';
import type { TranscriptMessage } from '../../core/transcript.js';
import { formatDuration, formatFileSize } from '../../l10n/format.js';
import { LocalizeController } from '../../l10n/localize.js';
import type { Translation } from '../../l10n/translation.js';
import type {
  AgentAttachmentPicker,
  AttachmentRefuseDetail,
  AttachmentSelectDetail,
} from '../attachment-picker/attachment-picker.component.js';
import { AgentElement } from '../base/agent-element.js';
import { describeError } from '../base/channel-error.js';
import { conversationPaneStyles } from './conversation-pane.styles.js';
import { attachmentLabel, failureText, messageSummary, renderMessageRow, type RowContext } from './message-row.js';
import { loadSanitizer } from '../base/sanitizer.js';

/** How close to the top, in px, earlier history starts loading. */
const historyThreshold = 400;
const typingIdle = 4000;
const typingRepeat = 3000;
/** The reactions the agent can choose from (named by `reactionNames`). */
const reactionEmoji = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
type Explain = (t: Translation) => string;

/**
 * The `detail` of `agent-send`, which `<agent-conversation-pane>` dispatches
 * before it sends the agent's text (see the
 * [element reference](docs:api.md#agent-conversation-pane)). Cancel the event
 * to stop the send; the draft stays in the message box.
 */
export interface SendDetail {
  /** The conversation it goes to. */
  conversationId: string;
  /** The text as typed. */
  text: string;
  /** The customer's message it replies to, when the agent chose Reply on one. */
  replyTo?: string;
}

/**
 * The communication panel: the transcript of one conversation, virtualised so
 * that 100,000 messages scroll like 100, with the composer and the
 * unsupported-type banner. Give it a `core` and `conversationId` (as
 * `<agent-console>` does), or an `adapter` and `conversationId` to use it alone.
 *
 * @tag agent-conversation-pane
 * @csspart base - The pane.
 * @csspart transcript - The scrolling list of messages.
 * @csspart bubble - A message bubble (customer and agent messages; system lines have none).
 * @csspart inbound - A customer's message bubble (with `bubble`).
 * @csspart outbound - An agent's message bubble (with `bubble`).
 * @csspart save - A link that saves a received file.
 * @csspart composer - The message box and Send button.
 * @cssproperty --agent-font-family - Font family (default: the system UI font).
 * @cssproperty --agent-font-size - Font size (default: the inherited size).
 * @cssproperty --agent-accent - Outbound bubbles and buttons.
 * @cssproperty --agent-surface - Pane background.
 * @cssproperty --agent-inbound-background - Inbound bubbles.
 * @cssproperty --agent-outbound-background - Outbound bubbles (default: the accent mixed into the surface).
 * @cssproperty --agent-link - Links and small text buttons (default: the accent).
 * @cssproperty --agent-on-accent - Text on accent-coloured buttons.
 * @cssproperty --agent-border - Borders.
 * @cssproperty --agent-control-border - Borders of the message box.
 * @cssproperty --agent-danger - Failures and limits.
 * @cssproperty --agent-error-background - Background of the note that says why a file was refused.
 * @cssproperty --agent-error-color - Text of the note that says why a file was refused.
 * @cssproperty --agent-text - Text colour.
 * @cssproperty --agent-muted - Secondary text colour.
 * @cssproperty --agent-radius - Corner radius.
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @event agent-send - `SendDetail` (`{ conversationId, text }`), before a message is sent. Cancel it to stop the send; the draft stays.
 * @event agent-error - `AgentErrorDetail`, when the pane runs its own core and an adapter event was refused or a call failed.
 */
export class AgentConversationPane extends AgentElement {
  static override styles = conversationPaneStyles;

  /** The console core holding the conversation (set by `<agent-console>`). */
  @property({ attribute: false }) core?: ConsoleCore;

  /** An adapter, to use the pane on its own; it then runs a core of its own on it. */
  @property({ attribute: false }) adapter?: ChannelAdapter;

  /** The conversation to show. */
  @property({ attribute: 'conversation-id' }) conversationId = '';

  /** The conversation's details (customer, reply window), when the pane is used on its own. */
  @property({ attribute: false }) conversation?: Conversation;

  private get scroller() {
    return this.renderRoot.querySelector<HTMLElement>('.scroller');
  }
  private get textbox() {
    return this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
  }
  private get viewer() {
    return this.renderRoot.querySelector<HTMLDialogElement>('dialog');
  }
  private get picker() {
    return this.renderRoot.querySelector<AgentAttachmentPicker>('agent-attachment-picker');
  }

  @state() private unseen = 0;
  @state() private viewing?: { label: string; url: string };
  /** Why files of the last batch were refused, shown next to the composer. */
  @state() private refusals: string[] = [];
  @state() private dragging = false;
  /** The message the agent went to from a reply's quote: focused and marked. */
  @state() private goneTo?: string;
  /** Messages whose earlier texts the agent opened. */
  readonly #expanded = new Set<string>();
  /** Why the last Take over failed, or the last reaction (on message `id`). */
  @state() private failure?: { id?: string; explain: Explain };

  readonly #l10n = new LocalizeController(this);
  readonly #subscription = new CoreSubscriptionController(this, {
    core: () => this.activeCore,
    change: (detail) => this.#onChange(detail),
    // With a core of its own, the pane is where the page hears about adapter trouble.
    error: (detail) => this.core || this.emit('agent-error', detail),
  });
  readonly #virtualizer = new TranscriptVirtualizer(this, {
    scroller: () => this.scroller,
    view: () => this.#session,
    scrolled: (anchor) => {
      this.activeCore!.setScrollAnchor(this.conversationId, anchor);
      if (!anchor) this.unseen = 0;
    },
    viewed: () => this.#viewed(),
  });
  #ownCore?: ConsoleCore;
  #typingSince = 0;
  /** The conversation the current batch of files is for. */
  #filesFor = '';
  /** The conversation the agent was last reported typing in. */
  #typingIn = '';
  #announced = 0;
  /** The customer messages the live region reads out, newest last. */
  #heard: { key: number; message: Message }[] = [];
  #typingTimer?: ReturnType<typeof setTimeout>;
  /** Previews of files being sent, by clientId; revoked when the upload is done. */
  #previews = new Map<string, string>();
  #taking = false;
  /** The message whose reaction menu is open. */
  #reactingTo = '';
  readonly #reactMenu = new MenuController(this, {
    button: () => this.#row(this.#reactingTo)?.querySelector('.react'),
    items: () => [...(this.#row(this.#reactingTo)?.querySelectorAll<HTMLElement>('[role=menuitemradio]') ?? [])],
    choose: (item) => this.#react(this.#reactingTo, item.dataset.emoji!),
  });

  constructor() {
    super();
    // The reply window's countdown: every minute, and every second in its last minute.
    new ClockController(this, () => {
      const end = this.#session && this.#replyBy(this.#session);
      const left = end ? end - Date.now() : 0;
      return left > 0 ? resolutionFor(left) : 0;
    });
  }

  /** The core in use: the one given, or the pane's own. */
  get activeCore(): ConsoleCore | undefined {
    return this.core ?? this.#ownCore;
  }

  /** Focuses the message box, or the transcript when the agent cannot write. */
  override focus(options?: FocusOptions): void {
    (this.textbox && !this.textbox.disabled ? this.textbox : this.scroller)?.focus(options);
  }

  get #session(): Session | undefined {
    return this.activeCore?.sessions.get(this.conversationId);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#prepareCore();
    // Links and formatting show once the sanitiser is here; until then they are plain text.
    void loadSanitizer().then((loaded) => loaded && this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTyping();
    this.#ownCore?.detach();
    this.#previews.forEach((url) => URL.revokeObjectURL(url));
    this.#previews.clear();
  }

  /** Scrolls to the newest message. */
  scrollToNewest(): void {
    this.unseen = 0;
    this.#virtualizer.scrollToEnd();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      this.#stopTyping();
      this.unseen = 0;
      this.failure = undefined;
    }
    if (changed.has('core') || changed.has('adapter') || changed.has('conversationId') || changed.has('conversation')) {
      this.#prepareCore();
    }
  }

  override render() {
    const t = this.#l10n.translation;
    const session = this.#session;
    if (!session) return html`<div part="base" class="base empty"></div>`;
    const { transcript, history } = session;
    const customer = this.#customerName(session);
    const capabilities = this.activeCore!.capabilities;
    const context: RowContext = {
      t,
      lang: this.#l10n.locale(),
      customer,
      channel: this.#channelName(),
      unsupported: capabilities?.unsupported,
      readReceipts: capabilities?.readReceipts ?? true,
      allowsFile: (attachment) => this.activeCore!.allowsFile(attachment),
      retry: (clientId) => this.activeCore!.retry(clientId),
      canRetry: (clientId) => this.activeCore!.canRetry(clientId),
      openImage: (label, url) => this.#openImage(label, url),
      find: (id) => transcript.get(id),
      goTo: (id) => void this.#goTo(id),
      expanded: this.#expanded,
      toggleEarlier: (id) => {
        if (!this.#expanded.delete(id)) this.#expanded.add(id);
        this.requestUpdate();
      },
      target: this.goneTo,
      actions: (message) => this.#renderActions(message, session),
    };
    const { start, end } = this.#virtualizer.range;
    const indices = Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
    return html`<div
      part="base"
      class="base ${this.dragging ? 'dragging' : ''}"
      @dragover=${this.#onDragOver}
      @dragleave=${() => (this.dragging = false)}
      @drop=${this.#onDrop}
    >
      ${this.dragging ? html`<p class="drop-hint" aria-hidden="true">${t.dropToSend}</p>` : nothing}
      <agent-error-banner
        dismissible
        .message=${t.unsupportedMessageType}
        ?hidden=${!session.unsupportedNotice}
        @agent-dismiss=${() => this.activeCore!.dismissUnsupportedNotice(this.conversationId)}
      ></agent-error-banner>
      <p class="history" role="status">
        ${history.loading
          ? t.loadingHistory
          : history.error
            ? html`${t.historyFailed} <button type="button" @click=${() => this.#loadHistory()}>${t.retry}</button>`
            : !history.hasMore && transcript.size && start === 0
              ? t.startOfConversation
              : nothing}
      </p>
      <div class="scroller" part="transcript" role="list" aria-label=${t.conversationWith(customer)} tabindex="0">
        <div class="spacer">
          <div class="window">
            ${repeat(
              indices,
              (i) => transcript.at(i)!.id,
              (i) => renderMessageRow(transcript.at(i)!, i, transcript.size, { ...context, previous: i > 0 ? transcript.at(i - 1) : undefined }),
            )}
          </div>
        </div>
      </div>
      ${this.unseen ? html`<button class="jump" type="button" @click=${this.#jumpToNewest}>${t.newMessages(this.unseen)}</button>` : nothing}
      <p class="typing" role="status">${session.customerTyping ? t.isTyping(customer) : nothing}</p>
      <div class="visually-hidden" role="log">${repeat(this.#heard, ({ key }) => key, ({ message }) => html`<p>${this.#announcement(message)}</p>`)}</div>
      ${this.#renderComposer(session)}
      <dialog @close=${() => (this.viewing = undefined)} aria-label=${this.viewing?.label ?? ''}>
        ${this.viewing
          ? html`<img src=${this.viewing.url} alt=${this.viewing.label} />
              <form method="dialog"><button type="submit">${t.close}</button></form>`
          : nothing}
      </dialog>
    </div>`;
  }

  #renderComposer(session: Session) {
    const t = this.#l10n.translation;
    const replyBy = this.#replyBy(session);
    const windowClosed = replyBy !== undefined && replyBy <= Date.now();
    const held = this.#held(session);
    const closed = this.#closed(session);
    const length = session.draft.length;
    const limit = this.activeCore!.capabilities?.textLimit ?? Infinity;
    const canSend = !closed && !!session.draft.trim() && length <= limit;
    const notice = session.ended
      ? t.conversationEnded
      : held
        ? ''
        : windowClosed
          ? t.replyWindowClosed
          : replyBy !== undefined
            ? t.replyWindowOpen(formatDuration(replyBy, this.#l10n.locale()))
            : '';
    const replying = !closed && session.replyTo !== undefined;
    const failure = held && this.failure && !this.failure.id && this.failure.explain(t);
    return html`<form class="composer" part="composer" @submit=${this.#onSubmit} @keydown=${this.#onComposerKeydown}>
      <p class="note" role="status" id="thread-notice">${held ? t.threadElsewhere : nothing}</p>
      ${held && this.activeCore!.adapter.takeThread
        ? html`<button type="button" aria-disabled=${this.#taking} @click=${this.#takeOver}>${t.takeOver}</button>`
        : nothing}
      ${failure ? html`<p class="note error" role="alert">${failure}</p>` : nothing}
      ${notice ? html`<p class="notice ${closed ? 'closed' : ''}" id="composer-notice">${notice}</p>` : nothing}
      ${this.#renderUploads()}
      ${this.refusals.length
        ? html`<div class="refusal" role="alert">
            <span>${this.refusals.map((refusal) => html`<span class="refusal-line">${refusal}</span>`)}</span>
            <button type="button" class="dismiss" aria-label=${t.dismiss} @click=${() => (this.refusals = [])}>×</button>
          </div>`
        : nothing}
      ${replying
        ? html`<p class="note"><span id="replying">${t.replyingTo(this.#replyWords(session))}</span>
            <button type="button" @click=${this.#cancelReply}>${t.cancel}</button></p>`
        : nothing}
      <div class="compose-row">
        <agent-attachment-picker
          @pointerdown=${this.#startBatch}
          @keydown=${this.#startBatch}
          .policy=${this.activeCore!.policy}
          ?disabled=${closed}
          @agent-attachment-select=${this.#onFileSelected}
          @agent-attachment-refuse=${this.#onFileRefused}
        ></agent-attachment-picker>
        <textarea
          rows="1"
          aria-label=${t.typeMessage}
          placeholder=${t.typeMessage}
          aria-describedby=${[notice && 'composer-notice', held && 'thread-notice', replying && 'replying'].filter(Boolean).join(' ') || nothing}
          .value=${session.draft}
          ?disabled=${closed}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
          @blur=${this.#stopTyping}
          @paste=${this.#onPaste}
        ></textarea>
        <button class="send" type="submit" ?disabled=${!canSend}>${t.send}</button>
      </div>
      ${length >= limit * 0.9
        ? html`<p class="counter ${length > limit ? 'over' : ''}" role="status">
            ${t.charactersLeft(limit - length)}${length > limit ? html` ${t.tooLong(limit)}` : nothing}
          </p>`
        : nothing}
    </form>`;
  }

  /** Files on their way: a chip each with progress, Cancel, and Retry after a failure. */
  #renderUploads() {
    const t = this.#l10n.translation;
    const core = this.activeCore!;
    const uploads = [...core.outbox].filter(([, entry]) => entry.conversationId === this.conversationId && entry.draft.file);
    if (!uploads.length) return nothing;
    return html`<ul class="uploads">
      ${repeat(
        uploads,
        ([clientId]) => clientId,
        ([clientId, entry]) => {
          const file = entry.draft.file!;
          const failed = !entry.controller;
          const unsent = failed && (this.#session?.transcript.getByClientId(clientId) as TranscriptMessage | undefined);
          const error = unsent ? failureText(unsent, t, this.#channelName()) : undefined;
          let preview = this.#previews.get(clientId);
          if (!preview && file.type.startsWith('image/')) this.#previews.set(clientId, (preview = URL.createObjectURL(file)));
          return html`<li class="upload ${failed ? 'failed' : ''}">
            ${preview ? html`<img src=${preview} alt="" />` : nothing}
            <span class="upload-text">
              <span class="file-name">${file.name}</span>
              <span class="file-details">${formatFileSize(file.size, this.#l10n.locale())}${failed ? html` · ${t.uploadFailed(file.name)} ${error ?? ''}` : nothing}</span>
              ${failed
                ? nothing
                : html`<progress max=${entry.totalBytes || file.size} value=${entry.sentBytes} aria-label=${t.uploading(file.name)}></progress>`}
            </span>
            ${failed && core.canRetry(clientId) ? html`<button type="button" @click=${() => core.retry(clientId)}>${t.retry}</button>` : nothing}
            <button type="button" @click=${() => core.cancel(clientId)}>${t.cancel}</button>
          </li>`;
        },
      )}
    </ul>`;
  }

  // —— Data ——

  /** Makes the pane's own core when it is used alone, with a session for its conversation. */
  #prepareCore() {
    if (!this.core && this.adapter) {
      if (this.#ownCore?.adapter !== this.adapter) {
        this.#ownCore?.detach();
        this.#ownCore = new ConsoleCore(this.adapter);
        this.adapter.connect().catch(() => {}); // the core reports connection problems
      }
      this.#ownCore.attach(); // again after the pane was moved in the page
    }
    const core = this.activeCore;
    const own = core && core === this.#ownCore && this.conversationId;
    const session = own ? core.sessions.get(this.conversationId) : undefined;
    if (session && this.conversation?.id === this.conversationId) core!.updateConversation(this.conversation);
    if (own && !session) {
      core.openSession(
        this.conversation ?? {
          id: this.conversationId,
          channel: core.adapter.channel,
          customer: { id: '', name: '' },
          startedAt: new Date().toISOString(),
        },
      );
    }
  }

  #onChange({ id, arrivals = [] }: CoreChangeDetail) {
    for (const [clientId, url] of this.#previews) {
      if (this.#subscription.core?.outbox.has(clientId)) continue;
      URL.revokeObjectURL(url); // that upload is over
      this.#previews.delete(clientId);
    }
    if (id !== undefined && id !== this.conversationId) return;
    // The live region reads the last three; a flood's earlier messages are not worded at all.
    for (const message of arrivals.filter(({ direction }) => direction === 'inbound').slice(-3)) this.#announce(message);
    if (!this.#virtualizer.stuck) this.unseen += arrivals.length;
    this.requestUpdate();
  }

  #channelName(): string {
    const core = this.activeCore!;
    return core.capabilities?.name ?? channelTitle(core.adapter.channel);
  }

  #customerName(session: Session): string {
    return session.conversation.customer.name.trim() || this.#l10n.translation.theCustomer;
  }

  /** Keeps the last three customer messages for the live region; a flood of them costs no more than that. */
  #announce(message: Message) {
    this.#heard.push({ key: ++this.#announced, message });
    if (this.#heard.length > 3) this.#heard.shift();
  }

  #announcement(heard: Message): string {
    const t = this.#l10n.translation;
    const customer = this.#customerName(this.#session!);
    // As it is now: what the customer removed is not left in the log.
    const message = this.#session!.transcript.get(heard.id) ?? heard;
    const files = message.attachments?.map((a) => attachmentLabel(a, { t, customer })) ?? [];
    const what = message.unsupported ? t.unsupportedMessageType : [message.text, ...files].filter(Boolean).join(' ') || messageSummary(message, { t, customer, lang: '' });
    return `${customer}: ${what}`;
  }

  // —— Scrolling ——

  /** The view is in place: the agent has seen what arrived if they are at the newest message; earlier history loads near the top. */
  #viewed() {
    if (this.#virtualizer.stuck && this.#session?.unread && document.visibilityState === 'visible') this.activeCore!.markRead(this.conversationId);
    this.#maybeLoadHistory();
  }

  /** Shows a loaded message near the top of the view and focuses it, e.g. the one a reply quotes. */
  async #goTo(messageId: string) {
    this.goneTo = messageId;
    this.#virtualizer.scrollToMessage(messageId);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.row[data-id="${CSS.escape(messageId)}"]`)?.focus({ preventScroll: true });
  }

  #jumpToNewest = () => {
    this.scrollToNewest();
    // The button goes away; focus goes where the agent will act next.
    (this.textbox?.disabled ? this.scroller : this.textbox)?.focus();
  };

  #maybeLoadHistory() {
    const session = this.#session;
    if (!session || !this.scroller?.clientHeight || session.history.loading || session.history.error || !session.history.hasMore) return;
    if (this.scroller.scrollTop < historyThreshold) this.#loadHistory();
  }

  #loadHistory() {
    // Keep the agent's place: history goes above what they are reading.
    this.#virtualizer.keepPlace();
    void this.activeCore!.loadHistory(this.conversationId);
  }

  // —— Composer ——

  #onInput = (event: Event) => {
    const draft = (event.target as HTMLTextAreaElement).value;
    this.activeCore!.setDraft(this.conversationId, draft);
    this.#reportTyping(draft.length > 0);
    this.requestUpdate();
  };

  #onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#send();
    }
  };

  #onSubmit = (event: Event) => {
    event.preventDefault();
    this.#send();
  };

  #send() {
    const session = this.#session;
    const text = session?.draft ?? '';
    if (!session || !text.trim() || text.length > (this.activeCore!.capabilities?.textLimit ?? Infinity) || session.ended) return;
    if (this.#closed(session)) return;
    const { replyTo } = session;
    if (this.emit('agent-send', { conversationId: this.conversationId, text, ...(replyTo && { replyTo }) }, { cancelable: true }).defaultPrevented) return;
    this.activeCore!.send(this.conversationId, { text, replyTo });
    this.activeCore!.setDraft(this.conversationId, '');
    this.activeCore!.setReplyTo(this.conversationId);
    this.#stopTyping();
    this.scrollToNewest();
  }

  /**
   * A new batch of files starts (the agent opens the menu, drops or pastes):
   * they go to the conversation shown now, even if the agent switches while
   * they are checked, and earlier refusals make way.
   */
  #startBatch = () => {
    this.#filesFor = this.conversationId;
    this.refusals = [];
  };

  #onFileSelected = (event: CustomEvent<AttachmentSelectDetail>) => {
    const { file, mimeType } = event.detail;
    const conversationId = this.#filesFor || this.conversationId;
    const session = this.activeCore!.sessions.get(conversationId);
    if (!session || session.ended) {
      this.refusals = [...this.refusals, this.#l10n.translation.uploadFailed(file.name)];
      return;
    }
    // Some systems give no type; send the one the check worked out.
    const typed = file.type ? file : new File([file], file.name, { type: mimeType, lastModified: file.lastModified });
    // In reply mode the first file answers the message, as text would.
    const { replyTo } = session;
    this.activeCore!.send(conversationId, { file: typed, replyTo });
    if (replyTo) this.activeCore!.setReplyTo(conversationId);
    if (conversationId === this.conversationId) this.scrollToNewest();
    this.requestUpdate();
  };

  #onFileRefused = (event: CustomEvent<AttachmentRefuseDetail>) => {
    this.refusals = [...this.refusals, event.detail.message];
  };

  /** Dropped and pasted files take the same path as chosen ones. */
  #chooseFiles(files: File[]) {
    if (!files.length || !this.#session || !this.picker || this.picker.disabled) return;
    this.#startBatch();
    void this.picker.choose(files);
  }

  #onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    // Always claim the drop, so a file let go over a closed pane cannot open in the tab.
    event.preventDefault();
    const open = !this.picker?.disabled;
    event.dataTransfer.dropEffect = open ? 'copy' : 'none';
    this.dragging = open;
  };

  #onDrop = (event: DragEvent) => {
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (!files.length) return;
    event.preventDefault();
    this.#chooseFiles(files);
  };

  #onPaste = (event: ClipboardEvent) => {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])];
    // Text wins: office programs put a picture of the selection beside the text.
    if (!files.length || data?.types.includes('text/plain')) return;
    event.preventDefault();
    this.#chooseFiles(files);
  };

  /** Tells the customer the agent is typing, at most every few seconds, and stops after a pause. */
  #reportTyping(typing: boolean) {
    clearTimeout(this.#typingTimer);
    if (!typing) return this.#stopTyping();
    if (Date.now() - this.#typingSince > typingRepeat) {
      this.#typingSince = Date.now();
      this.#typingIn = this.conversationId;
      this.activeCore?.setTyping(this.conversationId, true);
    }
    this.#typingTimer = setTimeout(() => this.#stopTyping(), typingIdle);
  }

  #stopTyping = () => {
    clearTimeout(this.#typingTimer);
    if (!this.#typingSince) return;
    this.#typingSince = 0;
    this.activeCore?.setTyping(this.#typingIn, false);
  };

  // —— Thread, replies and reactions ——

  /** Whether another app (a bot, the Page inbox) holds the conversation's thread. */
  #held(session: Session): boolean {
    return session.thread?.owner === 'other' && !session.ended;
  }

  /** Whether the agent cannot write: the conversation ended, another app holds it, or the reply window closed. */
  #closed(session: Session): boolean {
    return !!session.ended || this.#held(session) || (this.#replyBy(session) ?? Infinity) <= Date.now();
  }

  #takeOver = async () => {
    if (this.#taking) return;
    const id = this.conversationId;
    this.#taking = true;
    this.failure = undefined;
    this.requestUpdate();
    try {
      await this.activeCore!.takeThread(id);
      await this.updateComplete;
      // Take over has gone from under the agent's focus: the message box is where they go next.
      if (id === this.conversationId && document.activeElement === document.body) this.textbox?.focus();
    } catch (error) {
      if (id === this.conversationId) this.failure = { explain: (t) => t.actionFailed(t.takeOver, describeError(t, this.#channelName(), error)) };
    }
    this.#taking = false;
    this.requestUpdate();
  };

  /** Reply, React, the agent's reaction and why it failed, beside a customer's message. */
  #renderActions(message: TranscriptMessage, session: Session) {
    if (message.direction !== 'inbound' || message.deleted) return nothing;
    const t = this.#l10n.translation;
    const { id } = message;
    const mine = session.reactions.get(id);
    const menu = this.#reactMenu.open && this.#reactingTo === id;
    const failure = this.failure?.id === id && this.failure.explain(t);
    return html`<div class="actions">
      ${this.#closed(session)
        ? nothing
        : html`<button type="button" class="reply" aria-label=${t.reply} @click=${() => this.#reply(id)}></button>
            ${this.activeCore!.adapter.react
              ? html`<button
                  type="button"
                  class="react"
                  aria-label=${t.react}
                  aria-haspopup="menu"
                  aria-expanded=${menu}
                  @click=${() => this.#openReactions(id)}
                  @keydown=${(event: KeyboardEvent) => {
                    this.#reactingTo = id;
                    this.#reactMenu.onButtonKeydown(event);
                  }}
                ></button>`
              : nothing}`}
      ${menu
        ? html`<div class="emoji" role="menu" aria-label=${t.react} @keydown=${this.#reactMenu.onMenuKeydown} @click=${this.#reactMenu.onMenuClick}>
            ${reactionEmoji.map(
              (emoji, i) =>
                html`<button type="button" role="menuitemradio" tabindex="-1" aria-checked=${emoji === mine} aria-label=${t.reactionNames[i]} data-emoji=${emoji}>${emoji}</button>`,
            )}
          </div>`
        : nothing}
      ${mine ? html`<span class="mine"><span aria-hidden="true">${mine}</span><span class="visually-hidden">${t.yourReaction(t.reactionNames[reactionEmoji.indexOf(mine)] ?? mine)}</span></span>` : nothing}
    </div>
    ${failure ? html`<p class="note error" role="alert">${failure}</p>` : nothing}`;
  }

  #row(id: string) {
    return id ? this.renderRoot.querySelector(`.row[data-id="${CSS.escape(id)}"]`) : null;
  }

  #openReactions(id: string) {
    const again = this.#reactMenu.open && this.#reactingTo === id;
    this.#reactMenu.hide(false);
    this.#reactingTo = id;
    if (!again) void this.#reactMenu.show();
  }

  /** Shows the chosen reaction at once; choosing the one shown takes it back. A failure puts the earlier one back and says why. */
  #react(messageId: string, emoji: string) {
    const core = this.activeCore!;
    const id = this.conversationId;
    const chosen = core.sessions.get(id)?.reactions.get(messageId) === emoji ? '' : emoji;
    this.failure = undefined;
    void core.react(id, messageId, chosen).catch((error: unknown) => {
      if (id === this.conversationId) this.failure = { id: messageId, explain: (t) => t.actionFailed(t.react, describeError(t, this.#channelName(), error)) };
    });
  }

  #reply(messageId: string) {
    this.activeCore!.setReplyTo(this.conversationId, messageId);
    this.requestUpdate();
    void this.updateComplete.then(() => this.textbox?.focus());
  }

  #cancelReply = () => {
    this.activeCore!.setReplyTo(this.conversationId);
    this.requestUpdate();
    this.textbox?.focus();
  };

  #onComposerKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || this.#session?.replyTo === undefined) return;
    event.preventDefault();
    this.#cancelReply();
  };

  /** The first words of the message being answered. */
  #replyWords(session: Session): string {
    const message = session.transcript.get(session.replyTo!);
    const t = this.#l10n.translation;
    const words = (message ? messageSummary(message, { t, customer: this.#customerName(session), lang: this.#l10n.locale() }) : '').split(/\s+/);
    return words.length > 8 ? `${words.slice(0, 8).join(' ')}…` : words.join(' ');
  }

  /** End of the reply window (epoch ms), on channels that have one. */
  #replyBy(session: Session): number | undefined {
    const { replyBy } = session.conversation;
    return replyBy && this.activeCore?.capabilities?.replyWindowHours ? Date.parse(replyBy) : undefined;
  }

  #openImage(label: string, url: string) {
    this.viewing = { label, url };
    void this.updateComplete.then(() => this.viewer?.showModal());
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-send': CustomEvent<SendDetail>;
    'agent-error': CustomEvent<AgentErrorDetail>;
  }
}
