// Building the page from data without innerHTML: every value becomes a text node, so nothing the
// API returns can inject markup.

/** h('a', {href: '#/x', class: 'btn', onclick: fn}, 'text', child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: heads is a list of column titles; rows a list of lists of cells. */
export function table(heads, rows, empty = 'Nothing yet.') {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, heads.map((title) => h('th', {}, title)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))),
  );
}

/** A coloured state label: passing/healthy/succeeded green, failed red, running blue. */
export function badge(state) {
  const s = String(state ?? '').toLowerCase();
  let tone = 'neutral';
  if (state === 'RUNNING') tone = 'busy'; // a deployment under way (a service "running" is good)
  else if (/^(succeeded|healthy|passing|running|up|switched)$/.test(s)) tone = 'good';
  else if (/(fail|critical|rolled_back|down|cancel|unreachable|interrupted)/.test(s)) tone = 'bad';
  else if (/(warn|paused|awaiting|reverting|drained|stopped|disabled)/.test(s)) tone = 'warn';
  else if (/(run|staging|staged|activating|pending|canary|rolling)/.test(s)) tone = 'busy';
  return h('span', { class: `badge ${tone}` }, state ?? '–');
}

/** 2026-12-02T15:36:33.123Z → 2026-12-02 15:36:33 (UTC, as the API keeps it). */
export function when(instant) {
  if (!instant) return '–';
  return String(instant).replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A link to a page of the console. */
export function link(hash, text) {
  return h('a', { href: hash }, text);
}

/** A button that runs an async action, disabled while it runs; errors show in the error line. */
export function button(text, action, attrs = {}) {
  const el = h('button', { type: 'button', ...attrs }, text);
  el.addEventListener('click', async () => {
    el.disabled = true;
    try {
      await action();
    } catch (e) {
      showError(e);
    } finally {
      el.disabled = false;
    }
  });
  return el;
}

/** The one-line error bar under the header. */
export function showError(e) {
  const bar = document.getElementById('error');
  if (!bar) return;
  if (!e) {
    bar.hidden = true;
    bar.textContent = '';
    return;
  }
  bar.textContent = e.line ? e.line() : String(e.message ?? e);
  bar.hidden = false;
}
