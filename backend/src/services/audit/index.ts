export { appendAudit, appendAuditMany, auditHeadJson, auditLock, parseAuditHead, type AuditHead, type AuditInput } from './append';
export { checkpointMessage, registerAuditSigner } from './checkpoint';
export { listAudit, type ListAuditInput } from './list';
export { listCheckpoints, type ListCheckpointsInput } from './list-checkpoints';
export { verifyAudit } from './verify';
