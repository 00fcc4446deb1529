import { z } from 'zod';
import { Id, Slug, Timestamp, utf8Length } from './common';
import { checkParameterValue } from './parameters';
import { limits } from './limits';
import { SelfServiceSettings } from './self-service';

export const Purpose = z.enum(['remediation', 'data_collection']);
export const RunAs = z.enum(['system', 'user']);
export type RunAs = z.infer<typeof RunAs>;
/**
 * What a `runAs: user` run does when nobody is logged in at the console: `wait` holds it on the device until someone
 * logs in (within its expiry), `skip` ends it at once as the neutral "no user" outcome (exit code 14, like
 * `fixpoint campaign`), `fail` ends it as a failure.
 */
export const WhenNoUser = z.enum(['wait', 'skip', 'fail']);
export type WhenNoUser = z.infer<typeof WhenNoUser>;
/** `self_service`: the device's own user runs it from the tray's "Fix a problem" menu (see `selfService`). */
export const actionTriggers = ['manual', 'extension', 'api', 'schedule', 'detection', 'self_service'] as const;
export const ActionTrigger = z.enum(actionTriggers);
export type ActionTrigger = z.infer<typeof ActionTrigger>;

const utf8Bytes = utf8Length;

const scriptSource = z
  .string()
  .min(1, 'a script cannot be empty')
  .refine((s) => utf8Bytes(s) <= limits.maxScriptBytes, {
    message: `a script is limited to ${limits.maxScriptBytes / 1024} KB`,
  });

export const WindowsScript = z.strictObject({ shell: z.literal('powershell').default('powershell'), source: scriptSource });
export const MacosScript = z.strictObject({ shell: z.enum(['zsh', 'bash']).default('zsh'), source: scriptSource });
export const LinuxScript = z.strictObject({ shell: z.enum(['sh', 'bash']).default('sh'), source: scriptSource });
export const Scripts = z
  .strictObject({ windows: WindowsScript.optional(), macos: MacosScript.optional(), linux: LinuxScript.optional() })
  .refine((s) => s.windows || s.macos || s.linux, { message: 'an action needs a script for at least one platform' });
export type Scripts = z.infer<typeof Scripts>;
export type Shell = 'powershell' | 'zsh' | 'bash' | 'sh';

/** Parameter names become environment variables (`FIXPOINT_PARAM_<NAME>`), so they are identifier-shaped. */
export const ParameterName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'start with a letter; letters, digits and _ only; at most 64');
export const ParameterType = z.enum(['string', 'int', 'bool', 'enum']);
export type ParameterType = z.infer<typeof ParameterType>;
export const ParameterValue = z.union([
  z.string().max(limits.maxParameterValueBytes, `a parameter value is limited to ${limits.maxParameterValueBytes / 1024} KB`),
  z.number(),
  z.boolean(),
]);
export type ParameterValue = z.infer<typeof ParameterValue>;

export const ParameterDecl = z
  .strictObject({
    name: ParameterName,
    description: z.string().max(1000).default(''),
    type: ParameterType,
    required: z.boolean().default(false),
    default: ParameterValue.optional(),
    allowedValues: z.array(z.union([z.string().max(1000), z.number()])).max(200).optional(),
    allowCustomValues: z.boolean().default(false),
    secret: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.type === 'enum' && !p.allowedValues?.length)
      ctx.addIssue({ code: 'custom', message: `parameter ${p.name}: an enum needs allowedValues`, path: ['allowedValues'] });
    if (p.secret && p.default !== undefined)
      ctx.addIssue({ code: 'custom', message: `parameter ${p.name}: a secret cannot have a default`, path: ['default'] });
    if (p.default !== undefined) {
      const problem = checkParameterValue(p as ParameterDecl, p.default);
      if (problem) ctx.addIssue({ code: 'custom', message: `default: ${problem}`, path: ['default'] });
    }
  });
export type ParameterDecl = z.infer<typeof ParameterDecl>;

export const outputTypes = [
  'string', 'bool', 'int', 'float', 'size', 'ratio', 'bitrate', 'datetime', 'duration', 'string-list',
] as const;
export const OutputType = z.enum(outputTypes);
export type OutputType = z.infer<typeof OutputType>;
export const OutputName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _; at most 64');

export const OutputDecl = z.strictObject({
  name: OutputName,
  type: OutputType,
  description: z.string().max(1000).default(''),
  /** Raises the 1 KB cap on a string (or each string-list item). */
  maxBytes: z
    .number()
    .int()
    .min(1)
    .max(limits.maxStringOutputBytes, `an output's maxBytes is limited to ${limits.maxStringOutputBytes} bytes`)
    .optional(),
});
export type OutputDecl = z.infer<typeof OutputDecl>;

function uniqueNames(kind: string) {
  return (list: { name: string }[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const { name } of list) {
      const key = name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `${kind} ${name} is declared twice` });
      seen.add(key);
    }
  };
}

/** Slugs that name API paths beside `/actions/:id` (`/actions/import`, `/actions/approvals`): an action so named could not be read. */
const reservedActionSlugs = ['import', 'approvals'] as const;

/** What an author writes: the content of one action version. Also the import/export file format (with `kind`). */
export const ActionDefinition = z.strictObject({
  slug: Slug.refine((s) => !(reservedActionSlugs as readonly string[]).includes(s), { message: `${reservedActionSlugs.join(' and ')} are reserved for the API's own paths` }),
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).default(''),
  purpose: Purpose,
  runAs: RunAs.default('system'),
  /** Only for `runAs: user`. */
  whenNoUser: WhenNoUser.default('wait'),
  timeoutSec: z
    .number()
    .int()
    .min(limits.minTimeoutSec, `timeoutSec must be at least ${limits.minTimeoutSec} second`)
    .max(limits.maxTimeoutSec, `timeoutSec is limited to ${limits.maxTimeoutSec} seconds (${limits.maxTimeoutSec / 3600} h)`)
    .default(limits.defaultTimeoutSec),
  expirySec: z
    .number()
    .int()
    .min(limits.minExpirySec, `expirySec must be at least ${limits.minExpirySec} seconds`)
    .max(limits.maxExpirySec, `expirySec is limited to ${limits.maxExpirySec} seconds (${limits.maxExpirySec / 86400} days)`)
    .default(limits.defaultExpirySec),
  outputCapBytes: z
    .number()
    .int()
    .min(1024, 'outputCapBytes must be at least 1024 bytes')
    .max(limits.maxOutputCapBytes, `outputCapBytes is limited to ${limits.maxOutputCapBytes} bytes (${limits.maxOutputCapBytes / 1024 / 1024} MB)`)
    .default(limits.defaultOutputCapBytes),
  triggers: z.array(ActionTrigger).min(1).default(['manual', 'extension', 'api']),
  /** What end users see of it, and how often they may run it; required with the `self_service` trigger. */
  selfService: SelfServiceSettings.optional(),
  scripts: Scripts,
  parameters: z
    .array(ParameterDecl)
    .max(limits.maxParameters, `an action is limited to ${limits.maxParameters} parameters`)
    .default([])
    .superRefine(uniqueNames('parameter')),
  outputs: z
    .array(OutputDecl)
    .max(limits.maxOutputs, `an action is limited to ${limits.maxOutputs} outputs`)
    .default([])
    .superRefine(uniqueNames('output')),
});
export type ActionDefinition = z.infer<typeof ActionDefinition>;

/**
 * What is wrong with a definition's self-service settings, or null: the `self_service` trigger needs an end-user
 * title. (A cross-field check kept out of the schema, which other schemas extend.)
 */
export function selfServiceProblem(definition: Pick<ActionDefinition, 'triggers' | 'selfService'>): string | null {
  if (definition.triggers.includes('self_service') && !definition.selfService)
    return 'the self_service trigger needs selfService: an end-user title (and description) per language';
  return null;
}
export type ActionDefinitionInput = z.input<typeof ActionDefinition>;

/** The file format for import and export (JSON or YAML). */
export const ActionFile = ActionDefinition.extend({ kind: z.literal('fixpoint/action'), apiVersion: z.literal(1) });
export type ActionFile = z.infer<typeof ActionFile>;

/**
 * Four-eyes state of a version: `unapproved` until someone other than its author approves it (or rejects it with a
 * reason). Unapproved versions run only by hand on a few devices; approval signs each platform script.
 */
export const ApprovalState = z.enum(['unapproved', 'approved', 'rejected']);
export type ApprovalState = z.infer<typeof ApprovalState>;
export const VersionApproval = z.object({
  state: ApprovalState,
  /** Who approved or rejected it (`system:migration` for versions that existed before approval did). */
  by: z.string().nullable(),
  at: Timestamp.nullable(),
  /** Why it was rejected. */
  reason: z.string().nullable(),
  /** platform → base64 Ed25519 publisher signature over `publisherSigningText` (empty when not signed). */
  publisherSignatures: z.record(z.string(), z.string()),
});
export type VersionApproval = z.infer<typeof VersionApproval>;
export const RejectVersion = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const ActionVersion = ActionDefinition.extend({
  id: Id,
  actionId: Id,
  version: z.number().int(),
  scriptHashes: z.record(z.string(), z.string()),
  createdAt: Timestamp,
  createdBy: z.string(),
  approval: VersionApproval,
});
export type ActionVersion = z.infer<typeof ActionVersion>;

export const Action = z.object({
  id: Id,
  slug: Slug,
  name: z.string(),
  description: z.string(),
  purpose: Purpose,
  platforms: z.array(z.enum(['windows', 'macos', 'linux'])),
  latestVersion: z.number().int(),
  archived: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Action = z.infer<typeof Action>;

export const ActionWithVersion = Action.extend({ current: ActionVersion });
export type ActionWithVersion = z.infer<typeof ActionWithVersion>;

/** One entry of an action's history, without the scripts (those can be large); fetch a version for its content. */
export const ActionVersionSummary = z.object({
  id: Id,
  actionId: Id,
  version: z.number().int(),
  name: z.string(),
  platforms: z.array(z.enum(['windows', 'macos', 'linux'])),
  scriptHashes: z.record(z.string(), z.string()),
  createdAt: Timestamp,
  createdBy: z.string(),
  approval: VersionApproval,
});
export type ActionVersionSummary = z.infer<typeof ActionVersionSummary>;

/** What an import did: created the action, added a version, or found the content identical and changed nothing. */
export const ActionImportResult = z.object({
  outcome: z.enum(['created', 'updated', 'unchanged']),
  action: ActionWithVersion,
});
export type ActionImportResult = z.infer<typeof ActionImportResult>;

// The checks live in a zod-free module so browser bundles (the extension's content script) can use them without zod.
export { checkParameterValue, resolveParameters } from './parameters';
