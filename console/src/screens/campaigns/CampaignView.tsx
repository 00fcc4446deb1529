import { campaignLanguages } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { campaignsApi, type CampaignWithVersion } from '../../api/campaigns';
import type { MeT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { definitionOf } from '../../lib/campaign-form';
import { formatDateTime, formatDuration } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';
import { navigate } from '../../stores/router';
import { CampaignPreview } from './CampaignPreview';
import { CampaignResultsView } from './CampaignResultsView';
import { CampaignSchedules } from './CampaignSchedules';
import { CampaignStatusBadge } from './CampaignStatusBadge';
import { TriggerDialog } from './TriggerDialog';
import { LabelName } from '../../components/LabelName';

export interface CampaignViewProps {
  me: MeT;
  id: string;
}

/** A campaign: its state and lifecycle, a preview of its latest version, sending it (now or by standing triggers), and its results. */
export function CampaignView({ me, id }: CampaignViewProps) {
  const loaded = useLoad(() => campaignsApi.get(id), [id]);
  const [error, setError] = useState<unknown>(null);
  const [triggering, setTriggering] = useState(false);
  const [sent, setSent] = useState(0);
  const c = loaded.data;
  if (loaded.error) return <ErrorMessage error={loaded.error} title="Could not load the campaign" />;
  if (!c) return <Loading />;
  const canEdit = hasPermission(me, 'campaigns:edit');
  const canTrigger = hasPermission(me, 'campaigns:trigger');
  const v = c.current;
  const step = (label: string, call: () => Promise<CampaignWithVersion>) => async () => {
    setError(null);
    try {
      loaded.set(await call());
      showNotice(label);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async () => {
    try {
      await campaignsApi.remove(c.slug);
      showNotice(`Campaign “${c.name}” deleted.`, 'success', pathFor('campaigns'));
      navigate(pathFor('campaigns'));
    } catch (e) {
      setError(e);
    }
  };
  const unpublished = c.status === 'published' && c.publishedVersion !== c.latestVersion;
  return (
    <>
      <PageHeader
        title={c.name}
        description={
          <>
            <CampaignStatusBadge status={c.status} /> <code>{c.slug}</code> · version {c.latestVersion}
            {c.publishedVersion !== null ? ` · published version ${c.publishedVersion}` : ''} · saved {formatDateTime(v.createdAt)} by <LabelName label={v.createdBy} />
          </>
        }
      >
        {canEdit ? (
          <Link class="button" href={pathFor('campaign-edit', { id: c.slug })}>
            Edit
          </Link>
        ) : null}
        {canEdit && c.status === 'draft' ? (
          <>
            <ConfirmButton label="Publish" small={false} danger={false} question={`Publish version ${c.latestVersion}? It can then be sent.`} onConfirm={step('Campaign published.', () => campaignsApi.publish(c.slug))} />
            <ConfirmButton label="Delete" small={false} question={`Delete the draft “${c.name}”?`} onConfirm={remove} />
          </>
        ) : null}
        {canEdit && (unpublished || c.status === 'retired') ? (
          <ConfirmButton
            label={c.status === 'retired' ? 'Publish again' : `Publish version ${c.latestVersion}`}
            small={false}
            danger={false}
            question={`Send version ${c.latestVersion} from now on?`}
            onConfirm={step('Campaign republished.', () => campaignsApi.republish(c.slug))}
          />
        ) : null}
        {canEdit && c.status === 'published' ? (
          <ConfirmButton label="Retire" small={false} question="Retire it? Nothing new is sent, and pending requests are canceled." onConfirm={step('Campaign retired.', () => campaignsApi.retire(c.slug))} />
        ) : null}
        {canTrigger && c.status === 'published' && !triggering ? (
          <button type="button" class="button primary" onClick={() => setTriggering(true)}>
            Send…
          </button>
        ) : null}
      </PageHeader>
      <ErrorMessage error={error} title="That did not work" />
      {unpublished ? <p class="alert alert-info">Version {c.latestVersion} has changes that are not published: users still get version {c.publishedVersion}.</p> : null}
      {c.warnings.length ? (
        <div class="alert alert-info">
          <ul class="error-list">
            {c.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {triggering ? <TriggerDialog campaign={c} onClose={() => setTriggering(false)} onSent={() => setSent((n) => n + 1)} /> : null}
      <div class="editor-layout">
        <div class="editor-main">
          <section class="panel" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            {c.description ? <p>{c.description}</p> : null}
            <dl class="facts">
              <div>
                <dt>Questions</dt>
                <dd>{v.questions.map((q) => `${q.id} (${q.type})`).join(', ')}</dd>
              </div>
              <div>
                <dt>Languages</dt>
                <dd>{campaignLanguages(v).join(', ')} (default {v.defaultLanguage})</dd>
              </div>
              <div>
                <dt>Urgency</dt>
                <dd>
                  {v.urgency}
                  {v.mandatory ? ', mandatory' : ''}
                  {v.allowPostpone && !v.mandatory ? `, can be postponed by ${formatDuration(v.postponeDelaySec)}` : ''}
                  {v.allowDecline && !v.mandatory ? ', can be declined' : ''}
                </dd>
              </div>
              <div>
                <dt>Expires after</dt>
                <dd>{formatDuration(v.expirySec)}</dd>
              </div>
              <div>
                <dt>Parameters</dt>
                <dd>{v.parameters.length ? v.parameters.map((p) => `${p.name}${p.required ? ' (required)' : ''}`).join(', ') : 'none'}</dd>
              </div>
            </dl>
          </section>
          {canTrigger && c.status === 'published' ? <CampaignSchedules campaign={c} /> : null}
          {canEdit ? <CampaignResultsView campaign={c} key={sent} /> : null}
        </div>
        <aside class="editor-side">
          <CampaignPreview definition={definitionOf(v)} languages={campaignLanguages(v)} parameters={v.parameters} />
        </aside>
      </div>
    </>
  );
}
