import { eq } from 'drizzle-orm';
import { Id } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { devices } from '../../db/schema';
import { notFound } from '../../errors';
import type { Principal } from '../identity/rights';
import { appendAudit } from '../audit';

/**
 * Removes a device and its executions (the launch requests stay for the record). The agent's key stops
 * working at once, because agent authentication looks the device up.
 */
export async function deleteDevice(ctx: AppContext, input: { principal: Principal; id: string }): Promise<void> {
  if (!Id.safeParse(input.id).success) throw notFound('device');
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(devices).where(eq(devices.id, input.id)).returning({ name: devices.name, platform: devices.platform });
    if (!row) throw notFound('device');
    await appendAudit(
      tx,
      { actor: input.principal.label, action: 'device.delete', target: `device:${input.id}`, details: { name: row.name, platform: row.platform } },
      now,
    );
  });
}
