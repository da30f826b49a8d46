// The demo page: subscribe with the browser's own EventSource (one for all topics: envelope=json
// frames name each event's topic, and a browser allows only six HTTP/1.1 connections per origin),
// watch connection state, resumes and gap events, and publish. All URLs are relative, so the page
// works at / (jar) and under a WAR's context path.
(function () {
  'use strict';
  const sources = [];
  let shown = 0;
  const $ = id => document.getElementById(id);

  function list(text) {
    return text.split(',').map(s => s.trim()).filter(Boolean);
  }

  function setState() {
    const states = sources.map(s => s.state);
    let state = 'closed';
    if (states.length) {
      if (states.every(s => s === 'open')) state = 'open';
      else if (states.some(s => s === 'reconnecting')) state = 'reconnecting';
      else state = 'connecting';
    }
    const el = $('state');
    el.textContent = state === 'closed' ? 'not connected' : state;
    el.className = 'state state-' + state;
    el.dataset.state = state;
  }

  function addRow(cells, kind) {
    const tbody = $('events').tBodies[0];
    const tr = document.createElement('tr');
    if (kind) tr.className = kind;
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c.text;
      if (c.cls) td.className = c.cls;
      tr.appendChild(td);
    }
    tbody.insertBefore(tr, tbody.firstChild);
    while (tbody.rows.length > 500) tbody.deleteRow(tbody.rows.length - 1);
  }

  function time() {
    return new Date().toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(Date.now() % 1000).padStart(3, '0');
  }

  const CONTROL_EVENTS = ['gap', 'server-shutdown'];

  function onEvent(source, e) {
    source.lastId = e.lastEventId || source.lastId;
    shown++;
    $('event-count').textContent = String(shown);
    // Published events arrive as {"topic":…,"data":…}; control events concern the whole stream.
    let topic = source.topics.join(', ');
    let data = e.data;
    if (!CONTROL_EVENTS.includes(e.type)) {
      const envelope = JSON.parse(e.data);
      topic = envelope.topic;
      data = envelope.data;
    }
    const kind = e.type === 'gap' ? 'gap' : (e.type === 'server-shutdown' ? 'note' : '');
    addRow([{ text: time() }, { text: topic }, { text: e.type }, { text: e.lastEventId || '' },
      { text: data, cls: 'data' }], kind);
  }

  function subscribe(topics, types, token) {
    unsubscribe();
    if (!topics.length) return;
    let url = 'events?' + topics.map(t => 'topic=' + encodeURIComponent(t)).join('&') + '&envelope=json';
    if (token) url += '&access_token=' + encodeURIComponent(token);
    const es = new EventSource(url, { withCredentials: true });
    const source = { topics: topics, es: es, state: 'connecting', lastId: '', everOpen: false };
    source.types = new Set();
    for (const type of types.concat(['message'], CONTROL_EVENTS)) listen(source, type);
    es.onopen = () => {
      if (source.everOpen) {
        addRow([{ text: time() }, { text: topics.join(', ') }, { text: 'resume' }, { text: source.lastId },
          { text: 'reconnected; the gateway resumes after Last-Event-ID ' + (source.lastId || '(none)'), cls: 'data' }], 'note');
      }
      source.everOpen = true;
      source.state = 'open';
      setState();
    };
    es.onerror = () => {
      source.state = es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
      setState();
    };
    sources.push(source);
    $('unsubscribe').disabled = false;
    setState();
  }

  // A native EventSource delivers only the types it has a listener for: the default type, the ones
  // listed, and every type this page publishes (added to open streams and to the list).
  function listen(source, type) {
    if (source.types.has(type)) return;
    source.types.add(type);
    source.es.addEventListener(type, e => onEvent(source, e));
  }

  function showType(type) {
    if (!type) return;
    for (const source of sources) listen(source, type);
    const listed = list($('types').value);
    if (!listed.includes(type)) $('types').value = listed.concat([type]).join(', ');
  }

  function unsubscribe() {
    while (sources.length) sources.pop().es.close();
    $('unsubscribe').disabled = true;
    setState();
  }

  async function publish(topic, type, data, token) {
    let url = 'publish?topic=' + encodeURIComponent(topic);
    if (type) url += '&event=' + encodeURIComponent(type);
    const headers = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (token) headers.Authorization = 'Bearer ' + token;
    const result = $('publish-result');
    try {
      const response = await fetch(url, { method: 'POST', headers: headers, body: data });
      const body = await response.json();
      result.textContent = response.ok ? 'published ' + body.id : response.status + ' ' + body.error + ': ' + body.message;
      result.className = response.ok ? '' : 'error';
    } catch (e) {
      result.textContent = 'publish failed: ' + e.message;
      result.className = 'error';
    }
  }

  function show(view) {
    const dashboard = view === 'dashboard';
    $('view-stream').hidden = dashboard;
    $('view-dashboard').hidden = !dashboard;
    $('tab-stream').setAttribute('aria-pressed', String(!dashboard));
    $('tab-dashboard').setAttribute('aria-pressed', String(dashboard));
    if (dashboard) Dashboard.start(); else Dashboard.stop();
    if (location.hash !== '#' + view) history.replaceState(null, '', '#' + view);
  }

  $('subscribe-form').addEventListener('submit', e => {
    e.preventDefault();
    subscribe(list($('topics').value), list($('types').value), $('sub-token').value);
  });
  $('unsubscribe').addEventListener('click', unsubscribe);
  $('publish-form').addEventListener('submit', e => {
    e.preventDefault();
    showType($('pub-type').value.trim());
    publish($('pub-topic').value.trim(), $('pub-type').value.trim(), $('pub-data').value, $('pub-token').value);
  });
  $('tab-stream').addEventListener('click', () => show('stream'));
  $('tab-dashboard').addEventListener('click', () => show('dashboard'));
  show(location.hash === '#dashboard' ? 'dashboard' : 'stream');
})();
