#!/usr/bin/env node
// streambot — an independent test bot for voxgate's bot streaming (issue 7).
//
// It plays the *bot* side of three public protocols, written from their
// published descriptions rather than from voxgate's code, so that a passing
// test shows voxgate talks to real consumers of those protocols:
//
//   twilio       Twilio Media Streams, bidirectional (<Connect><Stream>):
//                "Media Streams - WebSocket Messages". JSON text frames only;
//                audio is base64 G.711 µ-law, 8 kHz mono.
//   l16          jambonz `listen` verb with bidirectionalAudio.streaming:
//                subprotocol "audio.jambonz.org", one JSON text frame of call
//                metadata (with sampleRate, mixType), then binary L16 frames;
//                the bot streams binary L16 back and sends JSON commands
//                (mark, killAudio, clearMarks, disconnect).
//   audiosocket  Asterisk AudioSocket over TCP: frames of 1 byte type,
//                2 bytes big-endian payload length, payload.
//
//   node streambot.js --profile twilio|l16|audiosocket --port 0 --log FILE [--script talk|silent]
//
// It listens on 127.0.0.1, prints `{"listening": PORT}` on stdout once ready,
// and runs until SIGTERM. Every frame received or sent, and every connection
// open/close, is appended to FILE as one JSON line (schema in README.md).
// Lines of kind "violation" flag where the gateway broke the protocol as
// documented; a compatible gateway produces none.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const { performance } = require('node:perf_hooks');

const USAGE = 'usage: node streambot.js --profile twilio|l16|audiosocket --port N --log FILE [--script talk|silent]';
const PROFILES = ['twilio', 'l16', 'audiosocket'];
const SCRIPTS = ['talk', 'silent'];

// ---------------------------------------------------------------- audio ----

const AMPLITUDE = 8000; // the bot's tone, peak (rms = 8000/√2 ≈ 5657)
const FRAME_MS = 20; // one message/frame of bot audio

/** A sine tone as signed 16-bit samples. */
function tone(freq, seconds, rate) {
  const samples = new Int16Array(Math.round(seconds * rate));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(AMPLITUDE * Math.sin((2 * Math.PI * freq * i) / rate));
  }
  return samples;
}

/** Root mean square of int16 samples, to one decimal. */
function rms(samples) {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.round(Math.sqrt(sum / samples.length) * 10) / 10;
}

/** Little-endian L16 bytes (jambonz, AudioSocket) from samples, and back. */
function toL16(samples) {
  const buf = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => buf.writeInt16LE(s, 2 * i));
  return buf;
}
function fromL16(buf) {
  const samples = new Int16Array(buf.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(2 * i);
  return samples;
}

// G.711 µ-law (ITU-T G.711, the classic biased segment encoder), which is
// what Twilio's mediaFormat "audio/x-mulaw" at 8000 Hz carries.
const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;
function ulawEncode(sample) {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), ULAW_CLIP) + ULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
function ulawDecode(byte) {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}
function toUlaw(samples) {
  return Buffer.from(Array.from(samples, ulawEncode));
}
function fromUlaw(buf) {
  return Int16Array.from(buf, ulawDecode);
}

// ------------------------------------------------------------------ log ----

let logFd = null;
/** Receive/send time, ms since the epoch with sub-ms precision. */
const now = () => performance.timeOrigin + performance.now();
/** One JSON line per event; writeSync so a crash or SIGTERM loses nothing. */
function log(entry) {
  fs.writeSync(logFd, JSON.stringify({ t: now(), ...entry }) + '\n');
}
const violation = (conn, detail) => log({ conn, kind: 'violation', detail });

/** A media message as logged: the base64 payload left out (bytes/rms say it). */
function withoutPayload(msg) {
  if (msg && typeof msg.media === 'object' && msg.media !== null && 'payload' in msg.media) {
    const { payload, ...media } = msg.media;
    return { ...msg, media };
  }
  return msg;
}

/** A text frame's JSON object, or null (logged as raw text and a violation). */
function parseJson(conn, data) {
  const text = data.toString('utf8');
  try {
    const msg = JSON.parse(text);
    if (typeof msg === 'object' && msg !== null && !Array.isArray(msg)) return msg;
  } catch {
    // logged below
  }
  log({ conn, dir: 'in', kind: 'text', raw: text.slice(0, 200) });
  violation(conn, 'text frame is not a JSON object');
  return null;
}

// -------------------------------------------------------------- scripts ----

// The behaviour is the same in every profile; a profile only supplies how to
// send audio, a mark and a clear, and how to crash.
let script = 'talk';

/**
 * Per-connection state every profile shares; timers die with the connection.
 * The profile adds sendTone(freq, seconds), sendMark(name), sendClear() and
 * abort() (drop the connection without any closing handshake).
 */
function connection(conn) {
  const timers = new Set();
  const c = {
    conn,
    open: true,
    later(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (c.open) fn();
      }, ms);
      timers.add(timer);
    },
    closed() {
      c.open = false;
      timers.forEach(clearTimeout);
      timers.clear();
    },
    crash(reason) {
      log({ conn, dir: 'out', kind: 'terminate', reason });
      c.closed();
      c.abort();
    },
  };
  return c;
}

/** The stream has started: a bot answers with its greeting. */
function onStreamStart(c) {
  if (script !== 'talk') return;
  // All 2 s at once, as fast as possible: a bot's TTS runs faster than real
  // time, and pacing playout is the gateway's job.
  c.sendTone(440, 2.0);
  c.sendMark('tone-end');
}

function onDtmf(c, digit) {
  if (digit === '9') return c.crash('dtmf 9'); // a bot crash: no close handshake
  if (digit !== '5' || script !== 'talk') return;
  c.sendTone(880, 3.0);
  c.sendMark('long-end');
  // Barge-in half a second later: the gateway must drop what is still queued.
  c.later(500, () => c.sendClear());
}

// --------------------------------------------------------------- twilio ----

function twilioConnection(ws, c) {
  const { conn } = c;
  const st = { count: 0, seq: 0, chunk: 0, timestamp: -Infinity, streamSid: null, marks: new Set() };

  const sendJson = (msg, extra = {}) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(msg));
    log({ conn, dir: 'out', kind: 'text', msg: withoutPayload(msg), ...extra });
  };
  Object.assign(c, {
    // "Send a Media Message": {event, streamSid, media: {payload}}; payload is
    // raw mulaw/8000 in base64. 20 ms = 160 bytes per message.
    sendTone(freq, seconds) {
      const samples = tone(freq, seconds, 8000);
      const step = (8000 * FRAME_MS) / 1000;
      for (let off = 0; off < samples.length; off += step) {
        const frame = samples.subarray(off, off + step);
        const payload = toUlaw(frame);
        sendJson(
          { event: 'media', streamSid: st.streamSid, media: { payload: payload.toString('base64') } },
          { bytes: payload.length, rms: rms(frame) },
        );
      }
    },
    // "Send a Mark Message": Twilio echoes it once the audio before it played,
    // or at once when a clear drops that audio.
    sendMark(name) {
      st.marks.add(name);
      sendJson({ event: 'mark', streamSid: st.streamSid, mark: { name } });
    },
    // "Send a Clear Message": empties buffered audio, marks are sent back.
    sendClear() {
      sendJson({ event: 'clear', streamSid: st.streamSid });
    },
    abort: () => ws.terminate(),
  });

  // What "WebSocket Messages from Twilio" promises, checked message by message.
  function check(msg) {
    const v = (detail) => violation(conn, detail);
    const first = st.count++ === 0;
    if (first && msg.event !== 'connected') v(`first message is "${msg.event}", not "connected"`);
    if (msg.event === 'connected') {
      if (!first) v('"connected" sent twice');
      if (msg.protocol !== 'Call' || typeof msg.version !== 'string')
        v('connected needs protocol "Call" and a version string');
      return; // connected carries neither sequenceNumber nor streamSid
    }
    if (msg.event === 'start') {
      const s = msg.start;
      if (st.streamSid !== null) v('"start" sent twice');
      if (typeof s !== 'object' || s === null) return v('start without a start object');
      for (const key of ['streamSid', 'accountSid', 'callSid']) {
        if (typeof s[key] !== 'string' || s[key] === '') v(`start.${key} must be a non-empty string`);
      }
      if (!Array.isArray(s.tracks) || !s.tracks.every((t) => t === 'inbound' || t === 'outbound')) {
        v('start.tracks must be an array of "inbound"/"outbound"');
      }
      if (typeof s.customParameters !== 'object' || s.customParameters === null)
        v('start.customParameters must be an object');
      const f = s.mediaFormat || {};
      if (f.encoding !== 'audio/x-mulaw' || f.sampleRate !== 8000 || f.channels !== 1) {
        v('start.mediaFormat must be {"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}');
      }
      st.streamSid = typeof s.streamSid === 'string' ? s.streamSid : msg.streamSid;
    } else if (st.streamSid === null) {
      v(`"${msg.event}" before "start"`);
    }
    // sequenceNumber: a string, "1" on start, +1 on every later message.
    const expected = st.seq + 1;
    if (typeof msg.sequenceNumber !== 'string' || Number(msg.sequenceNumber) !== expected) {
      v(`sequenceNumber ${JSON.stringify(msg.sequenceNumber)}, expected "${expected}"`);
    }
    st.seq = Number(msg.sequenceNumber) || expected;
    if (msg.streamSid !== st.streamSid) v(`streamSid ${JSON.stringify(msg.streamSid)} is not the start's`);

    switch (msg.event) {
      case 'start':
        break;
      case 'media': {
        const m = msg.media || {};
        if (m.track !== 'inbound' && m.track !== 'outbound') v('media.track must be "inbound" or "outbound"');
        // chunk: a string, "1" first, +1 each media message.
        if (typeof m.chunk !== 'string' || Number(m.chunk) !== st.chunk + 1) {
          v(`media.chunk ${JSON.stringify(m.chunk)}, expected "${st.chunk + 1}"`);
        }
        st.chunk = Number(m.chunk) || st.chunk + 1;
        // timestamp: ms since the stream started, a string, never going back.
        if (typeof m.timestamp !== 'string' || !/^\d+$/.test(m.timestamp) || Number(m.timestamp) < st.timestamp) {
          v(`media.timestamp ${JSON.stringify(m.timestamp)} is not a non-decreasing integer string`);
        } else {
          st.timestamp = Number(m.timestamp);
        }
        if (typeof m.payload !== 'string' || m.payload === '') v('media.payload must be non-empty base64');
        break;
      }
      case 'dtmf': {
        const d = msg.dtmf || {};
        if (d.track !== 'inbound_track') v('dtmf.track must be "inbound_track"');
        if (typeof d.digit !== 'string' || !/^[0-9*#A-D]$/.test(d.digit)) v('dtmf.digit must be one key as a string');
        break;
      }
      case 'mark': {
        const name = msg.mark && msg.mark.name;
        if (!st.marks.delete(name)) v(`mark ${JSON.stringify(name)} was not sent by the bot, or echoed twice`);
        break;
      }
      case 'stop': {
        const s = msg.stop || {};
        if (typeof s.accountSid !== 'string' || typeof s.callSid !== 'string') v('stop needs accountSid and callSid');
        break;
      }
      default:
        v(`unknown event ${JSON.stringify(msg.event)}`);
    }
  }

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      log({ conn, dir: 'in', kind: 'binary', bytes: data.length });
      return violation(conn, 'binary frame: Twilio sends JSON text frames only');
    }
    const msg = parseJson(conn, data);
    if (msg === null) return;
    let audio = {};
    if (msg.event === 'media' && msg.media && typeof msg.media.payload === 'string') {
      const bytes = Buffer.from(msg.media.payload, 'base64');
      audio = { bytes: bytes.length, rms: rms(fromUlaw(bytes)) };
    }
    log({ conn, dir: 'in', kind: 'text', msg: withoutPayload(msg), ...audio });
    check(msg);
    if (msg.event === 'start') onStreamStart(c);
    else if (msg.event === 'dtmf' && msg.dtmf) onDtmf(c, msg.dtmf.digit);
  });
}

// ------------------------------------------------------------------ l16 ----

const JAMBONZ_SUBPROTOCOL = 'audio.jambonz.org';
const JAMBONZ_RATES = [8000, 16000, 24000, 48000, 64000]; // listen's sampleRate

function l16Connection(ws, c) {
  const { conn } = c;
  const st = { meta: null, rate: 8000, marks: new Set() };

  const sendJson = (msg) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(msg));
    log({ conn, dir: 'out', kind: 'text', msg });
  };
  Object.assign(c, {
    // Streaming bidirectional audio: binary frames of raw L16 at the
    // bidirectionalAudio.sampleRate; this bot uses the metadata's sampleRate.
    sendTone(freq, seconds) {
      const samples = tone(freq, seconds, st.rate);
      const step = (st.rate * FRAME_MS) / 1000;
      for (let off = 0; off < samples.length; off += step) {
        const frame = samples.subarray(off, off + step);
        if (ws.readyState !== ws.OPEN) return;
        const bytes = toL16(frame);
        ws.send(bytes, { binary: true });
        log({ conn, dir: 'out', kind: 'binary', bytes: bytes.length, rms: rms(frame) });
      }
    },
    // jambonz answers {"type":"mark","data":{"name","event":"playout"|"cleared"}}.
    sendMark(name) {
      st.marks.add(name);
      sendJson({ type: 'mark', data: { name } });
    },
    // killAudio flushes playing and buffered audio; pending marks come back "cleared".
    sendClear() {
      sendJson({ type: 'killAudio' });
    },
    abort: () => ws.terminate(),
  });

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      const samples = fromL16(data);
      log({ conn, dir: 'in', kind: 'binary', bytes: data.length, rms: rms(samples) });
      if (st.meta === null) violation(conn, 'binary audio before the metadata text frame');
      if (data.length % 2) violation(conn, `binary frame of ${data.length} bytes: L16 needs whole samples`);
      return;
    }
    const msg = parseJson(conn, data);
    if (msg === null) return;
    log({ conn, dir: 'in', kind: 'text', msg });
    if (st.meta === null) {
      // The first text frame: the call's attributes (callSid, ...) plus
      // sampleRate and mixType, plus the verb's own metadata.
      st.meta = msg;
      if (!JAMBONZ_RATES.includes(msg.sampleRate)) {
        violation(conn, `metadata sampleRate ${JSON.stringify(msg.sampleRate)} is not one of ${JAMBONZ_RATES}`);
      }
      if (!['mono', 'stereo', 'mixed'].includes(msg.mixType))
        violation(conn, 'metadata mixType must be mono, stereo or mixed');
      if (typeof msg.callSid !== 'string') violation(conn, 'metadata has no callSid string');
      const rate = Number(msg.sampleRate);
      if (rate > 0 && Number.isInteger((rate * FRAME_MS) / 1000)) st.rate = rate;
      return onStreamStart(c);
    }
    if (msg.event === 'dtmf') {
      // passDtmf: {"event":"dtmf","dtmf":"2","duration":"1600"} (RTP units).
      if (typeof msg.dtmf !== 'string' || !/^[0-9*#A-D]$/.test(msg.dtmf))
        violation(conn, 'dtmf must be one key as a string');
      return onDtmf(c, msg.dtmf);
    }
    if (msg.type === 'mark') {
      const d = msg.data || {};
      if (d.event !== 'playout' && d.event !== 'cleared')
        violation(conn, 'mark data.event must be "playout" or "cleared"');
      if (!st.marks.delete(d.name))
        violation(conn, `mark ${JSON.stringify(d.name)} was not sent by the bot, or echoed twice`);
      return;
    }
    if (msg.type === 'voxgate.queue') {
      // voxgate's own extension (its docs/BOT.md): the queue of our audio
      // crossed a watermark. Not jambonz's; checked here for its shape only.
      const d = msg.data || {};
      if (d.level !== 'high' && d.level !== 'low') violation(conn, 'voxgate.queue data.level must be high or low');
      if (!Number.isInteger(d.queuedMs)) violation(conn, 'voxgate.queue data.queuedMs must be an integer');
      return;
    }
    violation(conn, 'unexpected text frame after the metadata');
  });
}

// ---------------------------------------------------------- audiosocket ----

const AS = { hangup: 0x00, uuid: 0x01, dtmf: 0x03, audio: 0x10, error: 0xff };

/** 0x10 is slin 8 kHz; newer Asterisk adds 0x11..0x18 for higher rates. */
const isAudioType = (type) => type >= 0x10 && type <= 0x18;

function audiosocketConnection(socket, c) {
  const { conn } = c;
  const st = { uuid: null, pending: Buffer.alloc(0) };

  Object.assign(c, {
    // 0x10 frames: 160 samples (320 bytes) of 8 kHz slin per 20 ms.
    sendTone(freq, seconds) {
      const samples = tone(freq, seconds, 8000);
      const step = (8000 * FRAME_MS) / 1000;
      for (let off = 0; off < samples.length; off += step) {
        if (socket.destroyed) return;
        const frame = samples.subarray(off, off + step);
        const payload = toL16(frame);
        const header = Buffer.from([AS.audio, payload.length >> 8, payload.length & 0xff]);
        socket.write(Buffer.concat([header, payload]));
        log({ conn, dir: 'out', kind: 'frame', type: AS.audio, len: payload.length, rms: rms(frame) });
      }
    },
    sendMark() {}, // AudioSocket has no marks
    sendClear() {}, // ... and no way to flush what was sent
    abort: () => socket.destroy(),
  });

  function onFrame(type, payload) {
    const entry = { conn, dir: 'in', kind: 'frame', type, len: payload.length };
    const v = (detail) => violation(conn, detail);
    if (st.uuid === null && type !== AS.uuid && type !== AS.hangup && type !== AS.error) {
      log(isAudioType(type) ? { ...entry, rms: rms(fromL16(payload)) } : entry);
      return v(`frame type 0x${type.toString(16)} before the UUID frame`);
    }
    if (type === AS.uuid) {
      const hex = payload.toString('hex');
      entry.uuid = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
      log(entry);
      if (payload.length !== 16) v(`UUID payload of ${payload.length} bytes, not 16`);
      if (st.uuid !== null) return v('UUID sent twice');
      st.uuid = entry.uuid;
      return onStreamStart(c);
    }
    if (type === AS.dtmf) {
      entry.digit = payload.toString('latin1');
      log(entry);
      if (payload.length !== 1) v(`DTMF payload of ${payload.length} bytes, not 1`);
      return onDtmf(c, entry.digit);
    }
    if (isAudioType(type)) {
      log({ ...entry, rms: rms(fromL16(payload)) });
      if (payload.length % 2) v(`audio payload of ${payload.length} bytes: slin needs whole samples`);
      return;
    }
    if (type === AS.hangup) {
      log(entry);
      return socket.end(); // the peer hung up: close our side too
    }
    if (type === AS.error) {
      log({ ...entry, code: payload.toString('hex') });
      return;
    }
    log(entry);
    v(`unknown frame type 0x${type.toString(16)}`);
  }

  socket.on('data', (chunk) => {
    st.pending = Buffer.concat([st.pending, chunk]);
    // type (1 byte) + payload length (2 bytes, big-endian) + payload
    while (st.pending.length >= 3 && !socket.destroyed) {
      const len = st.pending.readUInt16BE(1);
      if (st.pending.length < 3 + len) break;
      const type = st.pending[0];
      const payload = st.pending.subarray(3, 3 + len);
      st.pending = st.pending.subarray(3 + len);
      onFrame(type, payload);
    }
  });
}

// --------------------------------------------------------------- server ----

function parseArgs(argv) {
  const opts = { port: '0', script: 'talk' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!['--profile', '--port', '--log', '--script'].includes(key) || argv[i + 1] === undefined) {
      throw new Error(`unexpected argument ${JSON.stringify(key)}`);
    }
    opts[key.slice(2)] = argv[i + 1];
  }
  if (!PROFILES.includes(opts.profile)) throw new Error('--profile must be twilio, l16 or audiosocket');
  if (!SCRIPTS.includes(opts.script)) throw new Error('--script must be talk or silent');
  if (!opts.log) throw new Error('--log FILE is required');
  if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535) throw new Error('--port must be 0..65535');
  opts.port = Number(opts.port);
  return opts;
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`streambot: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  script = opts.script;
  logFd = fs.openSync(opts.log, 'a');
  let nextConn = 1;

  const ready = (port) => {
    log({ kind: 'listening', profile: opts.profile, script, port });
    process.stdout.write(`{"listening": ${port}}\n`);
  };
  const fail = (err) => {
    process.stderr.write(`streambot: ${err.message}\n`);
    process.exit(1);
  };

  if (opts.profile === 'audiosocket') {
    const server = net.createServer((socket) => {
      const c = connection(nextConn++);
      log({
        conn: c.conn,
        kind: 'open',
        profile: opts.profile,
        remote: `${socket.remoteAddress}:${socket.remotePort}`,
      });
      socket.setNoDelay(true);
      socket.on('error', (err) => log({ conn: c.conn, kind: 'error', error: err.code || err.message }));
      socket.on('close', (hadError) => {
        c.closed();
        log({ conn: c.conn, kind: 'close', hadError });
      });
      audiosocketConnection(socket, c);
    });
    server.on('error', fail);
    server.listen(opts.port, '127.0.0.1', () => ready(server.address().port));
  } else {
    const { WebSocketServer } = require('ws');
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: opts.port,
      // jambonz connects with subprotocol "audio.jambonz.org" and a listen
      // endpoint must accept it; Twilio offers none.
      handleProtocols: (offered) => (offered.has(JAMBONZ_SUBPROTOCOL) ? JAMBONZ_SUBPROTOCOL : false),
    });
    wss.on('error', fail);
    wss.on('listening', () => ready(wss.address().port));
    wss.on('connection', (ws, req) => {
      const c = connection(nextConn++);
      const offered = (req.headers['sec-websocket-protocol'] || '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      log({
        conn: c.conn,
        kind: 'open',
        profile: opts.profile,
        remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        path: req.url,
        offered,
        protocol: ws.protocol,
      });
      ws.on('error', (err) => log({ conn: c.conn, kind: 'error', error: err.message }));
      ws.on('close', (code, reason) => {
        c.closed();
        log({ conn: c.conn, kind: 'close', code, reason: reason.toString('utf8') });
      });
      if (opts.profile === 'l16' && ws.protocol !== JAMBONZ_SUBPROTOCOL) {
        violation(c.conn, `subprotocol "${JAMBONZ_SUBPROTOCOL}" not offered`);
        return ws.close(1002, `subprotocol ${JAMBONZ_SUBPROTOCOL} required`);
      }
      (opts.profile === 'twilio' ? twilioConnection : l16Connection)(ws, c);
    });
  }

  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      log({ kind: 'exit', signal });
      process.exit(0);
    });
  }
}

if (require.main === module) main();

// For selftest.js: the codec and measurement helpers.
module.exports = { tone, rms, toL16, fromL16, ulawEncode, ulawDecode, toUlaw, fromUlaw };
