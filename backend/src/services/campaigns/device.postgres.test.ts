import { deviceCampaignsSuite } from '../../testing/device-campaigns-suite';

deviceCampaignsSuite('postgres');
