import type { WireError } from './errors'

/** What the core gives a worker when it starts it. */
export interface WorkerStart {
  job: string
  input: unknown
  /** One Int32: 0 while the job may go on, 1 once the core asked it to stop. */
  cancel: SharedArrayBuffer
}

/** What a worker says back, in order: any number of progress reports, then one outcome. */
export type WorkerMessage =
  | { type: 'progress'; progress: unknown }
  | { type: 'done'; value: unknown }
  | { type: 'failed'; error: WireError }
