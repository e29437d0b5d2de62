import { css } from 'lit';
import { fontStyles, visuallyHidden } from '../base/shared.styles.js';

export const conversationPaneStyles = [
  visuallyHidden,
  fontStyles,
  css`
  :host {
    display: block;
    height: 100%;
    min-height: 16rem;
    color: var(--agent-text, #1b1f24);
  }
  .base {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--agent-surface, #fff);
  }
  agent-error-banner {
    margin: 0.5rem;
  }
  .scroller {
    position: relative;
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-anchor: none;
    padding: 0 0.75rem;
  }
  .scroller:focus-visible,
  button:focus-visible,
  a:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--agent-focus-color, #1a5fb4);
    outline-offset: 1px;
  }
  .spacer {
    position: relative;
  }
  .window {
    position: absolute;
    inset: 0 0 auto 0;
  }
  .row {
    display: flow-root;
    padding: 0.2rem 0;
  }
  .day {
    margin: 0.75rem 0 0.25rem;
    text-align: center;
    font-size: 0.8rem;
    color: var(--agent-muted, #57606a);
  }
  .bubble {
    max-width: min(80%, 36rem);
    padding: 0.45rem 0.7rem;
    border-radius: calc(var(--agent-radius, 6px) * 2);
    background: var(--agent-inbound-background, #eef1f4);
    overflow-wrap: anywhere;
  }
  .outbound .bubble {
    margin-inline-start: auto;
    background: var(--agent-outbound-background, color-mix(in srgb, var(--agent-accent, #1a5fb4) 14%, var(--agent-surface, #fff)));
  }
  .bubble p {
    margin: 0;
  }
  .text {
    white-space: pre-wrap;
  }
  .text a {
    color: inherit;
  }
  .system {
    margin: 0.25rem auto;
    text-align: center;
    font-size: 0.85rem;
    color: var(--agent-muted, #57606a);
  }
  .unsupported {
    font-style: italic;
    color: var(--agent-muted, #57606a);
  }
  /* Only a row gone to from a reply is focusable: the ring shows where it is. */
  .row:focus {
    outline: 2px solid var(--agent-focus-color, #1a5fb4);
  }
  /* Written by another sender on the Page, or while another app held the thread: set apart from the agent's own. */
  .other .bubble,
  .standby .bubble,
  .card {
    border: 1px solid var(--agent-border, #d0d7de);
    background: var(--agent-surface, #fff);
  }
  .standby .bubble {
    border-style: dashed;
  }
  .author,
  .note,
  .quote,
  .earlier,
  .host,
  .minor {
    font-size: 0.8rem;
    color: var(--agent-muted, #57606a);
  }
  .quote {
    padding-inline-start: 0.5rem;
    border-inline-start: 3px solid var(--agent-border, #d0d7de);
  }
  .earlier {
    margin: 0;
    white-space: pre-wrap;
  }
  .card {
    display: grid;
    margin: 0.25rem 0;
    padding: 0.3rem 0.6rem;
    border-radius: var(--agent-radius, 6px);
  }
  .card,
  .location a {
    color: inherit;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.4rem;
    justify-content: flex-end;
    align-items: baseline;
    margin-top: 0.15rem !important;
    font-size: 0.75rem;
    color: var(--agent-muted, #57606a);
  }
  .status.failed,
  .error {
    color: var(--agent-danger, #b42318);
  }
  /* Small outlined buttons: Retry, Cancel, Dismiss, Show earlier text. */
  .retry,
  .minor,
  .history button,
  .upload button,
  .refusal .dismiss,
  .composer > button,
  .note button {
    padding: 0.1rem 0.45rem;
    border: 1px solid currentColor;
    border-radius: var(--agent-radius, 6px);
    background: none;
    color: var(--agent-link, var(--agent-accent, #1a5fb4));
    font: inherit;
    cursor: pointer;
  }
  .attachment {
    margin: 0.25rem 0;
  }
  .thumb {
    display: block;
    width: 200px;
    height: 150px;
    padding: 0;
    border: 0;
    border-radius: var(--agent-radius, 6px);
    overflow: hidden;
    cursor: zoom-in;
    background: #0001;
  }
  .thumb img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  video {
    width: 240px;
    height: 135px;
  }
  audio {
    width: 240px;
    height: 40px;
  }
  figcaption {
    display: flex;
    gap: 0.4rem;
    align-items: center;
    flex-wrap: wrap;
    font-size: 0.85rem;
  }
  .file-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .generated-name,
  .file-details {
    font-size: 0.75rem;
    color: var(--agent-muted, #57606a);
  }
  .icon {
    width: 1.75rem;
    height: 1.75rem;
    fill: var(--agent-muted, #57606a);
  }
  .save {
    color: var(--agent-link, var(--agent-accent, #1a5fb4));
  }
  .history,
  .typing {
    margin: 0;
    padding: 0 0.75rem;
    min-height: 1.25rem;
    font-size: 0.8rem;
    color: var(--agent-muted, #57606a);
  }
  .history:empty {
    min-height: 0;
  }
  .jump {
    position: absolute;
    inset-inline-end: 1rem;
    bottom: 6.5rem;
    padding: 0.35rem 0.75rem;
    border: 0;
    border-radius: 999px;
    background: var(--agent-accent, #1a5fb4);
    color: var(--agent-on-accent, #fff);
    font: inherit;
    cursor: pointer;
    box-shadow: 0 1px 4px #0004;
  }
  .composer {
    padding: 0.5rem 0.75rem 0.75rem;
    border-top: 1px solid var(--agent-border, #d0d7de);
  }
  .compose-row {
    position: relative;
    display: flex;
    gap: 0.5rem;
    align-items: flex-end;
  }
  textarea {
    flex: 1;
    resize: none;
    field-sizing: content;
    max-height: 8rem;
    min-height: 2.25rem;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--agent-control-border, #8c959f);
    border-radius: var(--agent-radius, 6px);
    font: inherit;
  }
  .send {
    min-height: 2.25rem;
    padding: 0 1rem;
    border: 0;
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-accent, #1a5fb4);
    color: var(--agent-on-accent, #fff);
    font: inherit;
    cursor: pointer;
  }
  .send:disabled {
    background: var(--agent-control-border, #8c959f);
    cursor: not-allowed;
  }
  .notice,
  .counter,
  .note {
    margin: 0 0 0.35rem;
    font-size: 0.8rem;
    color: var(--agent-muted, #57606a);
  }
  .notice.closed,
  .counter.over {
    color: var(--agent-danger, #b42318);
  }
  dialog {
    max-width: 90vw;
    max-height: 90vh;
    padding: 0.5rem;
    border: 0;
    border-radius: var(--agent-radius, 6px);
  }
  dialog img {
    display: block;
    max-width: 85vw;
    max-height: 80vh;
  }
  dialog form {
    text-align: end;
  }
  .dragging {
    outline: 2px dashed var(--agent-accent, #1a5fb4);
    outline-offset: -4px;
  }
  .drop-hint {
    position: absolute;
    inset: 40% 1rem auto;
    z-index: 5;
    margin: 0;
    padding: 0.75rem;
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-surface, #fff);
    text-align: center;
    box-shadow: 0 2px 8px #0003;
    pointer-events: none;
  }
  .uploads {
    display: grid;
    gap: 0.35rem;
    margin: 0 0 0.4rem;
    padding: 0;
    list-style: none;
  }
  .upload {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    padding: 0.3rem 0.5rem;
    border: 1px solid var(--agent-border, #d0d7de);
    border-radius: var(--agent-radius, 6px);
    font-size: 0.85rem;
  }
  .upload.failed {
    border-color: var(--agent-danger, #b42318);
  }
  .upload img {
    width: 2.5rem;
    height: 2.5rem;
    object-fit: cover;
    border-radius: 4px;
  }
  .upload-text {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-width: 0;
  }
  .upload progress {
    width: 100%;
  }
  .refusal-line {
    display: block;
  }
  .refusal {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    justify-content: space-between;
    margin: 0 0 0.4rem;
    padding: 0.35rem 0.6rem;
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-error-background, #fdf0ee);
    color: var(--agent-error-color, #6b1409);
    font-size: 0.85rem;
  }
  /* Reply and React sit in the space beside a customer's bubble; the emoji open over it. */
  .row.inbound {
    position: relative;
  }
  .actions {
    position: absolute;
    bottom: 0.2rem;
    inset-inline-start: calc(min(80%, 36rem) + 0.2rem);
    display: flex;
    align-items: center;
  }
  .actions button {
    min-width: 1.75rem;
    height: 1.75rem;
    border: 0;
    border-radius: 1rem;
    background: none;
    color: var(--agent-muted, #57606a);
    font: inherit;
    cursor: pointer;
  }
  .actions button:hover,
  .actions [aria-expanded='true'],
  .actions [aria-checked='true'] {
    background: var(--agent-inbound-background, #eef1f4);
  }
  .reply::before {
    content: '↩';
  }
  .react::before {
    content: '☺';
    font-size: 1.2em;
  }
  .emoji {
    position: absolute;
    top: 100%;
    inset-inline-end: 0;
    z-index: 2;
    display: flex;
    padding: 0.2rem;
    border: 1px solid var(--agent-border, #d0d7de);
    border-radius: 1rem;
    background: var(--agent-surface, #fff);
    box-shadow: 0 2px 8px #0003;
  }
  p:empty {
    margin: 0;
  }
`,
];
