import { css } from 'lit';
import { fontStyles } from '../base/shared.styles.js';

export const errorBannerStyles = [
  fontStyles,
  css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--agent-error-border-color, #d4351c);
    border-inline-start-width: 4px;
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-error-background, #fdf0ee);
    color: var(--agent-error-color, #6b1409);
  }
  svg {
    flex: none;
    width: 1.25em;
    height: 1.25em;
    fill: currentColor;
  }
  [part='message'] {
    flex: 1;
    overflow-wrap: anywhere;
  }
  button {
    flex: none;
    display: inline-grid;
    place-items: center;
    min-width: 1.75rem;
    min-height: 1.75rem;
    margin: -0.25rem -0.25rem -0.25rem 0;
    padding: 0;
    border: 0;
    border-radius: var(--agent-radius, 6px);
    background: none;
    color: inherit;
    font-size: 1.25rem;
    line-height: 1;
    cursor: pointer;
  }
  button:hover {
    background: color-mix(in srgb, currentColor 12%, transparent);
  }
  button:focus-visible {
    outline: 2px solid var(--agent-focus-color, #1a5fb4);
    outline-offset: 1px;
  }
`,
];
