import { rolloutSuite } from '../../testing/rollout-suite';

// The same suite on a real PostgreSQL server, where the two instances of the last test hold their own connections.
rolloutSuite('postgres');
