import type { z } from 'zod'

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
