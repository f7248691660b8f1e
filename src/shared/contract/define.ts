import { z } from 'zod'

/** A command: a request validated at the boundary, and the answer it promises. */
export interface CommandDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
}

export function command<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): CommandDef<I, O> {
  return { input, output }
}

/**
 * An answer the core types with its own interface `T`, checked at run time by the
 * fields given (those the UI relies on); any other field passes as it is. A loose
 * check is still a check: a missing id, a number sent as text, a list sent as one
 * item fail in tests and development (see the dispatcher's `checkOutputs`).
 */
export function shaped<T>(shape: z.ZodRawShape): z.ZodType<T> {
  return z.looseObject(shape) as unknown as z.ZodType<T>
}

/** A list of {@link shaped} answers. */
export function shapedList<T>(shape: z.ZodRawShape): z.ZodType<T[]> {
  return z.array(z.looseObject(shape)) as unknown as z.ZodType<T[]>
}
