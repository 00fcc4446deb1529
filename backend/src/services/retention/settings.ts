/** @module The settings clients show: the retention, from the configuration. */
import type { Settings } from '@fixpoint/protocol';
import type { AppContext } from '../../context';

export function readSettings(ctx: AppContext): Settings {
  return { retention: { ...ctx.config.retention } };
}
