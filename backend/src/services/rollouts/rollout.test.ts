import { rolloutSuite } from '../../testing/rollout-suite';

rolloutSuite('pglite');
