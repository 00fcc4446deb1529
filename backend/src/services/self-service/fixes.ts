/** @module The self-service fixes a device offers its users: actions whose latest version allows the trigger. */
import { and, eq, sql } from 'drizzle-orm';
import { maxSelfServiceFixes, type SelfServiceFix } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions, devices } from '../../db/schema';
import { notFound } from '../../errors';

/**
 * The fixes for one device: not archived, the latest version lists `self_service`, and has a script for the
 * device's platform. Sorted by title in the default language.
 */
export async function listSelfServiceFixes(ctx: AppContext, input: { deviceId: string }): Promise<SelfServiceFix[]> {
  const [device] = await ctx.db.select({ platform: devices.platform }).from(devices).where(eq(devices.id, input.deviceId));
  if (!device) throw notFound('device');
  const rows = await ctx.db
    .select({ slug: actions.slug, definition: actionVersions.definition })
    .from(actions)
    .innerJoin(actionVersions, and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, actions.latestVersion)))
    .where(and(eq(actions.archived, false), sql`${actionVersions.definition}->'triggers' @> '["self_service"]'::jsonb`));
  const fixes: SelfServiceFix[] = [];
  for (const { slug, definition } of rows) {
    const settings = definition.selfService;
    if (!settings || !definition.scripts[device.platform]) continue;
    const defaultLanguage = Object.keys(settings.title)[0] ?? 'en';
    fixes.push({ action: slug, title: settings.title, description: settings.description, defaultLanguage });
  }
  const title = (f: SelfServiceFix) => f.title[f.defaultLanguage] ?? f.action;
  return fixes.sort((a, b) => title(a).localeCompare(title(b))).slice(0, maxSelfServiceFixes);
}
