/**
 * `agent-console`: registers every element and exports their classes, the
 * console core, the localisation layer and every type of the contract.
 */
import './error-banner.js';

export { AgentElement } from './components/base/agent-element.js';
export { AgentErrorBanner } from './components/error-banner/error-banner.component.js';
export * from './core/index.js';
export type * from './adapters/types.js';
export { LocalizeController } from './l10n/localize.js';
export { registerTranslation, registeredLanguages, translationFor } from './l10n/translation.js';
export type { Translation, TranslationOverride } from './l10n/translation.js';
export { dateLocaleFor, formatDate, registerDateLocale } from './l10n/dates.js';
