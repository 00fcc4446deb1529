import { retentionSuite } from '../../testing/retention-suite';

retentionSuite('postgres');
