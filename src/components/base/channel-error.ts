import { errorCode, errorText } from '../../core/console-core.js';
import type { Translation } from '../../l10n/translation.js';

/** What to tell the agent about an adapter's error: the console's sentence for a code it knows (`error.code`), else the error's message. */
export const describeError = (t: Translation, channel: string, error: unknown): string => {
  const code = errorCode(error);
  return code ? t.channelError(code, channel) : errorText(error);
};
