import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

/**
 * Stoplight Prism as a validating mock of a provider's OpenAPI document:
 * requests that break the spec are answered 4xx/422 with the violations
 * (`sl-violations` header, `validation` in the problem body). Tests point an
 * adapter at it to prove that what the adapter sends is what the provider's
 * own specification accepts.
 */

const PRISM_BIN = path.resolve(__dirname, '../../node_modules/@stoplight/prism-cli/dist/index.js')

export interface PrismMock {
  url: string
  close(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Starts `prism mock --errors SPEC` on 127.0.0.1 and waits until it listens. */
export async function startPrism(
  specPath: string,
  options: { dynamic?: boolean; bootTimeoutMs?: number } = {},
): Promise<PrismMock> {
  const port = await freePort()
  const args = [
    PRISM_BIN,
    'mock',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '--errors',
    ...(options.dynamic ? ['-d'] : []),
    specPath,
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child)
      reject(
        new Error(
          `Prism did not start within ${options.bootTimeoutMs ?? 60_000} ms:\n${output.slice(-2000)}`,
        ),
      )
    }, options.bootTimeoutMs ?? 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      // Prism prints every route first; keep only the tail for diagnostics.
      if (output.length > 20_000) output = output.slice(-4_000)
      if (output.includes('Prism is listening')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Prism exited with code ${code}:\n${output.slice(-2000)}`))
    })
  })
  return { url: `http://127.0.0.1:${port}`, close: () => stop(child) }
}

/** What Prism thought of one request. */
export interface PrismVerdict {
  status: number
  /** Violations of the spec by the request (never by Prism's own mock response). */
  requestViolations: string[]
}

interface Violation {
  location?: unknown
  message?: unknown
}

function requestMessages(list: unknown, requestPrefixed: boolean): string[] {
  if (!Array.isArray(list)) return []
  return (list as Violation[])
    .filter((v) => {
      const where = Array.isArray(v.location) ? v.location[0] : undefined
      return requestPrefixed ? where === 'request' : where !== 'response'
    })
    .map((v) => `${Array.isArray(v.location) ? v.location.join('.') : '?'}: ${String(v.message)}`)
}

/** Statuses Prism uses to refuse a request (auth, body, content type, route). */
const REFUSALS = new Set([400, 401, 403, 404, 405, 406, 415, 422])

/** Reads Prism's verdict from its answer (the response is cloned, the adapter still reads it). */
export async function prismVerdict(res: Response): Promise<PrismVerdict> {
  const violations: string[] = []
  const header = res.headers.get('sl-violations')
  if (header) {
    try {
      violations.push(...requestMessages(JSON.parse(header), true))
    } catch {
      // With many violations Prism writes "Too many violations! [...]", cut short.
      // Those of its own generated response (random mock data against the
      // provider's oneOf schemas) say nothing of our request; any located in
      // the request still counts.
      const flood = header.startsWith('Too many violations!')
      if (!flood || /"location":\["request"/.test(header))
        violations.push(`unreadable sl-violations: ${header}`)
    }
  }
  const text = await res.clone().text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const type = (body as { type?: unknown } | undefined)?.type
  if (typeof type === 'string' && type.includes('stoplight.io/prism/errors')) {
    violations.push(...requestMessages((body as { validation?: unknown }).validation, false))
    if (REFUSALS.has(res.status) && violations.length === 0)
      violations.push(`HTTP ${res.status}: ${type}`)
  }
  return { status: res.status, requestViolations: [...new Set(violations)] }
}

/** A fetch that records Prism's verdict on every request it carries. */
export function recordingFetch(verdicts: PrismVerdict[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init)
    verdicts.push(await prismVerdict(res))
    return res
  }
}
