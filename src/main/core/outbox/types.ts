export * from '../../../shared/alerts/outbox'
