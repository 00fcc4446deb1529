import { executionEnvelopesSuite } from '../../testing/execution-envelopes-suite';

executionEnvelopesSuite('postgres');
