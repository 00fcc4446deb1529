/** @module Path parameters shared by the endpoints: one id, or an id or slug, and a version number. */
import { z } from 'zod';
import { Id } from '../common';

/** `/things/:id` where only the id (a UUID) names the thing. */
export const ById = z.object({ id: Id });

/** Ids and slugs are both letters, digits and dashes; anything else cannot name an action or a campaign. */
export const ByIdOrSlug = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'use an id or slug') });

export const VersionNumber = z.coerce.number().int().min(1).max(2_147_483_647);

/** `/things/:id/versions/:version` of a versioned thing named by id or slug. */
export const ByVersion = ByIdOrSlug.extend({ version: VersionNumber });
