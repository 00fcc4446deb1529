import { campaignTriggersSuite } from '../testing/campaign-triggers-suite';

campaignTriggersSuite('postgres');
