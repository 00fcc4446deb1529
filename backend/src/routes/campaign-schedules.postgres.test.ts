import { campaignSchedulesSuite } from '../testing/campaign-schedules-suite';

campaignSchedulesSuite('postgres');
