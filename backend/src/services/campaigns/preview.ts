/** @module Campaign texts rendered as users will see them, for the console's editor and for triggering by hand. */
import { renderCampaign, type CampaignDefinition, type RenderedCampaign } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { requireCampaignRow, requireCampaignVersionRow } from './lookup';

export interface PreviewOptions {
  language?: string | undefined;
  /** Values for `{{parameters}}`; declared defaults fill the rest, and names without either stay visible. */
  parameters?: Record<string, string> | undefined;
  /** Shown for `{user}`; it stays `{user}` when not given. */
  user?: string | undefined;
}

/** Renders a stored version (the latest unless `version` is given). */
export async function previewCampaign(ctx: AppContext, input: PreviewOptions & { idOrSlug: string; version?: number | undefined }): Promise<RenderedCampaign> {
  const row = await requireCampaignRow(ctx.db, input.idOrSlug);
  const version = await requireCampaignVersionRow(ctx.db, row, input.version ?? row.latestVersion);
  return renderCampaign(version.definition, input);
}

/** Renders a definition that is not saved yet (the editor's live preview). */
export async function previewDefinition(_ctx: AppContext, input: PreviewOptions & { definition: CampaignDefinition }): Promise<RenderedCampaign> {
  return renderCampaign(input.definition, input);
}
