/**
 * How S3 failures become bpds errors, and the retry policy for transient ones. Internal.
 *
 * Every failure of an S3 call is a {@link ProtocolError} (`step: 'blob-store'`) with one
 * of the reasons `BLOB_NOT_FOUND`, `ACCESS_DENIED`, `BUCKET_NOT_FOUND`, `UNAVAILABLE`
 * (network errors, 5xx, throttling: after the retries) or `S3_ERROR` (anything else,
 * with the service's error name in the message and the original error as `cause`).
 */
import { randomBytes } from '../internal/random.js';
import { ProtocolError } from '../protocol/index.js';

interface AwsLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** HTTP status of an SDK error, if it carries one. */
export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null ? (e as AwsLike).$metadata?.httpStatusCode : undefined;
}

function nameOf(e: unknown): string {
  if (typeof e !== 'object' || e === null) return '';
  const a = e as AwsLike;
  for (const v of [a.name, a.Code, a.code]) if (typeof v === 'string') return v;
  return '';
}

const TRANSIENT_NAMES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'ThrottlingException',
  'Throttling',
  'RequestTimeoutException',
  'ConditionalRequestConflict',
]);

/** True for failures worth retrying: network errors, 5xx, throttling, 409 conditional conflicts. */
export function isTransient(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  const name = nameOf(e);
  if (TRANSIENT_NAMES.has(name)) return true;
  const cause = typeof e === 'object' && e !== null ? (e as { cause?: unknown }).cause : undefined;
  if (cause !== undefined && cause !== e && TRANSIENT_NAMES.has(nameOf(cause))) return true;
  const msg = e instanceof Error ? e.message : '';
  return /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|aborted|premature close|other side closed/i.test(msg);
}

/** True when the object does not exist. */
export function isNotFound(e: unknown): boolean {
  const n = nameOf(e);
  return n === 'NoSuchKey' || n === 'NotFound' || (statusOf(e) === 404 && n !== 'NoSuchBucket');
}

/** True when a conditional write found the key taken (`If-None-Match: *`). */
export function isPreconditionFailed(e: unknown): boolean {
  return statusOf(e) === 412 || nameOf(e) === 'PreconditionFailed';
}

/** The bpds error for a failed S3 call on `what` (a key or a locator). */
export function toProtocolError(e: unknown, what: string): ProtocolError {
  if (e instanceof ProtocolError) return e;
  const name = nameOf(e);
  const status = statusOf(e);
  if (name === 'NoSuchBucket') {
    return new ProtocolError('blob-store', 'BUCKET_NOT_FOUND', 'the S3 bucket does not exist', { cause: e });
  }
  if (isNotFound(e)) return new ProtocolError('blob-store', 'BLOB_NOT_FOUND', `no blob stored under ${what}`);
  if (
    status === 403 ||
    name === 'AccessDenied' ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'Forbidden'
  ) {
    return new ProtocolError(
      'blob-store',
      'ACCESS_DENIED',
      `access to ${what} denied by the S3 service (${name || status})`,
      {
        cause: e,
      },
    );
  }
  if (isTransient(e)) {
    return new ProtocolError(
      'blob-store',
      'UNAVAILABLE',
      `the S3 service is unavailable (${name || status || 'network'})`,
      {
        cause: e,
      },
    );
  }
  return new ProtocolError('blob-store', 'S3_ERROR', `S3 request on ${what} failed (${name || status || 'unknown'})`, {
    cause: e,
  });
}

/** Retry policy: attempts after the first, and the base delay of the exponential backoff. */
export interface RetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `op`, retrying transient failures with exponential backoff and full jitter
 * (delay uniform in [0, base * 2^attempt], capped at 5 s). Other failures, and the last
 * transient one, are thrown as they are.
 */
export async function withRetry<T>(policy: RetryPolicy, op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (attempt >= policy.retries || !isTransient(e)) throw e;
      const r = randomBytes(2);
      const u = ((r[0] as number) * 256 + (r[1] as number)) / 65536;
      await sleep(u * Math.min(5000, policy.baseDelayMs * 2 ** attempt));
    }
  }
}
