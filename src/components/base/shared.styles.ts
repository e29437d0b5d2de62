import { css } from 'lit';

/** `.visually-hidden`: text for screen readers only. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/**
 * The font of every element: `--agent-font-family` and `--agent-font-size`,
 * else the system UI font at the inherited size (not the page's font, which on
 * a bare page is a serif). Page styles on the element itself win over these
 * :host defaults, and an element inside another takes its font, so a font set
 * on the outer element reaches everything within (and an `em` size does not
 * compound). docs/theming.md explains the choice.
 */
export const fontStyles = css`
  :host {
    font-family: var(--agent-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    font-size: var(--agent-font-size, 1em);
  }
  :is(agent-attachment-picker, agent-conversation-pane, agent-error-banner, agent-privacy-notice, agent-request-toast, agent-toast-stack) {
    font: inherit;
  }
`;

/** Font, buttons, focus ring and screen-reader-only text shared by the console's elements. */
export const sharedStyles = [
  visuallyHidden,
  fontStyles,
  css`
  :host {
    color: var(--agent-text, #1b1f24);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    min-height: 2rem;
    padding: 0.25rem 0.85rem;
    border: 1px solid var(--agent-control-border, #8c959f);
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-surface, #fff);
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  button.primary {
    border-color: var(--agent-accent, #1a5fb4);
    background: var(--agent-accent, #1a5fb4);
    color: var(--agent-on-accent, #fff);
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.55;
  }
  :focus-visible {
    outline: 2px solid var(--agent-focus-color, #1a5fb4);
    outline-offset: 2px;
  }
  .muted {
    color: var(--agent-muted, #57606a);
    font-size: 0.85em;
  }
  .error {
    color: var(--agent-danger, #b42318);
  }
`,
];
