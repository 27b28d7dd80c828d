import { describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  Fw0Error,
  InvalidLabelError,
  InvalidValueError,
  isFw0Error,
  MetricConflictError,
} from './errors.js';

describe('Fw0Error', () => {
  it('carries a stable code, the subject and the rejected value', () => {
    const error = new InvalidValueError('bad value', { subject: 'requests_total', value: -1 });
    expect(error.code).toBe(ErrorCode.INVALID_VALUE);
    expect(error.subject).toBe('requests_total');
    expect(error.value).toBe(-1);
    expect(error.name).toBe('InvalidValueError');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(Fw0Error);
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error).not.toBeInstanceOf(InvalidLabelError);
  });

  it('is recognised across duplicate copies of the package (Symbol.for marker)', async () => {
    vi.resetModules();
    const copy = await import('./errors.js');
    expect(copy.InvalidValueError).not.toBe(InvalidValueError);
    const foreign = new copy.InvalidValueError('from another copy', { value: Number.NaN });
    expect(isFw0Error(foreign)).toBe(true);
    expect(foreign instanceof Fw0Error).toBe(true);
    expect(foreign instanceof InvalidValueError).toBe(true);
    expect(foreign instanceof MetricConflictError).toBe(false);
    expect(new InvalidValueError('ours') instanceof copy.InvalidValueError).toBe(true);
  });

  it('does not mistake other errors for its own', () => {
    expect(isFw0Error(new Error('x'))).toBe(false);
    expect(isFw0Error({ code: ErrorCode.INVALID_VALUE })).toBe(false);
    expect(isFw0Error(null)).toBe(false);
    expect(new TypeError('x') instanceof Fw0Error).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(new MetricConflictError('conflict', { cause }).cause).toBe(cause);
  });
});
