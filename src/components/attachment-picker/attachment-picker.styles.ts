import { css } from 'lit';
import { fontStyles } from '../base/shared.styles.js';

export const attachmentPickerStyles = [
  fontStyles,
  css`
  :host {
    position: relative;
    display: inline-block;
  }
  .trigger {
    display: inline-grid;
    place-items: center;
    width: 2.25rem;
    height: 2.25rem;
    padding: 0;
    border: 1px solid var(--agent-control-border, #8c959f);
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-surface, #fff);
    color: var(--agent-text, #1b1f24);
    cursor: pointer;
  }
  .trigger:disabled {
    cursor: not-allowed;
    opacity: 0.5;
  }
  .trigger svg {
    width: 1.25rem;
    height: 1.25rem;
    fill: currentColor;
  }
  [role='menu'] {
    position: absolute;
    inset-block-end: calc(100% + 0.25rem);
    inset-inline-start: 0;
    z-index: 10;
    min-width: 12rem;
    padding: 0.25rem 0;
    border: 1px solid var(--agent-border, #d0d7de);
    border-radius: var(--agent-radius, 6px);
    background: var(--agent-surface, #fff);
    box-shadow: 0 4px 12px #0003;
  }
  [role='menu'][hidden] {
    display: none;
  }
  .item,
  ::slotted([role='menuitem']) {
    display: block;
    padding: 0.4rem 0.9rem;
    color: var(--agent-text, #1b1f24);
    cursor: pointer;
    white-space: nowrap;
  }
  ::slotted([hidden]) {
    display: none;
  }
  .item:hover,
  .item:focus,
  ::slotted([role='menuitem']:hover),
  ::slotted([role='menuitem']:focus) {
    background: color-mix(in srgb, var(--agent-accent, #1a5fb4) 14%, transparent);
    outline: none;
  }
  .trigger:focus-visible {
    outline: 2px solid var(--agent-focus-color, #1a5fb4);
    outline-offset: 1px;
  }
`,
];
