/**
 * @module The ticket pages the browser tests open: the adapters' saved fixtures, served on 127.0.0.1 by a small HTTP
 * server under paths each adapter recognises. A page first loads as an empty shell; the test then renders the ticket
 * into it, the way single-page ticketing tools render late.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Settings } from '../utils/settings';

const fixtures = new URL('../utils/adapters/__fixtures__/', import.meta.url);

/** The one device the tests enroll; every fixture is served naming it. */
export const deviceName = 'LT-ABEL-0042';

export interface TicketPage {
  /** The adapter that reads it, which is also the launch's `externalSource`. */
  adapter: string;
  file: string;
  /** Path and query on the fixture server. */
  path: string;
  ticketId: string;
  /** Device names in the fixture that are served as `deviceName` (unset: served as saved). */
  rename?: string[];
  /** Other text replaced before serving (applied after `rename`). */
  replace?: [string, string][];
  /** Selector (it may cross shadow roots) of the comment box the agent sees; a summary must land there only. */
  commentBox?: string;
}

export const ticketPages: TicketPage[] = [
  {
    adapter: 'servicenow', file: 'servicenow.html', path: '/incident.do?sys_id=a83820b58f723300e7e16c7827bdeed2', ticketId: 'INC0010023',
    commentBox: '#activity-stream-comments-textarea',
  },
  {
    adapter: 'servicenow-workspace', file: 'servicenow-workspace.html', path: '/now/sow/record/incident/a83820b58f723300e7e16c7827bdeed2',
    ticketId: 'INC0010023', commentBox: 'sn-canvas-screen:not([style*="none"]) textarea[aria-label="Work notes"]',
  },
  { adapter: 'jira', file: 'jira.html', path: '/browse/ITSM-42', ticketId: 'ITSM-42', commentBox: '.ProseMirror[aria-label="Add internal note"]' },
  {
    adapter: 'zendesk', file: 'zendesk.html', path: '/agent/tickets/4711', ticketId: '#4711', rename: ['PC-FIN-0107'],
    commentBox: 'div.workspace:not([style*="none"]) [data-test-id="omnicomposer-rich-text-ckeditor"]',
  },
  { adapter: 'freshservice', file: 'freshservice.html', path: '/a/tickets/318', ticketId: 'INC-318', rename: ['LT-JANE-0019'], commentBox: '.conversation-editor .fr-element' },
  { adapter: 'generic:acme', file: 'generic.html', path: '/tickets/HD-20931', ticketId: 'HD-20931', rename: ['WS-PAR-3381'] },
];

/**
 * A Zendesk ticket about a device nobody enrolled, for the tests that try to act beyond the page. A background tab
 * of the same workspace names the enrolled device, so reading the wrong tab would find it.
 */
export const strangerTicket: TicketPage = {
  adapter: 'zendesk', file: 'zendesk.html', path: '/agent/tickets/4712', ticketId: '#4712', replace: [['#4711', '#4712']],
};

/**
 * ServiceNow's Next Experience shell around the classic form: the form loads in the `gsft_main` frame (the classic
 * page above, served as a shell), and the test renders the ticket inside that frame.
 */
export const polarisTicket: TicketPage = {
  adapter: 'servicenow', file: 'servicenow-polaris.html', path: '/now/nav/ui/classic/params/target/incident.do', ticketId: 'INC0010023',
  commentBox: '#activity-stream-comments-textarea',
};

/** Devices enrolled next to the agent's (they stay offline): a background ticket's device, and two near-identical names. */
export const otherDevices = ['PC-HR-0031', 'LAPTOP-01', 'laptop-01.corp.example'] as const;

/** A Jira ticket whose device name matches two inventory devices: a short name and an FQDN. */
export const ambiguousTicket: TicketPage = {
  adapter: 'jira', file: 'jira.html', path: '/browse/ITSM-77', ticketId: 'ITSM-77', replace: [['LT-ABEL-0042', 'LAPTOP-01'], ['ITSM-42', 'ITSM-77']],
};

function fixtureHtml(page: TicketPage): string {
  let html = readFileSync(new URL(page.file, fixtures), 'utf8');
  for (const name of page.rename ?? []) html = html.replaceAll(name, deviceName);
  for (const [from, to] of page.replace ?? []) html = html.replaceAll(from, to);
  return html;
}

const bodyPattern = /(<body[^>]*>)([\s\S]*)(<\/body>)/;

/** The ticket's body markup, rendered into the shell by the test (declarative shadow roots included). */
export function ticketBody(page: TicketPage): string {
  return bodyPattern.exec(fixtureHtml(page))![2]!;
}

/** What the shell's body holds before the ticket renders: a loading note. */
export const shellBody = '<p id="fixture-loading">Loading the ticket…</p>';

/** The page as first served: the fixture's head and body element, with a loading note instead of the ticket. */
function shellHtml(page: TicketPage): string {
  return fixtureHtml(page).replace(bodyPattern, `$1${shellBody}$3`);
}

export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

/** Serves every ticket page's shell on 127.0.0.1 (port chosen by the system). */
export async function startFixtureServer(): Promise<FixtureServer> {
  const pages = [...ticketPages, strangerTicket, ambiguousTicket, polarisTicket];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const page = pages.find((p) => new URL(p.path, 'http://127.0.0.1').pathname === path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(shellHtml(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The sites as a user would configure them for these pages. Match patterns ignore ports, so the tools share
 * 127.0.0.1 and are told apart by path, the way a self-hosted instance is added as an extra pattern.
 */
export function e2eSites(): Settings['sites'] {
  const site = (patterns: string[]) => ({ enabled: true, patterns, deviceFieldLabels: [] });
  return {
    builtin: {
      servicenow: site(['http://127.0.0.1/incident.do*', 'http://127.0.0.1/now/*']),
      jira: site(['http://127.0.0.1/browse/*']),
      zendesk: site(['http://127.0.0.1/agent/*']),
      freshservice: site(['http://127.0.0.1/a/*']),
    },
    generic: [
      {
        id: 'acme', label: 'Acme Helpdesk', pattern: 'http://127.0.0.1/tickets/*',
        deviceSelector: '.machine', userSelector: '.opened-by', ticketSelector: '.ticket-ref', commentSelector: '#reply-body',
      },
    ],
  };
}
