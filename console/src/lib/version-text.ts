/** @module Renders an action version as plain lines, so two versions can be compared with a line diff. */
import type { ActionDefinition, OutputDecl, ParameterDecl } from '@fixpoint/protocol';

const platforms = ['windows', 'macos', 'linux'] as const;

export function describeParameter(p: ParameterDecl): string {
  const flags = [p.type, p.required ? 'required' : 'optional', p.secret ? 'secret' : null].filter(Boolean).join(', ');
  const extras = [
    p.default !== undefined ? `default ${JSON.stringify(p.default)}` : null,
    p.allowedValues?.length ? `allowed ${p.allowedValues.map((v) => JSON.stringify(v)).join(' | ')}` : null,
    p.allowCustomValues ? 'custom values allowed' : null,
  ].filter(Boolean);
  return `parameter ${p.name} (${flags})${extras.length ? `; ${extras.join('; ')}` : ''}${p.description ? ` — ${p.description}` : ''}`;
}

export function describeOutput(o: OutputDecl): string {
  return `output ${o.name} (${o.type}${o.maxBytes ? `, max ${o.maxBytes} bytes` : ''})${o.description ? ` — ${o.description}` : ''}`;
}

/**
 * One line per setting, parameter and output, then each platform's script under a header line.
 * Multi-line descriptions keep one line per line so a small edit shows as a small change.
 */
export function versionLines(v: ActionDefinition): string[] {
  const lines = [
    `name: ${v.name}`,
    `purpose: ${v.purpose}`,
    `runAs: ${v.runAs}`,
    // versions saved before the setting existed wait, as the agent does without it
    ...(v.runAs === 'user' ? [`whenNoUser: ${v.whenNoUser ?? 'wait'}`] : []),
    `timeoutSec: ${v.timeoutSec}`,
    `expirySec: ${v.expirySec}`,
    `outputCapBytes: ${v.outputCapBytes}`,
    `triggers: ${v.triggers.join(', ')}`,
  ];
  if (v.description) lines.push('description:', ...v.description.split('\n').map((l) => `  ${l}`));
  for (const p of v.parameters) lines.push(describeParameter(p));
  for (const o of v.outputs) lines.push(describeOutput(o));
  for (const platform of platforms) {
    const script = v.scripts[platform];
    if (!script) continue;
    lines.push(`──── ${platform} script (${script.shell}) ────`, ...script.source.replace(/\r\n/g, '\n').split('\n'));
  }
  return lines;
}
