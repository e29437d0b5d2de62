import { css } from 'lit';
import { avatarStyles } from '../base/avatar.js';
import { sharedStyles } from '../base/shared.styles.js';

export const requestToastStyles = [
  sharedStyles,
  avatarStyles,
  css`
    :host {
      display: block;
    }
    [part='base'] {
      display: grid;
      gap: 0.35rem;
      width: var(--agent-toast-width, min(22rem, 100%));
      box-sizing: border-box;
      padding: 0.75rem 0.9rem;
      border: 1px solid var(--agent-border, #d0d7de);
      border-inline-start: 4px solid var(--agent-accent, #1a5fb4);
      border-radius: var(--agent-radius, 6px);
      background: var(--agent-toast-background, var(--agent-surface, #fff));
      box-shadow: 0 4px 16px #0003;
    }
    @media (prefers-reduced-motion: no-preference) {
      [part='base'] {
        animation: enter 0.2s ease-out;
      }
      @keyframes enter {
        from {
          opacity: 0;
          transform: translateY(-0.5rem);
        }
      }
    }
    p {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .head {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      font-size: 0.85em;
    }
    .head .muted {
      margin-inline-start: auto;
    }
    .channel-icon {
      display: block;
      width: 1em;
      height: 1em;
    }
    span.channel-icon {
      background: var(--agent-channel-color, var(--agent-accent, #1a5fb4));
      -webkit-mask: var(--_icon) center / contain no-repeat;
      mask: var(--_icon) center / contain no-repeat;
    }
    .who {
      display: flex;
      align-items: center;
    }
    .customer {
      font-weight: 600;
    }
    .preview {
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      overflow: hidden;
    }
    progress {
      display: block;
      width: 100%;
      height: 3px;
      margin-top: 0.2rem;
      accent-color: var(--agent-accent, #1a5fb4);
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      margin-top: 0.25rem;
    }
  `,
];
