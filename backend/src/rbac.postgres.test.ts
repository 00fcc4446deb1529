import { automationOwnerSuite } from './testing/automation-owner-suite';
import { editImpliesRunSuite } from './testing/edit-implies-run-suite';

automationOwnerSuite('postgres');
editImpliesRunSuite('postgres');
