import { helpSuite } from '../testing/help-suite';

helpSuite('postgres');
