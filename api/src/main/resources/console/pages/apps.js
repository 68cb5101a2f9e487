// Apps: what each runs where, their releases, pushing a bundle and starting a deploy.
import { api, can, seg } from '../api.js';
import { badge, button, bytes, fill, h, link, showError, table, when } from '../dom.js';
import { every } from '../live.js';

export async function render(main, route) {
  if (route.parts.length > 0) return app(main, route.parts[0], route.signal);
  return list(main, route.signal);
}

function running(current) {
  if (!current || current.length === 0) return h('span', { class: 'muted' }, 'nowhere');
  return current.map((c) => h('span', { class: 'pill' }, `${c.host} ${c.version ?? '–'}`));
}

async function list(main, signal) {
  const rows = h('div');
  fill(
    main,
    h('h1', {}, 'Apps'),
    rows,
    can('deployer') ? pushForm(null, (pushed) => (location.hash = `#/apps/${seg(pushed.app)}`)) : null,
  );
  await every(5000, signal, async () => {
    const apps = await api('/v1/apps', { signal });
    fill(
      rows,
      table(
        ['App', 'Running', 'Releases', 'Newest'],
        apps.map((a) => [
          link(`#/apps/${seg(a.name)}`, a.name),
          running(a.current),
          a.releases.length,
          a.releases[0] ? `${a.releases[0].version} (${when(a.releases[0].createdAt)})` : '–',
        ]),
        'No app yet: push a bundle (cast push DIR --version V, or the form below).',
      ),
    );
  });
}

/** Pushes a .tar.gz bundle by file upload: the body of POST /v1/apps/{app}/releases. */
function pushForm(app, done) {
  const name = app
    ? null
    : h('input', { name: 'app', required: true, placeholder: 'hello', pattern: '[a-z0-9][a-z0-9-]*' });
  const file = h('input', { type: 'file', name: 'bundle', accept: '.tar.gz,.tgz,application/gzip', required: true });
  const result = h('span', { class: 'muted', 'data-testid': 'push-result' });
  const form = h(
    'form',
    { class: 'card inline', id: 'push' },
    h('h2', {}, 'Push a release'),
    name ? h('label', {}, 'App ', name) : null,
    h('label', {}, 'Bundle (.tar.gz) ', file),
    h('button', { type: 'submit' }, 'Push'),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = app ?? name.value.trim();
    const chosen = file.files[0];
    if (!chosen) return;
    result.textContent = `pushing ${chosen.name}…`;
    try {
      const pushed = await api(`/v1/apps/${seg(target)}/releases`, {
        method: 'POST',
        body: chosen,
        type: 'application/gzip',
      });
      result.textContent = `pushed ${pushed.app} ${pushed.version} (${bytes(pushed.size)})`;
      form.reset();
      done(pushed);
    } catch (e) {
      result.textContent = '';
      showError(e);
    }
  });
  return form;
}

/** Starts a deploy: version, canary hosts, promote manual or auto, hosts at once, reason. */
function deployForm(app, versions) {
  const version = h('select', { name: 'version', required: true });
  const canary = h('input', { type: 'number', name: 'canary', min: 0, value: 0 });
  const promote = h(
    'select',
    { name: 'promote' },
    h('option', { value: 'auto' }, 'auto'),
    h('option', { value: 'manual' }, 'manual'),
  );
  const maxParallel = h('input', { type: 'number', name: 'maxParallel', min: 1, value: 1 });
  const reason = h('input', { name: 'reason', placeholder: 'why (optional)' });
  const form = h(
    'form',
    { class: 'card inline', id: 'deploy' },
    h('h2', {}, 'Deploy'),
    h('label', {}, 'Version ', version),
    h('label', {}, 'Canary hosts ', canary),
    h('label', {}, 'Promote ', promote),
    h('label', {}, 'Hosts at once ', maxParallel),
    h('label', {}, 'Reason ', reason),
    h('button', { type: 'submit', class: 'primary' }, 'Deploy'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      version: version.value,
      strategy: {
        canary: Number(canary.value || 0),
        promote: promote.value,
        maxParallel: Number(maxParallel.value || 1),
      },
    };
    if (reason.value.trim()) body.reason = reason.value.trim();
    try {
      const started = await api(`/v1/apps/${seg(app)}/deployments`, { method: 'POST', json: body });
      location.hash = `#/deployments/${seg(started.id)}`;
    } catch (e) {
      showError(e);
    }
  });
  form.setVersions = (list) => {
    const chosen = version.value;
    fill(version, list.map((v) => h('option', { value: v }, v)));
    if (list.includes(chosen)) version.value = chosen;
  };
  form.setVersions(versions);
  return form;
}

async function app(main, name, signal) {
  const current = h('div');
  const releases = h('div');
  const recent = h('div');
  const deploy = can('deployer') ? deployForm(name, []) : null;
  const actions = can('deployer')
    ? h(
        'div',
        { class: 'actions' },
        button(
          'Roll back',
          async () => {
            if (!confirm(`Roll every host of ${name} back to its previous release?`)) return;
            const started = await api(`/v1/apps/${seg(name)}/rollback`, { method: 'POST', json: {} });
            location.hash = `#/deployments/${seg(started.id)}`;
          },
          { 'data-action': 'rollback' },
        ),
      )
    : null;
  let refresh = async () => {};
  fill(
    main,
    h('h1', {}, link('#/apps', 'Apps'), ' / ', name),
    actions,
    h('section', {}, h('h2', {}, 'Where it runs'), current),
    deploy,
    h('section', {}, h('h2', {}, 'Releases'), releases),
    can('deployer') ? pushForm(name, () => refresh()) : null,
    h(
      'section',
      {},
      h('h2', {}, 'Deployments ', link(`#/deployments?app=${seg(name)}`, 'all')),
      recent,
    ),
  );
  refresh = async () => {
    const [view, deployments] = await Promise.all([
      api(`/v1/apps/${seg(name)}`, { signal }),
      api(`/v1/apps/${seg(name)}/deployments`, { signal }),
    ]);
    fill(
      current,
      table(
        ['Host', 'Version', 'Previous'],
        view.current.map((c) => [c.host, c.version ?? '–', c.previousVersion ?? '–']),
        'Not deployed to any host.',
      ),
    );
    fill(
      releases,
      table(
        ['Version', 'Size', 'Services', 'Pushed', 'By'],
        view.releases.map((r) => [
          r.version,
          bytes(r.size),
          r.services.map((s) => link(`#/services/${seg(name)}/${seg(s)}`, s)),
          when(r.createdAt),
          r.pushedBy ?? '–',
        ]),
      ),
    );
    deploy?.setVersions(view.releases.map((r) => r.version));
    fill(
      recent,
      table(
        ['Deployment', 'Kind', 'Version', 'State', 'Started'],
        deployments.slice(0, 10).map((d) => [
          link(`#/deployments/${seg(d.id)}`, d.id),
          d.kind,
          d.version ?? '–',
          badge(d.state),
          when(d.startedAt),
        ]),
      ),
    );
  };
  await every(3000, signal, refresh);
}
