import type { Conversation, Message } from '../adapters/types.js';

/** An unsent message as kept across page reloads. */
export interface KeptMessage {
  /** The pending message as the transcript showed it (its `clientId` is the record's key). */
  message: Message;
  /** Its conversation, to show the message in even if the conversation is no longer open. */
  conversation: Conversation;
  /** The file, unless it was too large to keep. */
  file?: Blob;
}

/**
 * The outbox's copy in IndexedDB (database `name`, one store keyed by
 * `clientId`), so a reload does not lose unsent messages. Each message also
 * has a Web Lock, held by the one tab that sends it. The first failure
 * (no IndexedDB, private mode, quota) is passed to `onFail` and the store
 * then does nothing: the outbox is memory only.
 */
export class OutboxStore {
  /** Set by the first failure: the store then does nothing. */
  off = false;
  #db?: Promise<IDBDatabase>;
  /** How to let go of each message's lock, held or requested. */
  readonly #held = new Map<string, () => void>();

  constructor(
    readonly name: string,
    readonly onFail: (error: unknown) => void,
  ) {}

  put(kept: KeptMessage): void {
    void this.#run('readwrite', (store) => store.put(kept, kept.message.clientId));
  }

  /** Removes a message, then lets go of its lock. */
  delete(clientId: string): void {
    void this.#run('readwrite', (store) => store.delete(clientId)).then(() => this.release(clientId));
  }

  getAll(): Promise<KeptMessage[]> {
    return this.#run('readonly', (store) => store.getAll()).then((all) => all ?? []);
  }

  get(clientId: string): Promise<KeptMessage | undefined> {
    return this.#run('readonly', (store) => store.get(clientId));
  }

  /** Resolves once this tab holds the message's lock (at once without Web Locks, when every tab sends what it reads). */
  lock(clientId: string): Promise<void> {
    const locks = globalThis.navigator?.locks;
    return new Promise((granted) => {
      if (!locks) return granted();
      // Let go before it is granted: the request is withdrawn.
      const request = new AbortController();
      this.#held.set(clientId, () => request.abort());
      // The request is queued now, so a tab that reads the message later waits behind this one.
      locks
        .request(`${this.name}:${clientId}`, { signal: request.signal }, () => {
          granted();
          return new Promise<void>((release) => this.#held.set(clientId, release));
        })
        .catch(() => {});
    });
  }

  /** Lets go of a message's lock, or of all of them, so another tab may send them. */
  release(clientId?: string): void {
    for (const [id, letGo] of this.#held) {
      if (clientId && id !== clientId) continue;
      letGo();
      this.#held.delete(id);
    }
  }

  async #run<T>(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
    if (this.off) return;
    try {
      const db = await (this.#db ??= new Promise((resolve, reject) => {
        const open = indexedDB.open(this.name);
        open.onupgradeneeded = () => open.result.createObjectStore('outbox');
        open.onsuccess = () => {
          // Let a page or test that deletes the database do so; the next call opens it again.
          open.result.onversionchange = () => (open.result.close(), (this.#db = undefined));
          resolve(open.result);
        };
        open.onerror = () => reject(open.error);
      }));
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction('outbox', mode);
        const done = request(transaction.objectStore('outbox'));
        transaction.oncomplete = () => resolve(done.result);
        transaction.onerror = transaction.onabort = () => reject(transaction.error ?? done.error);
      });
    } catch (error) {
      if (!this.off) this.onFail(error);
      this.off = true;
    }
  }
}
