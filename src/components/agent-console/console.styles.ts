import { css } from 'lit';
import { avatarStyles } from '../base/avatar.js';
import { sharedStyles } from '../base/shared.styles.js';

export const consoleStyles = [
  sharedStyles,
  avatarStyles,
  css`
    :host {
      display: block;
      height: var(--agent-console-height, 36rem);
    }
    .base {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      height: 100%;
      box-sizing: border-box;
      container-type: inline-size;
      background: var(--agent-surface, #fff);
    }
    .connection p {
      margin: 0;
    }
    .connection.down {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
      padding: 0.4rem 0.75rem;
      border-radius: var(--agent-radius, 6px);
      background: var(--agent-warning-background, #fff4d6);
      color: var(--agent-warning-color, #4d3800);
    }
    .connection.down .muted {
      color: inherit;
    }
    .main {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(11rem, 16rem) 1fr;
      gap: 0.75rem;
    }
    @container (max-width: 40rem) {
      .main {
        grid-template-columns: 1fr;
        grid-template-rows: auto 1fr;
      }
      nav {
        max-height: 9rem;
      }
    }
    nav {
      overflow-y: auto;
    }
    .heading {
      margin: 0 0 0.35rem;
      font-weight: 600;
    }
    ul {
      display: grid;
      gap: 0.25rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .item {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0.1rem 0.5rem;
      width: 100%;
      padding: 0.45rem 0.6rem;
      border-color: var(--agent-border, #d0d7de);
      text-align: start;
    }
    .item[aria-current='true'] {
      border-color: var(--agent-accent, #1a5fb4);
      box-shadow: inset 3px 0 var(--agent-accent, #1a5fb4);
    }
    .name,
    .last {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .name {
      font-weight: 600;
    }
    .item > .muted {
      text-align: end;
    }
    .unread {
      display: inline-block;
      margin-inline-start: 0.25rem;
      min-width: 1.25rem;
      padding: 0 0.35rem;
      border-radius: 1rem;
      background: var(--agent-accent, #1a5fb4);
      color: var(--agent-on-accent, #fff);
      text-align: center;
      font-size: 0.8em;
    }
    .session {
      display: flex;
      flex-direction: column;
      min-height: 0;
      border: 1px solid var(--agent-border, #d0d7de);
      border-radius: var(--agent-radius, 6px);
      overflow: hidden;
    }
    header button {
      flex: none;
      white-space: nowrap;
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
      padding: 0.4rem 0.6rem;
      border-bottom: 1px solid var(--agent-border, #d0d7de);
    }
    .title,
    .session > .error {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .session > .error {
      padding: 0.4rem 0.6rem;
    }
    agent-conversation-pane {
      flex: 1;
      min-height: 0;
    }
  `,
];
