import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../../l10n/localize.js';
import { AgentElement } from '../base/agent-element.js';
import { errorBannerStyles } from './error-banner.styles.js';

/**
 * A dismissible error banner, used for the unsupported-message-type error and
 * others. The element has `role="alert"` unless the page gives it another
 * role, so screen readers announce it when it appears. Dismissing it sets
 * the standard `hidden` attribute; clear `hidden` to show it again.
 *
 * @tag agent-error-banner
 * @slot - Extra content after the message, such as a link to help.
 * @csspart base - The banner box.
 * @csspart message - The message text.
 * @csspart dismiss - The dismiss button.
 * @cssproperty --agent-font-family - Font family (default: the system UI font).
 * @cssproperty --agent-font-size - Font size (default: the inherited size).
 * @cssproperty --agent-error-background - Banner background.
 * @cssproperty --agent-error-color - Text and icon colour.
 * @cssproperty --agent-error-border-color - Border colour.
 * @cssproperty --agent-radius - Corner radius.
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @event agent-dismiss - The agent dismissed the banner. Cancel it to keep the banner open.
 */
export class AgentErrorBanner extends AgentElement {
  static override styles = errorBannerStyles;

  /** The error, as plain text (never parsed as HTML). */
  @property() message = '';

  /** Shows a button that closes the banner. */
  @property({ type: Boolean, reflect: true }) dismissible = false;

  readonly #l10n = new LocalizeController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('role')) this.setAttribute('role', 'alert');
  }

  /**
   * Hides the banner (sets `hidden`) as if the agent had dismissed it.
   * Returns false when a listener cancelled `agent-dismiss`.
   */
  dismiss(): boolean {
    if (this.emit('agent-dismiss', undefined, { cancelable: true }).defaultPrevented) return false;
    this.hidden = true;
    return true;
  }

  override render() {
    return html`<div part="base">
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
      </svg>
      <span part="message">${this.message}<slot></slot></span>
      ${this.dismissible
        ? html`<button part="dismiss" type="button" aria-label=${this.#l10n.term('dismiss')} @click=${() => this.dismiss()}>
            <span aria-hidden="true">×</span>
          </button>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-dismiss': CustomEvent<undefined>;
  }
}
