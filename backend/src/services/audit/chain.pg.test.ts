import { auditChainSuite } from '../../testing/audit-suite';

auditChainSuite('postgres');
