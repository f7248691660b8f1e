export * from '../../../shared/alerts/types'
