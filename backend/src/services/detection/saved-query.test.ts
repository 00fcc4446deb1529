import { detectionSavedQuerySuite } from '../../testing/detection-saved-query-suite';

detectionSavedQuerySuite('pglite');
