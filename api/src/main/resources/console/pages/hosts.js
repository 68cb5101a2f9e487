// Hosts: up or down, drained, labels, facts; admins drain and undrain.
import { api, can, seg } from '../api.js';
import { badge, button, bytes, fill, h, table, when } from '../dom.js';
import { every } from '../live.js';

export async function render(main, route) {
  const rows = h('div');
  fill(main, h('h1', {}, 'Hosts'), rows);
  const refresh = async () => {
    const hosts = await api('/v1/hosts', { signal: route.signal });
    const heads = ['Host', 'Address', 'State', 'Labels', 'Agent', 'Free disk', 'Last seen'];
    if (can('admin')) heads.push('');
    fill(
      rows,
      table(
        heads,
        hosts.map((x) => {
          const cells = [
            x.name,
            x.address ?? '–',
            [badge(x.state), x.drained ? [' ', badge('drained')] : null],
            Object.entries(x.labels ?? {}).map(([k, v]) => h('span', { class: 'pill' }, `${k}=${v}`)),
            x.agentVersion ?? '–',
            bytes(x.freeDiskBytes),
            when(x.lastSeenAt),
          ];
          if (can('admin')) {
            const action = x.drained ? 'undrain' : 'drain';
            cells.push(
              button(
                x.drained ? 'Undrain' : 'Drain',
                async () => {
                  await api(`/v1/hosts/${seg(x.name)}/${action}`, { method: 'POST', json: {} });
                  await refresh();
                },
                { 'data-action': action, title: x.drained ? 'take deploys again' : 'take no new deploys' },
              ),
            );
          }
          return cells;
        }),
        'No host has registered yet.',
      ),
    );
  };
  await every(5000, route.signal, refresh);
}
