export {
  appendAudit, appendAuditMany, auditChainSql, auditHeadJson, auditLock, chainAudit, isStaleAuditHead, parseAuditHead, readAuditHead, type AuditHead, type AuditInput,
} from './append';
export { auditSignerOf } from './checkpoint';
export { checkpointMessage, registerAuditSigner } from './checkpoint';
export { listAudit, type ListAuditInput } from './list';
export { listCheckpoints, type ListCheckpointsInput } from './list-checkpoints';
export { verifyAudit } from './verify';
