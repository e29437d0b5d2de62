/**
 * `agent-console`: registers every element and exports their classes, the
 * console core, the localisation layer and every type of the contract.
 *
 * The elements (`AgentConsole`, `AgentConversationPane`, …) are documented in
 * the [element reference](docs:api.md), their styling in
 * [Theming](docs:theming.md). This page has the rest: the {@link ConsoleCore}
 * that runs the console's state, the `detail` types of the elements' events,
 * and the localisation functions. The types of the adapter contract are
 * exported here too, and documented with
 * [`agent-console/adapters`](docs:api/agent-console/adapters/README.md).
 *
 * @module agent-console
 */
// The console registers every other element.
import './console.js';

export { AgentAttachmentPicker } from './components/attachment-picker/attachment-picker.component.js';
export type { AttachmentRefuseDetail, AttachmentSelectDetail } from './components/attachment-picker/attachment-picker.component.js';
export { AgentConsole } from './components/agent-console/console.component.js';
export { AgentConversationPane } from './components/conversation-pane/conversation-pane.component.js';
export type { SendDetail } from './components/conversation-pane/conversation-pane.component.js';
export { AgentErrorBanner } from './components/error-banner/error-banner.component.js';
export { AgentPrivacyNotice } from './components/privacy-notice/privacy-notice.component.js';
export type { PrivacyAcknowledgeDetail } from './components/privacy-notice/privacy-notice.component.js';
export { AgentRequestToast } from './components/request-toast/request-toast.component.js';
export type { RequestAnswerDetail } from './components/request-toast/request-toast.component.js';
export { AgentToastStack } from './components/toast-stack/toast-stack.component.js';
export type { ToastPosition } from './components/toast-stack/toast-stack.component.js';
export { ConsoleCore, SessionLimitError } from './core/console-core.js';
export type { AgentErrorDetail, ConsoleCoreOptions, CoreChangeDetail, OutboxEntry } from './core/console-core.js';
export type { RequestOutcome, RequestQueue } from './core/requests.js';
export type { Session, SessionEnd } from './core/session.js';
export type { StatusUpdate, Transcript, TranscriptMessage } from './core/transcript.js';
export { TabSync } from './core/tab-sync.js';
export { checkAttachment } from './core/policy.js';
export type { AttachmentCheck, RefusalReason } from './core/policy.js';
export type * from './adapters/types.js';
export { loadTranslation, registerTranslation, translationFor } from './l10n/translation.js';
export type { Translation, TranslationOverride } from './l10n/translation.js';
