import type { Config, DOMPurify } from 'dompurify';

// A purifier of our own, so its hooks and allow-list never touch the page's.
// DOMPurify is a third of the elements' weight and only formatted text and
// links need it, so it loads after the first frame, never at
// import (which also keeps this module loadable where there is no DOM).
let purifier: DOMPurify | undefined;
let loading: Promise<boolean> | undefined;
let trustedTypesPolicy: Config['TRUSTED_TYPES_POLICY'];

type PolicyFactory = { createPolicy(name: string, rules: { createHTML(s: string): string; createScriptURL(s: string): string }): NonNullable<Config['TRUSTED_TYPES_POLICY']> };

/**
 * Loads the sanitiser; resolves `true` when {@link sanitize} can be used, or
 * `false` when it could not be loaded (the next call tries again).
 */
export function loadSanitizer(): Promise<boolean> {
  loading ??= import('dompurify').then(
    ({ default: createPurifier }) => {
      purifier = createPurifier(window);
      purifier.addHook('afterSanitizeAttributes', (node) => {
        if (node.tagName === 'A') {
          node.setAttribute('target', '_blank');
          node.setAttribute('rel', 'noopener noreferrer');
        }
      });
      // Under Trusted Types, DOMPurify parses through a policy of ours, so a
      // page that runs DOMPurify itself (policy "dompurify") does not clash.
      // Where the page's CSP does not allow the name, DOMPurify makes its own.
      try {
        const same = (value: string) => value;
        trustedTypesPolicy = (window as { trustedTypes?: PolicyFactory }).trustedTypes?.createPolicy('agent-console', { createHTML: same, createScriptURL: same });
      } catch {
        // the name is taken or not allowed
      }
      return true;
    },
    (error: unknown) => {
      loading = undefined;
      console.warn('[agent-console] DOMPurify did not load; text shows unformatted.', error);
      return false;
    },
  );
  return loading;
}

/**
 * Markup cleaned by DOMPurify with `config`, or `undefined` while the
 * sanitiser has not loaded ({@link loadSanitizer}). Throws on a page whose
 * Trusted Types allow no policy for parsing.
 */
export const sanitize = (markup: string, config: Config): string | undefined =>
  purifier?.sanitize(markup, trustedTypesPolicy ? { ...config, TRUSTED_TYPES_POLICY: trustedTypesPolicy } : config);
