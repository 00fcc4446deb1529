import { launchSuite } from '../../testing/launch-suite';

// The same suite on a real PostgreSQL server, where concurrent launches really run in parallel.
launchSuite('postgres');
