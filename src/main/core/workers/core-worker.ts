/**
 * The core's worker thread: runs one job (see jobs.ts) and ends. Its own file
 * in every build (electron-vite's `core-worker` entry; built on demand when the
 * core runs from source), started by run-job.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { toWire } from './errors'
import { JOBS } from './jobs'
import type { JobContext } from './job-context'
import type { WorkerMessage, WorkerStart } from './protocol'

const port = parentPort
if (!port) throw new Error('core-worker.js runs only as a worker thread')
const start = workerData as WorkerStart
const flag = new Int32Array(start.cancel)
const post = (message: WorkerMessage) => port.postMessage(message)
const ctx: JobContext<unknown> = {
  progress: (progress) => post({ type: 'progress', progress }),
  cancelled: () => Atomics.load(flag, 0) === 1,
}

try {
  const job = JOBS[start.job as keyof typeof JOBS] as
    ((input: unknown, ctx: JobContext<unknown>) => unknown) | undefined
  if (!job) throw new Error(`unknown worker job "${start.job}"`)
  post({ type: 'done', value: job(start.input, ctx) })
} catch (err) {
  post({ type: 'failed', error: toWire(err) })
}
