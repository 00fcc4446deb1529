import { scheduleTimingSuite } from '../testing/schedule-timing-suite';

scheduleTimingSuite('postgres');
