/**
 * @module The `campaign_responses` query table: every response a device sent, with its campaign, state, answers and
 * device. A postponed prompt answered later is two rows (`postponed`, then how it ended).
 * @example campaign_responses during past 7d | where campaign == "laptop-survey" and answers.satisfied contains "no" | summarize count() by device.platform
 */
import { sql } from 'drizzle-orm';
import { responseStates } from '@fixpoint/protocol';
import { campaignResponses, campaigns, campaignVersions, devices } from '../../db/schema';
import { registerQueryTable, resolveDeviceField, type FieldDef } from './fields';

const columns: Record<string, FieldDef> = {
  id: { sql: sql`${campaignResponses.id}::text`, type: 'string' },
  request_id: { sql: sql`${campaignResponses.requestId}::text`, type: 'string' },
  campaign: { sql: sql`${campaigns.slug}`, type: 'string' },
  campaign_version: { sql: sql`${campaignVersions.version}`, type: 'number' },
  state: { sql: sql`${campaignResponses.state}`, type: 'string', values: responseStates },
  user: { sql: sql`${campaignResponses.user}`, type: 'string' },
  language: { sql: sql`${campaignResponses.language}`, type: 'string' },
  responded_at: { sql: sql`${campaignResponses.respondedAt}`, type: 'datetime' },
  received_at: { sql: sql`${campaignResponses.receivedAt}`, type: 'datetime' },
};

/** `answers.<question>`: the choices (or the scale value) picked, or a text answer, as a list. */
function answerField(question: string): FieldDef {
  const text = sql`(${campaignResponses.freeText} -> ${question}::text)`;
  const values = sql`coalesce(${campaignResponses.answers} -> ${question}::text, case when ${text} is not null then jsonb_build_array(${text}) else '[]'::jsonb end)`;
  return { sql: sql`array(select jsonb_array_elements_text(${values}))`, type: 'string-list' };
}

registerQueryTable({
  name: 'campaign_responses',
  from: sql`${campaignResponses} inner join ${devices} on ${devices.id} = ${campaignResponses.deviceId} inner join ${campaigns} on ${campaigns.id} = ${campaignResponses.campaignId} inner join ${campaignVersions} on ${campaignVersions.id} = ${campaignResponses.campaignVersionId}`,
  key: sql`${campaignResponses.id}`,
  timeField: 'received_at',
  defaultColumns: ['received_at', 'device.name', 'campaign', 'state', 'user'],
  defaultSort: [{ field: 'received_at', direction: 'desc' }],
  knownFields: Object.keys(columns),
  dynamicHint: 'answers.<question> and device.<field> read the answers and the device',
  resolve(path) {
    const column = columns[path];
    if (column) return column;
    if (path.startsWith('device.')) return resolveDeviceField(path.slice('device.'.length));
    const [head, question, ...rest] = path.split('.');
    return head === 'answers' && question && !rest.length ? answerField(question) : undefined;
  },
});
