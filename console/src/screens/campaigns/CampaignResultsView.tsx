import { campaignRequestStatuses } from '@fixpoint/protocol';
import { campaignsApi, type CampaignWithVersion } from '../../api/campaigns';
import { BarChart, NpsScore } from '../../components/BarChart';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { useLoad } from '../../components/use-load';
import { questionCharts, stateRows } from '../../lib/campaign-results';
import { barRows } from '../../lib/charts';

export interface CampaignResultsViewProps {
  campaign: CampaignWithVersion;
}

const requestLabels: Record<string, string> = { pending: 'Waiting', answered: 'Answered', expired: 'Expired', canceled: 'Canceled' };

/** Results of every version so far: requests, how prompts ended, and the answers per question of the latest version. */
export function CampaignResultsView({ campaign }: CampaignResultsViewProps) {
  const results = useLoad(() => campaignsApi.results(campaign.slug), [campaign.slug, campaign.latestVersion]);
  const r = results.data;
  return (
    <section class="panel" aria-labelledby="results-title">
      <div class="preview-head">
        <h2 id="results-title">Results</h2>
        <span class="row">
          <a class="button small" href={campaignsApi.exportUrl(campaign.slug, 'csv')} download>
            Export CSV
          </a>
          <a class="button small" href={campaignsApi.exportUrl(campaign.slug, 'json')} download>
            Export JSON
          </a>
        </span>
      </div>
      <ErrorMessage error={results.error} title="Could not load the results" />
      {results.loading && !r ? <Loading /> : null}
      {r && r.requests.total === 0 ? (
        <p class="muted">Nobody has been asked yet. {campaign.status === 'published' ? 'Send the campaign to devices or users to collect answers.' : 'Publish it, then send it.'}</p>
      ) : null}
      {r && r.requests.total > 0 ? (
        <>
          <div class="grid-2 charts">
            <BarChart
              caption={`Requests (${r.requests.total})`}
              labelHeader="State"
              rows={barRows(campaignRequestStatuses.map((s) => ({ key: s, label: requestLabels[s] ?? s, count: r.requests[s] })), r.requests.total)}
            />
            <BarChart caption="How prompts ended" labelHeader="Response" rows={stateRows(r.states)} />
          </div>
          {questionCharts(campaign.current, r.questions).map((chart) => (
                <div key={chart.id} class="question-result">
                  <h3>
                    {chart.title} <span class="muted small">({chart.id})</span>
                  </h3>
                  <p class="muted small">
                    {chart.answered} {chart.answered === 1 ? 'answer' : 'answers'}
                    {chart.average !== null ? ` · average ${chart.average.toFixed(1)}` : ''}
                    {chart.type === 'multiple' ? ' · several choices per answer, so shares add up past 100 %' : ''}
                  </p>
                  {chart.nps ? <NpsScore {...chart.nps} /> : null}
                  {chart.rows.length ? (
                    <BarChart caption={`Answers to ${chart.id}`} labelHeader={chart.type === 'scale' || chart.type === 'nps' ? 'Score' : 'Answer'} rows={chart.rows} />
                  ) : chart.type === 'text' ? (
                    <p class="small">Free-text answers are in the export.</p>
                  ) : null}
                </div>
              ))}
        </>
      ) : null}
    </section>
  );
}
