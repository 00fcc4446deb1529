import { z } from 'zod';

/** Error codes every HTTP and channel error uses. */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unauthenticated',
  /** A token or session that was valid has passed its expiry. */
  'expired',
  /** A token or session that was valid was ended (password change, sign-out, secret rotation, admin reset). */
  'revoked',
  'forbidden',
  /** The account must set a new password before doing anything else. */
  'password_change_required',
  'not_found',
  'conflict',
  /** A launch to more devices than the rollout threshold without `confirmDeviceCount` equal to the real count (409). */
  'confirmation_required',
  /** An unapproved action version where only approved ones may run: automation, staged or big launches (409). */
  'approval_required',
  'limit_exceeded',
  'unsupported_media_type',
  'rate_limited',
  /** The server is behind (its launch queue or report ingest is past its limit): retry after Retry-After (503). */
  'overloaded',
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Id = z.uuid();
export const Platform = z.enum(['windows', 'macos', 'linux']);
export type Platform = z.infer<typeof Platform>;

/** Lower-case, dash-separated identifier that is stable across versions. */
export const Slug = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case letters, digits and single dashes');

export const Timestamp = z.iso.datetime({ offset: true });

/** One page of a list: its items, the total, and the offset of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  total: number;
  next: number | null;
}

/** Cursor-less page of results; `next` is the offset of the following page, when there is one. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), next: z.number().int().nullable() });
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export { utf8Length } from './text';
