/** Messages of the Comuni screen. */
export default {
  it: {
    comuni: {
      tab: 'Comuni',
      title: 'Comuni',
      intro:
        'I comuni dell’Unione: servono per filtrare le liste, per riconoscere il comune nei file importati e, con le loro zone di allerta, per capire quali bollettini ci riguardano.',
      addTitle: 'Aggiungi un comune',
      add: 'Aggiungi',
      added: 'Comune «{name}» aggiunto.',
      saved: 'Comune «{name}» salvato.',
      deleted: 'Comune «{name}» eliminato.',
      deleteConfirm: 'Eliminare il comune «{name}»?',
      inUse:
        'Il comune «{name}» non si può eliminare perché è ancora il comune di alcuni contatti ({n}). Spostali prima su un altro comune.',
      inUseGeneric:
        'Il comune «{name}» non si può eliminare: è ancora usato. Spostane prima i contatti su un altro comune.',
      empty: 'Nessun comune.',
      table: 'Comuni dell’Unione',
      actions: 'Azioni',
      edit: 'Modifica',
      editNamed: 'Modifica il comune {name}',
      fields: {
        name: 'Nome',
        istatCode: 'Codice ISTAT',
        istatHint: 'Sei cifre, per esempio 048014 (Empoli).',
        province: 'Provincia',
        alertZones: 'Zone di allerta',
        alertZonesHint:
          'Come le nomina il bollettino di criticità, separate da virgole (es. Valdarno Inf.).',
      },
    },
  },
  en: {
    comuni: {
      tab: 'Comuni',
      title: 'Comuni',
      intro:
        'The municipalities of the union: used to filter lists, to recognise the comune in imported files and, with their alert zones, to tell which bulletins concern us.',
      addTitle: 'Add a comune',
      add: 'Add',
      added: 'Comune "{name}" added.',
      saved: 'Comune "{name}" saved.',
      deleted: 'Comune "{name}" deleted.',
      deleteConfirm: 'Delete the comune "{name}"?',
      inUse:
        'The comune "{name}" cannot be deleted because it is still the comune of some contacts ({n}). Move them to another comune first.',
      inUseGeneric:
        'The comune "{name}" cannot be deleted: it is still in use. Move its contacts to another comune first.',
      empty: 'No comuni.',
      table: 'Comuni of the union',
      actions: 'Actions',
      edit: 'Edit',
      editNamed: 'Edit the comune {name}',
      fields: {
        name: 'Name',
        istatCode: 'ISTAT code',
        istatHint: 'Six digits, e.g. 048014 (Empoli).',
        province: 'Province',
        alertZones: 'Alert zones',
        alertZonesHint:
          'As the criticality bulletin names them, separated by commas (e.g. Valdarno Inf.).',
      },
    },
  },
}
