import type { ChannelErrorCode, Message, MessageStatusUpdate } from '../adapters/types.js';
import { furtherStatus, statusMovesForward } from '../adapters/status.js';
import { isoTime } from '../adapters/validate.js';

interface Entry {
  message: Message;
  time: number;
  /** Arrival order, to keep messages with the same `sentAt` stable. */
  seq: number;
}

const maxEarlyStatuses = 500;

const before = (a: Entry, b: Entry) => a.time < b.time || (a.time === b.time && a.seq < b.seq);

/**
 * One conversation's messages, ordered by `sentAt` whatever order they arrive
 * in, and keyed by message id and by `clientId` so a repeated or echoed
 * message is stored once. Stored messages are replaced, never mutated, so a
 * view can compare them by identity.
 */
export class Transcript {
  #ordered: Entry[] = [];
  #byId = new Map<string, Entry>();
  #byClientId = new Map<string, Entry>();
  /** Statuses that arrived before their message; applied when it does. */
  #earlyStatuses = new Map<string, MessageStatusUpdate>();
  #seq = 0;
  /** Counts down for history pages, which go before messages of the same instant that are already here. */
  #earliestSeq = 0;
  #version = 0;
  #messages?: { version: number; list: readonly Message[] };

  /** Messages oldest first. */
  get messages(): readonly Message[] {
    if (this.#messages?.version !== this.#version) {
      this.#messages = { version: this.#version, list: Object.freeze(this.#ordered.map((entry) => entry.message)) };
    }
    return this.#messages.list;
  }

  /** How many messages it holds. */
  get size(): number {
    return this.#ordered.length;
  }

  /** Grows by one with every change, so views can tell cheaply that something moved. */
  get version(): number {
    return this.#version;
  }

  /** The message at a position, oldest first; negative positions count from the newest. */
  at(index: number): Message | undefined {
    return this.#ordered.at(index)?.message;
  }

  /** The message with this id. */
  get(id: string): Message | undefined {
    return this.#byId.get(id)?.message;
  }

  /** The position of a message, oldest first; -1 when it is not here. */
  indexOf(id: string): number {
    const entry = this.#byId.get(id);
    return entry ? this.#indexOf(entry) : -1;
  }

  /** The agent's message sent under this `clientId`. */
  getByClientId(clientId: string): Message | undefined {
    return this.#byClientId.get(clientId)?.message;
  }

  /**
   * Adds a message, or merges it into the one it repeats (same id or same
   * `clientId`). Returns the stored message, or `undefined` when nothing changed.
   */
  upsert(incoming: Message): Message | undefined {
    const time = isoTime(incoming.sentAt);
    if (!Number.isFinite(time)) throw new RangeError(`Message ${incoming.id} has no valid sentAt (${incoming.sentAt}).`);
    // The same message may already be here twice: once by id (an echo without
    // clientId) and once by clientId (the pending send). Fold them into one.
    const byId = this.#byId.get(incoming.id);
    const byClientId = incoming.clientId ? this.#byClientId.get(incoming.clientId) : undefined;
    if (!byId && !byClientId && !this.#earlyStatuses.size) {
      // A new message with nothing to merge: the common case, in floods and history pages.
      this.#insert({ message: incoming, time, seq: this.#seq++ });
      return incoming;
    }
    const existing = [...new Set([byClientId, byId])].filter((entry) => entry !== undefined);
    let message = existing.reduce<Message>((merged, entry) => merge(entry.message, merged), incoming);
    for (const key of [message.id, message.clientId]) {
      const early = key && this.#earlyStatuses.get(key);
      if (!early) continue;
      this.#earlyStatuses.delete(key!);
      if (statusMovesForward(message.status, early.status)) message = withStatus(message, early);
    }
    if (existing.length === 1 && sameMessage(existing[0].message, message)) return undefined;
    existing.forEach((entry) => this.#remove(entry));
    this.#insert({ message, time, seq: existing[0]?.seq ?? this.#seq++ });
    return message;
  }

  /**
   * Adds a page of history, oldest first, as {@link upsert} adds each message,
   * but moves the messages already here once for the whole page, not once per
   * message. Being history, it goes before what is here that was sent in the
   * same instant (in its own order), and so does each page after it.
   */
  upsertMany(messages: readonly Message[]): void {
    let fresh: Entry[] = [];
    const first = (this.#earliestSeq -= messages.length);
    for (let i = 0; i < messages.length; i++) {
      const incoming = messages[i];
      const time = isoTime(incoming.sentAt);
      const isNew = !this.#byId.has(incoming.id) && !(incoming.clientId && this.#byClientId.has(incoming.clientId));
      if (isNew && !this.#earlyStatuses.size && !Number.isNaN(time)) {
        const entry = { message: incoming, time, seq: first + i };
        fresh.push(entry);
        this.#index(entry);
        continue;
      }
      // A repeat merges into a message in the transcript: the new ones go in first.
      this.#insertAll(fresh);
      fresh = [];
      this.upsert(incoming);
    }
    this.#insertAll(fresh);
  }

  /**
   * Applies a delivery status if it moves the message forward. A status for a
   * message not seen yet is kept until the message arrives.
   */
  applyStatus(update: StatusUpdate): Message | undefined {
    if (update.before && !update.messageId && !update.clientId) return this.#applyWatermark(update, Date.parse(update.before));
    const entry =
      (update.messageId && this.#byId.get(update.messageId)) ||
      (update.clientId && this.#byClientId.get(update.clientId)) ||
      undefined;
    if (!entry) {
      const key = update.messageId ?? update.clientId!;
      if (statusMovesForward(this.#earlyStatuses.get(key)?.status, update.status)) {
        this.#earlyStatuses.delete(key);
        this.#earlyStatuses.set(key, update);
        // A backend reporting on messages that never come must not grow this forever.
        if (this.#earlyStatuses.size > maxEarlyStatuses) this.#earlyStatuses.delete(this.#earlyStatuses.keys().next().value!);
      }
      return undefined;
    }
    if (!statusMovesForward(entry.message.status, update.status)) return undefined;
    return this.#replace(entry, withStatus(entry.message, update));
  }

  /** Puts a failed message back to `pending` for a retry under the same `clientId`. */
  retry(clientId: string): Message | undefined {
    const entry = this.#byClientId.get(clientId);
    if (entry?.message.status !== 'failed') return undefined;
    const { error: _error, errorCode: _code, ...rest } = entry.message as TranscriptMessage;
    return this.#replace(entry, { ...rest, status: 'pending' });
  }

  /** Removes a message the agent cancelled before it was sent. */
  remove(id: string): boolean {
    const entry = this.#byId.get(id);
    if (entry) this.#remove(entry);
    return !!entry;
  }

  #replace(entry: Entry, message: Message): Message {
    const updated = { ...entry, message };
    this.#ordered[this.#indexOf(entry)] = updated;
    this.#index(updated);
    this.#version++;
    return message;
  }

  /**
   * A status for every agent message sent by `watermark` that the channel has
   * taken (not pending or failed). Walks back from the newest and stops at the
   * first that already has it, as the earlier ones then do too.
   */
  #applyWatermark(update: MessageStatusUpdate, watermark: number): Message | undefined {
    let last: Message | undefined;
    for (let i = this.#ordered.length - 1; i >= 0; i--) {
      const entry = this.#ordered[i];
      const { direction, status } = entry.message;
      if (entry.time > watermark || direction !== 'outbound' || status === 'pending' || status === 'failed') continue;
      if (!statusMovesForward(status, update.status)) break;
      last = this.#replace(entry, { ...entry.message, status: update.status });
    }
    return last;
  }

  #insert(entry: Entry) {
    // Messages nearly always arrive newest last, so check the end first.
    const last = this.#ordered.at(-1);
    if (last && before(entry, last)) this.#ordered.splice(this.#indexOf(entry), 0, entry);
    else this.#ordered.push(entry);
    this.#index(entry);
    this.#version++;
  }

  /** Puts indexed entries in their places, in one pass over the transcript. */
  #insertAll(entries: Entry[]) {
    if (!entries.length) return;
    entries.sort((a, b) => a.time - b.time || a.seq - b.seq);
    const ordered = this.#ordered;
    if (!ordered.length || !before(entries[0], ordered.at(-1)!)) for (const entry of entries) ordered.push(entry);
    else if (before(entries.at(-1)!, ordered[0])) this.#ordered = entries.concat(ordered);
    else {
      const merged: Entry[] = [];
      let i = 0;
      for (const entry of entries) {
        while (i < ordered.length && before(ordered[i], entry)) merged.push(ordered[i++]);
        merged.push(entry);
      }
      this.#ordered = merged.concat(ordered.slice(i));
    }
    this.#version++;
  }

  #remove(entry: Entry) {
    this.#ordered.splice(this.#indexOf(entry), 1);
    // Only drop keys that still point here; a merge may have moved them on.
    if (this.#byId.get(entry.message.id) === entry) this.#byId.delete(entry.message.id);
    const { clientId } = entry.message;
    if (clientId && this.#byClientId.get(clientId) === entry) this.#byClientId.delete(clientId);
    this.#version++;
  }

  #index(entry: Entry) {
    this.#byId.set(entry.message.id, entry);
    if (entry.message.clientId) this.#byClientId.set(entry.message.clientId, entry);
  }

  /** Where `entry` is, or would go: the first position not before it. */
  #indexOf(entry: Entry): number {
    let low = 0;
    let high = this.#ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.#ordered[mid], entry)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** A status for the transcript: a failed send may carry the adapter's {@link ChannelErrorCode}. */
type StatusUpdate = MessageStatusUpdate & { errorCode?: ChannelErrorCode };

/**
 * A message in the transcript: failed messages carry the adapter's reason for
 * the retry prompt in `error`, and its code, when it gave a known one, in
 * `errorCode` (the console then words the reason itself). `notice` is the console's own note on an
 * unsent message of the agent's: `not-kept`, its file is too large to keep
 * across a page reload; after a reload, `file-lost`, its file was not kept,
 * or `conversation-gone`, its conversation was no longer open.
 */
export type TranscriptMessage = Message & { error?: string; errorCode?: ChannelErrorCode; notice?: 'not-kept' | 'file-lost' | 'conversation-gone' | 'ended-unsent' };

function withStatus(message: Message, update: StatusUpdate): TranscriptMessage {
  const next: TranscriptMessage = { ...message, status: update.status };
  delete next.errorCode;
  if (update.status === 'failed') {
    next.error = update.error;
    if (update.errorCode) next.errorCode = update.errorCode;
  } else delete next.error;
  return next;
}

/** Later data wins, except that the status never moves backwards. */
function merge(current: Message, incoming: Message): Message {
  const merged: TranscriptMessage = { ...current, ...incoming };
  merged.status = furtherStatus(current.status, incoming.status);
  if (merged.status !== 'failed') {
    delete merged.error;
    delete merged.errorCode;
  }
  if (merged.status === undefined) delete merged.status;
  return merged;
}

function sameMessage(a: Message, b: Message): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
