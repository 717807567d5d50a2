import { transferHandlers, type TransferHandler } from 'comlink';
import { AppError, isAppErrorCode } from '../lib/errors';

/** A thrown value as it crosses the worker boundary: an Error keeps its name, message, stack and `code`. */
export type SerializedThrown =
  | { isError: true; value: { name: string; message: string; stack?: string; code?: string } }
  | { isError: false; value: unknown };

/** Plain-data form of anything thrown (comlink sends only name/message/stack of an Error). */
export function serializeThrown(value: unknown): SerializedThrown {
  if (value instanceof Error) {
    const code = (value as Partial<AppError>).code;
    return { isError: true, value: { name: value.name, message: value.message, stack: value.stack, ...(typeof code === 'string' ? { code } : {}) } };
  }
  return { isError: false, value };
}

/** The error a serialized throw stands for: an AppError (with its code) when it carried a known code. */
export function deserializeThrown(serialized: SerializedThrown): unknown {
  if (!serialized.isError) return serialized.value;
  const { name, message, stack, code } = serialized.value;
  const error = isAppErrorCode(code) ? new AppError(code, message) : Object.assign(new Error(message), { name });
  if (stack) error.stack = stack;
  return error;
}

/**
 * Replaces comlink's handler for thrown values, in the worker and on the page alike, so that an
 * AppError thrown in the worker is an AppError with the same `code` on the page.
 */
export function installErrorTransfer(): void {
  const base = transferHandlers.get('throw');
  if (!base) return;
  const handler: TransferHandler<{ value: unknown }, SerializedThrown> = {
    canHandle: (value): value is { value: unknown } => base.canHandle(value),
    serialize: ({ value }) => [serializeThrown(value), []],
    deserialize: (serialized) => {
      throw deserializeThrown(serialized);
    },
  };
  transferHandlers.set('throw', handler);
}
