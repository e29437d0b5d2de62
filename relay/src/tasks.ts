/**
 * Work that outlives the request that started it: per-conversation queues
 * (one customer's webhook events in order), background tasks and timers,
 * and `idle()` for whoever needs them all done.
 *
 * @module
 */
import { HttpError, reasonOf } from './errors.js';
import type { Logger } from './logging.js';

export function createTasks(log: Logger) {
  /** Per-key promise chains: the tasks of one key run one after another. */
  const chains = new Map<string, Promise<unknown>>();
  const background = new Set<Promise<unknown>>();
  const timers = new Set<NodeJS.Timeout>();

  function track(work: () => unknown): Promise<void> {
    const promise = Promise.resolve()
      .then(work)
      .then(
        () => {},
        (error) => log.error(`background task failed: ${reasonOf(error)}`),
      );
    background.add(promise);
    void promise.then(() => background.delete(promise));
    return promise;
  }

  return {
    track,

    /** Runs `task` after every task queued before on the same key; answers its result. */
    enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
      const run = (chains.get(key) ?? Promise.resolve()).then(task);
      const next = run.catch((error) => error instanceof HttpError || log.error(`processing failed: ${reasonOf(error)}`));
      chains.set(key, next);
      void next.then(() => chains.get(key) === next && chains.delete(key));
      return run;
    },

    /** Runs `task` in the background after `ms`, unless `stop()` comes first. */
    later(ms: number, task: () => unknown): void {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void track(task);
      }, ms);
      timers.add(timer);
    },

    /** Resolves once every queued and background task so far is done. */
    async idle(): Promise<void> {
      while (chains.size || background.size) await Promise.all([...chains.values(), ...background]);
    },

    /** Drops the timers not yet fired. */
    stop(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

export type Tasks = ReturnType<typeof createTasks>;
