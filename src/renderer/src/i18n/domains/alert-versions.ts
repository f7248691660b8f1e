/** An alert and its follow-ups as the board and Consegne list them. */
export default {
  it: {
    alertVersions: {
      version: 'Versione',
      alert: 'Allerta',
      update: 'Aggiornamento {n}',
      cessata: 'Cessata',
      comuni: 'Comuni',
      progress: 'Avanzamento',
      counts: '{sent} inviati · {failed} falliti · {uncertain} incerti, su {total}',
      noRows: 'nessun messaggio',
      confirmedBy: 'Confermata da',
      notConfirmed: 'non ancora confermata',
      inForce: 'in vigore',
      chain: 'Versioni di «{headline}»',
    },
  },
  en: {
    alertVersions: {
      version: 'Version',
      alert: 'Alert',
      update: 'Update {n}',
      cessata: 'All clear',
      comuni: 'Comuni',
      progress: 'Progress',
      counts: '{sent} sent · {failed} failed · {uncertain} uncertain, of {total}',
      noRows: 'no messages',
      confirmedBy: 'Confirmed by',
      notConfirmed: 'not confirmed yet',
      inForce: 'in force',
      chain: 'Versions of “{headline}”',
    },
  },
}
