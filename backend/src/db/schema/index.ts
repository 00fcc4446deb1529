/** @module The one pg-core schema, served by PGlite and PostgreSQL alike. */
export * from './identity';
export * from './actions';
export * from './devices';
export * from './executions';
export * from './audit';
export * from './webhooks';
export * from './campaigns';
export * from './schedules';
export * from './detections';
export * from './presence';
export * from './owner';
export * from './agent-releases';
export * from './help';
