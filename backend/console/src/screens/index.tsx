/** @module Maps a matched route to its screen. Devices and executions are routed here once their feature is on. */
import type { MeT } from '../api/resources';
import type { RouteMatch } from '../router/routes';
import { ActionEditor } from './actions/ActionEditor';
import { ActionHistory } from './actions/ActionHistory';
import { ActionImport } from './actions/ActionImport';
import { ActionLibrary } from './actions/ActionLibrary';
import { TokensScreen } from './account/TokensScreen';
import { ApiClientsScreen } from './admin/ApiClientsScreen';
import { AuditScreen } from './admin/AuditScreen';
import { RoleEditor } from './admin/RoleEditor';
import { RolesScreen } from './admin/RolesScreen';
import { UsersScreen } from './admin/UsersScreen';
import { WebhookDetail } from './admin/WebhookDetail';
import { WebhooksScreen } from './admin/WebhooksScreen';
import { ComingSoon } from './ComingSoon';

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
    case 'action-history':
      return <ActionHistory slug={params.slug!} key={params.slug} />;
    case 'devices':
    case 'device':
    case 'executions':
    case 'execution':
      return <ComingSoon title={route.title} />;
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
