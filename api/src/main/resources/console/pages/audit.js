// The audit log (admins): who did what, newest first, filtered by app and actor.
import { api } from '../api.js';
import { fill, h, table, when } from '../dom.js';
import { every } from '../live.js';

export async function render(main, route) {
  const app = h('input', { name: 'app', placeholder: 'app', value: route.query.get('app') ?? '' });
  const actor = h('input', { name: 'actor', placeholder: 'actor', value: route.query.get('actor') ?? '' });
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, 'App ', app),
    h('label', {}, 'Actor ', actor),
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    if (app.value.trim()) q.set('app', app.value.trim());
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    location.hash = `#/audit${q.size ? `?${q}` : ''}`;
  });
  const rows = h('div');
  fill(main, h('h1', {}, 'Audit log'), form, rows);
  const q = new URLSearchParams({ limit: '200' });
  if (route.query.get('app')) q.set('app', route.query.get('app'));
  if (route.query.get('actor')) q.set('actor', route.query.get('actor'));
  await every(5000, route.signal, async () => {
    const entries = await api(`/v1/audit?${q}`, { signal: route.signal });
    fill(
      rows,
      table(
        ['At', 'Actor', 'Action', 'Path', 'App', 'Status', 'Source', 'Parameters'],
        entries.map((e) => [
          when(e.at),
          e.actor,
          e.action,
          h('code', {}, e.path),
          e.app ?? '',
          e.status,
          e.source ?? '',
          e.params ? h('code', { class: 'params' }, JSON.stringify(e.params)) : '',
        ]),
        'No entry matches.',
      ),
    );
  });
}
