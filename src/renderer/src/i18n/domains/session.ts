export default {
  it: {
    session: {
      onDuty: 'Di turno',
      nobody: 'nessuno',
      change: 'Cambia',
      name: 'Nome e cognome',
      confirm: 'Conferma',
    },
  },
  en: {
    session: {
      onDuty: 'On duty',
      nobody: 'nobody',
      change: 'Change',
      name: 'Full name',
      confirm: 'Confirm',
    },
  },
}
