/**
 * Storage failures, split from user mistakes and Teams send failures so that one handler can decide what
 * the user is told. Nothing here carries row contents: they may hold comment text.
 */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another writer changed the row since we read it (HTTP 412 on a stale ETag, or 409 on a racing insert). */
export class ConcurrencyError extends StorageError {
  override name = 'ConcurrencyError';
}

/** A row exists but does not match its schema: a bug or a hand edit, never silently ignored. */
export class CorruptRowError extends StorageError {
  override name = 'CorruptRowError';
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** Wraps an Azure SDK error so callers see our types, not the SDK's. */
export function toStorageError(action: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const status = statusOf(error);
  if (status === 412 || status === 409) {
    return new ConcurrencyError(`${action}: the row changed or appeared meanwhile`, status, { cause: error });
  }
  return new StorageError(`${action} failed${status === undefined ? '' : ` (HTTP ${status})`}`, status, {
    cause: error,
  });
}
