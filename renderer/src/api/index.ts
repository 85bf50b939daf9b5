export { createClient, type SluiceClient } from './client';
export { selectTransport } from './select';
export type { ConnectionState, Transport } from './transport';
