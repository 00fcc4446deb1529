import type { CampaignParameterDecl } from '@fixpoint/protocol';
import { invalid } from '../../errors';

/**
 * Resolves trigger parameters against the declarations: unknown names and missing required values are a 400;
 * defaults fill the rest, and an optional parameter without a default becomes the empty text.
 */
export function resolveCampaignParameters(decls: readonly CampaignParameterDecl[], given: Record<string, string>): Record<string, string> {
  const problems: string[] = [];
  const declared = new Set(decls.map((d) => d.name));
  for (const name of Object.keys(given)) if (!declared.has(name)) problems.push(`unknown parameter ${name}`);
  const values: Record<string, string> = {};
  for (const decl of decls) {
    const value = Object.hasOwn(given, decl.name) && given[decl.name] !== '' ? given[decl.name]! : decl.default;
    if (value === undefined && decl.required) problems.push(`parameter ${decl.name} is required`);
    values[decl.name] = value ?? '';
  }
  if (problems.length) throw invalid(problems.join('; '), problems.map((message) => ({ path: 'parameters', message })));
  return values;
}
