import { css, html, LitElement, type PropertyValues } from 'lit';
import type { ConsoleCore, CoreChangeDetail } from '../src/core/console-core.js';

const time = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/**
 * The baseline the pane is compared with: every message of the transcript as a
 * plain row (text and time) in a scrolling div, with no virtualisation. It
 * follows the core like the pane does and sticks to the newest message.
 */
export class NaiveTranscript extends LitElement {
  static override properties = {
    core: { attribute: false },
    conversationId: { attribute: false },
  };

  static override styles = css`
    :host {
      display: block;
      height: 100%;
    }
    .scroller {
      height: 100%;
      overflow-y: auto;
      padding: 0 0.75rem;
    }
    .row {
      padding: 0.2rem 0;
    }
    .row p {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .outbound {
      text-align: end;
    }
    time {
      font-size: 0.75rem;
      color: #57606a;
    }
  `;

  declare core?: ConsoleCore;
  declare conversationId: string;
  #listening?: ConsoleCore;

  constructor() {
    super();
    this.conversationId = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listen(undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen(this.core);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('core')) this.#listen(this.core);
  }

  override render() {
    const messages = this.core?.sessions.get(this.conversationId)?.transcript.messages ?? [];
    return html`<div class="scroller" role="list">
      ${messages.map(
        (m) =>
          html`<div class="row ${m.direction}" role="listitem" data-id=${m.id}>
            <p>${m.text}</p>
            <time>${time.format(Date.parse(m.sentAt))}</time>
          </div>`,
      )}
    </div>`;
  }

  override updated(): void {
    const scroller = this.renderRoot.querySelector('.scroller');
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }

  #listen(core: ConsoleCore | undefined) {
    if (core === this.#listening) return;
    this.#listening?.removeEventListener('change', this.#onChange);
    core?.addEventListener('change', this.#onChange);
    this.#listening = core;
  }

  #onChange = (event: Event) => {
    const { id } = (event as CustomEvent<CoreChangeDetail>).detail;
    if (id === undefined || id === this.conversationId) this.requestUpdate();
  };
}

if (!customElements.get('naive-transcript')) customElements.define('naive-transcript', NaiveTranscript);
