/**
 * Preloaded (`node --require`) into a child process to record every outbound
 * connection attempt and name lookup it makes, one JSON line each, in the file
 * named by VEDETTA_NET_LOG. Nothing is blocked: the test reads the record.
 */
const fs = require('node:fs')
const net = require('node:net')
const tls = require('node:tls')
const dns = require('node:dns')
const dgram = require('node:dgram')

const log = process.env.VEDETTA_NET_LOG
function record(kind, host, port) {
  if (!log) return
  fs.appendFileSync(log, JSON.stringify({ kind, host: host ?? null, port: port ?? null }) + '\n')
}

/** The (host, port) of any of net's connect signatures. */
function target(args) {
  const [first, second] = args
  if (Array.isArray(first)) return target(first)
  if (first && typeof first === 'object') {
    if (first.path) return { host: `unix:${first.path}` }
    return { host: first.host ?? 'localhost', port: first.port }
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: `unix:${first}` }
  return { host: typeof second === 'string' ? second : 'localhost', port: first }
}

// Proof that the recorder was loaded in this process at all.
record('loaded', 'unix:recorder', process.pid)

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const t = target(args)
  record('connect', t.host, t.port)
  return connect.apply(this, args)
}

const tlsConnect = tls.connect
tls.connect = function (...args) {
  const t = target(args)
  record('tls', t.host, t.port)
  return tlsConnect.apply(this, args)
}

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  const original = dns[name]
  dns[name] = function (host, ...rest) {
    record(`dns.${name}`, host)
    return original.call(this, host, ...rest)
  }
  const promised = dns.promises[name]
  dns.promises[name] = function (host, ...rest) {
    record(`dns.promises.${name}`, host)
    return promised.call(this, host, ...rest)
  }
}

const send = dgram.Socket.prototype.send
dgram.Socket.prototype.send = function (...args) {
  record(
    'udp',
    args.find((a) => typeof a === 'string'),
    args.find((a) => typeof a === 'number'),
  )
  return send.apply(this, args)
}
