/** Limits on action definitions, in the spirit of the commercial leaders. Enforced by the backend and the agent. */
export const limits = {
  maxParameters: 50,
  maxOutputs: 50,
  maxScriptBytes: 600 * 1024,
  /** Default cap on one string output value, in bytes. An output declaration may raise it up to `maxStringOutputBytes`. */
  defaultStringOutputBytes: 1024,
  maxStringOutputBytes: 64 * 1024,
  maxStringListItems: 1000,
  /** Cap on the stdout and stderr tails kept per execution. */
  defaultOutputCapBytes: 64 * 1024,
  maxOutputCapBytes: 1024 * 1024,
  minTimeoutSec: 1,
  maxTimeoutSec: 24 * 3600,
  defaultTimeoutSec: 300,
  minExpirySec: 60,
  maxExpirySec: 30 * 24 * 3600,
  defaultExpirySec: 24 * 3600,
  maxDevicesPerLaunch: 10_000,
  maxParameterValueBytes: 32 * 1024,
} as const;
