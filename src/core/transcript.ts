import type { ChannelErrorCode, Message, MessageEdited, MessageStatusUpdate } from '../adapters/types.js';
import { furtherStatus, statusMovesForward } from '../adapters/status.js';
import { isoTime } from '../adapters/validate.js';

interface Entry {
  message: Message;
  time: number;
  /** Arrival order, to keep messages with the same `sentAt` stable. */
  seq: number;
}

const maxEarlyStatuses = 500;
const maxEarlyChanges = 500;

/** An edit or a removal: the message as it is after it. */
type Change = (message: Message) => Message;

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
  /** Edits and removals that arrived before their message (a later history page, say); applied when it does. */
  #earlyChanges = new Map<string, Change[]>();
  /** When each message's customer reaction last changed (epoch ms), so an older reaction does not undo a newer one. */
  #reactedAt = new Map<string, number>();
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
    const target = this.#reactionTarget(incoming);
    if (target) return this.#react(target, incoming);
    const byClientId = incoming.clientId ? this.#byClientId.get(incoming.clientId) : undefined;
    if (!byId && !byClientId && !this.#earlyStatuses.size) {
      // A new message with nothing to merge: the common case, in floods and history pages.
      const message = this.#withEarlyChanges(incoming);
      this.#insert({ message, time, seq: this.#seq++ });
      return message;
    }
    const existing = [...new Set([byClientId, byId])].filter((entry) => entry !== undefined);
    let message = this.#withEarlyChanges(existing.reduce<Message>((merged, entry) => merge(entry.message, merged), incoming));
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
      const target = this.#reactionTarget(incoming);
      if (target) {
        // Onto a message here or earlier in this page, which is not placed yet: see #replace.
        this.#react(target, incoming);
        continue;
      }
      if (isNew && !this.#earlyStatuses.size && !Number.isNaN(time)) {
        const entry = { message: this.#withEarlyChanges(incoming), time, seq: first + i };
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

  /**
   * The customer changed a message's text: it shows the new text, and keeps
   * the earlier ones in `edited`. An edit of a message not here yet is kept
   * until it arrives; an edit already applied changes nothing.
   */
  edit(update: MessageEdited): Message | undefined {
    return this.#change(update.messageId, (message) => withEdit(message, update));
  }

  /**
   * The customer removed a message: it stays in its place, marked `deleted`,
   * without its content. A removal of a message not here yet is kept until it arrives.
   */
  markDeleted(messageId: string): Message | undefined {
    return this.#change(messageId, removed);
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
    const index = this.#indexOf(entry);
    if (this.#ordered[index] === entry) {
      const updated = { ...entry, message };
      this.#ordered[index] = updated;
      this.#index(updated);
    } else {
      entry.message = message; // a history page's entry, indexed but not placed yet
    }
    this.#version++;
    return message;
  }

  /** Changes a message, or keeps the change until the message arrives (for a few hundred messages). */
  #change(messageId: string, change: Change): Message | undefined {
    const entry = this.#byId.get(messageId);
    if (entry) {
      const message = change(entry.message);
      return sameMessage(message, entry.message) ? undefined : this.#replace(entry, message);
    }
    const early = this.#earlyChanges.get(messageId) ?? [];
    this.#earlyChanges.delete(messageId);
    this.#earlyChanges.set(messageId, [...early.slice(-20), change]);
    if (this.#earlyChanges.size > maxEarlyChanges) this.#earlyChanges.delete(this.#earlyChanges.keys().next().value!);
    return undefined;
  }

  /** The message a new reaction points at, if it is here: the reaction then shows on it, not as a row of its own. */
  #reactionTarget(incoming: Message): Entry | undefined {
    const target = incoming.reaction?.messageId;
    return target && !this.#byId.has(incoming.id) ? this.#byId.get(target) : undefined;
  }

  /**
   * Sets the customer's reaction on a message: one at a time, as on
   * Messenger, Instagram and WhatsApp, so a new one replaces the last; an
   * unreact clears it (unless it names another emoji). One older than the
   * last applied (from a history page) changes nothing.
   */
  #react(entry: Entry, { reaction, sentAt }: Message): Message | undefined {
    const { id, customerReaction } = entry.message as TranscriptMessage;
    const time = isoTime(sentAt);
    if (time < (this.#reactedAt.get(id) ?? -Infinity)) return undefined;
    this.#reactedAt.set(id, time);
    const { action, emoji } = reaction!;
    const next = action === 'react' ? emoji : emoji && emoji !== customerReaction ? customerReaction : '';
    if ((next || undefined) === customerReaction) return undefined;
    const message: TranscriptMessage = { ...entry.message, customerReaction: next };
    if (!next) delete message.customerReaction;
    return this.#replace(entry, message);
  }

  /** Applies the edits and removal kept for a message that has now arrived. */
  #withEarlyChanges(message: Message): Message {
    const early = this.#earlyChanges.get(message.id);
    if (!early) return message;
    this.#earlyChanges.delete(message.id);
    return early.reduce((changed, change) => change(changed), message);
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
export type StatusUpdate = MessageStatusUpdate & { errorCode?: ChannelErrorCode };

/**
 * A message in the transcript: failed messages carry the adapter's reason for
 * the retry prompt in `error`, and its code, when it gave a known one, in
 * `errorCode` (the console then words the reason itself). `notice` is the console's own note on an
 * unsent message of the agent's: `not-kept`, its file is too large to keep
 * across a page reload; after a reload, `file-lost`, its file was not kept,
 * or `conversation-gone`, its conversation was no longer open.
 */
export type TranscriptMessage = Message & {
  error?: string;
  errorCode?: ChannelErrorCode;
  notice?: 'not-kept' | 'file-lost' | 'conversation-gone' | 'ended-unsent';
  /** The emoji the customer reacts to this message with now, from reactions that point at it (`Message.reaction.messageId`). */
  customerReaction?: string;
};

function withStatus(message: Message, update: StatusUpdate): TranscriptMessage {
  const next: TranscriptMessage = { ...message, status: update.status };
  delete next.errorCode;
  if (update.status === 'failed') {
    next.error = update.error;
    if (update.errorCode) next.errorCode = update.errorCode;
  } else delete next.error;
  return next;
}

/**
 * Later data wins, except that the status never moves backwards, and what
 * the console learnt from edits and removals stays: a copy of the message
 * sent again (a history page) has the text it was sent with.
 */
function merge(current: Message, incoming: Message): Message {
  const merged: TranscriptMessage = { ...current, ...incoming };
  merged.status = furtherStatus(current.status, incoming.status);
  if (merged.status !== 'failed') {
    delete merged.error;
    delete merged.errorCode;
  }
  if (merged.status === undefined) delete merged.status;
  if (current.edited) merged.text = current.text;
  return current.deleted ? removed(merged) : merged;
}

/**
 * A message with an edit applied: its new text, the one it replaces last
 * among the earlier ones. An edit older than the last applied (it came
 * late) only adds its text to the earlier ones; one already applied changes nothing.
 */
function withEdit(message: Message, { text, editedAt }: MessageEdited): Message {
  const { at = editedAt, earlier = [] } = message.edited ?? {};
  if (message.deleted || text === message.text || (isoTime(editedAt) < isoTime(at) && earlier.includes(text))) return message;
  if (isoTime(editedAt) < isoTime(at)) return { ...message, edited: { at, earlier: [...earlier, text] } };
  return { ...message, text, edited: { at: editedAt, earlier: message.text === undefined ? earlier : [...earlier, message.text] } };
}

/** What the customer removed: the message keeps its place, not its content. */
function removed(message: Message): Message {
  const { text: _text, attachments: _files, unsupported: _unsupported, link: _link, location: _location, edited: _edited, replyTo: _replyTo, ...rest } = message;
  return { ...rest, deleted: true };
}

function sameMessage(a: Message, b: Message): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
