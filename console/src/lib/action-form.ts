/** @module The action editor's form model: text fields as typed, converted to an ActionDefinition and checked by its schema. */
import {
  ActionDefinition,
  limits,
  selfServiceProblem,
  type ActionTrigger,
  type OutputType,
  type ParameterDecl,
  type ParameterType,
  type Platform,
  type RunAs,
  type WhenNoUser,
} from '@fixpoint/protocol';
import { issuesToErrors, type FieldErrors } from './form-errors';
import { splitList } from './format';

export interface ScriptField {
  enabled: boolean;
  shell: string;
  source: string;
}

export interface ParameterField {
  name: string;
  description: string;
  type: ParameterType;
  required: boolean;
  /** As typed; converted by type (`42`, `true`). Empty means no default. */
  defaultValue: string;
  /** Comma- or newline-separated. */
  allowedValues: string;
  allowCustomValues: boolean;
  secret: boolean;
}

export interface OutputField {
  name: string;
  type: OutputType;
  description: string;
  /** Empty means the default cap. */
  maxBytes: string;
}

/** The end-user texts of a self-service action, one row per language. */
export interface SelfServiceText {
  language: string;
  title: string;
  description: string;
}

export interface SelfServiceField {
  texts: SelfServiceText[];
  cooldownSec: string;
  dailyLimit: string;
}

export interface ActionForm {
  slug: string;
  name: string;
  description: string;
  purpose: 'remediation' | 'data_collection';
  runAs: RunAs;
  /** Only for `runAs: user`: what a run does while nobody is logged in. */
  whenNoUser: WhenNoUser;
  timeoutSec: string;
  expirySec: string;
  outputCapBytes: string;
  triggers: ActionTrigger[];
  scripts: Record<Platform, ScriptField>;
  parameters: ParameterField[];
  outputs: OutputField[];
  /** Only with the `self_service` trigger. */
  selfService: SelfServiceField;
}

export const platformShells: Record<Platform, readonly string[]> = {
  windows: ['powershell'],
  macos: ['zsh', 'bash'],
  linux: ['sh', 'bash'],
};

export function emptyActionForm(): ActionForm {
  return {
    slug: '',
    name: '',
    description: '',
    purpose: 'remediation',
    runAs: 'system',
    whenNoUser: 'wait',
    timeoutSec: String(limits.defaultTimeoutSec),
    expirySec: String(limits.defaultExpirySec),
    outputCapBytes: String(limits.defaultOutputCapBytes),
    triggers: ['manual', 'extension', 'api'],
    scripts: {
      windows: { enabled: true, shell: 'powershell', source: '' },
      macos: { enabled: false, shell: 'zsh', source: '' },
      linux: { enabled: false, shell: 'sh', source: '' },
    },
    parameters: [],
    outputs: [],
    selfService: { texts: [{ language: 'en', title: '', description: '' }], cooldownSec: '300', dailyLimit: '5' },
  };
}

export function emptyParameter(): ParameterField {
  return { name: '', description: '', type: 'string', required: false, defaultValue: '', allowedValues: '', allowCustomValues: false, secret: false };
}

export function emptyOutput(): OutputField {
  return { name: '', type: 'string', description: '', maxBytes: '' };
}

/** Fills the form from a stored version (or an imported file). */
export function formFromDefinition(def: ActionDefinition): ActionForm {
  const base = emptyActionForm();
  const scripts = { ...base.scripts };
  for (const platform of ['windows', 'macos', 'linux'] as const) {
    const script = def.scripts[platform];
    scripts[platform] = script ? { enabled: true, shell: script.shell, source: script.source } : { ...base.scripts[platform], enabled: false };
  }
  return {
    slug: def.slug,
    name: def.name,
    description: def.description,
    purpose: def.purpose,
    runAs: def.runAs,
    // versions saved before the setting existed wait, as the agent does without it
    whenNoUser: def.whenNoUser ?? 'wait',
    timeoutSec: String(def.timeoutSec),
    expirySec: String(def.expirySec),
    outputCapBytes: String(def.outputCapBytes),
    triggers: [...def.triggers],
    scripts,
    parameters: def.parameters.map((p) => ({
      name: p.name,
      description: p.description,
      type: p.type,
      required: p.required,
      defaultValue: p.default === undefined ? '' : String(p.default),
      allowedValues: (p.allowedValues ?? []).join(', '),
      allowCustomValues: p.allowCustomValues,
      secret: p.secret,
    })),
    outputs: def.outputs.map((o) => ({ name: o.name, type: o.type, description: o.description, maxBytes: o.maxBytes ? String(o.maxBytes) : '' })),
    selfService: def.selfService
      ? {
          texts: Object.keys({ ...def.selfService.title, ...def.selfService.description }).map((language) => ({
            language,
            title: def.selfService!.title[language] ?? '',
            description: def.selfService!.description[language] ?? '',
          })),
          cooldownSec: String(def.selfService.cooldownSec),
          dailyLimit: String(def.selfService.dailyLimit),
        }
      : base.selfService,
  };
}

/** The form's self-service settings as the definition takes them (only with the trigger). */
function selfServiceOf(form: ActionForm) {
  if (!form.triggers.includes('self_service')) return {};
  const rows = form.selfService.texts.map((t) => ({ ...t, language: t.language.trim() })).filter((t) => t.language && (t.title.trim() || t.description.trim()));
  return {
    selfService: {
      title: Object.fromEntries(rows.filter((t) => t.title.trim()).map((t) => [t.language, t.title.trim()])),
      description: Object.fromEntries(rows.filter((t) => t.description.trim()).map((t) => [t.language, t.description.trim()])),
      cooldownSec: toInt(form.selfService.cooldownSec),
      dailyLimit: toInt(form.selfService.dailyLimit),
    },
  };
}

/** Whole numbers only; anything else becomes NaN so the schema reports it on the right field. */
function toInt(text: string): number {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

function toValue(type: ParameterType, text: string): string | number | boolean {
  if (type === 'int') return /^\s*-?\d+\s*$/.test(text) ? Number(text) : text;
  if (type === 'bool') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function toParameter(p: ParameterField): ParameterDecl {
  const allowed = splitList(p.allowedValues).map((v) => (p.type === 'int' ? toValue('int', v) : v));
  return {
    name: p.name.trim(),
    description: p.description,
    type: p.type,
    required: p.required,
    ...(p.defaultValue !== '' ? { default: toValue(p.type, p.defaultValue) } : {}),
    ...(allowed.length ? { allowedValues: allowed as (string | number)[] } : {}),
    allowCustomValues: p.allowCustomValues,
    secret: p.secret,
  } as ParameterDecl;
}

/** Converts the form and checks it with the same schema the backend applies; errors are keyed by field path. */
export function definitionFromForm(form: ActionForm): { ok: true; definition: ActionDefinition } | { ok: false; errors: FieldErrors } {
  const scripts: Record<string, { shell: string; source: string }> = {};
  for (const [platform, script] of Object.entries(form.scripts)) if (script.enabled) scripts[platform] = { shell: script.shell, source: script.source };
  const candidate = {
    slug: form.slug.trim(),
    name: form.name.trim(),
    description: form.description,
    purpose: form.purpose,
    runAs: form.runAs,
    whenNoUser: form.whenNoUser,
    timeoutSec: toInt(form.timeoutSec),
    expirySec: toInt(form.expirySec),
    outputCapBytes: toInt(form.outputCapBytes),
    triggers: form.triggers,
    ...selfServiceOf(form),
    scripts,
    parameters: form.parameters.map(toParameter),
    outputs: form.outputs.map((o) => ({
      name: o.name.trim(),
      type: o.type,
      description: o.description,
      ...(o.maxBytes.trim() ? { maxBytes: toInt(o.maxBytes) } : {}),
    })),
  };
  const parsed = ActionDefinition.safeParse(candidate);
  if (parsed.success && !selfServiceProblem(parsed.data)) return { ok: true, definition: parsed.data };
  if (parsed.success) return { ok: false, errors: { 'selfService.title': 'give the end-user title in at least one language' } };
  const errors = issuesToErrors(parsed.error.issues);
  // The schema would say "expected number, received NaN"; say what to type instead.
  for (const key of ['timeoutSec', 'expirySec', 'outputCapBytes'] as const) if (Number.isNaN(candidate[key])) errors[key] = 'enter a whole number';
  form.outputs.forEach((o, i) => {
    if (o.maxBytes.trim() && Number.isNaN(toInt(o.maxBytes))) errors[`outputs.${i}.maxBytes`] = 'enter a whole number of bytes';
  });
  return { ok: false, errors };
}
