import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * How often a time that is `age` ms away changes as `formatDuration` shows it:
 * every second under a minute (`45 sec`), every minute after (`2 min`).
 */
export const resolutionFor = (age: number): number => (Math.abs(age) < 60_000 ? 1000 : 60_000);

/**
 * Gives an element the time: it re-renders the host (or calls `tick`) as
 * often as what the host shows needs, through one timer shared by every
 * element of the page. The timer runs at the finest resolution any connected
 * host asks for, and stops when none asks (or none is connected).
 *
 * ```ts
 * // Seconds while a countdown shows, minutes for "waiting 2 min", nothing otherwise.
 * #clock = new ClockController(this, () => (this.deadline ? 1000 : 60_000));
 * ```
 */
export class ClockController implements ReactiveController {
  static #clocks = new Set<ClockController>();
  static #period = Infinity;
  static #stop?: () => void;

  #every = Infinity;
  #last = 0;

  constructor(
    host: ReactiveControllerHost,
    /**
     * How often the host needs the time now, in ms (e.g. `1000` while a
     * countdown shows, `60_000` for relative times); `0` for not at all.
     * Asked again after each of the host's updates.
     */
    private readonly resolution: () => number,
    /** What a tick does (default: re-render the host). */
    private readonly tick: () => void = () => host.requestUpdate(),
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    ClockController.#clocks.add(this);
    this.#last = Date.now();
    this.#ask(true);
  }

  hostUpdated(): void {
    this.#ask();
  }

  hostDisconnected(): void {
    ClockController.#clocks.delete(this);
    ClockController.#run();
  }

  #ask(restart?: boolean) {
    this.#every = this.resolution() || Infinity;
    ClockController.#run(restart);
  }

  /**
   * Starts, changes or stops the one timer. A host that connects starts it
   * anew, so a timer that was stopped from outside (as fake timers do) cannot
   * leave the page without time.
   */
  static #run(restart = false) {
    let period = Infinity;
    for (const clock of this.#clocks) period = Math.min(period, clock.#every);
    if (period === this.#period && !restart) return;
    this.#stop?.();
    this.#stop = undefined;
    this.#period = period;
    if (period === Infinity) return;
    // The clearInterval of the moment the timer started is the one that can stop it.
    const clear = clearInterval;
    const timer = setInterval(() => {
      const now = Date.now();
      for (const clock of this.#clocks) {
        if (now - clock.#last < clock.#every - period / 2) continue;
        clock.#last = now;
        clock.tick();
      }
    }, period);
    this.#stop = () => clear(timer);
  }
}
