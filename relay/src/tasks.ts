/**
 * Work that outlives the request that started it (a socket's start, a
 * presence refresh, a re-offer), and `idle()` for whoever needs it all done.
 *
 * @module
 */
import { reasonOf } from './errors.js';
import type { Logger } from './logging.js';

export function createTasks(log: Logger) {
  const background = new Set<Promise<unknown>>();

  return {
    /** Runs `work` in the background; a failure is logged. */
    track(work: () => unknown): Promise<void> {
      const promise = Promise.resolve()
        .then(work)
        .then(
          () => {},
          (error) => log.error(`background task failed: ${reasonOf(error)}`),
        );
      background.add(promise);
      void promise.then(() => background.delete(promise));
      return promise;
    },

    /** Resolves once every background task so far is done. */
    async idle(): Promise<void> {
      while (background.size) await Promise.all(background);
    },
  };
}

export type Tasks = ReturnType<typeof createTasks>;
