#!/usr/bin/env node
// Self-test of streambot: for each profile, start the bot and play the
// gateway's part with a tiny client (the messages a Twilio, jambonz or
// Asterisk peer sends), then check the bot's replies, timing and log.
//
//   node selftest.js        exit 0 when every check passes
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');
const { tone, rms, toL16, fromL16, ulawEncode, toUlaw, fromUlaw } = require('./streambot.js');

const BOT = path.join(__dirname, 'streambot.js');
const TONE_RMS = 8000 / Math.SQRT2;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'streambot-'));
const running = new Set(); // bots a failed test left behind are killed at exit
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
}
const near = (value, target, tolerance) => Math.abs(value - target) <= tolerance * target;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(cond, ms, what) {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Starts the bot; resolves once it printed {"listening": PORT}. */
async function startBot(profile, script = 'talk') {
  const log = path.join(tmp, `${profile}-${script}.jsonl`);
  const child = spawn(process.execPath, [BOT, '--profile', profile, '--port', '0', '--log', log, '--script', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`streambot exited with ${code}`)));
  });
  const port = JSON.parse(line).listening;
  const lines = () =>
    fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return {
    port,
    /** Stops the bot once every connection's close is logged; returns the log. */
    async stop() {
      const settled = () => {
        const all = lines();
        return all
          .filter((l) => l.kind === 'open')
          .every((o) => all.some((l) => l.kind === 'close' && l.conn === o.conn));
      };
      await until(settled, 2000, 'every close in the log').catch((err) => check(`${profile}: ${err.message}`, false));
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      check(`${profile}: exits 0 on SIGTERM`, (await exited) === 0);
      return lines();
    },
  };
}

/** A WebSocket client that records what it receives, with receive times. */
async function wsClient(port, protocols) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/stream`, protocols);
  const got = [];
  ws.closed = null;
  ws.on('message', (data, isBinary) =>
    got.push({ t: performance.now(), isBinary, data, msg: isBinary ? null : JSON.parse(data) }),
  );
  ws.on('close', (code) => (ws.closed = { code, t: performance.now() }));
  ws.on('error', () => {}); // a terminate() shows as close 1006
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, got, sendJson: (m) => ws.send(JSON.stringify(m)) };
}

/** Common checks of a log: schema of every line, and no violations. */
function checkLog(profile, lines, conns) {
  const bad = lines.filter((l) => typeof l.t !== 'number' || l.t < 1e12 || typeof l.kind !== 'string');
  check(`${profile}: every log line has t (epoch ms) and kind`, bad.length === 0, JSON.stringify(bad[0]));
  check(
    `${profile}: log times never go back`,
    lines.every((l, i) => i === 0 || l.t >= lines[i - 1].t),
  );
  const violations = lines.filter((l) => l.kind === 'violation' && conns.includes(l.conn));
  check(`${profile}: no protocol violations logged`, violations.length === 0, JSON.stringify(violations));
}

// ------------------------------------------------------------------------

function codec() {
  // Reference points of G.711 µ-law: 0 → 0xFF, full scale → 0x80 / 0x00.
  check('µ-law: 0 encodes to 0xFF', ulawEncode(0) === 0xff);
  check('µ-law: +32767 encodes to 0x80', ulawEncode(32767) === 0x80);
  check('µ-law: -32768 encodes to 0x00', ulawEncode(-32768) === 0x00);
  const samples = tone(440, 0.1, 8000);
  const back = fromUlaw(toUlaw(samples));
  const worst = Math.max(...samples.map((s, i) => Math.abs(s - back[i]) / Math.max(Math.abs(s), 32)));
  check('µ-law: round trip within 1/16 of the sample', worst <= 1 / 16, String(worst));
  check('tone: rms of the 440 Hz tone is 8000/√2', near(rms(samples), TONE_RMS, 0.01));
}

async function twilio() {
  const bot = await startBot('twilio');
  const { ws, got, sendJson } = await wsClient(bot.port);
  const streamSid = 'MZ00000000000000000000000000000001';
  const events = (event, from = 0) => got.slice(from).filter((g) => g.msg.event === event);
  const markAt = (name) => got.findIndex((g) => g.msg.event === 'mark' && g.msg.mark.name === name);
  let seq = 0;
  let chunk = 0;

  sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  const started = performance.now();
  sendJson({
    event: 'start',
    sequenceNumber: String(++seq),
    start: {
      accountSid: 'AC00000000000000000000000000000001',
      streamSid,
      callSid: 'CA00000000000000000000000000000001',
      tracks: ['inbound'],
      customParameters: {},
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
    streamSid,
  });
  await until(() => markAt('tone-end') >= 0, 2000, 'mark tone-end');
  const greeting = events('media');
  check('twilio: 2.0 s greeting = 100 media messages', greeting.length === 100, String(greeting.length));
  check('twilio: all sent at once (< 1 s, not paced)', got[markAt('tone-end')].t - started < 1000);
  check(
    'twilio: media carry the streamSid',
    greeting.every((g) => g.msg.streamSid === streamSid),
  );
  const payloads = greeting.map((g) => Buffer.from(g.msg.media.payload, 'base64'));
  check(
    'twilio: 160 µ-law bytes each',
    payloads.every((p) => p.length === 160),
  );
  check('twilio: the tone decodes to rms 8000/√2', near(rms(fromUlaw(Buffer.concat(payloads))), TONE_RMS, 0.03));
  check('twilio: mark tone-end follows the media', markAt('tone-end') === 100 && got[100].msg.streamSid === streamSid);

  // The caller's audio, then Twilio echoing the mark once the greeting played.
  for (let i = 0; i < 5; i++) {
    const payload = toUlaw(tone(300, 0.02, 8000)).toString('base64');
    sendJson({
      event: 'media',
      sequenceNumber: String(++seq),
      media: { track: 'inbound', chunk: String(++chunk), timestamp: String(i * 20), payload },
      streamSid,
    });
  }
  sendJson({ event: 'mark', sequenceNumber: String(++seq), streamSid, mark: { name: 'tone-end' } });

  // DTMF 5: 3 s more, mark long-end, a clear 500 ms later.
  const before = got.length;
  sendJson({ event: 'dtmf', streamSid, sequenceNumber: String(++seq), dtmf: { track: 'inbound_track', digit: '5' } });
  await until(() => events('clear', before).length > 0, 3000, 'clear');
  check('twilio: DTMF 5 → 3.0 s = 150 media messages', events('media', before).length === 150);
  const longEnd = markAt('long-end');
  const clear = got.findIndex((g) => g.msg.event === 'clear');
  check('twilio: then mark long-end, then clear', longEnd === before + 150 && clear === longEnd + 1);
  const gap = got[clear].t - got[longEnd].t;
  check('twilio: clear comes 500 ms after the mark', gap >= 480 && gap < 800, `${gap.toFixed(0)} ms`);
  check(
    'twilio: clear is {"event":"clear","streamSid"}',
    JSON.stringify(got[clear].msg) === JSON.stringify({ event: 'clear', streamSid }),
  );
  // "clear ... causes any mark messages to be sent back".
  sendJson({ event: 'mark', sequenceNumber: String(++seq), streamSid, mark: { name: 'long-end' } });

  // DTMF 9: the bot crashes, no close handshake.
  sendJson({ event: 'dtmf', streamSid, sequenceNumber: String(++seq), dtmf: { track: 'inbound_track', digit: '9' } });
  await until(() => ws.closed, 2000, 'close');
  check('twilio: DTMF 9 → abrupt close (1006)', ws.closed.code === 1006, String(ws.closed.code));

  // A second, broken peer: the bot must call out what it did wrong.
  const bad = await wsClient(bot.port);
  bad.sendJson({
    event: 'start',
    sequenceNumber: 1,
    start: { streamSid, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
    streamSid,
  });
  await sleep(100);
  bad.ws.close(1000, 'bye');
  await until(() => bad.ws.closed, 2000, 'close');

  const lines = await bot.stop();
  checkLog('twilio', lines, [1]);
  const conn1 = lines.filter((l) => l.conn === 1);
  const inMsgs = conn1.filter((l) => l.dir === 'in' && l.kind === 'text').map((l) => l.msg.event);
  check(
    'twilio log: in connected, start, 5 media, 2 marks, 2 dtmf',
    JSON.stringify(inMsgs) ===
      JSON.stringify([
        'connected',
        'start',
        'media',
        'media',
        'media',
        'media',
        'media',
        'mark',
        'dtmf',
        'mark',
        'dtmf',
      ]),
    JSON.stringify(inMsgs),
  );
  const inMedia = conn1.filter((l) => l.dir === 'in' && l.msg && l.msg.event === 'media');
  check(
    'twilio log: in media have bytes and rms, no payload',
    inMedia.every((l) => l.bytes === 160 && near(l.rms, TONE_RMS, 0.03) && !('payload' in l.msg.media)),
  );
  const outMedia = conn1.filter((l) => l.dir === 'out' && l.msg && l.msg.event === 'media');
  check(
    'twilio log: 250 out media with bytes and rms',
    outMedia.length === 250 && outMedia.every((l) => l.bytes === 160 && l.rms > 5000),
  );
  check(
    'twilio log: out clear logged',
    conn1.filter((l) => l.dir === 'out' && l.msg && l.msg.event === 'clear').length === 1,
  );
  check(
    'twilio log: terminate, then close 1006',
    conn1.some((l) => l.kind === 'terminate') && conn1.some((l) => l.kind === 'close' && l.code === 1006),
  );
  const v2 = lines
    .filter((l) => l.conn === 2 && l.kind === 'violation')
    .map((l) => l.detail)
    .join(' | ');
  check(
    'twilio log: broken peer flagged (no connected, numeric sequenceNumber, no channels)',
    /not "connected"/.test(v2) && /sequenceNumber 1,/.test(v2) && /mediaFormat/.test(v2),
    v2,
  );
  check(
    'twilio log: close code and reason logged',
    lines.some((l) => l.conn === 2 && l.kind === 'close' && l.code === 1000 && l.reason === 'bye'),
  );
}

async function twilioSilent() {
  const bot = await startBot('twilio', 'silent');
  const { ws, got, sendJson } = await wsClient(bot.port);
  const streamSid = 'MZ00000000000000000000000000000002';
  sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  sendJson({
    event: 'start',
    sequenceNumber: '1',
    start: {
      accountSid: 'AC1',
      streamSid,
      callSid: 'CA1',
      tracks: ['inbound'],
      customParameters: {},
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
    streamSid,
  });
  sendJson({ event: 'dtmf', streamSid, sequenceNumber: '2', dtmf: { track: 'inbound_track', digit: '5' } });
  await sleep(800);
  check('silent: sends nothing, even on DTMF 5', got.length === 0, String(got.length));
  sendJson({ event: 'dtmf', streamSid, sequenceNumber: '3', dtmf: { track: 'inbound_track', digit: '9' } });
  await until(() => ws.closed, 2000, 'close');
  check('silent: DTMF 9 still crashes (1006)', ws.closed.code === 1006);
  checkLog('silent', await bot.stop(), [1]);
}

async function l16() {
  const bot = await startBot('l16');
  // Without the subprotocol jambonz always offers, the bot refuses the stream.
  const plain = await wsClient(bot.port);
  await until(() => plain.ws.closed, 2000, 'close');
  check('l16: no audio.jambonz.org subprotocol → close 1002', plain.ws.closed.code === 1002);

  const { ws, got, sendJson } = await wsClient(bot.port, ['audio.jambonz.org']);
  check('l16: subprotocol audio.jambonz.org accepted', ws.protocol === 'audio.jambonz.org');
  const rate = 16000;
  const textAt = (pred) => got.findIndex((g) => !g.isBinary && pred(g.msg));
  const markAt = (name) => textAt((m) => m.type === 'mark' && m.data.name === name);
  const started = performance.now();
  sendJson({
    callSid: 'b1a8c0de-0000-4000-8000-000000000001',
    direction: 'inbound',
    from: '+15551230000',
    to: '+15559870000',
    callId: 'abc@127.0.0.1',
    sampleRate: rate,
    mixType: 'mono',
  });
  await until(() => markAt('tone-end') >= 0, 2000, 'mark tone-end');
  const greeting = got.filter((g) => g.isBinary);
  check('l16: 2.0 s greeting = 100 binary frames', greeting.length === 100, String(greeting.length));
  check(
    'l16: 20 ms at the metadata sampleRate = 640 bytes',
    greeting.every((g) => g.data.length === (rate / 50) * 2),
  );
  check('l16: all sent at once (< 1 s, not paced)', got[markAt('tone-end')].t - started < 1000);
  check(
    'l16: the tone is L16 little-endian, rms 8000/√2',
    near(rms(fromL16(Buffer.concat(greeting.map((g) => g.data)))), TONE_RMS, 0.01),
  );
  check(
    'l16: then {"type":"mark","data":{"name":"tone-end"}}',
    markAt('tone-end') === 100 && JSON.stringify(got[100].msg) === '{"type":"mark","data":{"name":"tone-end"}}',
  );

  for (let i = 0; i < 5; i++) ws.send(toL16(tone(300, 0.02, rate)));
  sendJson({ type: 'mark', data: { name: 'tone-end', event: 'playout' } });

  const before = got.length;
  sendJson({ event: 'dtmf', dtmf: '5', duration: '1600' });
  await until(() => textAt((m) => m.type === 'killAudio') >= 0, 3000, 'killAudio');
  check('l16: DTMF 5 → 3.0 s = 150 binary frames', got.slice(before).filter((g) => g.isBinary).length === 150);
  const longEnd = markAt('long-end');
  const kill = textAt((m) => m.type === 'killAudio');
  check('l16: then mark long-end, then killAudio', longEnd === before + 150 && kill === longEnd + 1);
  const gap = got[kill].t - got[longEnd].t;
  check('l16: killAudio comes 500 ms after the mark', gap >= 480 && gap < 800, `${gap.toFixed(0)} ms`);
  // jambonz reports a mark dropped by killAudio as "cleared".
  sendJson({ type: 'mark', data: { name: 'long-end', event: 'cleared' } });

  sendJson({ event: 'dtmf', dtmf: '9', duration: '1600' });
  await until(() => ws.closed, 2000, 'close');
  check('l16: DTMF 9 → abrupt close (1006)', ws.closed.code === 1006);

  const lines = await bot.stop();
  checkLog('l16', lines, [2]);
  check(
    'l16 log: conn 1 flagged and closed 1002',
    lines.some((l) => l.conn === 1 && l.kind === 'violation') &&
      lines.some((l) => l.conn === 1 && l.kind === 'close' && l.code === 1002),
  );
  check(
    'l16 log: open records offered and chosen subprotocol',
    lines.some(
      (l) =>
        l.conn === 2 && l.kind === 'open' && l.protocol === 'audio.jambonz.org' && l.offered[0] === 'audio.jambonz.org',
    ),
  );
  const conn2 = lines.filter((l) => l.conn === 2);
  check(
    'l16 log: metadata logged under msg',
    conn2.some((l) => l.dir === 'in' && l.kind === 'text' && l.msg.sampleRate === rate),
  );
  check(
    'l16 log: 5 in binary frames with rms',
    conn2.filter((l) => l.dir === 'in' && l.kind === 'binary' && l.bytes === 640 && near(l.rms, TONE_RMS, 0.01))
      .length === 5,
  );
  check(
    'l16 log: 250 out binary frames',
    conn2.filter((l) => l.dir === 'out' && l.kind === 'binary' && l.bytes === 640).length === 250,
  );
  check(
    'l16 log: out killAudio logged',
    conn2.some((l) => l.dir === 'out' && l.msg && l.msg.type === 'killAudio'),
  );
}

/** AudioSocket frame: type, 16-bit big-endian length, payload. */
const asFrame = (type, payload = Buffer.alloc(0)) =>
  Buffer.concat([Buffer.from([type, payload.length >> 8, payload.length & 0xff]), payload]);

async function audiosocketClient(port) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const frames = [];
  const state = { ended: false, closed: false }; // net.Socket has read-only ones
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 3 && pending.length >= 3 + pending.readUInt16BE(1)) {
      const len = pending.readUInt16BE(1);
      frames.push({ t: performance.now(), type: pending[0], payload: pending.subarray(3, 3 + len) });
      pending = pending.subarray(3 + len);
    }
  });
  socket.on('end', () => (state.ended = true));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => {});
  return { socket, frames, state };
}

async function audiosocket() {
  const bot = await startBot('audiosocket');
  const { socket, frames, state } = await audiosocketClient(bot.port);
  const uuid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const started = performance.now();
  socket.write(asFrame(0x01, uuid));
  await until(() => frames.length >= 100, 2000, '100 frames');
  await sleep(100);
  check(
    'audiosocket: 2.0 s greeting = 100 frames of type 0x10',
    frames.length === 100 && frames.every((f) => f.type === 0x10),
  );
  check(
    'audiosocket: 320-byte payloads',
    frames.every((f) => f.payload.length === 320),
  );
  check('audiosocket: all sent at once (< 1 s, not paced)', frames[99].t - started < 1000);
  check(
    'audiosocket: slin little-endian, rms 8000/√2',
    near(rms(fromL16(Buffer.concat(frames.map((f) => f.payload)))), TONE_RMS, 0.01),
  );

  for (let i = 0; i < 5; i++) socket.write(asFrame(0x10, toL16(tone(300, 0.02, 8000))));
  socket.write(asFrame(0x03, Buffer.from('5')));
  await until(() => frames.length >= 250, 3000, '150 more frames');
  await sleep(800); // no clear exists in AudioSocket: nothing more may come
  check('audiosocket: DTMF 5 → 150 frames, and nothing after', frames.length === 250, String(frames.length));
  socket.write(asFrame(0x03, Buffer.from('9')));
  await until(() => state.closed, 2000, 'close');
  check('audiosocket: DTMF 9 → connection dropped', state.closed);

  // Asterisk's hangup frame (0x00, length 0): the bot closes its side.
  const second = await audiosocketClient(bot.port);
  second.socket.write(Buffer.concat([asFrame(0x01, uuid), asFrame(0x00)]));
  await until(() => second.state.ended, 2000, 'end');
  check('audiosocket: hangup frame → bot ends the connection', second.state.ended);
  second.socket.destroy();

  const lines = await bot.stop();
  checkLog('audiosocket', lines, [1, 2]);
  const conn1 = lines.filter((l) => l.conn === 1);
  check(
    'audiosocket log: UUID as text',
    conn1.some((l) => l.kind === 'frame' && l.type === 1 && l.uuid === '01234567-89ab-cdef-0123-456789abcdef'),
  );
  check(
    'audiosocket log: DTMF digits',
    conn1
      .filter((l) => l.kind === 'frame' && l.type === 3)
      .map((l) => l.digit)
      .join('') === '59',
  );
  check(
    'audiosocket log: 5 in audio frames with rms',
    conn1.filter((l) => l.dir === 'in' && l.type === 16 && l.len === 320 && near(l.rms, TONE_RMS, 0.01)).length === 5,
  );
  check(
    'audiosocket log: 250 out audio frames',
    conn1.filter((l) => l.dir === 'out' && l.type === 16 && l.len === 320).length === 250,
  );
  check(
    'audiosocket log: terminate then close',
    conn1.some((l) => l.kind === 'terminate') && conn1.some((l) => l.kind === 'close'),
  );
  check(
    'audiosocket log: hangup frame logged',
    lines.some((l) => l.conn === 2 && l.kind === 'frame' && l.type === 0),
  );
}

async function main() {
  for (const test of [codec, twilio, twilioSilent, l16, audiosocket]) {
    try {
      await test();
    } catch (err) {
      check(test.name, false, err.stack);
    }
  }
  running.forEach((child) => child.kill('SIGKILL'));
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
