/**
 * @module The envelopes of one launch, built from parts its devices share. The payloads of a launch differ only in
 * the execution id, the device id, the device's platform and its hold, so the canonical JSON of one payload per
 * platform (and hold or none) is made once with markers where those values go, and each device's canonical JSON is
 * that text with its values put in: the same bytes `canonicalJson` gives for its payload, which the tree's leaf (or
 * the single signature) covers and the agent recomputes. Each device's `execute` frame is assembled from the same
 * text, the script's JSON (escaped once per platform, however long the script) and its proof, not serialized again.
 */
import { randomUUID } from 'node:crypto';
import {
  canonicalJson, encodeStoredSignature, envelopeRootText, type Envelope, type EnvelopePayload, type ExecutionOrigin, type Platform,
} from '@fixpoint/protocol';
import { buildEnvelopeTree, leafOfCanonical } from '@fixpoint/protocol/merkle';
import type { AppContext } from '../../context';
import { buildEnvelopePayload, scriptFor } from './envelope';
import type { LaunchPlan } from './launch-plan';

export interface LaunchEnvelopes {
  /** What each execution row keeps as its signature (`encodeStoredSignature`), in target order. */
  stored: string[];
  envelopes: Envelope[];
  /**
   * Each target's `execute` frame as `JSON.stringify({ type: 'execute', envelope })` would give it (keys in another
   * order, the payload canonical): what an agent on the current channel version is sent.
   */
  frames: string[];
}

export interface LaunchEnvelopesInput {
  plan: Pick<LaunchPlan, 'version' | 'targets' | 'parameters' | 'secretParameters' | 'now' | 'expiresAt'>;
  /** Execution ids, in target order. */
  ids: readonly string[];
  /** Each target's hold (`EnvelopePayload.notBefore`), or null. */
  holds: readonly (string | null)[];
  origin: ExecutionOrigin;
}

/** A payload text with slots for the values that differ between devices. */
interface Template {
  base: EnvelopePayload;
  /** Literal text, then a slot, then literal text…: `parts.length === slots.length + 1`. */
  parts: string[];
  slots: ('executionId' | 'deviceId' | 'notBefore')[];
  scriptJson: string;
  script: string;
}

/** Signs a launch once (its payload alone, or the root of the tree of its payloads) and builds every envelope. */
export function buildLaunchEnvelopes(ctx: Pick<AppContext, 'signingKey'>, input: LaunchEnvelopesInput): LaunchEnvelopes {
  const { plan, ids, holds, origin } = input;
  const templates = new Map<string, Template>();
  const texts: string[] = [];
  const payloads: EnvelopePayload[] = [];
  const used: Template[] = [];
  for (const [i, device] of plan.targets.entries()) {
    const hold = holds[i] ?? null;
    const key = `${device.platform}${hold === null ? '' : '+hold'}`;
    let template = templates.get(key);
    if (!template) templates.set(key, (template = templateFor(plan, device.platform, hold !== null, origin)));
    const values = { executionId: ids[i]!, deviceId: device.id, notBefore: hold ?? '' };
    payloads.push({ ...template.base, executionId: values.executionId, deviceId: values.deviceId, ...(hold !== null && { notBefore: hold }) });
    let text = template.parts[0]!;
    for (const [s, slot] of template.slots.entries()) text += jsonStringBody(values[slot]) + template.parts[s + 1]!;
    texts.push(text);
    used.push(template);
  }
  const keyId = ctx.signingKey.keyId;
  const tail = `,"keyId":${JSON.stringify(keyId)}}}`;
  const frameOf = (i: number, signature: string, proof: string) =>
    `{"type":"execute","envelope":{"payload":${texts[i]},"script":${used[i]!.scriptJson},"signature":${JSON.stringify(signature)}${proof}${tail}`;

  if (texts.length === 1) {
    const signature = ctx.signingKey.sign(texts[0]!);
    return { stored: [signature], envelopes: [{ payload: payloads[0]!, script: used[0]!.script, signature, keyId }], frames: [frameOf(0, signature, '')] };
  }
  const tree = buildEnvelopeTree(texts.map(leafOfCanonical));
  const root = tree.root.toString('hex');
  const signature = ctx.signingKey.sign(envelopeRootText(root));
  const stored: string[] = [];
  const envelopes: Envelope[] = [];
  const frames: string[] = [];
  for (const [i, path] of tree.paths.entries()) {
    stored.push(encodeStoredSignature(signature, { root, path }));
    envelopes.push({ payload: payloads[i]!, script: used[i]!.script, signature, proof: { root, path }, keyId });
    // Path steps are base64 with an L or R in front: nothing in them needs escaping.
    frames.push(frameOf(i, signature, `,"proof":{"root":"${root}","path":[${path.length ? `"${path.join('","')}"` : ''}]}`));
  }
  return { stored, envelopes, frames };
}

/** The JSON text of a string without its quotes. */
function jsonStringBody(value: string): string {
  const json = JSON.stringify(value);
  return json.slice(1, -1);
}

function templateFor(plan: LaunchEnvelopesInput['plan'], platform: Platform, held: boolean, origin: ExecutionOrigin): Template {
  // Random markers cannot occur in anything else the payload holds (parameters, slugs, hashes).
  const marks = { executionId: `@x-${randomUUID()}`, deviceId: `@d-${randomUUID()}`, notBefore: `@h-${randomUUID()}` };
  const base = buildEnvelopePayload(
    {
      id: marks.executionId, deviceId: marks.deviceId, actionVersionId: plan.version.id, parameters: plan.parameters,
      secretParameters: plan.secretParameters, issuedAt: plan.now, expiresAt: plan.expiresAt, notBefore: held ? marks.notBefore : null, origin,
    },
    plan.version,
    { id: marks.deviceId, platform },
  );
  const text = canonicalJson(base);
  const found = (Object.keys(marks) as Template['slots'])
    .filter((slot) => slot !== 'notBefore' || held)
    .map((slot) => ({ slot, at: text.indexOf(`"${marks[slot]}"`) }))
    .sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const { slot, at } of found) {
    const mark = `"${marks[slot]}"`;
    if (at < 0 || text.indexOf(mark, at + 1) >= 0) throw new Error(`the payload template holds ${slot} ${at < 0 ? 'nowhere' : 'twice'}`);
    parts.push(`${text.slice(from, at)}"`);
    from = at + mark.length - 1;
  }
  parts.push(text.slice(from));
  const script = scriptFor(plan.version, platform)!.source;
  return { base, parts, slots: found.map((f) => f.slot), scriptJson: JSON.stringify(script), script };
}
