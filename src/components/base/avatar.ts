import { css, html, nothing } from 'lit';
import type { Customer } from '../../adapters/types.js';

/** The first letters of a name's first and last words: `Ana Souza` → `AS`. */
const initials = (name: string) => {
  const [first = '', ...rest] = name.trim().split(/\s+/);
  return `${[...first][0] ?? ''}${[...(rest.at(-1) ?? '')][0] ?? ''}`.toUpperCase();
};

const hide = (event: Event) => ((event.target as HTMLElement).hidden = true);

/**
 * A customer's picture beside their name (so decorative: `alt=""`), over
 * their initials, which show while it loads, when it fails (for as long as
 * the element lives) and when there is none; CSS draws the initials, so they
 * are not part of the name's text. Only `https:` pictures are loaded,
 * lazily, and without telling their host which page asked.
 */
export const avatar = ({ name, avatarUrl }: Customer) =>
  html`<span class="avatar" aria-hidden="true" data-initials=${initials(name)}
    >${/^https:/i.test(avatarUrl ?? '')
      ? html`<img src=${avatarUrl!} alt="" loading="lazy" referrerpolicy="no-referrer" @error=${hide} />`
      : nothing}</span
  >`;

/** The look of {@link avatar}: a round badge, 2em across. */
export const avatarStyles = css`
  .avatar {
    position: relative;
    display: inline-grid;
    flex: none;
    place-items: center;
    width: 2em;
    height: 2em;
    margin-inline-end: 0.4em;
    overflow: hidden;
    border-radius: 50%;
    background: var(--agent-border, #d0d7de);
    font-size: 0.8em;
    vertical-align: middle;
  }
  .avatar::before {
    content: attr(data-initials);
  }
  .avatar img {
    position: absolute;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
`;
