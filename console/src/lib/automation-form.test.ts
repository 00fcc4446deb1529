import type { ParameterDecl, Schedule } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import {
  checkDetection, checkParameters, checkSchedule, defaultGuards, describeTiming, emptyDetectionForm, emptyScheduleForm, guardsFormFrom,
  intervalParts, ruleKindOf, scheduleFormFrom, valuesFromParameters,
} from './automation-form';

const decls: ParameterDecl[] = [
  { name: 'path', type: 'string', description: '', required: true, secret: false, allowCustomValues: false },
  { name: 'token', type: 'string', description: '', required: false, secret: true, allowCustomValues: false },
  { name: 'force', type: 'bool', description: '', required: false, secret: false, allowCustomValues: false },
] as ParameterDecl[];

describe('parameters', () => {
  it('shows stored values, never secrets', () => {
    expect(valuesFromParameters({ path: '/tmp', token: '***', force: true }, decls)).toEqual({ path: '/tmp', token: '', force: true });
  });

  it('sends nothing when unchanged, so stored secrets stay; checks changed values', () => {
    const initial = { path: '/tmp', token: '', force: false };
    expect(checkParameters(decls, { ...initial }, initial)).toEqual({ ok: true, parameters: undefined });
    expect(checkParameters(decls, { ...initial, path: '/var' }, initial)).toEqual({ ok: true, parameters: { path: '/var', force: false } });
    expect(checkParameters(decls, { ...initial, path: '' }, initial)).toMatchObject({ ok: false, errors: { 'parameters.path': expect.any(String) } });
  });
});

describe('schedules', () => {
  it('splits and describes intervals', () => {
    expect(intervalParts(7200)).toEqual({ every: '2', unit: 'hours' });
    expect(intervalParts(90)).toEqual({ every: '1.5', unit: 'minutes' });
    expect(describeTiming({ cron: null, intervalSec: 86400 })).toBe('every day');
    expect(describeTiming({ cron: null, intervalSec: 900 })).toBe('every 15 minutes');
    expect(describeTiming({ cron: '0 6 * * 1', intervalSec: null })).toBe('cron 0 6 * * 1 (UTC)');
  });

  it('builds the input with one timing and checks it', () => {
    const form = { ...emptyScheduleForm(), name: 'Disk every 15 min', action: 'collect-disk', every: '15', unit: 'minutes' as const };
    const check = checkSchedule(form, { path: '/' });
    expect(check).toMatchObject({ ok: true, input: { intervalSec: 900, parameters: { path: '/' }, expirySec: null, retentionDays: 30 } });
    expect(check.ok && 'cron' in check.input).toBe(false);
    expect(checkSchedule({ ...form, timing: 'cron', cron: '*/5 * * * *' }, undefined)).toMatchObject({ ok: true, input: { cron: '*/5 * * * *' } });
    const bad = checkSchedule({ ...form, every: '10', unit: 'minutes', name: ' ', retentionDays: 'x' }, undefined);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(expect.arrayContaining(['name', 'retentionDays']));
    const tooOften = checkSchedule({ ...form, every: '30', unit: 'minutes' }, undefined);
    expect(tooOften.ok).toBe(true);
    const seconds = checkSchedule({ ...form, every: '0.5', unit: 'minutes' }, undefined);
    expect(seconds).toMatchObject({ ok: false, errors: { every: expect.any(String) } });
  });

  it('reads a stored schedule back into the form', () => {
    const s = { name: 'n', description: '', actionSlug: 'a', target: 'devices', cron: null, intervalSec: 10800, expirySec: 7200, enabled: false, retentionDays: 7 } as Schedule;
    expect(scheduleFormFrom(s)).toMatchObject({ timing: 'interval', every: '3', unit: 'hours', expiryHours: '2', enabled: false, retentionDays: '7' });
  });
});

describe('detection rules', () => {
  it('starts from the default guards and converts units both ways', () => {
    const form = { ...emptyDetectionForm(), name: 'Low disk', condition: 'disk.free_pct < 10', action: 'clean-temp' };
    expect(form.guards).toEqual(guardsFormFrom(defaultGuards));
    const check = checkDetection({ ...form, guards: { ...form.guards, cooldownMinutes: '90', breakerFailurePercent: '25' } }, undefined);
    expect(check).toMatchObject({ ok: true, input: { guards: { cooldownSec: 5400, breaker: { failureRate: 0.25 } } } });
  });

  it('keys guard errors by the form field', () => {
    const form = { ...emptyDetectionForm(), name: 'x', condition: 'x', action: 'y' };
    const check = checkDetection({ ...form, guards: { ...form.guards, maxAttempts: '5', canaryPercent: 'lots' } }, undefined);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(Object.keys(check.errors)).toEqual(expect.arrayContaining(['guards.maxAttempts', 'guards.canaryPercent']));
  });

  it('offers self-help as the system apart from who runs the script, and checks the kind against the action', () => {
    const form = { ...emptyDetectionForm(), name: 'Ask', condition: 'disk.free_pct < 10', action: 'ask-cleanup' };
    expect(form.kind).toBe('healing');
    expect(checkDetection(form, undefined, 'system')).toMatchObject({ ok: true, input: { selfHelp: false } });
    expect(checkDetection({ ...form, kind: 'help_system' }, undefined, 'system')).toMatchObject({ ok: true, input: { selfHelp: true } });
    expect(checkDetection({ ...form, kind: 'help_user' }, undefined, 'user')).toMatchObject({ ok: true, input: { selfHelp: true } });
    // an action that runs as the user is self-help as the user, and only that
    expect(checkDetection(form, undefined, 'user')).toMatchObject({ ok: false, errors: { kind: expect.stringMatching(/runs as the logged-in user/) } });
    expect(checkDetection({ ...form, kind: 'help_user' }, undefined, 'system')).toMatchObject({ ok: false, errors: { kind: expect.stringMatching(/runs as the system/) } });
    expect(ruleKindOf({ runAs: 'system', selfHelp: true })).toBe('help_system');
    expect(ruleKindOf({ runAs: 'system', selfHelp: false })).toBe('healing');
    expect(ruleKindOf({ runAs: 'user', selfHelp: true })).toBe('help_user');
  });
});
