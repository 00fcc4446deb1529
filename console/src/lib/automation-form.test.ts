import type { DetectionRule, ParameterDecl, Schedule } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import {
  checkDetection, checkParameters, checkSchedule, defaultGuards, describeTiming, detectionFormFrom, emptyDetectionForm, emptyScheduleForm, guardsFormFrom,
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

  it('sends device time with a cron only, the spread in seconds, and damping or none', () => {
    const form = { ...emptyScheduleForm(), name: 'Morning', action: 'collect-disk', timing: 'cron' as const, cron: '0 9 * * 1-5', timezone: 'device' as const };
    expect(form).toMatchObject({ damping: true, dampingFailures: '10', dampingHours: '12', spreadMinutes: '', savedQuery: '' });
    const check = checkSchedule({ ...form, spreadMinutes: '15', savedQuery: 'a2f1c3de-0000-4000-8000-000000000001' }, undefined);
    expect(check).toMatchObject({
      ok: true,
      input: { cron: '0 9 * * 1-5', timezone: 'device', spreadSec: 900, damping: { failures: 10, skipSec: 43_200 }, savedQuery: 'a2f1c3de-0000-4000-8000-000000000001' },
    });
    // an interval is always UTC, whatever the hidden time zone field holds
    expect(checkSchedule({ ...form, timing: 'interval' }, undefined)).toMatchObject({ ok: true, input: { timezone: 'utc', intervalSec: 3600 } });
    expect(checkSchedule({ ...form, damping: false }, undefined)).toMatchObject({ ok: true, input: { damping: null, savedQuery: null, spreadSec: 0 } });
    expect(checkSchedule({ ...form, dampingFailures: '3', dampingHours: '0.5' }, undefined)).toMatchObject({ ok: true, input: { damping: { failures: 3, skipSec: 1800 } } });
    const bad = checkSchedule({ ...form, spreadMinutes: '2000', dampingFailures: '0', dampingHours: 'x' }, undefined);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(expect.arrayContaining(['spreadMinutes', 'dampingFailures', 'dampingHours']));
  });

  it('describes device time and spread', () => {
    expect(describeTiming({ cron: '0 9 * * *', intervalSec: null, timezone: 'device', spreadSec: 600 })).toBe('cron 0 9 * * * (device time) · spread over 10 min');
    expect(describeTiming({ cron: null, intervalSec: 3600, timezone: 'utc', spreadSec: 90 })).toBe('every hour · spread over 90 s');
  });

  it('reads a stored schedule back into the form', () => {
    const s = { name: 'n', description: '', actionSlug: 'a', target: 'devices', cron: null, intervalSec: 10800, expirySec: 7200, enabled: false, retentionDays: 7 } as Schedule;
    expect(scheduleFormFrom(s)).toMatchObject({ timing: 'interval', every: '3', unit: 'hours', expiryHours: '2', enabled: false, retentionDays: '7' });
    const device = {
      ...s, cron: '0 9 * * *', intervalSec: null, timezone: 'device', spreadSec: 1800, damping: { failures: 4, skipSec: 7200 },
      savedQuery: { id: 'a2f1c3de-0000-4000-8000-000000000001', name: 'Lab' },
    } as Schedule;
    expect(scheduleFormFrom(device)).toMatchObject({
      timing: 'cron', timezone: 'device', spreadMinutes: '30', damping: true, dampingFailures: '4', dampingHours: '2', savedQuery: 'a2f1c3de-0000-4000-8000-000000000001',
    });
    expect(scheduleFormFrom({ ...device, damping: null })).toMatchObject({ damping: false, dampingFailures: '10' });
  });
});

describe('detection rules', () => {
  it('sends the saved query a rule is narrowed to, or none, and reads it back', () => {
    const form = { ...emptyDetectionForm(), name: 'Low disk', condition: 'disk.free_pct < 10', action: 'clean-temp' };
    expect(checkDetection(form, undefined)).toMatchObject({ ok: true, input: { savedQuery: null } });
    const id = 'a2f1c3de-0000-4000-8000-000000000002';
    expect(checkDetection({ ...form, savedQuery: id }, undefined)).toMatchObject({ ok: true, input: { savedQuery: id } });
    const stored = { name: 'n', description: '', condition: 'c', actionSlug: 'a', enabled: true, guards: defaultGuards, savedQuery: { id, name: 'Lab' } } as DetectionRule;
    expect(detectionFormFrom(stored).savedQuery).toBe(id);
    expect(detectionFormFrom({ ...stored, savedQuery: null }).savedQuery).toBe('');
  });

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
