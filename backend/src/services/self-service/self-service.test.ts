import { selfServiceSuite } from '../../testing/self-service-suite';

selfServiceSuite('pglite');
