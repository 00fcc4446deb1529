import { categoriesSuite } from '../testing/categories-suite';

categoriesSuite('pglite');
