import type { CampaignStatus } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import { campaignsApi } from '../../api/campaigns';
import type { MeT } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { location, setSearchParams } from '../../stores/router';
import { CampaignStatusBadge } from './CampaignStatusBadge';

export interface CampaignsScreenProps {
  me: MeT;
}

/** Campaigns: questions the tray client asks users, with their lifecycle state and versions. */
export function CampaignsScreen({ me }: CampaignsScreenProps) {
  const search = location.value.search;
  const q = search.get('q') ?? '';
  const status = (search.get('status') ?? '') as CampaignStatus | '';
  const [text, setText] = useState(q);
  useEffect(() => {
    if (text === q) return;
    const timer = setTimeout(() => setSearchParams({ q: text.trim() || undefined }), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const list = useLoad(() => campaignsApi.list({ q: q || undefined, status: status || undefined }), [q, status]);
  const canEdit = hasPermission(me, 'campaigns:edit');
  return (
    <>
      <PageHeader title="Campaigns" description="Questions and messages the tray client shows the people using devices; answers come back as responses.">
        {canEdit ? (
          <Link class="button primary" href={pathFor('campaign-new')}>
            New campaign
          </Link>
        ) : null}
      </PageHeader>
      <form class="filters" role="search" aria-label="Filter campaigns" onSubmit={(e) => (e.preventDefault(), setSearchParams({ q: text.trim() || undefined }))}>
        <TextField label="Search" type="search" placeholder="Name or slug" value={text} onInput={setText} />
        <SelectField
          label="State"
          value={status}
          options={[{ value: '', label: 'Any state' }, { value: 'draft', label: 'Draft' }, { value: 'published', label: 'Published' }, { value: 'retired', label: 'Retired' }]}
          onChange={(v) => setSearchParams({ status: v || undefined })}
        />
      </form>
      <ErrorMessage error={list.error} title="Could not load the campaigns" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        q || status ? (
          <EmptyState title="No matching campaigns">
            <p>Nothing matches these filters. Try another search, or clear the filters.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No campaigns yet">
            {canEdit ? (
              <p>
                A campaign asks users questions (choices, scales, NPS, free text) with branching, in their language. <Link href={pathFor('campaign-new')}>Create the first campaign</Link>, see it in the live preview, then publish it and send it to devices or users.
              </p>
            ) : (
              <p>Campaign authors create campaigns here; once one is published, you can send it to devices and users.</p>
            )}
          </EmptyState>
        )
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Campaigns ({list.data.total})</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Versions</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={pathFor('campaign', { id: c.slug })}>{c.name}</Link>
                  <div class="muted small">
                    <code>{c.slug}</code>
                    {c.description ? ` · ${c.description}` : ''}
                  </div>
                </td>
                <td>
                  <CampaignStatusBadge status={c.status} />
                </td>
                <td>
                  v{c.latestVersion}
                  {c.publishedVersion !== null && c.publishedVersion !== c.latestVersion ? <span class="muted small"> (v{c.publishedVersion} published)</span> : null}
                </td>
                <td>{formatDateTime(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
