/**
 * @module Maps a matched route to its screen. The campaign view and editor (with the tray client's prompt for their
 * preview) load on first use, so the rest of the console never downloads them.
 */
import type { MeT } from '../api/resources';
import { Lazy } from '../components/Lazy';
import type { RouteMatch } from '../router/routes';
import { ActionEditor } from './actions/ActionEditor';
import { ActionHistory } from './actions/ActionHistory';
import { ActionImport } from './actions/ActionImport';
import { ActionLibrary } from './actions/ActionLibrary';
import { ApprovalsScreen } from './actions/ApprovalsScreen';
import { TokensScreen } from './account/TokensScreen';
import { ApiClientsScreen } from './admin/ApiClientsScreen';
import { AuditScreen } from './admin/AuditScreen';
import { EnrollmentTokensScreen } from './admin/EnrollmentTokensScreen';
import { AgentUpdatesScreen } from './admin/AgentUpdatesScreen';
import { RoleEditor } from './admin/RoleEditor';
import { RolesScreen } from './admin/RolesScreen';
import { UsersScreen } from './admin/UsersScreen';
import { WebhookDetail } from './admin/WebhookDetail';
import { WebhooksScreen } from './admin/WebhooksScreen';
import { DetectionsScreen } from './automation/DetectionsScreen';
import { DetectionView } from './automation/DetectionView';
import { ScheduleView } from './automation/ScheduleView';
import { SchedulesScreen } from './automation/SchedulesScreen';
import { CampaignsScreen } from './campaigns/CampaignsScreen';
import { DeviceView } from './devices/DeviceView';
import { DevicesScreen } from './devices/DevicesScreen';
import { SavedQueriesScreen } from './devices/SavedQueriesScreen';
import { HelpRequestsScreen } from './help/HelpRequestsScreen';
import { ExecutionDetail } from './executions/ExecutionDetail';
import { ExecutionsScreen } from './executions/ExecutionsScreen';
import { RequestProgress } from './executions/RequestProgress';

// Campaign screens carry the campaign schemas and, for their preview, the tray client's elements: loaded on first use.
const loadCampaignEditor = () => import('./campaigns/CampaignEditor').then((m) => m.CampaignEditor);
const loadCampaignView = () => import('./campaigns/CampaignView').then((m) => m.CampaignView);

export function renderScreen({ route, params }: RouteMatch, me: MeT) {
  switch (route.name) {
    case 'login':
    case 'home':
      return null;
    case 'actions':
      return <ActionLibrary me={me} />;
    case 'action-new':
      return <ActionEditor me={me} slug={null} />;
    case 'action':
      return <ActionEditor me={me} slug={params.slug!} key={params.slug} />;
    case 'action-import':
      return <ActionImport />;
    case 'approvals':
      return <ApprovalsScreen me={me} />;
    case 'action-history':
      return <ActionHistory me={me} slug={params.slug!} key={params.slug} />;
    case 'devices':
      return <DevicesScreen me={me} />;
    case 'device':
      return <DeviceView me={me} id={params.id!} key={params.id} />;
    case 'help-requests':
      return <HelpRequestsScreen />;
    case 'saved-queries':
      return <SavedQueriesScreen me={me} />;
    case 'executions':
      return <ExecutionsScreen />;
    case 'execution':
      return <ExecutionDetail me={me} id={params.id!} key={params.id} />;
    case 'request':
      return <RequestProgress me={me} id={params.id!} key={params.id} />;
    case 'campaigns':
      return <CampaignsScreen me={me} />;
    case 'campaign-new':
      return <Lazy load={loadCampaignEditor} props={{ id: null }} label="Opening the campaign editor…" />;
    case 'campaign':
      return <Lazy load={loadCampaignView} props={{ me, id: params.id! }} key={params.id} />;
    case 'campaign-edit':
      return <Lazy load={loadCampaignEditor} props={{ id: params.id! }} label="Opening the campaign editor…" key={params.id} />;
    case 'schedules':
      return <SchedulesScreen me={me} />;
    case 'schedule-new':
      return <ScheduleView me={me} id={null} />;
    case 'schedule':
      return <ScheduleView me={me} id={params.id!} key={params.id} />;
    case 'detections':
      return <DetectionsScreen me={me} />;
    case 'detection-new':
      return <DetectionView me={me} id={null} />;
    case 'detection':
      return <DetectionView me={me} id={params.id!} key={params.id} />;
    case 'users':
      return <UsersScreen me={me} />;
    case 'roles':
      return <RolesScreen />;
    case 'role-new':
      return <RoleEditor name={null} />;
    case 'role':
      return <RoleEditor name={params.name!} key={params.name} />;
    case 'api-clients':
      return <ApiClientsScreen />;
    case 'agent-updates':
      return <AgentUpdatesScreen me={me} />;
    case 'enrollment-tokens':
      return <EnrollmentTokensScreen />;
    case 'webhooks':
      return <WebhooksScreen />;
    case 'webhook':
      return <WebhookDetail id={params.id!} key={params.id} />;
    case 'audit':
      return <AuditScreen />;
    case 'tokens':
      return <TokensScreen me={me} />;
  }
}
