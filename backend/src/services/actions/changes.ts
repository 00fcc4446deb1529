/**
 * @module What changed between two action versions, as the approvals queue shows it: settings, parameters and outputs
 * by name, and each platform's script as line-diff hunks (the same diff the console's version history draws).
 */
import {
  canonicalJson,
  countChanges,
  diffLines,
  toHunks,
  type ActionDefinition,
  type OutputChange,
  type ParameterChange,
  type Platform,
  type ScriptChange,
  type VersionChanges,
} from '@fixpoint/protocol';

const platforms: readonly Platform[] = ['windows', 'macos', 'linux'];

type Settings = Pick<ActionDefinition, 'name' | 'description' | 'purpose' | 'runAs' | 'timeoutSec' | 'expirySec' | 'outputCapBytes' | 'triggers'>;
const settingText: { [K in keyof Settings]: (v: Settings[K]) => string } = {
  name: String,
  description: String,
  purpose: String,
  runAs: String,
  timeoutSec: String,
  expirySec: String,
  outputCapBytes: String,
  triggers: (t) => t.join(', '),
};

function byName<T extends { name: string }>(before: readonly T[], after: readonly T[]) {
  const old = new Map(before.map((d) => [d.name, d]));
  const now = new Map(after.map((d) => [d.name, d]));
  const changes: { name: string; change: 'added' | 'removed' | 'changed'; before: T | null; after: T | null }[] = [];
  for (const d of after) {
    const was = old.get(d.name);
    if (!was) changes.push({ name: d.name, change: 'added', before: null, after: d });
    else if (canonicalJson(was) !== canonicalJson(d)) changes.push({ name: d.name, change: 'changed', before: was, after: d });
  }
  for (const d of before) if (!now.has(d.name)) changes.push({ name: d.name, change: 'removed', before: d, after: null });
  return changes;
}

const linesOf = (source: string | undefined) => (source === undefined ? [] : source.replace(/\r\n/g, '\n').split('\n'));

function scriptChanges(before: ActionDefinition | null, after: ActionDefinition): ScriptChange[] {
  const out: ScriptChange[] = [];
  for (const platform of platforms) {
    const was = before?.scripts[platform];
    const now = after.scripts[platform];
    if (!was && !now) continue;
    if (was && now && was.source === now.source && was.shell === now.shell) continue;
    const lines = diffLines(linesOf(was?.source), linesOf(now?.source));
    out.push({
      platform,
      change: !was ? 'added' : !now ? 'removed' : 'changed',
      shellBefore: was?.shell ?? null,
      shellAfter: now?.shell ?? null,
      ...countChanges(lines),
      hunks: toHunks(lines),
    });
  }
  return out;
}

/** The changes from `before` (null: nothing approved yet, so everything is new) to `after`. */
export function versionChanges(before: ActionDefinition | null, after: ActionDefinition): VersionChanges {
  const settings = (Object.keys(settingText) as (keyof Settings)[]).flatMap((field) => {
    const text = settingText[field] as (v: unknown) => string;
    const was = before ? text(before[field]) : '';
    const now = text(after[field]);
    return was === now ? [] : [{ field, before: was, after: now }];
  });
  return {
    settings,
    parameters: byName(before?.parameters ?? [], after.parameters) as ParameterChange[],
    outputs: byName(before?.outputs ?? [], after.outputs) as OutputChange[],
    scripts: scriptChanges(before, after),
  };
}
