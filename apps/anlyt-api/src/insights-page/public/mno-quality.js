/**
 * The MNO quality page (US-ANLYT-19 AC1): reads the portal token and account from the URL
 * fragment (`#token=…&account=…[&from=YYYY-MM-DD&to=YYYY-MM-DD]`) or the form, calls
 * GET /v1/anlyt/insights/mno-quality (contract §6.5) and shows the window, dataAsOf, a bar
 * chart of the delivery rate per label and a table.
 *
 * Invariants: text reaches the DOM through textContent only (no innerHTML: the CSP forbids
 * inline script and this keeps API text inert); a real MNO id is shown only in its own table
 * column, and only when the API sent one (`mno` not null: an addendum is on record) — never
 * in the chart, a tooltip or the title. The token stays in memory: it is removed from the
 * address bar and the history entry as soon as it is read.
 */
const $ = (id) => document.getElementById(id);

// Relative, so the page keeps working behind a proxy that mounts the API under a prefix.
const ENDPOINT = '../v1/anlyt/insights/mno-quality';

let chart = null;
let latest = 0; // the newest request: an older answer arriving late is dropped

function setState(state) {
  document.body.dataset.state = state;
}

function readFragment() {
  const p = new URLSearchParams(window.location.hash.slice(1));
  const fields = ['token', 'account', 'from', 'to'];
  if (!fields.some((f) => p.has(f))) return false;
  for (const f of fields) if (p.has(f)) $(f).value = p.get(f);
  // Keep the token out of the address bar, the history and any later copy of the URL.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return p.has('token') && p.has('account');
}

async function load() {
  const id = ++latest;
  const url = new URL(ENDPOINT, window.location.href);
  for (const f of ['from', 'to']) if ($(f).value) url.searchParams.set(f, $(f).value);
  setState('loading');
  let res;
  let body = null;
  try {
    res = await fetch(url, {
      headers: {
        authorization: `Bearer ${$('token').value.trim()}`,
        'x-account-id': $('account').value.trim(),
        accept: 'application/json, application/problem+json',
      },
      cache: 'no-store',
      credentials: 'omit',
    });
    body = await res.json().catch(() => null);
  } catch (err) {
    if (id === latest) showError(`The API could not be reached (${err.message}).`);
    return;
  }
  if (id !== latest) return;
  if (!res.ok || body === null || !Array.isArray(body.mnos)) {
    showError(problemText(res.status, body));
    return;
  }
  try {
    render(body);
  } catch (err) {
    showError(`The answer could not be shown (${err.message}).`);
  }
}

/** An RFC 9457 problem (contract §4) as one line of text: title, code and detail. */
function problemText(status, body) {
  if (!body || typeof body !== 'object') return `The API answered HTTP ${status}.`;
  const head = `${body.title ?? 'Error'} (HTTP ${body.status ?? status})`;
  const code = body.code ? ` ${body.code}` : '';
  const detail = body.detail ? `: ${body.detail}` : '';
  return `${head}${code}${detail}`;
}

function showError(text) {
  $('error').textContent = text;
  $('error').hidden = false;
  $('result').hidden = true;
  setState('error');
}

function render(body) {
  $('error').hidden = true;
  $('window').textContent = windowText(body.window);
  $('as-of').textContent = asOfText(body.dataAsOf);
  const mnos = body.mnos;
  $('empty').hidden = mnos.length > 0;
  $('mnos').hidden = mnos.length === 0;
  $('chart-note').hidden = !mnos.some((m) => m.suppressed);
  renderTable(mnos);
  $('result').hidden = false; // before the chart: it sizes itself from its visible box
  renderChart(mnos);
  setState('ready');
}

function windowText(w) {
  if (!w || typeof w !== 'object') return '—';
  const span = `${w.from ?? '?'} → ${w.to ?? '?'} (end exclusive)`;
  const requested =
    w.requestedFrom && (w.requestedFrom !== w.from || w.requestedTo !== w.to)
      ? `; requested ${w.requestedFrom} → ${w.requestedTo}`
      : '';
  return span + requested;
}

/** dataAsOf is a timestamp, null before any data, or one timestamp per source. */
function asOfText(v) {
  if (v === null || v === undefined) return 'no data folded yet';
  if (typeof v !== 'object') return String(v);
  return Object.entries(v)
    .map(([k, t]) => `${k}: ${t ?? 'no data yet'}`)
    .join(', ');
}

const percent = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)} %`);
const millis = (ms) => (ms === null || ms === undefined ? '—' : `${Math.round(ms)} ms`);

function renderTable(mnos) {
  const showIds = mnos.some((m) => m.mno !== null && m.mno !== undefined);
  for (const th of document.querySelectorAll('#mnos th.real-id')) th.hidden = !showIds;
  const rows = mnos.map((m) => {
    const tr = document.createElement('tr');
    if (m.suppressed) tr.className = 'suppressed';
    const cell = (text, cls) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    };
    cell(m.label);
    if (showIds) cell(m.mno ?? '—', 'real-id');
    cell(percent(m.deliveryRate), 'num');
    cell(millis(m.dlrLatencyP95), 'num');
    cell(String(m.sampleSize), 'num');
    cell(m.suppressed ? 'too few messages to be meaningful' : '');
    return tr;
  });
  $('mnos').tBodies[0].replaceChildren(...rows);
}

function renderChart(mnos) {
  const Chart = window.Chart;
  if (!Chart) throw new Error('chart.js did not load');
  chart?.destroy();
  chart = new Chart($('chart'), {
    type: 'bar',
    data: {
      labels: mnos.map((m) => m.label),
      datasets: [
        {
          label: 'Delivery rate (%)',
          // null leaves a gap: a suppressed MNO has no rate to draw.
          data: mnos.map((m) => (m.deliveryRate === null ? null : m.deliveryRate * 100)),
          backgroundColor: '#2f6fde',
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: 'Delivery rate (%)' } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (c) => (c.raw === null ? 'too few messages' : `${c.raw.toFixed(1)} %`),
          },
        },
      },
    },
  });
}

$('auth').addEventListener('submit', (e) => {
  e.preventDefault();
  void load();
});
// A fragment pasted into the address bar of an open page is read as on the first load.
window.addEventListener('hashchange', () => {
  if (readFragment()) void load();
});
if (readFragment()) void load();
