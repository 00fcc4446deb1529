/**
 * @module
 * Sample API objects for the launcher's and the extension's tests, shaped exactly like the backend's responses.
 */
import type { Action, ActionWithVersion, Device, Execution, Me } from '@fixpoint/protocol';

export const deviceId = '0b7c4a52-6f2e-4d0b-9a59-2f1d5c3e8a01';
export const otherDeviceId = '7d0f3c1e-2b4a-4e6f-8a9b-0c1d2e3f4a5b';
export const actionId = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
export const executionId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const requestId = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const at = '2026-11-20T09:30:00.000Z';

export function sampleDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: deviceId, name: 'LT-ABEL-0042', platform: 'windows', osVersion: 'Windows 11 23H2', agentVersion: '0.1.0',
    tags: ['site:paris'], online: true, lastSeen: at, enrolledAt: at,
    facts: { model: 'Latitude 7440', user: 'abel.tuter', ip: '10.1.2.3', ram_bytes: 17179869184 }, outputs: {},
    ...overrides,
  };
}

export function sampleAction(overrides: Partial<Action> = {}): Action {
  return {
    id: actionId, slug: 'restart-vpn', name: 'Restart VPN client', description: 'Restarts the VPN service and reconnects.',
    purpose: 'remediation', platforms: ['windows', 'macos'], latestVersion: 3, archived: false, createdAt: at, updatedAt: at,
    ...overrides,
  };
}

export function sampleActionWithVersion(overrides: Partial<ActionWithVersion['current']> = {}): ActionWithVersion {
  return {
    ...sampleAction(),
    current: {
      id: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706', actionId, version: 3, slug: 'restart-vpn', name: 'Restart VPN client',
      description: 'Restarts the VPN service and reconnects.', purpose: 'remediation', runAs: 'system', whenNoUser: 'wait', timeoutSec: 300,
      expirySec: 86400, outputCapBytes: 65536, triggers: ['manual', 'extension', 'api'],
      scripts: { windows: { shell: 'powershell', source: 'Restart-Service vpn' } },
      parameters: [
        { name: 'Profile', description: 'VPN profile', type: 'enum', required: true, allowedValues: ['corp', 'lab'], default: 'corp', allowCustomValues: false, secret: false },
        { name: 'WaitSeconds', description: '', type: 'int', required: false, default: 10, allowCustomValues: false, secret: false },
        { name: 'Force', description: '', type: 'bool', required: false, allowCustomValues: false, secret: false },
        { name: 'Note', description: 'Shown to the user', type: 'string', required: false, allowCustomValues: false, secret: false },
        { name: 'AdminPassword', description: '', type: 'string', required: false, allowCustomValues: false, secret: true },
      ],
      outputs: [{ name: 'connected', type: 'bool', description: '' }, { name: 'latency', type: 'duration', description: '' }],
      scriptHashes: {}, createdAt: at, createdBy: 'user:ana@acme.example',
      approval: { state: 'approved', by: 'user:bo@acme.example', at, reason: null, publisherSignatures: {} },
      ...overrides,
    },
  };
}

export function sampleExecution(overrides: Partial<Execution> = {}): Execution {
  return {
    id: executionId, requestId, deviceId, deviceName: 'LT-ABEL-0042', actionId, actionSlug: 'restart-vpn',
    actionVersionId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706', actionVersion: 3, status: 'succeeded', trigger: 'extension',
    triggerInfo: { externalSource: 'servicenow', externalReference: 'INC0010023' }, requestedBy: 'user:beth@acme.example',
    parameters: { Profile: 'corp' }, expiresAt: at, createdAt: at, deliveredAt: at, startedAt: at, finishedAt: at,
    exitCode: 0, error: null, stdoutTail: 'VPN reconnected', stderrTail: null, outputs: { connected: true, latency: 0.042 }, neutral: null,
    ...overrides,
  };
}

export function sampleMe(overrides: Partial<Me> = {}): Me {
  return {
    kind: 'user', id: 'e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9', name: 'Beth Anglin', email: 'beth@acme.example',
    roles: ['support'], permissions: ['actions:run', 'devices:read'], runnableActions: ['restart-vpn', 'flush-dns'],
    ...overrides,
  };
}
