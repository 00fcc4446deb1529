import { retentionSuite } from '../../testing/retention-suite';

retentionSuite('pglite');
