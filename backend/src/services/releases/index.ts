/** @module Agent releases, their rollout in rings, and what devices report about updates. */
export { createRelease, fleetVersions, listReleases, releaseBinary, signedByUpdateKey, uploadReleaseBinary } from './releases';
export { createRollout, getRollout, listRolloutDevices, listRollouts, pauseRollout, resumeRollout } from './rollouts';
export { listUpdateReports, recordUpdateReport } from './reports';
export { startRolloutRunner, type RolloutRunner, type RolloutRunnerOptions } from './runner';
