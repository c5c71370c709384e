// Every handler runs through here: a cancelled request answers as cancelled, and an exception in a
// feature is logged and answered with an empty result instead of breaking the session.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export interface Logger { error(message: string): void }

export async function runSafe<T>(log: Logger, name: string, token: CancellationToken, fallback: T, fn: () => T | Promise<T>): Promise<T | ResponseError<void>> {
  if (token.isCancellationRequested) return cancelled();
  try {
    const result = await fn();
    return token.isCancellationRequested ? cancelled() : result;
  } catch (e) {
    log.error(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return fallback;
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
