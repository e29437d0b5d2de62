import { css } from 'lit';
import { sharedStyles } from '../base/shared.styles.js';

export const toastStackStyles = [
  sharedStyles,
  css`
    :host {
      --offset: var(--agent-toast-offset, 1rem);
      position: fixed;
      z-index: var(--agent-toast-z-index, 1000);
      inset-block-start: var(--offset);
      inset-inline-end: var(--offset);
      max-height: calc(100vh - 2 * var(--offset));
      overflow-y: auto;
    }
    :host([position$='start']) {
      inset-inline: var(--offset) auto;
    }
    :host([position^='bottom']) {
      inset-block: auto var(--offset);
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
    [part='more'] {
      box-shadow: 0 2px 8px #0002;
    }
  `,
];
