import { describe, expect, it } from 'vitest';
import { transferHandlers } from 'comlink';
import { AppError, toErrorInfo } from '../lib/errors';
import { deserializeThrown, installErrorTransfer, serializeThrown } from './error-transfer';

/** What the page gets for a value thrown in the worker: serialized, structured-cloned, deserialized. */
function roundTrip(value: unknown): unknown {
  return deserializeThrown(structuredClone(serializeThrown(value)));
}

describe('errors across the worker boundary', () => {
  it('keeps an AppError and its code', () => {
    const back = roundTrip(new AppError('too-large', 'The image is larger than the app can safely process'));
    expect(back).toBeInstanceOf(AppError);
    expect(toErrorInfo(back)).toEqual({ code: 'too-large', message: 'The image is larger than the app can safely process' });
  });

  it('keeps start-up codes (backend-unavailable), not "unknown"', () => {
    expect(toErrorInfo(roundTrip(new AppError('backend-unavailable', 'no backend')))).toEqual({ code: 'backend-unavailable', message: 'no backend' });
  });

  it('keeps the stack, and a plain Error stays a plain error with its name', () => {
    const error = new TypeError('bad');
    const back = roundTrip(error) as Error;
    expect(back).not.toBeInstanceOf(AppError);
    expect(back.name).toBe('TypeError');
    expect(back.stack).toBe(error.stack);
    expect(toErrorInfo(back).code).toBe('unknown');
  });

  it('does not turn an unknown code into a code the UI would trust', () => {
    const back = roundTrip(Object.assign(new Error('odd'), { code: 'ENOENT' }));
    expect(toErrorInfo(back)).toEqual({ code: 'unknown', message: 'odd' });
  });

  it('passes a thrown non-error value through', () => {
    expect(roundTrip('just a string')).toBe('just a string');
  });

  it('is what comlink uses for throws once installed', () => {
    installErrorTransfer();
    const handler = transferHandlers.get('throw');
    if (!handler) throw new Error('no throw handler');
    const thrown = { value: new AppError('decode-failed', 'broken') };
    const [wire] = handler.serialize(thrown);
    expect(() => handler.deserialize(structuredClone(wire))).toThrow(AppError);
    try {
      handler.deserialize(structuredClone(wire));
    } catch (error) {
      expect(toErrorInfo(error).code).toBe('decode-failed');
    }
  });
});
