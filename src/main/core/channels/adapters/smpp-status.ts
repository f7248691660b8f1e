import type { SendOutcome } from '../adapter'

/**
 * What an SMPP command_status means for the outbox: retry later or give up, with
 * a sentence in Italian for the operator. Codes from SMPP 3.4 §5.1.3.
 */

type Failure = Extract<SendOutcome, { status: 'failed' }>

interface StatusMeaning {
  name: string
  retry: Failure['retry']
  code: string
  reason: string
}

const MEANINGS: Record<number, StatusMeaning> = {
  0x58: {
    name: 'ESME_RTHROTTLED',
    retry: 'transient',
    code: 'rate_limited',
    reason: 'Il centro SMS chiede di rallentare (troppi messaggi al secondo)',
  },
  0x14: {
    name: 'ESME_RMSGQFUL',
    retry: 'transient',
    code: 'queue_full',
    reason: 'La coda del centro SMS è piena',
  },
  0x08: {
    name: 'ESME_RSYSERR',
    retry: 'transient',
    code: 'provider_error',
    reason: 'Errore interno del centro SMS',
  },
  0x45: {
    name: 'ESME_RSUBMITFAIL',
    retry: 'transient',
    code: 'provider_error',
    reason: 'Il centro SMS non è riuscito ad accettare il messaggio',
  },
  0x64: {
    name: 'ESME_RX_T_APPN',
    retry: 'transient',
    code: 'provider_error',
    reason: 'Errore temporaneo del centro SMS',
  },
  0x04: {
    name: 'ESME_RINVBNDSTS',
    retry: 'transient',
    code: 'not_bound',
    reason: 'La sessione SMPP non era pronta',
  },
  0xff: {
    name: 'ESME_RUNKNOWNERR',
    retry: 'transient',
    code: 'provider_error',
    reason: 'Errore sconosciuto del centro SMS',
  },
  0x0b: {
    name: 'ESME_RINVDSTADR',
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Numero di destinazione non valido',
  },
  0x50: {
    name: 'ESME_RINVDSTTON',
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Formato del numero di destinazione non accettato',
  },
  0x51: {
    name: 'ESME_RINVDSTNPI',
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Piano di numerazione del destinatario non accettato',
  },
  0x0a: {
    name: 'ESME_RINVSRCADR',
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Mittente non valido o non autorizzato',
  },
  0x48: {
    name: 'ESME_RINVSRCTON',
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Formato del mittente non accettato',
  },
  0x49: {
    name: 'ESME_RINVSRCNPI',
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Piano di numerazione del mittente non accettato',
  },
  0x01: {
    name: 'ESME_RINVMSGLEN',
    retry: 'permanent',
    code: 'too_long',
    reason: 'Lunghezza del messaggio non accettata',
  },
  0x104: {
    name: 'ESME_RINVDCS',
    retry: 'permanent',
    code: 'encoding',
    reason: 'Codifica dei caratteri non accettata dal centro SMS',
  },
  0x43: {
    name: 'ESME_RINVESMCLASS',
    retry: 'permanent',
    code: 'invalid_request',
    reason: 'Messaggio in più parti non accettato dal centro SMS',
  },
  0x65: {
    name: 'ESME_RX_P_APPN',
    retry: 'permanent',
    code: 'rejected',
    reason: 'Messaggio rifiutato dal centro SMS',
  },
  0x66: {
    name: 'ESME_RX_R_APPN',
    retry: 'permanent',
    code: 'rejected',
    reason: 'Messaggio rifiutato dal centro SMS',
  },
  0x101: {
    name: 'ESME_RPROHIBITED',
    retry: 'permanent',
    code: 'rejected',
    reason: 'Invio non consentito per questo account',
  },
  0x0d: {
    name: 'ESME_RBINDFAIL',
    retry: 'permanent',
    code: 'auth',
    reason: 'Accesso al centro SMS rifiutato',
  },
  0x0e: {
    name: 'ESME_RINVPASWD',
    retry: 'permanent',
    code: 'auth',
    reason: 'Accesso al centro SMS rifiutato: password errata',
  },
  0x0f: {
    name: 'ESME_RINVSYSID',
    retry: 'permanent',
    code: 'auth',
    reason: 'Accesso al centro SMS rifiutato: system_id sconosciuto',
  },
  0x53: {
    name: 'ESME_RINVSYSTYP',
    retry: 'permanent',
    code: 'auth',
    reason: 'Accesso al centro SMS rifiutato: system_type non valido',
  },
  0x05: {
    name: 'ESME_RALYBND',
    retry: 'transient',
    code: 'not_bound',
    reason: 'Il centro SMS risulta già collegato con questo account',
  },
}

/** `0x0000000b` style, as SMSC logs print it. */
export function hexStatus(status: number): string {
  return `0x${status.toString(16).padStart(8, '0')}`
}

/** The symbolic name of a status (ESME_R…), or its hex code when vendor-specific. */
export function statusName(status: number): string {
  return MEANINGS[status]?.name ?? hexStatus(status)
}

/**
 * Turns a non-zero submit_sm_resp status into a failure. Unknown (often vendor)
 * codes are transient: the SMSC did not take the message, so a bounded retry
 * cannot duplicate it and may still get an alert through.
 */
export function failureFromStatus(status: number): Failure {
  const meaning = MEANINGS[status]
  const name = statusName(status)
  if (!meaning) {
    return {
      status: 'failed',
      retry: 'transient',
      code: 'provider_error',
      reason: `Il centro SMS ha rifiutato il messaggio (codice ${name})`,
      detail: `command_status ${hexStatus(status)}`,
    }
  }
  return {
    status: 'failed',
    retry: meaning.retry,
    code: meaning.code,
    reason: `${meaning.reason} (${name})`,
    detail: `command_status ${hexStatus(status)}`,
  }
}

/** True for bind answers that mean wrong credentials or account settings. */
export function isAuthStatus(status: number): boolean {
  return MEANINGS[status]?.code === 'auth'
}
