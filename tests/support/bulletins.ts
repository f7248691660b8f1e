/** An Italian CAP 1.2 bulletin for the Empolese Valdelsa, as a regional centre might publish it. */
export function italianCap(options: {
  identifier: string
  level: 'giallo' | 'arancione' | 'rosso'
  event?: string
  headline?: string
  msgType?: 'Alert' | 'Update' | 'Cancel'
  references?: string
  sent?: string
}): string {
  const awareness = {
    giallo: '2; yellow; Moderate',
    arancione: '3; orange; Severe',
    rosso: '4; red; Extreme',
  }[options.level]
  const severity = { giallo: 'Moderate', arancione: 'Severe', rosso: 'Extreme' }[options.level]
  const sent = options.sent ?? '2026-02-06T12:00:00+01:00'
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${options.identifier}</identifier>
  <sender>cfr@regione.toscana.it</sender>
  <sent>${sent}</sent>
  <status>Actual</status>
  <msgType>${options.msgType ?? 'Alert'}</msgType>
  <scope>Public</scope>${options.references ? `\n  <references>${options.references}</references>` : ''}
  <info>
    <language>it-IT</language>
    <category>Met</category>
    <event>${options.event ?? 'Allerta neve'}</event>
    <urgency>Expected</urgency>
    <severity>${severity}</severity>
    <certainty>Likely</certainty>
    <onset>2026-02-07T14:00:00+01:00</onset>
    <expires>2026-02-08T23:59:00+01:00</expires>
    <senderName>Centro Funzionale Regionale</senderName>
    <headline>${options.headline ?? `Allerta ${options.level} per neve: Empoli, Vinci, Certaldo`}</headline>
    <description>Nevicate anche a quote di pianura su Empoli, Vinci e Certaldo.</description>
    <instruction>Limitare gli spostamenti.</instruction>
    <web>https://www.regione.toscana.it/allertameteo</web>
    <parameter><valueName>awareness_level</valueName><value>${awareness}</value></parameter>
    <area>
      <areaDesc>Valdarno inferiore</areaDesc>
      <geocode><valueName>EMMA_ID</valueName><value>IT009</value></geocode>
    </area>
  </info>
</alert>`
}
