export { ConsoleCore, SessionLimitError, newClientId } from './console-core.js';
export type { AgentErrorDetail, ConsoleCoreOptions, CoreChangeDetail, OutboxEntry } from './console-core.js';
export { RequestQueue } from './requests.js';
export type { RequestOutcome } from './requests.js';
export { Session } from './session.js';
export type { SessionEnd } from './session.js';
export { Transcript } from './transcript.js';
export type { TranscriptMessage } from './transcript.js';
export { furtherStatus, statusMovesForward } from './status.js';
