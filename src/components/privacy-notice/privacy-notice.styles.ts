import { css } from 'lit';
import { sharedStyles } from '../base/shared.styles.js';

export const privacyNoticeStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    :host([acknowledged]) {
      display: none;
    }
    [part='base'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
      padding: 0.6rem 0.9rem;
      border: 1px solid var(--agent-border, #d0d7de);
      border-radius: var(--agent-radius, 6px);
      background: var(--agent-notice-background, var(--agent-inbound-background, #eef1f4));
    }
    [part='message'] {
      flex: 1 1 20rem;
      margin: 0;
    }
  `,
];
