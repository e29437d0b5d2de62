import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LocalizeController } from '../../l10n/localize.js';
import { AgentElement } from '../base/agent-element.js';
import { toastStackStyles } from './toast-stack.styles.js';

/** Where the stack sits: a corner of the viewport, or `console`: in the flow, where it is placed (inside `<agent-console>`, at its top). */
export type ToastPosition = 'top-end' | 'top-start' | 'bottom-end' | 'bottom-start' | 'console';

const deepActiveElement = () => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
};

/**
 * Holds request toasts, newest first (the first child is the newest), shows
 * at most `max-visible` with a "+N more" button, and sits fixed in a corner
 * of the viewport, or with `position="console"` in the flow where it is placed,
 * so that it never covers the page's controls.
 *
 * Keyboard: **Alt+Shift+N** focuses the newest toast from anywhere on the
 * page; **Escape** in a toast goes back to where the agent was. When a
 * focused toast goes away, focus moves to the next one, or back.
 *
 * @tag agent-toast-stack
 * @slot - `<agent-request-toast>` elements, newest first.
 * @csspart base - The stack.
 * @csspart more - The "+N more" button.
 * @cssproperty --agent-toast-offset - Distance from the viewport edges (default 1rem); both of the next two.
 * @cssproperty --agent-toast-offset-block - Distance from the top or bottom edge (default `--agent-toast-offset`), e.g. below a fixed header.
 * @cssproperty --agent-toast-offset-inline - Distance from the side (default `--agent-toast-offset`), e.g. clear of a side panel.
 * @cssproperty --agent-toast-max-height - Height the stack may take with `position="console"` before it scrolls (default: 35% of its container, at most 16rem).
 * @cssproperty --agent-toast-z-index - Stacking order (default 1000).
 * @cssproperty --agent-font-family - Font family (default: the system UI font).
 * @cssproperty --agent-font-size - Font size (default: the inherited size).
 * @cssproperty --agent-text - Text colour.
 * @cssproperty --agent-muted - Secondary text colour.
 * @cssproperty --agent-surface - Background of the "+N more" button.
 * @cssproperty --agent-control-border - Border of the "+N more" button.
 * @cssproperty --agent-accent - Primary buttons.
 * @cssproperty --agent-on-accent - Text on primary buttons.
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @cssproperty --agent-danger - Error text.
 * @cssproperty --agent-radius - Corner radius.
 */
export class AgentToastStack extends AgentElement {
  static override styles = toastStackStyles;

  /** How many toasts show before the rest fold into "+N more". */
  @property({ type: Number, attribute: 'max-visible' }) maxVisible = 3;

  /** The corner: `top-end` (default), `top-start`, `bottom-end` or `bottom-start`; or `console`, in the flow where the stack is placed. */
  @property({ reflect: true }) position: ToastPosition = 'top-end';

  @state() private expanded = false;
  @state() private count = 0;

  /** The toasts, newest first. */
  get toasts(): HTMLElement[] {
    return (this.renderRoot?.querySelector('slot')?.assignedElements() ?? []) as HTMLElement[];
  }

  readonly #l10n = new LocalizeController(this);
  /** Where focus was before the shortcut, to go back to. */
  #returnTo?: HTMLElement | null;
  /** The toast that last held focus, while it does. */
  #focused?: Element;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.#onShortcut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.#onShortcut);
  }

  /** Focuses the newest toast that can still be answered (else the newest); false when there is none. */
  focusNewest(): boolean {
    const newest = this.toasts.find((toast) => toast.shadowRoot?.querySelector('button')) ?? this.toasts[0];
    if (!newest) return false;
    const active = deepActiveElement();
    if (!this.matches(':focus-within') && active && active !== document.body) this.#returnTo = active;
    newest.focus();
    return true;
  }

  protected override updated(): void {
    this.toasts.forEach((toast, index) => (toast.hidden = !this.expanded && index >= this.maxVisible));
  }

  override render() {
    const t = this.#l10n.translation;
    const more = this.count - this.maxVisible;
    return html`<section
      part="base"
      aria-label=${t.requests}
      ?hidden=${!this.count}
      @keydown=${this.#onKeydown}
      @focusin=${this.#onFocusin}
      @focusout=${this.#onFocusout}
    >
      <slot @slotchange=${this.#onSlotChange}></slot>
      ${more > 0
        ? html`<button part="more" type="button" aria-expanded=${this.expanded} @click=${() => (this.expanded = !this.expanded)}>
            ${this.expanded ? t.showFewer : t.moreRequests(more)}
          </button>`
        : nothing}
    </section>`;
  }

  #onShortcut = (event: KeyboardEvent) => {
    if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyN' && this.focusNewest()) event.preventDefault();
  };

  #onKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape' || !this.#returnTo?.isConnected) return;
    event.preventDefault();
    this.#returnTo.focus();
  }

  #onFocusin(event: FocusEvent) {
    this.#focused = this.toasts.find((toast) => toast.contains(event.target as Node));
  }

  #onFocusout() {
    const toast = this.#focused;
    // Focus left on purpose if the toast is still here; if it was removed, #onSlotChange moves it.
    setTimeout(() => {
      if (toast === this.#focused && toast?.isConnected && !toast.matches(':focus-within')) this.#focused = undefined;
    });
  }

  #onSlotChange() {
    this.count = this.toasts.length;
    if (this.count <= this.maxVisible) this.expanded = false;
    this.requestUpdate();
    const toast = this.#focused;
    if (!toast || toast.isConnected) return;
    // Later, so that whoever removed it (the console, after Accept) can place focus first.
    setTimeout(() => {
      if (this.#focused !== toast || deepActiveElement() !== document.body) return;
      this.#focused = undefined;
      if (!this.focusNewest()) this.#returnTo?.focus();
    });
  }
}
