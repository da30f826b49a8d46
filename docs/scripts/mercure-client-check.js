// Field check: a third-party Mercure publisher (npm "mercure", Ilshidur/node-mercure) and a
// third-party EventSource (npm "eventsource") against the gateway's Mercure door.
const { Publisher } = require('mercure');
const jwt = require('jsonwebtoken');
const EventSource = require('eventsource');
const fs = require('fs');

const port = parseInt(process.argv[2], 10);
const secret = fs.readFileSync(process.argv[3], 'utf8').trim();
const hub = `http://127.0.0.1:${port}/.well-known/mercure`;
const token = jwt.sign({
  aud: 'https://localhost/.well-known/mercure', iss: 'https://localhost',
  authorization_details: [{ type: 'https://mercure.rocks/authorization-detail', actions: ['publish', 'subscribe'], topics: [{ match: '*' }] }],
}, secret, { algorithm: 'HS256', expiresIn: 600, header: { typ: 'at+jwt' } });
const publisher = new Publisher({ protocol: 'http', host: '127.0.0.1', port, path: '/.well-known/mercure', jwt: token });
const url = `${hub}?match_urlpattern=${encodeURIComponent('https://example.com/books/:id')}`;
let failures = 0;
const check = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); if (!ok) failures++; };

function receive(es, type, n) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => reject(new Error(`timeout after ${got.length} of ${n}`)), 5000);
    es.addEventListener(type, (e) => { got.push(e); if (got.length === n) { clearTimeout(timer); resolve(got); } });
    es.onerror = (e) => { if (es.readyState === EventSource.CLOSED) reject(new Error('closed: ' + JSON.stringify(e))); };
  });
}

(async () => {
  const es = new EventSource(url);
  await new Promise((resolve) => { es.onopen = resolve; });
  const first = receive(es, 'book', 1);
  const id = await publisher.publish(['https://example.com/books/1'], 'first', { id: 'urn:book:1', type: 'book' });
  check(id === 'urn:book:1', `publisher got its id back as text: ${id}`);
  const [e1] = await first;
  check(e1.data === 'first' && e1.lastEventId === 'urn:book:1', `EventSource received ${e1.lastEventId} ${e1.data}`);
  es.close();
  await publisher.publish(['https://example.com/books/2'], 'second', { id: 'urn:book:2', type: 'book' });
  await publisher.publish(['https://example.com/other'], 'not for it', { type: 'book' });
  await publisher.publish(['https://example.com/books/3'], 'third', { id: 'urn:book:3', type: 'book' });
  const resumed = new EventSource(url, { headers: { 'Last-Event-ID': 'urn:book:1', Authorization: `Bearer ${token}` } });
  const later = await receive(resumed, 'book', 2);
  check(later.map((e) => e.lastEventId).join(',') === 'urn:book:2,urn:book:3',
    `resumed from urn:book:1: ${later.map((e) => e.lastEventId + ' ' + e.data).join(', ')}`);
  resumed.close();
  try {
    await new Publisher({ protocol: 'http', host: '127.0.0.1', port, path: '/.well-known/mercure',
      jwt: jwt.sign({ foo: 1 }, 'x'.repeat(40)) }).publish(['https://example.com/books/4'], 'forged');
    check(false, 'a token signed with another key was accepted');
  } catch (err) {
    check(String(err.message).startsWith('401'), `a token signed with another key: ${err.message.slice(0, 60)}`);
  }
  process.exit(failures ? 1 : 0);
})().catch((err) => { console.log('FAIL ' + err.message); process.exit(1); });
