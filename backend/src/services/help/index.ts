/** @module "Get help": requests users send from their tray, stored with the device's facts, listed by device scope. */
export { recordHelpRequest, screenshotUrl } from './record';
export { getHelpRequest, helpScreenshot, listHelpRequests } from './list';
