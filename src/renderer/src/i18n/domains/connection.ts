/** The link between this page and Vedetta (the loopback host), and what waits on it. */
export default {
  it: {
    connection: {
      state: {
        connecting: 'Connessione in corso…',
        open: 'Connesso',
        closed: 'Connessione persa: riprovo…',
        refused:
          'Questa pagina non è più autorizzata: riaprila con l’indirizzo stampato da «vedetta host»',
      },
      badge: 'Collegamento con Vedetta',
      note: {
        sending: 'Invio in corso…',
        waiting: 'Non connesso: la nota sarà scritta nel diario appena torna la connessione.',
        unsent: 'Nota non scritta nel diario: {reason}',
        noAnswer: 'Vedetta non ha risposto. Controlla il diario prima di riprovare.',
        retry: 'Riprova',
      },
    },
  },
  en: {
    connection: {
      state: {
        connecting: 'Connecting…',
        open: 'Connected',
        closed: 'Connection lost: retrying…',
        refused:
          'This page is no longer authorised: open it again with the address printed by “vedetta host”',
      },
      badge: 'Link with Vedetta',
      note: {
        sending: 'Sending…',
        waiting:
          'Not connected: the note will be written in the journal as soon as the connection is back.',
        unsent: 'Note not written in the journal: {reason}',
        noAnswer: 'Vedetta did not answer. Check the journal before trying again.',
        retry: 'Try again',
      },
    },
  },
}
