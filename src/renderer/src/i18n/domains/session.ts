export default {
  it: {
    session: {
      onDuty: 'Di turno',
      nobody: 'nessuno',
      change: 'Cambia',
      name: 'Nome e cognome',
      confirm: 'Conferma',
      sendsAs: 'Invia: {name}, di turno',
      whoSends: 'Chi invia? Nome e cognome',
      whoSendsHelp:
        'Nessuno è di turno a questa postazione: il nome resta nel diario con l’invio e vale per i prossimi.',
    },
  },
  en: {
    session: {
      onDuty: 'On duty',
      nobody: 'nobody',
      change: 'Change',
      name: 'Full name',
      confirm: 'Confirm',
      sendsAs: 'Sending: {name}, on duty',
      whoSends: 'Who is sending? Full name',
      whoSendsHelp:
        'Nobody is on duty at this desk: the name goes into the journal with the send and stays for the next ones.',
    },
  },
}
