import { z } from 'zod'
import { command } from './define'

const Operator = z.object({ operator: z.string() })

/** Who is at the keyboard: every audit entry made through this connection carries the name. */
export const sessionCommands = {
  'session:identify': command(
    z.strictObject({
      operator: z.string().trim().min(2, { error: 'required' }).max(60, { error: 'too_long' }),
    }),
    Operator,
  ),
  'session:whoami': command(z.strictObject({}), Operator),
}
