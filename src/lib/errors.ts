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
  | 'aborted';

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
    if (typeof code === 'string') return { code: code as AppErrorCode, message: error.message };
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
    case 'aborted':
      return 'Stopped.';
    default:
      return info.message || 'Something went wrong.';
  }
}
