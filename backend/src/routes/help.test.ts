import { helpSuite } from '../testing/help-suite';

helpSuite('pglite');
