import { badRequest } from '../errors';

/** Reads `If-Match: 3`, `"3"` or `W/"3"` as a version number; `*` or no header means no check. */
export function parseIfMatch(header: string | undefined, what: string): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = header.trim().match(/^(?:W\/)?"?(\d{1,10})"?$/);
  if (!match) throw badRequest(`If-Match must be ${what} version number, e.g. If-Match: "3"`);
  return Number(match[1]);
}

/** The ETag of a versioned resource: its version number, quoted. */
export const etag = (version: number) => `"${version}"`;
