import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a {@link MenuController} works on. */
export interface MenuOptions {
  /** The menu button. */
  button(): HTMLElement | null | undefined;
  /** The items that can be chosen now, in order (disabled and hidden ones left out). */
  items(): HTMLElement[];
  /** An item was chosen (clicked, or Enter/Space); the menu has closed. The item's own click handlers have run. */
  choose?(item: HTMLElement): void;
}

/**
 * A menu button's behaviour (the WAI-ARIA menu button pattern) with roving
 * focus: Enter, Space and ArrowDown on the button open the menu on its first
 * item, ArrowUp on its last; in the menu the arrows move and wrap, Home and
 * End go to the ends, a letter goes to the next item starting with it, Enter
 * and Space choose, Escape closes and returns focus to the button, and Tab
 * closes and lets focus move on. A press outside closes it; the document is
 * listened to only while the menu is open.
 *
 * The host renders the button with `aria-expanded=${menu.open}` and
 * `@keydown=${menu.onButtonKeydown}`, and the menu with `?hidden=${!menu.open}`,
 * `@keydown=${menu.onMenuKeydown}` and `@click=${menu.onMenuClick}`.
 */
export class MenuController implements ReactiveController {
  /** Whether the menu is open. */
  open = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: MenuOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.hide(false);
  }

  /** Opens the menu and focuses its first (or last) item. */
  async show(focus: 'first' | 'last' = 'first'): Promise<void> {
    this.open = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#listenOutside(true);
    const items = this.options.items();
    this.#focus(items.at(focus === 'first' ? 0 : -1));
  }

  /** Closes the menu, returning focus to the button unless focus is moving elsewhere. */
  hide(returnFocus = true): void {
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    this.#listenOutside(false);
    if (returnFocus) this.options.button()?.focus();
  }

  /** Opens or closes the menu, for the button's click. */
  toggle = (): void => void (this.open ? this.hide() : this.show());

  /** The button's keydown. */
  onButtonKeydown = (event: KeyboardEvent): void => {
    const focus = event.key === 'ArrowUp' ? 'last' : ['Enter', ' ', 'ArrowDown'].includes(event.key) ? 'first' : '';
    if (!focus) return;
    event.preventDefault();
    void this.show(focus);
  };

  /** The menu's keydown. */
  onMenuKeydown = (event: KeyboardEvent): void => {
    const { key } = event;
    const items = this.options.items();
    const current = items.findIndex((item) => item.matches(':focus'));
    // Items from the one after the focused one, round to it: where a search for the next one starts.
    const onwards = [...items.slice(current + 1), ...items.slice(0, current + 1)];
    const target =
      key === 'ArrowDown' ? onwards[0]
      : key === 'ArrowUp' ? items.at(current - 1)
      : key === 'Home' ? items[0]
      : key === 'End' ? items.at(-1)
      : key.length === 1 && key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey ? onwards.find((item) => item.textContent!.trim().toLowerCase().startsWith(key.toLowerCase()))
      : undefined;
    if (target) {
      event.preventDefault();
      this.#focus(target);
    } else if (key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.hide();
    } else if (key === 'Tab') {
      this.hide(false);
    } else if ((key === 'Enter' || key === ' ') && current >= 0) {
      event.preventDefault();
      items[current].click();
    }
  };

  /** The menu's click: an item was chosen. */
  onMenuClick = (event: MouseEvent): void => {
    const item = this.options.items().find((candidate) => event.composedPath().includes(candidate));
    if (!item) return;
    this.hide();
    this.options.choose?.(item);
  };

  /** Roving tabindex: only the focused item is in the tab order. */
  #focus(item?: HTMLElement) {
    for (const other of this.options.items()) other.tabIndex = other === item ? 0 : -1;
    item?.focus();
  }

  #onOutside = (event: Event) => {
    if (!event.composedPath().includes(this.host)) this.hide(false);
  };

  #listenOutside(on: boolean) {
    if (on) document.addEventListener('pointerdown', this.#onOutside, true);
    else document.removeEventListener('pointerdown', this.#onOutside, true);
  }
}
