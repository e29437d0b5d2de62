import type { RequestOutcome } from './requests.js';

const outcomes = new Set<string>(['accepted', 'declined-by-agent', 'timed-out']);

/**
 * Keeps the same console open in several tabs of one browser in step: a
 * request answered in one tab is reported to the others (BroadcastChannel),
 * and one tab at a time is the *leader* that plays alerts (Web Locks; the
 * lock passes on when the leader's tab closes). Without those APIs every
 * tab is on its own and leads.
 */
export class TabSync {
  /** Whether this tab plays alerts. */
  leader = false;
  readonly #channel?: BroadcastChannel;
  readonly #stop = new AbortController();
  #joined = false;

  /** `name` separates consoles that should not share (another agent, another backend). */
  constructor(
    readonly name: string,
    onAnswered: (requestId: string, outcome: RequestOutcome) => void,
  ) {
    if (typeof BroadcastChannel !== 'function') return;
    this.#channel = new BroadcastChannel(`agent-console:${name}`);
    this.#channel.onmessage = ({ data }: MessageEvent) => {
      if (typeof data?.requestId === 'string' && outcomes.has(data.outcome)) onAnswered(data.requestId, data.outcome);
    };
  }

  /** Tells the other tabs that this one answered a request. */
  answered(requestId: string, outcome: RequestOutcome): void {
    this.#channel?.postMessage({ requestId, outcome });
  }

  /** Joins the election for the tab that plays alerts. */
  lead(): void {
    if (this.#joined) return;
    this.#joined = true;
    const locks = globalThis.navigator?.locks;
    if (!locks) {
      this.leader = true;
      return;
    }
    const { signal } = this.#stop;
    locks
      .request(`agent-console:${this.name}:leader`, { signal }, () => {
        this.leader = true;
        return new Promise((resolve) => signal.addEventListener('abort', resolve));
      })
      .catch(() => {}); // aborted before it was granted
  }

  /** Leaves the election and stops listening. */
  close(): void {
    this.#stop.abort();
    this.leader = false;
    this.#channel?.close();
  }
}
