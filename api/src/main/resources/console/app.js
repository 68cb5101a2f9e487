// The console's shell: login, the header, and hash routing (#/apps, #/deployments/d-…, …). Each
// page is a module with render(main, route); route.signal aborts when the user leaves the page,
// which stops its polling and its followed log.
import { api, can, login, logout, session, whenUnauthorized } from './api.js';
import { fill, h, showError } from './dom.js';
import * as apps from './pages/apps.js';
import * as audit from './pages/audit.js';
import * as deployments from './pages/deployments.js';
import * as hosts from './pages/hosts.js';
import * as registry from './pages/registry.js';
import * as services from './pages/services.js';

const PAGES = { apps, deployments, hosts, services, registry, audit };
const main = document.getElementById('main');
let leaving = new AbortController();
let loginMessage = null;

whenUnauthorized((error) => {
  logout();
  loginMessage = error.line();
  if (location.hash !== '#/login') location.hash = '#/login';
  else route();
});

function parse() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(query),
  };
}

function header() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  nav.hidden = !session.who;
  if (!session.who) {
    fill(who);
    return;
  }
  for (const a of nav.querySelectorAll('a[data-role]')) a.hidden = !can(a.dataset.role);
  const section = parse().parts[0];
  for (const a of nav.querySelectorAll('a')) {
    a.classList.toggle('active', a.dataset.section === section);
  }
  fill(
    who,
    h('span', { class: 'who-name' }, session.who.name),
    ' · ',
    h('span', { class: 'who-role', 'data-testid': 'role' }, session.who.role),
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: () => {
          logout();
          location.hash = '#/login';
        },
      },
      'Log out',
    ),
  );
}

function loginPage() {
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    placeholder: 'cast_…',
    required: true,
  });
  const message = h('p', { class: 'login-error', role: 'alert' }, loginMessage ?? '');
  loginMessage = null;
  const form = h(
    'form',
    { class: 'login', id: 'login' },
    h('h1', {}, 'Sign in to Cast'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h(
      'p',
      { class: 'muted' },
      'The first admin token is in the server’s <dataDir>/admin-token; admins make more with ',
      h('code', {}, 'cast tokens create'),
      '. It is kept in this tab only.',
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await login(input.value);
      location.hash = '#/apps';
    } catch (e) {
      message.textContent = e.line ? e.line() : String(e);
    }
  });
  fill(main, form);
  input.focus();
}

async function route() {
  leaving.abort();
  leaving = new AbortController();
  showError(null);
  const { parts, query } = parse();
  if (!session.token || parts[0] === 'login') {
    if (parts[0] !== 'login') {
      location.hash = '#/login';
      return;
    }
    session.who = null;
    header();
    loginPage();
    return;
  }
  if (!session.who) {
    try {
      session.who = await api('/v1/whoami');
    } catch (e) {
      if (e.status !== 401) showError(e);
      return;
    }
  }
  const page = PAGES[parts[0]];
  if (!page) {
    location.hash = '#/apps';
    return;
  }
  header();
  fill(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await page.render(main, { parts: parts.slice(1), query, signal: leaving.signal });
  } catch (e) {
    if (e.name !== 'AbortError') showError(e);
  }
}

window.addEventListener('hashchange', route);
route();
