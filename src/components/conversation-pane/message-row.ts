import { isSameDay } from 'date-fns/isSameDay';
import { isToday } from 'date-fns/isToday';
import { isYesterday } from 'date-fns/isYesterday';
import { html, nothing, type TemplateResult } from 'lit';
import type { Attachment, ChannelCapabilities, Message } from '../../adapters/types.js';
import { safeFileName } from '../../adapters/file-types.js';
import type { TranscriptMessage } from '../../core/transcript.js';
import { formatDate, formatFileSize } from '../../l10n/format.js';
import type { Translation } from '../../l10n/translation.js';
import { messageText, safeMediaUrl } from './message-text.js';

/** What a row needs besides its message. */
export interface RowContext {
  t: Translation;
  lang: string;
  /** The customer's name as shown ("the customer" when unknown). */
  customer: string;
  /** The channel's name, for the console's sentences on its errors. */
  channel: string;
  /** The channel's names for what it sends that the console cannot show. */
  unsupported?: ChannelCapabilities['unsupported'];
  /** Whether the channel reports delivery and reading; without, agent messages never show more than sent. */
  readReceipts: boolean;
  previous?: Message;
  allowsFile(attachment: Attachment): boolean;
  retry(clientId: string): void;
  canRetry(clientId: string): boolean;
  openImage(label: string, url: string): void;
  /** A loaded message, for the quote of a reply. */
  find(id: string): Message | undefined;
  /** Scrolls to a loaded message and focuses it (a reply's "Go to"). */
  goTo(id: string): void;
  /** Messages whose earlier texts are shown. */
  expanded: ReadonlySet<string>;
  toggleEarlier(id: string): void;
  /** The message last gone to: focusable, to be focused. */
  target?: string;
  /** What goes beside a message's bubble, inside its row: the agent's actions on it (Reply, React) and their results. */
  actions?(message: TranscriptMessage): unknown;
}

/** Why a send failed, for the agent: the console's sentence for a known code, else the adapter's words. */
export const failureText = ({ error, errorCode }: TranscriptMessage, t: Translation, channel: string) =>
  errorCode ? t.channelError(errorCode, channel) : error;

// The console's own names for kinds many channels have.
const commonKinds: Record<string, 'kindSticker' | 'kindLocation' | 'kindSharedPost' | 'kindTemplate'> = {
  sticker: 'kindSticker',
  location: 'kindLocation',
  shared_post: 'kindSharedPost',
  template: 'kindTemplate',
};

/**
 * What to call content the console cannot show: the channel's name for it
 * (in the agent's language when it gives several, else English, else any),
 * the console's own for common kinds, else "unknown".
 */
function unsupportedName(type: string, { t, lang, unsupported = {} }: Pick<RowContext, 't' | 'lang' | 'unsupported'>): string {
  const named = Object.hasOwn(unsupported, type) ? unsupported[type] : {};
  if (typeof named === 'string') return named;
  const [code] = [lang, lang.split('-')[0], 'en'].filter((code) => Object.hasOwn(named, code));
  return named[code] ?? Object.values(named)[0] ?? t[Object.hasOwn(commonKinds, type) ? commonKinds[type] : 'kindUnknown'];
}

const fromKeys = { image: 'imageFrom', video: 'videoFrom', audio: 'audioFrom', file: 'fileFrom' } as const;

/** How a file is labelled: its name, or "Image from Ana" when the channel made the name up. */
export const attachmentLabel = (attachment: Attachment, { t, customer }: Pick<RowContext, 't' | 'customer'>) =>
  attachment.nameIsGenerated || !attachment.name.trim() ? t[fromKeys[attachment.kind]](customer) : attachment.name;


function dayLabel(date: Date, { t, lang }: RowContext): string {
  if (isToday(date)) return t.today;
  if (isYesterday(date)) return t.yesterday;
  return formatDate(date, lang, { dateStyle: 'long' });
}

const fileIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
  <path d="M6 2h8l6 6v14H6V2Zm7 1.5V9h5.5L13 3.5Z" />
</svg>`;

function renderAttachment(attachment: Attachment, message: Message, context: RowContext): TemplateResult {
  const { t } = context;
  if (message.direction === 'inbound' && !context.allowsFile(attachment)) {
    return html`<p class="unsupported">${t.unsupportedFile(attachment.name)}</p>`;
  }
  const label = attachmentLabel(attachment, context);
  const url = safeMediaUrl(attachment.url);
  const caption = html`<span class="file-name">${label}</span>${attachment.nameIsGenerated
      ? html` <span class="generated-name">${attachment.name}</span>`
      : nothing}`;
  const save = url
    ? html`<a
        class="save"
        part="save"
        href=${url}
        download=${safeFileName(attachment.name, attachment.mimeType, label)}
        target="_blank"
        rel="noopener noreferrer"
        >${t.save(attachment.nameIsGenerated ? `${label} (${attachment.name})` : label)}</a
      >`
    : attachment.url
      ? html`<span class="unavailable">${t.fileUnavailable}</span>`
      : nothing; // the agent's own file, still being sent
  let media: TemplateResult | typeof nothing = nothing;
  if (url && attachment.kind === 'image') {
    media = html`<button class="thumb" type="button" aria-label=${t.openImage(label)} @click=${() => context.openImage(label, url)}>
      <img src=${url} alt="" loading="lazy" decoding="async" />
    </button>`;
  } else if (url && attachment.kind === 'video') {
    media = html`<video controls preload="metadata" src=${url} aria-label=${label}></video>`;
  } else if (url && attachment.kind === 'audio') {
    media = html`<audio controls preload="metadata" src=${url} aria-label=${label}></audio>`;
  }
  const details = [attachment.mimeType, attachment.size === undefined ? '' : formatFileSize(attachment.size, context.lang)].filter(Boolean).join(' · ');
  return html`<figure class="attachment ${attachment.kind}">
    ${media}
    <figcaption>${attachment.kind === 'file' ? fileIcon : nothing}<span class="file-text">${caption}<span class="file-details">${details}</span></span>${save}</figcaption>
  </figure>`;
}

function renderStatus(message: TranscriptMessage, { t, retry, canRetry, readReceipts, channel }: RowContext) {
  const labels = { pending: t.statusPending, sent: t.statusSent, delivered: t.statusDelivered, read: t.statusRead, failed: t.statusFailed };
  const { notice } = message;
  if (message.direction !== 'outbound' || !message.status) return nothing;
  const status = readReceipts || !['delivered', 'read'].includes(message.status) ? message.status : 'sent';
  // The notes on keeping unsent messages across reloads matter only until the message is sent.
  const note =
    notice && (status === 'pending' || status === 'failed')
      ? notice === 'file-lost'
        ? t.fileLost(message.attachments?.[0]?.name ?? '')
        : { 'not-kept': t.notKept, 'conversation-gone': t.conversationGone, 'ended-unsent': t.endedUnsent }[notice]
      : '';
  return html` <span class="status ${status}">${labels[status]}</span>${note ? html` <span>${note}</span>` : nothing}${status === 'failed'
      ? html`${message.error || message.errorCode ? html`<span class="error">${failureText(message, t, channel)}</span>` : nothing}
          ${message.clientId && canRetry(message.clientId)
            ? html`<button class="retry" type="button" @click=${() => retry(message.clientId!)}>${t.retry}</button>`
            : nothing}`
      : nothing}`;
}

/** A message on one line, for lists: its text, its file's label, its link or location, or what could not be shown. */
export const messageSummary = ({ deleted, text, attachments, link, location, unsupported }: Message, context: Pick<RowContext, 't' | 'customer' | 'lang' | 'unsupported'>): string =>
  deleted
    ? context.t.messageRemoved
    : (text ??
      (attachments?.[0]
        ? attachmentLabel(attachments[0], context)
        : link
          ? link.title || link.url
          : location
            ? context.t.sharedLocation
            : unsupported
              ? context.t.unsupportedContent(unsupportedName(unsupported.type, context))
              : ''));

/** The URL if it is absolute http(s): the only links a customer's content may open. */
const webLink = (url: string): URL | undefined => {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** The first words of a text, on one line. */
function firstWords(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > 60 ? `${chars.slice(0, 60).join('').replace(/\s\S*$/, '')}…` : chars.join('');
}

/** The quote above a reply: the parent's first words and a way to it, or that it is not loaded. */
function renderReply(messageId: string, context: RowContext) {
  const { t } = context;
  const parent = context.find(messageId);
  return html`<p class="quote">
    ${parent
      ? html`${t.replyTo(firstWords(messageSummary(parent, context)))}
          <button class="minor" type="button" @click=${() => context.goTo(parent.id)}>${t.goToReplied}</button>`
      : t.replyToEarlier}
  </p>`;
}

/** What the customer sent, unless they removed it. */
function renderContent(message: TranscriptMessage, context: RowContext) {
  const { t } = context;
  const { replyTo, edited, link, location } = message;
  const unsupported = message.unsupported && unsupportedName(message.unsupported.type, context);
  const url = link && webLink(link.url);
  const open = context.expanded.has(message.id);
  const map = location && `https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=16/${location.latitude}/${location.longitude}`;
  return html`${replyTo ? renderReply(replyTo.messageId, context) : nothing}
    ${unsupported ? html`<p class="unsupported">${t.unsupportedContent(unsupported)}</p>` : nothing}
    ${message.text ? html`<p class="text">${messageText(message.text)}</p>` : nothing}
    ${edited?.earlier.length
      ? html`<button class="minor" type="button" aria-expanded=${open} @click=${() => context.toggleEarlier(message.id)}>
            ${open ? t.hideEarlierText : t.showEarlierText}
          </button>
          ${open ? html`<ol class="earlier">${edited.earlier.map((text) => html`<li>${text}</li>`)}</ol>` : nothing}`
      : nothing}
    ${url
      ? html`<a class="card" href=${url.href} target="_blank" rel="noopener noreferrer"
          >${link!.title} <span class="host">${url.host}</span></a
        >`
      : nothing}
    ${location
      ? html`<p class="location">
          ${t.sharedLocation}:
          <a href=${map} target="_blank" rel="noopener noreferrer"
            >${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}</a
          >
        </p>`
      : nothing}
    ${message.attachments?.map((attachment) => renderAttachment(attachment, message, context))}`;
}

/** Who wrote a message: the customer, the agent, or another sender on the Page (a person in its inbox, a bot). */
function senderOf({ author, direction }: Message, { t, customer }: RowContext): string {
  if (author) return author.name || (author.appId ? t.anotherApp : t.someoneOnPage);
  return direction === 'outbound' ? t.you : customer;
}

/** What a system message says: the console's own notes are written in the agent's language. */
function systemText({ ended, reaction, referral, text }: Message, { t, customer }: RowContext) {
  if (ended) return t.ended(ended.byAgent, ended.reason);
  if (reaction) return (reaction.action === 'react' ? t.reacted : t.unreacted)(customer, reaction.emoji);
  if (referral) return t.referral([referral.source, referral.ref, referral.adId].filter(Boolean).join(', '));
  return text;
}

/** One transcript row: a day separator when the day changes, then the message. */
export function renderMessageRow(message: TranscriptMessage, index: number, size: number, context: RowContext): TemplateResult {
  const { t } = context;
  const sentAt = new Date(message.sentAt);
  const newDay = !context.previous || !isSameDay(new Date(context.previous.sentAt), sentAt);
  const sender = senderOf(message, context);
  const reaction = message.customerReaction;
  return html`<div
    class="row ${message.direction} ${message.standby ? 'standby' : ''} ${message.author ? 'other' : ''}"
    role="listitem"
    aria-posinset=${index + 1}
    aria-setsize=${size}
    data-id=${message.id}
    tabindex=${message.id === context.target ? -1 : nothing}
  >
    ${newDay ? html`<p class="day">${dayLabel(sentAt, context)}</p>` : nothing}
    ${message.direction === 'system'
      ? html`<p class="system">${systemText(message, context)}
          <time datetime=${message.sentAt}>${formatDate(sentAt, context.lang)}</time></p>`
      : html`<div class="bubble" part="bubble ${message.direction}">
          ${message.author ? html`<p class="author">${sender}<span class="visually-hidden">:</span></p>` : html`<span class="visually-hidden">${sender}: </span>`}
          ${message.standby ? html`<p class="note">${t.standby}</p>` : nothing}
          ${message.deleted ? html`<p class="unsupported">${t.messageRemoved}</p>` : renderContent(message, context)}
          <p class="meta">
            ${reaction ? html`<span role="img" aria-label=${t.reacted(context.customer, reaction)}>${reaction}</span>` : nothing}
            <time datetime=${message.sentAt}>${formatDate(sentAt, context.lang)}</time>${message.edited ? html` <span>${t.edited}</span>` : nothing}${renderStatus(
              message,
              context,
            )}
          </p>
        </div>`}
    ${context.actions?.(message)}
  </div>`;
}
