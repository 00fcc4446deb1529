/** @module Self-service fixes: what a device offers its users, running one, and the console's view of their use. */
export { listSelfServiceFixes } from './fixes';
export { deviceUserPrincipal, runSelfService, type RunSelfServiceInput } from './run';
export { selfServiceUsage } from './usage';
