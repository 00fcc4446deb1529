import { rolloutEventsSuite } from '../../testing/rollout-events-suite';
import { rolloutSuite } from '../../testing/rollout-suite';

// The same suites on a real PostgreSQL server, where the two instances of the last tests hold their own connections.
rolloutSuite('postgres');
rolloutEventsSuite('postgres');
