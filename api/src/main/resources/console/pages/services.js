// Services: each app's services and their state on every host; restart; a host's log, followed
// live (the same stream as `cast logs -f`: GET …/logs?follow=true, read as it arrives).
import { api, can, seg } from '../api.js';
import { badge, button, fill, h, link, table, when } from '../dom.js';
import { every } from '../live.js';

const MAX_LINES = 2000;

export async function render(main, route) {
  if (route.parts.length >= 2) return service(main, route.parts[0], route.parts[1], route);
  return overview(main, route.signal);
}

async function overview(main, signal) {
  const rows = h('div');
  fill(main, h('h1', {}, 'Services'), rows);
  await every(5000, signal, async () => {
    const apps = await api('/v1/apps', { signal });
    const pairs = apps.flatMap((a) =>
      [...new Set(a.releases.flatMap((r) => r.services))].sort().map((s) => [a.name, s]),
    );
    const views = await Promise.all(
      pairs.map(([a, s]) =>
        api(`/v1/apps/${seg(a)}/services/${seg(s)}`, { signal }).catch((e) => {
          if (e.status === 404) return { hosts: [] };
          throw e;
        }),
      ),
    );
    fill(
      rows,
      table(
        ['App', 'Service', 'Hosts'],
        pairs.map(([a, s], i) => [
          link(`#/apps/${seg(a)}`, a),
          link(`#/services/${seg(a)}/${seg(s)}`, s),
          views[i].hosts.length === 0
            ? h('span', { class: 'muted' }, 'on no host')
            : views[i].hosts.map((x) => h('span', { class: 'pill' }, `${x.host} `, badge(x.state))),
        ]),
        'No service yet: push and deploy an app.',
      ),
    );
  });
}

function uptime(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const d = Math.floor(seconds / 86400);
  const hms = new Date((seconds % 86400) * 1000).toISOString().slice(11, 19);
  return d > 0 ? `${d}d ${hms}` : hms;
}

async function service(main, app, name, route) {
  const { signal } = route;
  const base = `/v1/apps/${seg(app)}/services/${seg(name)}`;
  const rows = h('div');
  const started = h('span', { class: 'muted' });
  const actions = can('deployer')
    ? h(
        'div',
        { class: 'actions' },
        button(
          'Restart',
          async () => {
            const d = await api(`${base}/restart`, { method: 'POST', json: {} });
            fill(started, 'restart ', link(`#/deployments/${seg(d.id)}`, d.id), ' started');
          },
          { 'data-action': 'restart', title: 'restart on every host, one batch at a time' },
        ),
        started,
      )
    : null;
  const logs = h('section', {}, h('h2', {}, 'Log'));
  fill(
    main,
    h('h1', {}, link('#/services', 'Services'), ' / ', link(`#/apps/${seg(app)}`, app), ' / ', name),
    actions,
    rows,
    logs,
  );
  let hostPicker = null;
  const refresh = async () => {
    const view = await api(base, { signal });
    fill(
      rows,
      table(
        ['Host', 'Version', 'State', 'Pid', 'Up', 'Restarts', 'Health', 'Check said', 'Reported'],
        view.hosts.map((x) => [
          x.host,
          x.version ?? '–',
          [badge(x.state), x.enabled ? null : [' ', badge('disabled')]],
          x.pid ?? '–',
          uptime(x.uptimeSeconds),
          x.restarts,
          badge(x.health),
          h('span', { class: 'output' }, x.healthOutput ?? ''),
          when(x.reportedAt),
        ]),
      ),
    );
    if (!hostPicker) hostPicker = logView(logs, base, view.hosts.map((x) => x.host), route);
  };
  await every(3000, signal, refresh);
}

/** The log of one host, its last lines and then new ones as the service prints them. */
function logView(section, base, hosts, route) {
  if (!can('deployer')) {
    section.append(h('p', { class: 'muted' }, 'Logs need a deployer token.'));
    return true;
  }
  const host = h('select', { name: 'host' }, hosts.map((x) => h('option', { value: x }, x)));
  const preferred = route.query.get('host');
  if (preferred && hosts.includes(preferred)) host.value = preferred;
  const follow = h('input', { type: 'checkbox', name: 'follow', checked: true });
  const status = h('span', { class: 'muted', id: 'log-status' });
  const out = h('pre', { class: 'log', id: 'log' });
  section.append(
    h('div', { class: 'filters' }, h('label', {}, 'Host ', host), h('label', {}, follow, ' follow'), status),
    out,
  );
  let stop = new AbortController();
  route.signal.addEventListener('abort', () => stop.abort());
  const open = async () => {
    stop.abort();
    stop = new AbortController();
    const mine = stop.signal;
    out.textContent = '';
    status.textContent = follow.checked ? 'following…' : '';
    const q = new URLSearchParams({ host: host.value, tail: '200', follow: String(follow.checked) });
    try {
      const response = await api(`${base}/logs?${q}`, { raw: true, signal: mine });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const atBottom = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
        out.append(value);
        trim(out);
        if (atBottom) out.scrollTop = out.scrollHeight;
      }
      status.textContent = follow.checked ? 'the log stream ended' : '';
    } catch (e) {
      if (mine.aborted) return;
      status.textContent = e.line ? e.line() : `the log stream broke: ${e.message}`;
    }
  };
  host.addEventListener('change', open);
  follow.addEventListener('change', open);
  open();
  return true;
}

/** Keeps the last MAX_LINES lines, so a chatty service cannot fill the tab's memory. */
function trim(pre) {
  const text = pre.textContent;
  let lines = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text.charCodeAt(i) === 10 && ++lines > MAX_LINES) {
      pre.textContent = text.slice(i + 1);
      return;
    }
  }
}
