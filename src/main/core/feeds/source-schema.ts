export * from '../../../shared/feeds/source-schema'
