import { rolloutEventsSuite } from '../../testing/rollout-events-suite';
import { rolloutSuite } from '../../testing/rollout-suite';

rolloutSuite('pglite');
rolloutEventsSuite('pglite');
