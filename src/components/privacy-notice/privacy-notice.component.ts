import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../../l10n/localize.js';
import { AgentElement } from '../base/agent-element.js';
import { privacyNoticeStyles } from './privacy-notice.styles.js';

/**
 * The `detail` of `agent-privacy-acknowledge`, which `<agent-privacy-notice>`
 * (and `<agent-console>`, which shows one) dispatches when the agent
 * acknowledges the notice, for the host page's audit record (see the
 * [element reference](docs:api.md#agent-privacy-notice)).
 */
export interface PrivacyAcknowledgeDetail {
  /** When the agent acknowledged, ISO 8601. */
  acknowledgedAt: string;
  /** The notice exactly as the agent saw it. */
  text: string;
  /** The language it was shown in. */
  lang: string;
}

/**
 * Tells the agent that their conversations with customers may be monitored,
 * recorded or stored. The text is the host page's (`message` or the default
 * slot) or a localised default. Acknowledging hides the notice and fires
 * `agent-privacy-acknowledge` with a timestamp.
 *
 * @tag agent-privacy-notice
 * @slot - Extra content after the text, such as a link to the full policy.
 * @csspart base - The notice box.
 * @csspart message - The notice text.
 * @csspart acknowledge - The acknowledge button.
 * @cssproperty --agent-font-family - Font family (default: the system UI font).
 * @cssproperty --agent-font-size - Font size (default: the inherited size).
 * @cssproperty --agent-notice-background - Background (default: `--agent-inbound-background`).
 * @cssproperty --agent-inbound-background - Background when `--agent-notice-background` is not set.
 * @cssproperty --agent-text - Text colour.
 * @cssproperty --agent-muted - Secondary text colour.
 * @cssproperty --agent-border - Border of the notice.
 * @cssproperty --agent-accent - The acknowledge button.
 * @cssproperty --agent-on-accent - Text of the acknowledge button.
 * @cssproperty --agent-surface - Background of other buttons.
 * @cssproperty --agent-control-border - Button borders.
 * @cssproperty --agent-focus-color - Focus ring colour.
 * @cssproperty --agent-danger - Error text.
 * @cssproperty --agent-radius - Corner radius.
 * @event agent-privacy-acknowledge - `PrivacyAcknowledgeDetail`: the agent acknowledged the notice.
 */
export class AgentPrivacyNotice extends AgentElement {
  static override styles = privacyNoticeStyles;

  /** The notice, as plain text; empty for the localised default. */
  @property() message = '';

  /** Whether the agent has acknowledged it; the notice is hidden then. */
  @property({ type: Boolean, reflect: true }) acknowledged = false;

  readonly #l10n = new LocalizeController(this);

  /** Records the agent's acknowledgement, as the button does. */
  acknowledge(): void {
    const text = this.message || this.#l10n.translation.privacyNotice;
    this.acknowledged = true;
    // The page's language for the page's text; for the default, the language it was shown in.
    const lang = this.message ? this.#l10n.locale() : this.#l10n.lang();
    this.emit('agent-privacy-acknowledge', { acknowledgedAt: new Date().toISOString(), text, lang });
  }

  override render() {
    const t = this.#l10n.translation;
    return html`<section part="base" aria-labelledby="title">
      <strong id="title">${t.privacyTitle}</strong>
      <p part="message">${this.message || t.privacyNotice}<slot></slot></p>
      <button part="acknowledge" class="primary" type="button" @click=${() => this.acknowledge()}>${t.acknowledge}</button>
    </section>`;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-privacy-acknowledge': CustomEvent<PrivacyAcknowledgeDetail>;
  }
}
