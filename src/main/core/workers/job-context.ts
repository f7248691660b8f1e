/**
 * What a job running in the core's worker thread is given: a way to say how
 * far it has gone, and a way to hear that the operator asked it to stop.
 */
export interface JobContext<P> {
  /** Posted to the core's thread at once, even while the job keeps its own thread busy. */
  progress(progress: P): void
  /** True once the core asked the job to stop; a job checks it between rows, never waits for it. */
  cancelled(): boolean
}

/** A job: plain data in, plain data out (both cross threads by structured clone). */
export type Job<I, O, P = never> = (input: I, ctx: JobContext<P>) => O
