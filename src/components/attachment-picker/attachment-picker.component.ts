import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { AttachmentKind, AttachmentPolicy } from '../../adapters/types.js';
import { allowedTypeLabels, checkAttachment, type RefusalReason } from '../../core/policy.js';
import { MenuController } from '../../controllers/menu.js';
import { formatFileSize } from '../../l10n/format.js';
import { LocalizeController } from '../../l10n/localize.js';
import { AgentElement } from '../base/agent-element.js';
import { attachmentPickerStyles } from './attachment-picker.styles.js';

// Without a policy the picker assumes no channel: any type, one file, any size.
const anyFile: AttachmentPolicy = { maxBytes: Infinity, accept: ['*/*'] };

/**
 * The `detail` of `agent-attachment-select`, which `<agent-attachment-picker>`
 * dispatches for each file that passed the attachment policy (see the
 * [element reference](docs:api.md#agent-attachment-picker)). Cancel the event
 * to keep the file from being sent.
 */
export interface AttachmentSelectDetail {
  /** The file the agent chose, dropped or pasted. */
  file: File;
  /** How it will be sent and shown. */
  kind: AttachmentKind;
  /** The MIME type it will be sent as: the file's own, or the usual one for its extension. */
  mimeType: string;
}

/**
 * The `detail` of `agent-attachment-refuse`, which `<agent-attachment-picker>`
 * dispatches for each file that broke the attachment policy (see the
 * [element reference](docs:api.md#agent-attachment-picker)). Nothing was
 * uploaded; the agent is shown `message`.
 */
export interface AttachmentRefuseDetail {
  /** The file that was refused. */
  file: File;
  /**
   * Why: `too-large`, `type-not-allowed`, `content-mismatch` (the content is
   * not what the name or type says), `empty`, `too-many` (more files than the
   * policy's `filesPerMessage`), or `unreadable` (the file could not be read).
   */
  reason: RefusalReason;
  /** What the agent is told: what was wrong and what is allowed. */
  message: string;
}

/**
 * The ellipsis (…) menu button of the composer. Its menu holds **Attach
 * file**, which opens the file window, and any `menuitem`s the page slots in.
 * Chosen, dropped or pasted files (see {@link choose}) are checked against the
 * attachment policy, content included, before anything is uploaded.
 *
 * @tag agent-attachment-picker
 * @slot - More menu items: elements with `role="menuitem"`.
 * @csspart trigger - The ellipsis button.
 * @csspart menu - The menu.
 * @csspart item - The Attach file item.
 * @cssproperty --agent-font-family - Font family (default: the system UI font).
 * @cssproperty --agent-font-size - Font size (default: the inherited size).
 * @cssproperty --agent-text - Text colour of the button and the menu.
 * @cssproperty --agent-surface - Button and menu background.
 * @cssproperty --agent-control-border - Border of the ellipsis button.
 * @cssproperty --agent-border - Border of the menu.
 * @cssproperty --agent-accent - Highlight of the focused item.
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @cssproperty --agent-radius - Corner radius.
 * @event agent-attachment-select - `AttachmentSelectDetail` (`{ file, kind, mimeType }`): a file passed the policy. Cancel it to keep the file from being sent.
 * @event agent-attachment-refuse - `AttachmentRefuseDetail` (`{ file, reason, message }`): a file broke the policy and will not be sent. `reason` is `too-large`, `type-not-allowed`, `content-mismatch`, `empty`, `too-many`, or `unreadable` (the file could not be read).
 */
export class AgentAttachmentPicker extends AgentElement {
  static override styles = attachmentPickerStyles;

  /**
   * The attachment policy files are checked against: the channel's
   * (`<agent-console>` and `<agent-conversation-pane>` pass their adapter's).
   * Without one, the picker takes one file of any type and size; a file
   * whose content is not what its name says is still refused.
   */
  @property({ attribute: false }) policy?: AttachmentPolicy;

  @property({ type: Boolean, reflect: true }) disabled = false;

  private get trigger() {
    return this.renderRoot.querySelector<HTMLButtonElement>('.trigger')!;
  }
  private get input() {
    return this.renderRoot.querySelector<HTMLInputElement>('input')!;
  }
  private get attachItem() {
    return this.renderRoot.querySelector<HTMLElement>('.item')!;
  }
  private get slotElement() {
    return this.renderRoot.querySelector<HTMLSlotElement>('slot')!;
  }

  readonly #l10n = new LocalizeController(this);
  readonly #menu = new MenuController(this, {
    button: () => this.trigger,
    items: () => this.#items(),
    choose: (item) => item === this.attachItem && this.openFileWindow(),
  });

  get #policy(): AttachmentPolicy {
    return this.policy ?? anyFile;
  }

  override willUpdate(): void {
    // A picker that becomes disabled (the session ended) does not keep its menu open.
    if (this.disabled) this.hide(false);
  }

  /** Opens the menu and focuses its first (or last) item. */
  async show(focus: 'first' | 'last' = 'first'): Promise<void> {
    if (!this.disabled) await this.#menu.show(focus);
  }

  /** Closes the menu, returning focus to the button unless focus is moving elsewhere. */
  hide(returnFocus = true): void {
    this.#menu.hide(returnFocus);
  }

  /** Opens the file window. */
  openFileWindow(): void {
    if (!this.disabled) this.input.click();
  }

  /**
   * Checks files (chosen, dropped or pasted) against the policy and fires
   * `agent-attachment-select` or `agent-attachment-refuse` for each.
   * `alreadyAttached` counts files already going with this message.
   * Resolves to the files that were accepted and not vetoed.
   */
  async choose(files: readonly File[], alreadyAttached = 0): Promise<File[]> {
    const accepted: File[] = [];
    for (const file of files) {
      const check = await checkAttachment(file, this.#policy, alreadyAttached + accepted.length);
      if (!check.ok) {
        this.emit('agent-attachment-refuse', { file, reason: check.reason, message: this.#refusal(file, check.reason, check.limit) });
        continue;
      }
      const detail = { file, kind: check.kind, mimeType: check.mimeType };
      if (!this.emit('agent-attachment-select', detail, { cancelable: true }).defaultPrevented) accepted.push(file);
    }
    return accepted;
  }

  override render() {
    const t = this.#l10n.translation;
    const accept = this.policy?.accept.join(',');
    return html`<button
        part="trigger"
        class="trigger"
        type="button"
        aria-label=${t.moreOptions}
        aria-haspopup="menu"
        aria-expanded=${this.#menu.open ? 'true' : 'false'}
        aria-controls="menu"
        ?disabled=${this.disabled}
        @click=${this.#menu.toggle}
        @keydown=${this.#menu.onButtonKeydown}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="5" cy="12" r="2" /><circle cx="12" cy="12" r="2" /><circle cx="19" cy="12" r="2" /></svg>
      </button>
      <div part="menu" id="menu" role="menu" aria-label=${t.moreOptions} ?hidden=${!this.#menu.open} @keydown=${this.#menu.onMenuKeydown} @click=${this.#menu.onMenuClick}>
        <div part="item" class="item" role="menuitem" tabindex="-1">${t.attachFile}</div>
        <slot></slot>
      </div>
      <input type="file" hidden tabindex="-1" accept=${accept ?? nothing} ?multiple=${(this.#policy.filesPerMessage ?? 1) > 1} @change=${this.#onFilesChosen} />`;
  }

  #items(): HTMLElement[] {
    const slotted = this.slotElement.assignedElements({ flatten: true }) as HTMLElement[];
    const usable = (item: HTMLElement) =>
      item.getAttribute('role') === 'menuitem' &&
      item.getAttribute('aria-disabled') !== 'true' &&
      !item.matches(':disabled') &&
      item.checkVisibility();
    return [this.attachItem, ...slotted.filter(usable)];
  }

  #onFilesChosen = () => {
    const files = [...(this.input.files ?? [])];
    this.input.value = ''; // so choosing the same file again still reports it
    void this.choose(files);
  };

  #refusal(file: File, reason: RefusalReason, limit?: number): string {
    const t = this.#l10n.translation;
    const lang = this.#l10n.locale();
    switch (reason) {
      case 'empty':
        return t.refusedEmpty(file.name);
      case 'too-many':
        return t.refusedTooMany(this.#policy.filesPerMessage ?? 1);
      case 'type-not-allowed':
        return t.refusedType(file.name, allowedTypeLabels(this.#policy).join(', '));
      case 'too-large':
        return t.refusedSize(file.name, formatFileSize(file.size, lang), formatFileSize(limit ?? this.#policy.maxBytes, lang));
      case 'content-mismatch':
        return t.refusedContent(file.name);
      case 'unreadable':
        return t.refusedUnreadable(file.name);
    }
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-attachment-select': CustomEvent<AttachmentSelectDetail>;
    'agent-attachment-refuse': CustomEvent<AttachmentRefuseDetail>;
  }
}
