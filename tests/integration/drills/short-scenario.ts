/**
 * A whole scenario in a minute and a half of scenario time (a second and a
 * half at 60×): every kind of event, two checkpoints, and names that exist in
 * the drill workspace of drill-workspace.ts.
 */
export const SHORT_SCENARIO = `schemaVersion: 1
id: prova-breve
title: Prova breve
description: Una prova di un minuto e mezzo per controllare che nulla esca.
events:
  - at: T+0:00
    type: partner_relay
    partner: Istituto Enriques
    delay: 30s
  - id: giallo
    at: T+0:00:10
    type: bulletin
    source: Centro Funzionale Regione Toscana
    level: giallo
    kind: neve
    comuni: [Empoli, Vinci]
    headline: Allerta gialla per neve
    description: Nevicate deboli in collina.
    onset: T+1:00
    expires: T+24:00
  - id: domande
    at: T+0:00:20
    type: citizen_messages
    channel: sms
    category: question
    messages:
      - Domani le scuole sono aperte?
      - Serve la catena per andare a Vinci?
  - at: T+0:00:30
    type: channel_fault
    channel: Email Protezione Civile
    fault: reject
    duration: 20s
  - at: T+0:00:40
    type: ordinance
    comune: Empoli
    subject: chiusura_scuole
    title: Scuole chiuse domani
    text: Il Sindaco ordina la chiusura delle scuole per domani.
  - at: T+0:01:30
    type: note
    text: Fine della prova.
checkpoints:
  - id: sms
    description: SMS alle famiglie del Checchi entro un minuto dal bollettino
    type: first_send
    family: sms
    list: Genitori — Istituto Checchi
    after: giallo
    within: 1m
  - id: risposte
    description: Una risposta ai cittadini entro un minuto
    type: citizen_replies
    count: 1
    after: domande
    within: 1m
`
