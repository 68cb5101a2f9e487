// The registry: a key/value browser and editor over Consul's KV API (the list is a blocking
// query, so it changes as soon as a key does), and the catalog of services with their health.
import { api, can, seg } from '../api.js';
import { badge, button, fill, h, link, showError, table } from '../dom.js';
import { every } from '../live.js';

export async function render(main, route) {
  const tab = route.query.get('tab') === 'catalog' ? 'catalog' : 'kv';
  const tabs = h(
    'nav',
    { class: 'tabs' },
    h('a', { href: '#/registry', class: tab === 'kv' ? 'active' : null }, 'Key/value'),
    h('a', { href: '#/registry?tab=catalog', class: tab === 'catalog' ? 'active' : null }, 'Catalog'),
  );
  const body = h('div');
  fill(main, h('h1', {}, 'Registry'), tabs, body);
  if (tab === 'catalog') return catalog(body, route.signal);
  return kv(body, route.query.get('prefix') ?? '', route.query.get('key'), route.signal);
}

const keyPath = (key) => key.split('/').map(seg).join('/');

function decode(base64) {
  if (base64 === null || base64 === undefined) return '';
  const raw = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
}

async function kv(body, prefix, key, signal) {
  const crumbs = [link('#/registry', '(root)')];
  let at = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    at += `${part}/`;
    crumbs.push(' / ', link(`#/registry?prefix=${seg(at)}`, part));
  }
  const list = h('div', { class: 'keys' });
  const editor = h('div', { class: 'editor' });
  fill(body, h('p', { class: 'crumbs' }, crumbs), h('div', { class: 'split' }, list, editor));
  edit(editor, key, prefix);
  // A blocking query: the answer comes when a key under the prefix changes (or after 5 minutes).
  let index = 0;
  await every(0, signal, async () => {
    let keys = [];
    try {
      const response = await api(
        `/v1/kv/${keyPath(prefix)}?keys&separator=/&index=${index}&wait=5m`,
        { raw: true, signal },
      );
      index = Number(response.headers.get('X-Consul-Index') ?? 0);
      keys = await response.json();
    } catch (e) {
      if (e.status !== 404) throw e;
      index = Number(e.headers?.get('X-Consul-Index') ?? 0);
      if (!index) await new Promise((r) => setTimeout(r, 2000));
    }
    fill(
      list,
      table(
        ['Key'],
        keys.map((k) => [
          k.endsWith('/')
            ? link(`#/registry?prefix=${seg(k)}`, `${k.slice(prefix.length)}`)
            : link(`#/registry?prefix=${seg(prefix)}&key=${seg(k)}`, k.slice(prefix.length)),
        ]),
        'No key under this prefix.',
      ),
    );
  });
}

/** Shows one key; a deployer edits it (compare-and-set on its ModifyIndex) or deletes it. */
async function edit(editor, key, prefix) {
  const writer = can('deployer');
  if (!key) {
    if (!writer) {
      fill(editor, h('p', { class: 'muted' }, 'Pick a key to see its value.'));
      return;
    }
    const name = h('input', { name: 'key', required: true, value: prefix, placeholder: 'config/app/key' });
    const value = h('textarea', { name: 'value', rows: 8 });
    const form = h(
      'form',
      { class: 'card' },
      h('h2', {}, 'New key'),
      h('label', {}, 'Key ', name),
      h('label', {}, 'Value', value),
      h('button', { type: 'submit', class: 'primary' }, 'Create'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api(`/v1/kv/${keyPath(name.value)}?cas=0`, { method: 'PUT', body: value.value, type: 'text/plain' });
        location.hash = `#/registry?prefix=${seg(prefix)}&key=${seg(name.value)}`;
      } catch (e) {
        showError(e);
      }
    });
    fill(editor, form);
    return;
  }
  let entry;
  try {
    [entry] = await api(`/v1/kv/${keyPath(key)}`);
  } catch (e) {
    if (e.status === 404) fill(editor, h('p', { class: 'muted' }, `${key} does not exist.`));
    else showError(e);
    return;
  }
  const value = h('textarea', { name: 'value', rows: 12, readonly: !writer }, decode(entry.Value));
  fill(
    editor,
    h(
      'div',
      { class: 'card' },
      h('h2', {}, key),
      h('p', { class: 'muted' }, `modify index ${entry.ModifyIndex}, flags ${entry.Flags}${entry.Session ? `, locked by session ${entry.Session}` : ''}`),
      value,
      writer
        ? h(
            'div',
            { class: 'actions' },
            button(
              'Save',
              async () => {
                const ok = await api(`/v1/kv/${keyPath(key)}?cas=${entry.ModifyIndex}`, {
                  method: 'PUT',
                  body: value.value,
                  type: 'text/plain',
                });
                if (ok !== true && String(ok).trim() !== 'true') {
                  throw new Error(`${key} changed since it was read; reload it before saving`);
                }
                edit(editor, key, prefix);
              },
              { class: 'primary', 'data-action': 'kv-save' },
            ),
            button(
              'Delete',
              async () => {
                if (!confirm(`Delete ${key}?`)) return;
                await api(`/v1/kv/${keyPath(key)}?cas=${entry.ModifyIndex}`, { method: 'DELETE' });
                location.hash = `#/registry?prefix=${seg(prefix)}`;
              },
              { class: 'danger', 'data-action': 'kv-delete' },
            ),
          )
        : null,
    ),
  );
}

async function catalog(body, signal) {
  const rows = h('div');
  fill(body, rows);
  await every(3000, signal, async () => {
    const services = await api('/v1/catalog/services', { signal });
    const names = Object.keys(services).sort();
    const entries = await Promise.all(names.map((n) => api(`/v1/health/service/${seg(n)}`, { signal })));
    fill(
      rows,
      table(
        ['Service', 'Tags', 'Instances'],
        names.map((n, i) => [
          n,
          (services[n] ?? []).map((t) => h('span', { class: 'pill' }, t)),
          entries[i].map((e) => {
            const checks = e.Checks ?? [];
            const worst = checks.some((c) => c.Status === 'critical')
              ? 'critical'
              : checks.some((c) => c.Status === 'warning')
                ? 'warning'
                : 'passing';
            return h('span', { class: 'pill', title: checks.map((c) => `${c.Name}: ${c.Output ?? c.Status}`).join('\n') },
              `${e.Node.Node} ${e.Service.Address || e.Node.Address}:${e.Service.Port} `, badge(worst));
          }),
        ]),
        'The catalog is empty.',
      ),
    );
  });
}
