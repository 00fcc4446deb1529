import { executionWaitSuite } from '../testing/execution-wait-suite';

executionWaitSuite('postgres');
