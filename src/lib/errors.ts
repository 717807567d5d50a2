/** Error codes the app can raise; the UI maps each to a sentence that says what to do. */
export type AppErrorCode =
  | 'unsupported-file'
  | 'decode-failed'
  | 'empty-file'
  | 'too-large'
  | 'empty-class'
  | 'backend-unavailable'
  | 'model-load-failed'
  | 'worker-failed'
  | 'quota-exceeded'
  | 'backbone-changed'
  | 'save-failed'
  | 'aborted';

/** Every AppErrorCode, to check a code that arrives as data (from the worker, a file). */
export const APP_ERROR_CODES: readonly AppErrorCode[] = [
  'unsupported-file',
  'decode-failed',
  'empty-file',
  'too-large',
  'empty-class',
  'backend-unavailable',
  'model-load-failed',
  'worker-failed',
  'quota-exceeded',
  'backbone-changed',
  'save-failed',
  'aborted',
];

/** True for a string that is one of the AppErrorCodes. */
export function isAppErrorCode(code: unknown): code is AppErrorCode {
  return typeof code === 'string' && (APP_ERROR_CODES as readonly string[]).includes(code);
}

/** An error with a stable `code`, safe to send across the worker boundary as plain data. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Plain-data form of an error (what crosses the worker boundary). */
export interface ErrorInfo {
  code: AppErrorCode | 'unknown';
  message: string;
}

/** Turns anything thrown into plain error data. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as Partial<AppError>).code;
    if (isAppErrorCode(code)) return { code, message: error.message };
    return { code: 'unknown', message: error.message };
  }
  return { code: 'unknown', message: String(error) };
}

/** A plain-language sentence for an error code: what happened and what to do. */
export function describeError(info: ErrorInfo): string {
  switch (info.code) {
    case 'unsupported-file':
      return 'This file is not an image the browser can read. Use JPEG, PNG, WebP, GIF, BMP or AVIF.';
    case 'decode-failed':
      return 'This image could not be decoded: it may be corrupt or truncated. Try another copy of it.';
    case 'empty-file':
      return 'This file is empty (0 bytes). Pick the original photo again.';
    case 'too-large':
      return 'This image is too large to decode safely. Resize it below 16,000 pixels a side.';
    case 'empty-class':
      return 'A class has no images. Add photos to it or delete it.';
    case 'backend-unavailable':
      return 'No TensorFlow.js backend could start in this browser. Try an up-to-date Chrome, Edge or Firefox.';
    case 'model-load-failed':
      return 'The pretrained model could not be loaded from this site. Reload the page; if it persists, reinstall the app.';
    case 'worker-failed':
      return 'The background worker stopped. The app restarted it; try again.';
    case 'quota-exceeded':
      return 'The browser has no storage space left for this project, so the last change was not saved; nothing already in the project was lost. Free disk space or remove some images, then try again.';
    case 'backbone-changed':
      return 'The backbone changed while this was running, so its result was not kept. Try again.';
    case 'save-failed':
      return `The model is trained but could not be saved in this browser, so a reload would lose it (${info.message}). Free some disk space, then train or fine-tune again, or save a project file.`;
    case 'aborted':
      return 'Stopped.';
    default:
      return info.message || 'Something went wrong.';
  }
}
