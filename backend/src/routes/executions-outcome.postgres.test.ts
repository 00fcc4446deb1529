import { executionOutcomesSuite } from '../testing/execution-outcomes-suite';

executionOutcomesSuite('postgres');
