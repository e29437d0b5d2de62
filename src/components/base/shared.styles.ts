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

/** Buttons, focus ring and screen-reader-only text shared by the console's elements. */
export const sharedStyles = [
  visuallyHidden,
  css`
  :host {
    font: inherit;
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
