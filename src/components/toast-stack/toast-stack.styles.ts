import { css } from 'lit';
import { sharedStyles } from '../base/shared.styles.js';

export const toastStackStyles = [
  sharedStyles,
  css`
    :host {
      --block: var(--agent-toast-offset-block, var(--agent-toast-offset, 1rem));
      --inline: var(--agent-toast-offset-inline, var(--agent-toast-offset, 1rem));
      position: fixed;
      z-index: var(--agent-toast-z-index, 1000);
      inset-block-start: var(--block);
      inset-inline-end: var(--inline);
      max-height: calc(100vh - 2 * var(--block));
      overflow-y: auto;
    }
    :host([position$='start']) {
      inset-inline: var(--inline) auto;
    }
    :host([position^='bottom']) {
      inset-block: auto var(--block);
    }
    /* In the flow of the page, where the stack is placed: it covers nothing. */
    :host([position='console']) {
      --agent-toast-width: 100%;
      position: static;
      /* The session below keeps most of the room; more toasts scroll. */
      max-height: var(--agent-toast-max-height, min(35%, 16rem));
      flex: none;
    }
    :host([position='console']) [part='base'] {
      align-items: stretch;
    }
    [part='base'] {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      gap: 0.5rem;
    }
    :host([position$='start']) [part='base'] {
      align-items: flex-start;
    }
    [part='base'][hidden] {
      display: none;
    }
    /* Slotted toasts take the stack's font (the shared reset cannot reach them). */
    ::slotted(*) {
      font: inherit;
    }
    [part='more'] {
      box-shadow: 0 2px 8px #0002;
    }
  `,
];
