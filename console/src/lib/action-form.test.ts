import { ActionDefinition } from '@fixpoint/protocol';
import { describe, expect, it } from 'vitest';
import { definitionFromForm, emptyActionForm, emptyOutput, emptyParameter, formFromDefinition, type ActionForm } from './action-form';

function filled(): ActionForm {
  const form = emptyActionForm();
  form.slug = 'restart-spooler';
  form.name = 'Restart spooler';
  form.scripts.windows.source = 'Restart-Service Spooler';
  return form;
}

describe('action form', () => {
  it('starts with the schema defaults and a Windows script', () => {
    const form = emptyActionForm();
    expect(form.timeoutSec).toBe('300');
    expect(form.triggers).toEqual(['manual', 'extension', 'api']);
    expect(form.scripts.windows.enabled).toBe(true);
  });

  it('converts typed text into a valid definition', () => {
    const form = filled();
    form.timeoutSec = ' 600 ';
    form.parameters = [
      { ...emptyParameter(), name: 'Days', type: 'int', defaultValue: '7', allowedValues: '1, 7, 30' },
      { ...emptyParameter(), name: 'Force', type: 'bool', defaultValue: 'true' },
      { ...emptyParameter(), name: 'Mode', type: 'enum', allowedValues: 'quick,\nfull' },
    ];
    form.outputs = [{ ...emptyOutput(), name: 'log', maxBytes: '4096' }];
    const result = definitionFromForm(form);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.timeoutSec).toBe(600);
    expect(result.definition.parameters[0]).toMatchObject({ default: 7, allowedValues: [1, 7, 30] });
    expect(result.definition.parameters[1]).toMatchObject({ default: true });
    expect(result.definition.parameters[2]).toMatchObject({ allowedValues: ['quick', 'full'] });
    expect(result.definition.outputs[0]).toMatchObject({ name: 'log', maxBytes: 4096 });
    expect(Object.keys(result.definition.scripts)).toEqual(['windows']);
  });

  it('reports errors by field path', () => {
    const form = emptyActionForm();
    form.slug = 'Bad Slug';
    form.timeoutSec = 'ten';
    form.scripts.windows.enabled = false;
    form.parameters = [{ ...emptyParameter(), name: '1x' }, { ...emptyParameter(), name: 'Mode', type: 'enum' }];
    form.outputs = [{ ...emptyOutput(), name: 'x', maxBytes: 'lots' }];
    const result = definitionFromForm(form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual(
      expect.arrayContaining(['slug', 'name', 'timeoutSec', 'scripts', 'parameters.0.name', 'parameters.1.allowedValues', 'outputs.0.maxBytes']),
    );
    expect(result.errors.timeoutSec).toBe('enter a whole number');
    expect(result.errors.scripts).toMatch(/at least one platform/);
  });

  it('rejects a wrongly typed default and duplicate names', () => {
    const form = filled();
    form.parameters = [
      { ...emptyParameter(), name: 'Days', type: 'int', defaultValue: 'seven' },
      { ...emptyParameter(), name: 'days' },
    ];
    const result = definitionFromForm(form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['parameters.0.default']).toMatch(/integer/);
    expect(result.errors.parameters).toMatch(/declared twice/);
  });

  it('round-trips a stored definition through the form', () => {
    const stored = ActionDefinition.parse({
      slug: 'collect-disk',
      name: 'Collect disk',
      purpose: 'data_collection',
      runAs: 'user',
      timeoutSec: 60,
      triggers: ['schedule'],
      scripts: { macos: { shell: 'bash', source: 'df -k' }, linux: { source: 'df -k' } },
      parameters: [{ name: 'Mount', type: 'enum', allowedValues: ['/', '/home'], default: '/', allowCustomValues: true }],
      outputs: [{ name: 'free', type: 'size', description: 'bytes free' }],
    });
    const form = formFromDefinition(stored);
    expect(form.scripts.windows.enabled).toBe(false);
    expect(form.scripts.macos).toEqual({ enabled: true, shell: 'bash', source: 'df -k' });
    const back = definitionFromForm(form);
    expect(back).toEqual({ ok: true, definition: stored });
  });

  it('keeps whenNoUser: wait by default, what was chosen, and wait for a version saved before the setting', () => {
    expect(emptyActionForm().whenNoUser).toBe('wait');
    const form = { ...emptyActionForm(), slug: 'ask', name: 'Ask', runAs: 'user' as const, whenNoUser: 'skip' as const };
    form.scripts.windows.source = 'exit 0';
    const saved = definitionFromForm(form);
    expect(saved.ok && saved.definition).toMatchObject({ runAs: 'user', whenNoUser: 'skip' });
    const older = { ...(saved.ok ? saved.definition : ({} as never)) } as Partial<ActionDefinition>;
    delete older.whenNoUser;
    expect(formFromDefinition(older as ActionDefinition).whenNoUser).toBe('wait');
    expect(definitionFromForm({ ...form, whenNoUser: 'later' as never })).toMatchObject({ ok: false, errors: { whenNoUser: expect.any(String) } });
  });

  it('takes self-service texts per language with the trigger, and asks for a title', () => {
    const form = filled();
    form.triggers = ['manual', 'self_service'];
    const missing = definitionFromForm(form);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(Object.keys(missing.errors).some((k) => k.startsWith('selfService.title'))).toBe(true);
    form.selfService = {
      texts: [
        { language: 'en', title: 'Fix printing', description: 'Restarts the spooler.' },
        { language: 'fr', title: 'Réparer l’impression', description: '' },
        { language: '', title: '', description: '' },
      ],
      cooldownSec: '60',
      dailyLimit: '4',
    };
    const result = definitionFromForm(form);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.selfService).toEqual({ title: { en: 'Fix printing', fr: 'Réparer l’impression' }, description: { en: 'Restarts the spooler.' }, cooldownSec: 60, dailyLimit: 4 });
    // and back: one row per language
    expect(formFromDefinition(result.definition).selfService.texts.map((t) => t.language)).toEqual(['en', 'fr']);
    // without the trigger the settings are left out
    form.triggers = ['manual'];
    const plain = definitionFromForm(form);
    expect(plain.ok && plain.definition.selfService).toBe(undefined);
  });
});
