import { ErrorCode, isFw0Error } from '@fw0/metrics-core';
import { FailureReason } from './names.js';

const BY_CODE: Readonly<Record<string, FailureReason>> = {
  ECONNREFUSED: FailureReason.REFUSED,
  ETIMEDOUT: FailureReason.TIMEOUT,
  UND_ERR_CONNECT_TIMEOUT: FailureReason.TIMEOUT,
  UND_ERR_HEADERS_TIMEOUT: FailureReason.TIMEOUT,
  UND_ERR_BODY_TIMEOUT: FailureReason.TIMEOUT,
  ENOTFOUND: FailureReason.DNS,
  EAI_AGAIN: FailureReason.DNS,
  EAI_FAIL: FailureReason.DNS,
  EAI_NONAME: FailureReason.DNS,
  EAI_NODATA: FailureReason.DNS,
  ENODATA: FailureReason.DNS,
  EHOSTUNREACH: FailureReason.UNREACHABLE,
  ENETUNREACH: FailureReason.UNREACHABLE,
  EHOSTDOWN: FailureReason.UNREACHABLE,
  ENETDOWN: FailureReason.UNREACHABLE,
  EADDRNOTAVAIL: FailureReason.UNREACHABLE,
  ECONNRESET: FailureReason.RESET,
  EPIPE: FailureReason.RESET,
  ECONNABORTED: FailureReason.RESET,
  UND_ERR_SOCKET: FailureReason.RESET,
  UND_ERR_CLOSED: FailureReason.RESET,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: FailureReason.RESET,
};

/** OpenSSL verification codes Node puts on certificate errors (plus `ERR_TLS_*`, `ERR_SSL_*`). */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_|INVALID_CA)/;

/**
 * The failure reason of an error thrown while probing: errno codes first (ECONNREFUSED is
 * `refused`, ENOTFOUND `dns`...), then TLS verification codes, then fw0 timeouts. An
 * AggregateError (several addresses tried) takes the reason of its first error.
 */
export function classifyFailure(error: unknown): FailureReason {
  if (isFw0Error(error) && error.code === ErrorCode.TIMEOUT) return FailureReason.TIMEOUT;
  const code = errorCode(error);
  if (code !== undefined) {
    const known = BY_CODE[code];
    if (known !== undefined) return known;
    if (TLS_CODE.test(code)) return FailureReason.TLS;
  }
  if (error instanceof AggregateError && error.errors.length > 0) return classifyFailure(error.errors[0]);
  return FailureReason.ERROR;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
