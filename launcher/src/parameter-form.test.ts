import { describe, expect, it } from 'vitest';
import { sampleActionWithVersion } from './testing/samples';
import { fieldsFor, initialValues, validateForm } from './parameter-form';

const decls = sampleActionWithVersion().current.parameters;

describe('parameter form', () => {
  it('chooses a control per declaration', () => {
    expect(fieldsFor(decls).map((f) => [f.name, f.kind, f.required])).toEqual([
      ['Profile', 'select', true], ['WaitSeconds', 'number', false], ['Force', 'checkbox', false],
      ['Note', 'text', false], ['AdminPassword', 'password', false],
    ]);
    expect(fieldsFor([{ ...decls[0]!, allowCustomValues: true }])[0]!.kind).toBe('combo');
  });

  it('starts from the defaults and launches with typed values', () => {
    const values = initialValues(decls);
    expect(values).toEqual({ Profile: 'corp', WaitSeconds: '10', Force: false, Note: '', AdminPassword: '' });
    expect(validateForm(decls, { ...values, Force: true, AdminPassword: 's3cret' })).toEqual({
      ok: true, values: { Profile: 'corp', WaitSeconds: 10, Force: true, AdminPassword: 's3cret' },
    });
  });

  it('reports wrong types, values outside the allowed list and missing required values per field', () => {
    const check = validateForm(decls, { Profile: 'prod', WaitSeconds: '1.5', Force: false, Note: '', AdminPassword: '' });
    expect(check).toEqual({ ok: false, errors: { Profile: 'Profile must be one of: corp, lab', WaitSeconds: 'WaitSeconds must be an integer' } });
    const required = [{ ...decls[3]!, required: true }];
    expect(validateForm(required, { Note: '   ' })).toEqual({ ok: false, errors: { Note: 'Note is required' } });
  });

  it('maps numeric allowed values back to numbers', () => {
    const level = { ...decls[0]!, name: 'Level', allowedValues: [1, 2, 3], default: 1 };
    expect(validateForm([level], { Level: '2' })).toEqual({ ok: true, values: { Level: 2 } });
  });
});
