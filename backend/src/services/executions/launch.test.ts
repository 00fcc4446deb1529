import { launchSuite } from '../../testing/launch-suite';

launchSuite('pglite');
