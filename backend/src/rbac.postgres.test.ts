import { editImpliesRunSuite } from './testing/edit-implies-run-suite';

editImpliesRunSuite('postgres');
