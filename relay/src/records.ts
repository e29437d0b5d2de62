/**
 * Read-modify-write of the store's records with compare-and-set.
 *
 * @module
 */
import type { RelayStore } from './store.js';

/** Answered by a change to delete the record. */
export const REMOVE = Symbol('remove');

export function createRecords(store: RelayStore) {
  return {
    /** A record's value, or `undefined`. */
    async read<T>(key: string): Promise<T | undefined> {
      return (await store.get<T>(key))?.value;
    },

    /**
     * `change` gets the current value and answers the next one, `REMOVE`, or
     * `undefined` for "leave it"; it may run more than once when another
     * writer was faster.
     */
    async update<T>(
      key: string,
      change: (current: T | undefined) => T | typeof REMOVE | undefined,
      writeOptions?: { ttlMs?: number },
    ): Promise<{ value: T | undefined; previous: T | undefined; changed: boolean }> {
      for (let attempt = 0; attempt < 50; attempt++) {
        const record = await store.get<T>(key);
        const next = change(record?.value);
        if (next === undefined) return { value: record?.value, previous: record?.value, changed: false };
        const value = next === REMOVE ? undefined : next;
        if (await store.compareAndSet(key, record?.version ?? 0, value, writeOptions)) return { value, previous: record?.value, changed: true };
      }
      throw new Error(`the record ${key} kept changing`);
    },
  };
}

export type Records = ReturnType<typeof createRecords>;
