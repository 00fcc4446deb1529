import { stringify } from 'yaml';
import { ActionDefinition } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { toActionFile } from './convert';
import { requireActionRow, requireVersionRow } from './lookup';
import type { ActionVisibility } from './visibility';

export interface ExportActionInput {
  idOrSlug: string;
  /** The latest version unless given. */
  version?: number | undefined;
  format: 'yaml' | 'json';
  visibility: ActionVisibility;
}

export interface ExportedAction {
  filename: string;
  contentType: string;
  text: string;
}

/**
 * Renders one version as an action file. Importing the file again yields the same content, so it adds no version.
 * Scripts become YAML literal blocks, kept byte for byte (the YAML writer quotes what a block cannot hold).
 */
export async function exportAction(ctx: AppContext, input: ExportActionInput): Promise<ExportedAction> {
  const action = await requireActionRow(ctx.db, input.idOrSlug, { visibility: input.visibility });
  const version = await requireVersionRow(ctx.db, action, input.version);
  // jsonb stores keys sorted by length; parsing restores the schema's order, which reads better in a file.
  const parsed = ActionDefinition.safeParse(version.definition);
  const file = toActionFile(parsed.success ? parsed.data : version.definition);
  if (input.format === 'json')
    return { filename: `${action.slug}.action.json`, contentType: 'application/json', text: `${JSON.stringify(file, null, 2)}\n` };
  const text = stringify(file, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
  return { filename: `${action.slug}.action.yaml`, contentType: 'application/yaml', text };
}
