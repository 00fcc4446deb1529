import { webhookEventsSuite } from '../../testing/webhook-events-suite';

webhookEventsSuite('postgres');
