/**
 * @module Forms of schedules and detection rules: parameters as form values (secrets never come back, so they are
 * only sent when changed), timing as cron or "every N units", guards in the units people think in, and the checks of
 * the protocol schemas with their paths.
 */
import {
  defaultDamping, DetectionRuleInput, ScheduleInput, type DetectionGuards, type DetectionRule, type ParameterDecl, type ParameterValue, type RunAs,
  type Schedule, type ScheduleTimezone,
} from '@fixpoint/protocol';
import { validateForm, type FormValues } from '@fixpoint/launcher';
import { issuesToErrors, type FieldErrors } from './form-errors';

/** Stored parameters as form values; secrets read "***" and start empty. */
export function valuesFromParameters(parameters: Readonly<Record<string, ParameterValue>>, decls: readonly ParameterDecl[]): FormValues {
  const values: FormValues = {};
  for (const d of decls) {
    const v = parameters[d.name];
    if (d.secret) values[d.name] = '';
    else if (typeof v === 'boolean') values[d.name] = v;
    else values[d.name] = v === undefined ? (d.type === 'bool' ? false : '') : String(v);
  }
  return values;
}

export type ParametersCheck = { ok: true; parameters: Record<string, ParameterValue> | undefined } | { ok: false; errors: FieldErrors };

/**
 * The parameters to send. When editing, unchanged values send nothing, so stored secrets stay; changed values
 * replace the whole set, so secrets must then be typed again.
 */
export function checkParameters(decls: readonly ParameterDecl[], values: FormValues, initial?: FormValues): ParametersCheck {
  if (initial && JSON.stringify(values) === JSON.stringify(initial)) return { ok: true, parameters: undefined };
  const check = validateForm(decls, values);
  if (!check.ok) return { ok: false, errors: Object.fromEntries(Object.entries(check.errors).map(([k, v]) => [k === '_form' ? 'parameters' : `parameters.${k}`, v])) };
  return { ok: true, parameters: check.values };
}

export type IntervalUnit = 'minutes' | 'hours' | 'days';
const unitSec: Record<IntervalUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };

/** An interval in the largest unit that divides it: 7200 → 2 hours. */
export function intervalParts(sec: number): { every: string; unit: IntervalUnit } {
  for (const unit of ['days', 'hours', 'minutes'] as const) if (sec % unitSec[unit] === 0) return { every: String(sec / unitSec[unit]), unit };
  return { every: String(sec / 60), unit: 'minutes' };
}

/** "every 15 minutes", "cron 0 6 * * 1 (UTC)", "cron 0 9 * * * (device time) · spread over 10 min". */
export function describeTiming(s: Pick<Schedule, 'cron' | 'intervalSec'> & Partial<Pick<Schedule, 'timezone' | 'spreadSec'>>): string {
  const spread = s.spreadSec ? ` · spread over ${s.spreadSec % 60 === 0 ? `${s.spreadSec / 60} min` : `${s.spreadSec} s`}` : '';
  if (s.cron) return `cron ${s.cron} (${s.timezone === 'device' ? 'device time' : 'UTC'})${spread}`;
  if (!s.intervalSec) return '';
  const { every, unit } = intervalParts(s.intervalSec);
  return `every ${every === '1' ? unit.slice(0, -1) : `${every} ${unit}`}${spread}`;
}

export interface ScheduleForm {
  name: string;
  description: string;
  action: string;
  target: string;
  /** A saved query's id the target is narrowed to; empty: none. */
  savedQuery: string;
  timing: 'interval' | 'cron';
  every: string;
  unit: IntervalUnit;
  cron: string;
  /** Whose clock the cron reads. */
  timezone: ScheduleTimezone;
  /** Spread window in minutes; empty or 0: all at once. */
  spreadMinutes: string;
  /** Failure damping on or off, and its settings in the units people think in. */
  damping: boolean;
  dampingFailures: string;
  dampingHours: string;
  /** Empty: the action's own expiry. */
  expiryHours: string;
  enabled: boolean;
  retentionDays: string;
}

const dampingDefaults = { damping: true, dampingFailures: String(defaultDamping.failures), dampingHours: String(defaultDamping.skipSec / 3600) };

export function emptyScheduleForm(): ScheduleForm {
  return {
    name: '', description: '', action: '', target: 'devices', savedQuery: '', timing: 'interval', every: '1', unit: 'hours', cron: '0 6 * * *', timezone: 'utc',
    spreadMinutes: '', ...dampingDefaults, expiryHours: '', enabled: true, retentionDays: '30',
  };
}

export function scheduleFormFrom(s: Schedule): ScheduleForm {
  return {
    name: s.name,
    description: s.description,
    action: s.actionSlug,
    target: s.target,
    savedQuery: s.savedQuery?.id ?? '',
    timing: s.cron ? 'cron' : 'interval',
    ...(s.intervalSec ? intervalParts(s.intervalSec) : { every: '1', unit: 'hours' as const }),
    cron: s.cron ?? '0 6 * * *',
    timezone: s.timezone ?? 'utc',
    spreadMinutes: s.spreadSec ? String(s.spreadSec / 60) : '',
    ...(s.damping
      ? { damping: true, dampingFailures: String(s.damping.failures), dampingHours: String(s.damping.skipSec / 3600) }
      : { ...dampingDefaults, damping: s.damping !== null }),
    expiryHours: s.expirySec ? String(s.expirySec / 3600) : '',
    enabled: s.enabled,
    retentionDays: String(s.retentionDays),
  };
}

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));

export type ScheduleCheck = { ok: true; input: ScheduleInput } | { ok: false; errors: FieldErrors };

/**
 * The schedule to send, checked by ScheduleInput; errors of the interval land on `every`, of the spread on
 * `spreadMinutes`, of the damping on `dampingFailures` and `dampingHours`. Device time goes with a cron expression only.
 */
export function checkSchedule(form: ScheduleForm, parameters: Record<string, ParameterValue> | undefined): ScheduleCheck {
  const timing = form.timing === 'cron' ? { cron: form.cron.trim() } : { intervalSec: Math.round(number(form.every) * unitSec[form.unit]) };
  const parsed = ScheduleInput.safeParse({
    name: form.name,
    description: form.description,
    action: form.action,
    parameters: parameters ?? {},
    target: form.target,
    savedQuery: form.savedQuery || null,
    ...timing,
    timezone: form.timing === 'cron' ? form.timezone : 'utc',
    spreadSec: form.spreadMinutes.trim() ? Math.round(number(form.spreadMinutes) * 60) : 0,
    damping: form.damping ? { failures: number(form.dampingFailures), skipSec: Math.round(number(form.dampingHours) * 3600) } : null,
    expirySec: form.expiryHours.trim() ? Math.round(number(form.expiryHours) * 3600) : null,
    enabled: form.enabled,
    retentionDays: number(form.retentionDays),
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors = issuesToErrors(parsed.error.issues);
  if (errors.intervalSec) errors.every = errors.intervalSec;
  if (errors.expirySec) errors.expiryHours = errors.expirySec;
  if (errors.spreadSec) errors.spreadMinutes = errors.spreadSec;
  if (errors['damping.failures']) errors.dampingFailures = errors['damping.failures'];
  if (errors['damping.skipSec']) errors.dampingHours = errors['damping.skipSec'];
  return { ok: false, errors };
}

export interface GuardsForm {
  cooldownMinutes: string;
  maxRunsPerDevicePerDay: string;
  maxAttempts: string;
  maxConcurrent: string;
  canaryPercent: string;
  breakerWindow: string;
  breakerMinResults: string;
  breakerFailurePercent: string;
}

export function guardsFormFrom(g: DetectionGuards): GuardsForm {
  return {
    cooldownMinutes: String(g.cooldownSec / 60),
    maxRunsPerDevicePerDay: String(g.maxRunsPerDevicePerDay),
    maxAttempts: String(g.maxAttempts),
    maxConcurrent: String(g.maxConcurrent),
    canaryPercent: String(g.canaryPercent),
    breakerWindow: String(g.breaker.window),
    breakerMinResults: String(g.breaker.minResults),
    breakerFailurePercent: String(Math.round(g.breaker.failureRate * 1000) / 10),
  };
}

/** The guards a new rule starts with: the protocol's defaults. */
export const defaultGuards: DetectionGuards = DetectionRuleInput.parse({ name: 'x', condition: 'x', action: 'x' }).guards;

/**
 * What a rule does for the device's user. Self-healing fixes without asking anyone; self-help asks the user at the
 * console (through a campaign), either from a system run or from a run as the user. Who runs the script (the
 * action's `runAs`) is a separate matter from whether it asks.
 */
export type RuleKind = 'healing' | 'help_system' | 'help_user';

export const ruleKinds: { value: RuleKind; label: string; hint: string }[] = [
  { value: 'healing', label: 'Self-healing', hint: 'The action fixes the device without asking anyone. Every failed run counts against the guards.' },
  {
    value: 'help_system',
    label: 'Self-help, run as the system',
    hint: 'A system run asks the console user through fixpoint campaign, then acts with system rights on the answer.',
  },
  { value: 'help_user', label: 'Self-help, run as the logged-in user', hint: 'The action runs as the console user and can ask them through fixpoint campaign.' },
];

/** The kind a stored rule has: an action that runs as the user makes it self-help as the user. */
export function ruleKindOf(r: Pick<DetectionRule, 'runAs' | 'selfHelp'>): RuleKind {
  return r.runAs === 'user' ? 'help_user' : r.selfHelp ? 'help_system' : 'healing';
}

/** Why the chosen action does not fit the chosen kind, or null. */
export function ruleKindProblem(kind: RuleKind, runAs: RunAs | undefined): string | null {
  if (runAs === 'user' && kind !== 'help_user') return 'This action runs as the logged-in user: choose self-help, run as the logged-in user.';
  if (runAs === 'system' && kind === 'help_user') return 'This action runs as the system: choose an action that runs as the user, or self-help run as the system.';
  return null;
}

export interface DetectionForm {
  name: string;
  description: string;
  condition: string;
  kind: RuleKind;
  /** A saved query's id the rule is narrowed to; empty: none. */
  savedQuery: string;
  action: string;
  enabled: boolean;
  guards: GuardsForm;
}

export function emptyDetectionForm(): DetectionForm {
  return { name: '', description: '', condition: '', kind: 'healing', savedQuery: '', action: '', enabled: true, guards: guardsFormFrom(defaultGuards) };
}

export function detectionFormFrom(r: DetectionRule): DetectionForm {
  return {
    name: r.name,
    description: r.description,
    condition: r.condition,
    kind: ruleKindOf(r),
    savedQuery: r.savedQuery?.id ?? '',
    action: r.actionSlug,
    enabled: r.enabled,
    guards: guardsFormFrom(r.guards),
  };
}

export type DetectionCheck = { ok: true; input: DetectionRuleInput } | { ok: false; errors: FieldErrors };

const guardFields: [string, keyof GuardsForm][] = [
  ['guards.cooldownSec', 'cooldownMinutes'],
  ['guards.maxRunsPerDevicePerDay', 'maxRunsPerDevicePerDay'],
  ['guards.maxAttempts', 'maxAttempts'],
  ['guards.maxConcurrent', 'maxConcurrent'],
  ['guards.canaryPercent', 'canaryPercent'],
  ['guards.breaker.window', 'breakerWindow'],
  ['guards.breaker.minResults', 'breakerMinResults'],
  ['guards.breaker.failureRate', 'breakerFailurePercent'],
];

/**
 * The rule to send, checked by DetectionRuleInput; guard errors are keyed by the form's field (`guards.cooldownMinutes`).
 * `runAs` is the chosen action's, checked against the kind.
 */
export function checkDetection(form: DetectionForm, parameters: Record<string, ParameterValue> | undefined, runAs?: RunAs): DetectionCheck {
  const g = form.guards;
  const parsed = DetectionRuleInput.safeParse({
    name: form.name,
    description: form.description,
    condition: form.condition,
    savedQuery: form.savedQuery || null,
    action: form.action,
    parameters: parameters ?? {},
    enabled: form.enabled,
    selfHelp: form.kind !== 'healing',
    guards: {
      cooldownSec: Math.round(number(g.cooldownMinutes) * 60),
      maxRunsPerDevicePerDay: number(g.maxRunsPerDevicePerDay),
      maxAttempts: number(g.maxAttempts),
      maxConcurrent: number(g.maxConcurrent),
      canaryPercent: number(g.canaryPercent),
      breaker: { window: number(g.breakerWindow), minResults: number(g.breakerMinResults), failureRate: number(g.breakerFailurePercent) / 100 },
    },
  });
  const kindProblem = ruleKindProblem(form.kind, runAs);
  if (parsed.success && !kindProblem) return { ok: true, input: parsed.data };
  const errors = parsed.success ? {} : issuesToErrors(parsed.error.issues);
  for (const [path, field] of guardFields) if (errors[path]) errors[`guards.${field}`] = errors[path]!;
  if (kindProblem) errors.kind = kindProblem;
  return { ok: false, errors };
}
