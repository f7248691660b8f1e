/**
 * The core's log: one line per event on stderr (the desktop shell and the host
 * both keep it), with the place it happened and the error's message and code.
 * Never given secrets: adapters redact provider text before it reaches an
 * error, and this module writes only messages, codes and stacks.
 */
export interface Log {
  error(context: string, err: unknown): void
  warn(context: string, message: string): void
  info(context: string, message: string): void
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  const head = typeof code === 'string' ? `${err.message} [${code}]` : err.message
  const frames = err.stack?.split('\n').slice(1, 4).join('\n') ?? ''
  return frames ? `${head}\n${frames}` : head
}

export function createLog(write: (line: string) => void = (l) => process.stderr.write(l)): Log {
  const line = (level: string, context: string, text: string) =>
    write(`${new Date().toISOString()} ${level} ${context}: ${text}\n`)
  return {
    error: (context, err) => line('ERROR', context, describe(err)),
    warn: (context, message) => line('WARN', context, message),
    info: (context, message) => line('INFO', context, message),
  }
}
