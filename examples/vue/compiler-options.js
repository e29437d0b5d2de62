// @ts-check
/**
 * Vue's template compiler options for agent-console: `agent-*` tags are
 * custom elements, to be created as they are, not Vue components to resolve.
 * Pass them to `@vitejs/plugin-vue` (see vite.config.ts), or set
 * `app.config.compilerOptions.isCustomElement` when templates compile in the browser.
 *
 * @type {{ isCustomElement: (tag: string) => boolean }}
 */
export const compilerOptions = {
  isCustomElement: (tag) => tag.startsWith('agent-'),
};
