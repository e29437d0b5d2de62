/**
 * `agent-console`: registers every element and exports their classes, the
 * console core, the localisation layer and every type of the contract.
 */
import './attachment-picker.js';
import './console.js';
import './conversation-pane.js';
import './error-banner.js';
import './privacy-notice.js';
import './request-toast.js';
import './toast-stack.js';

export { AgentElement } from './components/base/agent-element.js';
export { AgentAttachmentPicker } from './components/attachment-picker/attachment-picker.component.js';
export type { AttachmentRefuseDetail, AttachmentSelectDetail } from './components/attachment-picker/attachment-picker.component.js';
export { AgentConversationPane, messageTextLimit } from './components/conversation-pane/conversation-pane.component.js';
export type { SendDetail } from './components/conversation-pane/conversation-pane.component.js';
export { AgentErrorBanner } from './components/error-banner/error-banner.component.js';
export { AgentConsole } from './components/agent-console/console.component.js';
export { AgentPrivacyNotice } from './components/privacy-notice/privacy-notice.component.js';
export type { PrivacyAcknowledgeDetail } from './components/privacy-notice/privacy-notice.component.js';
export { AgentRequestToast, channelName } from './components/request-toast/request-toast.component.js';
export type { RequestAnswerDetail } from './components/request-toast/request-toast.component.js';
export { AgentToastStack } from './components/toast-stack/toast-stack.component.js';
export type { ToastPosition } from './components/toast-stack/toast-stack.component.js';
export * from './core/index.js';
export { extensionOf, extensionsFor, safeFileName, typeForExtension, typeIsAllowed } from './core/file-types.js';
export { allowedTypeLabels, checkAttachment, sniffBytes, sniffContent } from './core/policy.js';
export type { AttachmentCheck, RefusalReason } from './core/policy.js';
export type * from './adapters/types.js';
export { LocalizeController } from './l10n/localize.js';
export { loadTranslation, registerTranslation, registeredLanguages, translationFor } from './l10n/translation.js';
export type { Translation, TranslationOverride } from './l10n/translation.js';
export { formatDate, formatDuration, formatFileSize } from './l10n/format.js';
