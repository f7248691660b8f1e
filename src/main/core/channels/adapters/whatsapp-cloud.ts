import type { AdapterConfig, ChannelAdapter } from '../adapter'
import { AdapterConfigError, type HttpAdapterOptions } from './config'

/** Being written: refuses to build until the adapter speaks the provider's protocol. */
export function createCloudWhatsappAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  void options
  throw new AdapterConfigError('kind', `${config.name}: canale non ancora disponibile`)
}
