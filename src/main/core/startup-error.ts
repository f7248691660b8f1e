/**
 * What to tell the operator when Vedetta cannot start: the desktop shows it in
 * an error dialog and exits, `vedetta host` prints it as one line and exits
 * non-zero. Never a stack: that goes to the log.
 */
import { SchemaError } from './db/migrate'
import { WorkspaceLockedError } from './host-lock'

export interface StartupProblem {
  /** The dialog's title. */
  title: string
  /** The dialog's text: what happened and what to do. */
  message: string
  /** The same in one line, for the command line. */
  line: string
}

const firstLine = (text: string) => text.split('\n')[0]!.trim()
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** The operator's words for a start-up failure. */
export function startupProblem(err: unknown): StartupProblem {
  if (err instanceof WorkspaceLockedError) {
    return {
      title: 'Vedetta è già aperta',
      message:
        `${capital(err.message)}.\n\n` +
        `Il blocco è tenuto dal sistema operativo finché l'altra Vedetta è in esecuzione ` +
        `e si libera da solo quando si chiude, anche dopo un arresto improvviso: ` +
        `chiudi l'altra finestra o il comando «vedetta host» e riapri Vedetta.`,
      line: err.message,
    }
  }
  const e = err as { code?: unknown; path?: unknown; message?: unknown }
  const code = typeof e?.code === 'string' ? e.code : undefined
  const path = typeof e?.path === 'string' ? e.path : undefined
  const text = firstLine(typeof e?.message === 'string' ? e.message : String(err))
  const reason = err instanceof SchemaError ? schemaReason(text) : knownReason(code, path)
  const title = 'Vedetta non si è avviata'
  if (reason) return { title, message: `${capital(reason)}.`, line: reason }
  return {
    title,
    message: `Errore all'avvio: ${text}.\n\nI dettagli tecnici sono nel registro di Vedetta.`,
    line: `errore all'avvio: ${text}`,
  }
}

function knownReason(code: string | undefined, path: string | undefined): string | undefined {
  const where = path ? ` ${path}` : ''
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `Vedetta non ha il permesso di usare ${path ?? 'la cartella dei dati'}: controlla i permessi o scegli un'altra cartella con VEDETTA_DATA_DIR`
    case 'EROFS':
      return `la cartella dei dati${where} è su un disco in sola lettura: scegline un'altra con VEDETTA_DATA_DIR`
    case 'ENOSPC':
      return 'il disco è pieno: libera spazio e riapri Vedetta'
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return "il file dello spazio di lavoro è danneggiato: ripristina l'ultima copia con «vedetta restore»"
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'il database dello spazio di lavoro è occupato da un altro programma: chiudilo e riapri Vedetta'
  }
  return undefined
}

function schemaReason(text: string): string | undefined {
  if (/newer Vedetta/.test(text))
    return 'lo spazio di lavoro è stato scritto da una versione più recente di Vedetta: aggiorna Vedetta'
  if (/not a Vedetta workspace/.test(text))
    return "il file dello spazio di lavoro non è di Vedetta: scegli un'altra cartella con VEDETTA_DATA_DIR"
  return undefined
}
