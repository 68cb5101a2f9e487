// Deployments: a list across apps with filters, and a live page for one deployment with the
// buttons its token's role allows.
import { api, can, seg } from '../api.js';
import { badge, button, bytes, fill, h, link, table, when } from '../dom.js';
import { every } from '../live.js';

const STATES = ['RUNNING', 'SUCCEEDED', 'ROLLED_BACK', 'FAILED', 'CANCELLED', 'INTERRUPTED'];

export async function render(main, route) {
  if (route.parts.length > 0) return detail(main, route.parts[0], route.signal);
  return list(main, route.query, route.signal);
}

async function list(main, query, signal) {
  const apps = (await api('/v1/apps', { signal })).map((a) => a.name);
  const appFilter = h(
    'select',
    { name: 'app' },
    h('option', { value: '' }, 'all apps'),
    apps.map((a) => h('option', { value: a }, a)),
  );
  const stateFilter = h(
    'select',
    { name: 'state' },
    h('option', { value: '' }, 'any state'),
    STATES.map((s) => h('option', { value: s }, s)),
  );
  appFilter.value = query.get('app') ?? '';
  stateFilter.value = query.get('state') ?? '';
  const apply = () => {
    const q = new URLSearchParams();
    if (appFilter.value) q.set('app', appFilter.value);
    if (stateFilter.value) q.set('state', stateFilter.value);
    location.hash = `#/deployments${q.size ? `?${q}` : ''}`;
  };
  appFilter.addEventListener('change', apply);
  stateFilter.addEventListener('change', apply);
  const rows = h('div');
  fill(
    main,
    h('h1', {}, 'Deployments'),
    h('div', { class: 'filters' }, h('label', {}, 'App ', appFilter), h('label', {}, 'State ', stateFilter)),
    rows,
  );
  const filters = new URLSearchParams({ limit: '200' });
  if (appFilter.value) filters.set('app', appFilter.value);
  if (stateFilter.value) filters.set('state', stateFilter.value);
  await every(3000, signal, async () => {
    // Filtered and ordered by the api, newest first.
    const all = await api(`/v1/deployments?${filters}`, { signal });
    fill(
      rows,
      table(
        ['Deployment', 'App', 'Kind', 'Version', 'State', 'Phase', 'By', 'Started', 'Ended'],
        all.slice(0, 200).map((d) => [
          link(`#/deployments/${seg(d.id)}`, d.id),
          link(`#/apps/${seg(d.app)}`, d.app),
          d.service ? `${d.kind} ${d.service}` : d.kind,
          d.version ?? '–',
          badge(d.state),
          d.phase ?? '',
          d.requestedBy ?? '–',
          when(d.startedAt),
          when(d.endedAt),
        ]),
        'No deployment matches.',
      ),
    );
  });
}

const running = (d) => d.state === 'RUNNING';

/** The buttons for a deployment in its present state, those the token's role allows. */
function actions(d, act) {
  if (!can('deployer')) return [];
  const out = [];
  const action = (name, label, attrs = {}) =>
    button(label, () => act(name), { 'data-action': name, ...attrs });
  if (running(d)) {
    out.push(
      action('promote', 'Promote', {
        class: d.phase === 'awaiting promote' ? 'primary' : null,
        disabled: d.phase !== 'awaiting promote',
        title: 'switch the remaining hosts after the canary',
      }),
    );
    if (d.phase === 'paused') out.push(action('resume', 'Resume'));
    else out.push(action('pause', 'Pause', { title: 'hold before the next batch' }));
    out.push(action('cancel', 'Cancel', { class: 'danger', title: 'stop and put every host back' }));
  } else if (d.state === 'INTERRUPTED' && !d.endedBy) {
    out.push(action('resume', 'Resume', { class: 'primary' }));
    out.push(action('revert', 'Revert'));
  } else if (d.kind === 'deploy') {
    out.push(action('rollback', 'Rollback', { title: `every host of ${d.app} to its previous release` }));
  }
  return out;
}

/** What changed between two views, as timeline lines. */
function changes(before, now) {
  const out = [];
  if (!before) return out;
  if (before.state !== now.state) out.push(`state ${now.state}${now.cause ? `: ${now.cause}` : ''}`);
  if (before.phase !== now.phase && now.phase) out.push(`phase ${now.phase}`);
  if (before.batch !== now.batch && now.batch) out.push(`batch ${now.batch} of ${now.batches}`);
  const was = new Map((before.hosts ?? []).map((x) => [x.host, x]));
  for (const host of now.hosts ?? []) {
    const old = was.get(host.host);
    if (!old || old.state !== host.state) {
      out.push(`${host.host} ${host.state}${host.message ? `: ${host.message}` : ''}`);
    }
  }
  return out;
}

async function detail(main, id, signal) {
  const head = h('div');
  const buttons = h('div', { class: 'actions', id: 'actions' });
  const facts = h('div');
  const hosts = h('div');
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  fill(
    main,
    head,
    buttons,
    facts,
    h('section', {}, h('h2', {}, 'Hosts'), hosts),
    h('section', {}, h('h2', {}, 'Timeline'), timeline),
  );
  let last = null;
  const event = (at, text) => timeline.append(h('li', {}, h('time', {}, when(at)), ' ', text));
  const draw = (d) => {
    fill(
      head,
      h(
        'h1',
        {},
        link('#/deployments', 'Deployments'),
        ' / ',
        d.id,
        ' ',
        h('span', { class: 'muted' }, `${d.kind}${d.service ? ` ${d.service}` : ''} `),
        link(`#/apps/${seg(d.app)}`, d.app),
        ` ${d.version ?? ''} `,
        badge(d.state),
      ),
    );
    fill(buttons, actions(d, act));
    const fact = (name, value) => (value === null || value === undefined || value === '' ? null : [h('dt', {}, name), h('dd', {}, value)]);
    fill(
      facts,
      h(
        'dl',
        { class: 'facts' },
        fact('Phase', d.phase ? badge(d.phase) : running(d) ? '–' : 'done'),
        fact('Batch', d.batch ? `${d.batch} of ${d.batches}` : null),
        fact('Cause', d.cause),
        fact('Requested by', d.requestedBy),
        fact('Reason', d.reason),
        fact('Started', when(d.startedAt)),
        fact('Ended', d.endedAt ? when(d.endedAt) : null),
        fact('Live view', d.liveView),
        fact('Follows', d.follows ? link(`#/deployments/${seg(d.follows)}`, d.follows) : null),
        fact('Ended by', d.endedBy ? link(`#/deployments/${seg(d.endedBy)}`, d.endedBy) : null),
        fact('Temporal', d.temporalUi ? h('a', { href: d.temporalUi, target: '_blank', rel: 'noopener noreferrer' }, 'open in the Temporal UI') : null),
      ),
    );
    fill(
      hosts,
      table(
        ['Host', 'State', 'Message'],
        (d.hosts ?? []).map((x) => [x.host, badge(x.state), fetching(d.staging?.[x.host]) ?? x.message ?? '']),
        'No host yet.',
      ),
    );
  };
  const read = async () => {
    const d = await api(`/v1/deployments/${seg(id)}`, { signal });
    if (!last) {
      event(d.startedAt, `${d.kind} ${d.app} ${d.version ?? ''} started by ${d.requestedBy ?? '–'}${d.reason ? ` (${d.reason})` : ''}`);
      if (d.phase) event(new Date().toISOString(), `phase ${d.phase}`);
    }
    for (const line of changes(last, d)) event(new Date().toISOString(), line);
    if (!running(d) && (!last || running(last))) {
      event(d.endedAt, `ended ${d.state}${d.cause ? `: ${d.cause}` : ''}`);
    }
    last = d;
    draw(d);
    return running(d);
  };
  const act = async (name) => {
    let answer;
    if (name === 'rollback') {
      answer = await api(`/v1/apps/${seg(last.app)}/rollback`, { method: 'POST', json: {} });
    } else {
      answer = await api(`/v1/deployments/${seg(id)}/${name}`, { method: 'POST', json: {} });
    }
    event(new Date().toISOString(), `${name} requested`);
    if (answer?.id && answer.id !== id) {
      location.hash = `#/deployments/${seg(answer.id)}`;
      return;
    }
    if (!running(last)) await every(1000, signal, read);
    else await read();
  };
  // While it runs, read it every second; a finished deployment does not change.
  await every(1000, signal, read);
}

/** A host's fetch of the release as its agent reports it: a bar, bytes, rate and source. */
function fetching(f) {
  if (!f) return null;
  const total = Math.max(f.totalBytes ?? 0, f.bytes ?? 0);
  return h(
    'span',
    { class: 'fetch' },
    h('progress', { max: String(total || 1), value: String(f.bytes ?? 0) }),
    ` ${bytes(f.bytes)} of ${bytes(total)} · ${bytes(f.bytesPerSecond)}/s · ${f.source ?? ''}`,
  );
}
