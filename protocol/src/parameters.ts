/**
 * @module
 * Parameter checks shared by the backend, the agent and the launchers. Free of zod on purpose: the extension's
 * content script bundles these without pulling in the schema library.
 */
import type { ParameterDecl, ParameterValue } from './actions';
import { limits } from './limits';
import { utf8Length } from './text';

const utf8Bytes = utf8Length;

/** Returns why `value` does not fit the declaration, or null when it does. */
export function checkParameterValue(decl: ParameterDecl, value: unknown): string | null {
  switch (decl.type) {
    case 'string':
      if (typeof value !== 'string') return `${decl.name} must be a string`;
      break;
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${decl.name} must be an integer`;
      break;
    case 'bool':
      if (typeof value !== 'boolean') return `${decl.name} must be true or false`;
      break;
    case 'enum':
      if (typeof value !== 'string' && typeof value !== 'number') return `${decl.name} must be one of the allowed values`;
      break;
  }
  if (decl.allowedValues?.length && !decl.allowCustomValues && !decl.allowedValues.includes(value as string | number))
    return `${decl.name} must be one of: ${decl.allowedValues.join(', ')}`;
  if (typeof value === 'string' && utf8Bytes(value) > limits.maxParameterValueBytes)
    return `${decl.name} is longer than ${limits.maxParameterValueBytes} bytes`;
  return null;
}

/**
 * Resolves launch parameters against the declarations: applies defaults, rejects unknown names, missing required
 * values and values of the wrong type. Returns the resolved map or the list of problems.
 */
export function resolveParameters(
  decls: readonly ParameterDecl[],
  given: Record<string, unknown>,
): { ok: true; values: Record<string, ParameterValue> } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, ParameterValue> = {};
  const byName = new Map(decls.map((d) => [d.name, d]));
  for (const name of Object.keys(given)) if (!byName.has(name)) problems.push(`unknown parameter ${name}`);
  for (const decl of decls) {
    const value = given[decl.name] ?? decl.default;
    if (value === undefined || value === '') {
      if (decl.required) problems.push(`${decl.name} is required`);
      continue;
    }
    const problem = checkParameterValue(decl, value);
    if (problem) problems.push(problem);
    else values[decl.name] = value as ParameterValue;
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}
