import { Worker } from 'node:worker_threads'
import { fromWire } from './errors'
import type { JobInput, JobName, JobOutput, JobProgress } from './jobs'
import type { WorkerMessage, WorkerStart } from './protocol'
import { coreWorkerScript } from './worker-script'

export interface RunningJob<O> {
  /** The job's answer, or its error rebuilt as the same class it was thrown as. */
  readonly result: Promise<O>
  /** Asks the job to stop; it stops at its next check and fails as it says (an import: nothing saved). */
  cancel(): void
}

/**
 * Runs a job in a worker thread of its own, off the core's event loop: the
 * core's thread only starts it, hears its progress and takes its answer.
 * One thread per job, ended with it: a crash of one job takes nothing else down.
 */
export function startJob<K extends JobName>(
  job: K,
  input: JobInput<K>,
  onProgress?: (progress: JobProgress<K>) => void,
): RunningJob<JobOutput<K>> {
  const cancel = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
  const flag = new Int32Array(cancel)
  const start: WorkerStart = { job, input, cancel }

  const run = (worker: Worker) =>
    new Promise<JobOutput<K>>((resolve, reject) => {
      let settled = false
      const settle = (fn: () => void) => {
        if (settled) return
        settled = true
        fn()
      }
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') onProgress?.(message.progress as JobProgress<K>)
        else if (message.type === 'done') settle(() => resolve(message.value as JobOutput<K>))
        else settle(() => reject(fromWire(message.error)))
      })
      // The worker could not start or run at all (its file missing, a crash): the job failed.
      worker.on('error', (err) => settle(() => reject(err)))
      worker.on('exit', (code) => {
        const why = `the core's worker for ${job} ended (code ${code}) without an answer`
        settle(() => reject(new Error(why)))
      })
    })

  // A cancel before the thread is up sets the flag all the same: the job reads it first thing.
  const result = coreWorkerScript().then((script) => run(new Worker(script, { workerData: start })))
  return { result, cancel: () => void Atomics.store(flag, 0, 1) }
}
