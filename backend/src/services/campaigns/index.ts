/** @module Campaigns: versioned question flows sent to users through the tray client, their requests, responses and results. */
export { toCampaign, toCampaignRequest, toCampaignResponse, toCampaignVersion, toCampaignWithVersion } from './convert';
export { toCsv } from './csv';
export { deviceCampaignStatus, pendingCampaignRequests, startDeviceCampaign, type DeviceCampaignStatus, type StartDeviceCampaignInput } from './device';
export { expireCampaignRequests, expireDueRequests, startCampaignSweeper, type CampaignSweeper } from './expire';
export { deleteCampaign, publishCampaign, republishCampaign, retireCampaign, type LifecycleInput } from './lifecycle';
export { previewCampaign, previewDefinition, type PreviewOptions } from './preview';
export { getCampaign, getCampaignVersion, listCampaigns, listCampaignVersions, type ListCampaignsInput } from './read';
export { listCampaignRequests, type ListRequestsInput } from './requests';
export { recordResponse, type RecordResponseInput } from './respond';
export { listDeviceResponses, type ListDeviceResponsesInput } from './device-responses';
export { exportResponses, listResponses, type ExportedResponses, type ListResponsesInput } from './responses';
export { campaignResults } from './results';
export { triggerCampaign, type TriggerCampaignInput } from './trigger';
export { createCampaign, updateCampaign, type CreateCampaignInput, type UpdateCampaignInput } from './write';
export { createCampaignSchedule, deleteCampaignSchedule, listCampaignSchedules } from './schedules';
export { runCampaignSchedules } from './schedule-runner';
