import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AgentErrorDetail, ConsoleCore, CoreChangeDetail } from '../core/console-core.js';

/** What a {@link CoreSubscriptionController} follows and what it does with the core's events. */
export interface CoreSubscriptionOptions {
  /** The core to follow now; asked on connect and before each of the host's updates. */
  core(): ConsoleCore | undefined;
  /** A `change` of the core. */
  change(detail: CoreChangeDetail): void;
  /** An `agent-error` of the core. */
  error?(detail: AgentErrorDetail): void;
}

/**
 * The one way an element follows a {@link ConsoleCore}: it listens to the
 * core's `change` (and `agent-error`) events while the host is connected,
 * moves to another core when the host's core changes, and lets go on
 * disconnect.
 *
 * ```ts
 * #subscription = new CoreSubscriptionController(this, { core: () => this.core });
 * ```
 */
export class CoreSubscriptionController implements ReactiveController {
  #core?: ConsoleCore;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: CoreSubscriptionOptions,
  ) {
    host.addController(this);
  }

  /** The core whose events the host hears now. */
  get core(): ConsoleCore | undefined {
    return this.#core;
  }

  hostConnected(): void {
    this.hostUpdate();
  }

  hostUpdate(): void {
    this.#follow(this.options.core());
  }

  hostDisconnected(): void {
    this.#follow();
  }

  /** The core's events (the controller is their listener). */
  handleEvent({ type, detail }: CustomEvent): void {
    if (type === 'change') this.options.change(detail);
    else this.options.error?.(detail);
  }

  #follow(core?: ConsoleCore) {
    if (core === this.#core) return;
    for (const type of ['change', 'agent-error']) {
      this.#core?.removeEventListener(type, this);
      core?.addEventListener(type, this);
    }
    this.#core = core;
  }
}
