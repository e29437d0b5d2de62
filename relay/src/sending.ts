/**
 * Sending: an agent's message goes to Graph once per `clientId`, however
 * often the console retries, races or (with a shared store) which instance
 * it reaches; inside the reply window, with the HUMAN_AGENT tag where allowed.
 *
 * @module
 */
import fs from 'node:fs';
import type { Message } from 'agent-console/adapters';
import { attachmentKindOf } from 'agent-console/adapters';
import { DAY } from './config.js';
import type { RelayContext } from './context.js';
import { HttpError } from './errors.js';
import { reasons, type MessagingType } from './graph.js';
import { echoKey, inboundKey, sendKey } from './keys.js';
import { messageOnce } from './presence.js';
import type { Inbound, Route } from './routing.js';
import { digest } from './secrets.js';
import type { Draft } from './uploads.js';

/** A send's record, by its key: who sends it, what, and how far it got. */
interface SendRecord {
  state: 'sending' | 'sent' | 'failed';
  /** When the sending instance claimed it (epoch ms). */
  at: number;
  /** Digest of the text and file: the same `clientId` must mean the same message. */
  content: string;
  /** The text's message id, when text and file go as two and the text went. */
  textId?: string;
  /** What is sent, so that Meta's echo can settle a send whose answer was lost. */
  text?: string;
  file?: { name: string; type: string; size: number };
  message?: Message;
}

/** How long a claim holds before another instance may take the send over. */
const claimMs = 120_000;

export function createSending(context: RelayContext) {
  const { config, store, records, graph, log, presence, nowIso } = context;
  const { now, humanAgentTag } = config;
  /** Sends in flight in this instance, by key. */
  const inflight = new Map<string, Promise<Message> & { content: string }>();
  /** Set while shutting down: a send that has not reached Graph is refused, so nothing is cut half-way. */
  let draining = false;

  /** How a message may go now; `automatic` ones never use the HUMAN_AGENT tag, which Meta keeps for what a person wrote. */
  async function replyWindow(conversationId: string, automatic = false): Promise<{ messagingType: MessagingType; tag?: string }> {
    const last = Date.parse((await records.read<Inbound>(inboundKey(conversationId)))?.lastInboundAt ?? '');
    if (!Number.isFinite(last)) return { messagingType: 'RESPONSE' };
    const age = now() - last;
    if (age <= DAY) return { messagingType: 'RESPONSE' };
    if (humanAgentTag && !automatic && age <= 7 * DAY) return { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    throw new HttpError(422, humanAgentTag && !automatic ? reasons.humanAgentWindowClosed : reasons.windowClosed, {}, 'reply-window-closed');
  }

  const reused = () => new HttpError(409, 'This clientId was already used for a different message; send this one under a new clientId.');

  /**
   * Runs `work` once per key, across retries, races and instances. `content`
   * is a digest of what is sent: the same key with other content is a client
   * bug that would lose a message, and is refused (409).
   */
  function once(key: string, content: string, described: Pick<SendRecord, 'text' | 'file'>, work: (claim: SendRecord, progress: (patch: Partial<SendRecord>) => Promise<unknown>) => Promise<Message>): Promise<Message> {
    const known = inflight.get(key);
    if (known) return known.content === content ? known : Promise.reject(reused());
    const promise = (async () => {
      const started = now();
      for (;;) {
        const record = await store.get<SendRecord>(key);
        const state = record?.value;
        if (state?.content !== undefined && state.content !== content) throw reused();
        if (state?.state === 'sent' && state.message) return state.message;
        if (state?.state === 'sending' && now() - state.at < claimMs) {
          if (now() - started > claimMs + 10_000) throw new HttpError(503, 'The message is still being sent; try again in a moment.');
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        if (draining) throw new HttpError(503, 'The relay is restarting; the message will be sent again in a moment.');
        const claim: SendRecord = { ...state, ...described, state: 'sending', at: now(), content };
        if (!(await store.compareAndSet(key, record?.version ?? 0, claim, { ttlMs: DAY }))) continue;
        const progress = (patch: Partial<SendRecord>) => records.update<SendRecord>(key, (current) => ({ ...current!, ...patch }), { ttlMs: DAY });
        try {
          const message = await work(claim, progress);
          await progress({ state: 'sent', message });
          return message;
        } catch (error) {
          await progress({ state: 'failed' });
          throw error;
        }
      }
    })();
    const tracked = Object.assign(promise, { content });
    inflight.set(key, tracked);
    const forget = () => inflight.delete(key);
    promise.then(forget, forget);
    return tracked;
  }

  return {
    /** Sends the draft to the conversation's customer; answers the sent `Message` (the same one for a repeated `clientId`). */
    send(route: Route, agentId: string, { clientId, text, file, replyTo, automatic }: Draft): Promise<Message> {
      const { conversationId, psid } = route;
      const content = digest(JSON.stringify([text ?? null, file ? [file.name, file.type, file.size, file.sha256] : null, replyTo ?? null]));
      const described = { ...(text !== undefined && { text }), ...(file && { file: { name: file.name, type: file.type, size: file.size } }) };
      return once(sendKey(conversationId, clientId), content, described, async (claim, progress) => {
        // Meta stamps the message while the call runs; a read watermark refers to that, so take the start.
        const sentAt = nowIso();
        const { messagingType, tag } = await replyWindow(conversationId, automatic);
        const base = { psid, metadata: clientId, messagingType, ...(tag ? { tag } : {}) };
        // The reply goes with the first part sent: the text, or the file alone.
        const reply = replyTo ? { replyTo } : {};
        let id = '';
        let attachments: Message['attachments'];
        if (text !== undefined && !claim.textId) {
          const sent = await graph.sendText({ ...base, ...reply, text });
          if (file) await progress({ textId: sent.message_id });
          id = sent.message_id;
        }
        if (file) {
          const kind = attachmentKindOf(file.type);
          const sent = await graph.sendFile({
            ...base,
            ...(text === undefined ? reply : {}),
            kind,
            file: { name: file.name, type: file.type, size: file.size, open: () => fs.createReadStream(file.path) },
          });
          id = sent.message_id;
          attachments = [{ id: `${id}:0`, kind, name: file.name, mimeType: file.type, size: file.size, url: '' }];
        }
        const message: Message = { id, conversationId, clientId, direction: 'outbound', sentAt, status: 'sent' };
        if (text !== undefined) message.text = text;
        if (replyTo) message.replyTo = { messageId: replyTo };
        // Meta's echo brings the file's URL; it may have come before Graph answered.
        if (attachments) message.attachments = (await records.read<Message['attachments']>(echoKey(id))) ?? attachments;
        await store.putMessage(conversationId, message);
        log.info({ conversationId, agentId, messageId: id }, `sent ${file ? 'a file' : 'a text'} as ${id} in conversation ${conversationId} (agent ${agentId}, ${messagingType}${tag ? ` ${tag}` : ''})`);
        const others = (await presence.audience(route)).filter((other) => other !== agentId);
        await presence.emit(others, { type: 'message', detail: message }, messageOnce(message.id));
        return message;
      });
    },

    /**
     * Meta's echo of a message sent with our `clientId` in its metadata:
     * when the relay never learnt Graph's answer (it crashed, or the answer
     * was lost), the echo says the message went, so a retry sends nothing.
     */
    async settle(conversationId: string, echo: Message): Promise<void> {
      const key = sendKey(conversationId, echo.clientId!);
      const filePart = !!echo.attachments?.length;
      const { value, changed } = await records.update<SendRecord>(
        key,
        (current) => {
          if (!current || current.state === 'sent') return undefined;
          // Text and file go as two messages: the text's echo only says the text went.
          if (current.file && !filePart) return current.textId ? undefined : { ...current, textId: echo.id };
          const message: Message = { id: echo.id, conversationId, clientId: echo.clientId!, direction: 'outbound', sentAt: echo.sentAt, status: 'sent' };
          if (current.text !== undefined) message.text = current.text;
          if (current.file) message.attachments = echo.attachments!;
          return { ...current, state: 'sent', message };
        },
        { ttlMs: DAY },
      );
      if (changed && value?.message) {
        await store.putMessage(conversationId, value.message);
        log.info({ conversationId, messageId: echo.id }, `send ${echo.id} in conversation ${conversationId} settled by Meta's echo`);
      }
    },

    /** From now on, sends that have not reached Graph are refused (503); answers once those under way are done. */
    async drain(): Promise<void> {
      draining = true;
      await Promise.all([...inflight.values()].map((send) => send.catch(() => {})));
    },

    get draining() {
      return draining;
    },
  };
}

export type Sending = ReturnType<typeof createSending>;
