/**
 * What the relay's modules share: the options, the store, Graph, the log,
 * background work and who is online.
 *
 * @module
 */
import type { RelayConfig } from './config.js';
import type { GraphClient } from './graph.js';
import type { Logger } from './logging.js';
import type { Presence } from './presence.js';
import type { Records } from './records.js';
import type { RelayStore } from './store.js';
import type { Tasks } from './tasks.js';

export interface RelayContext {
  config: RelayConfig;
  store: RelayStore;
  records: Records;
  graph: GraphClient;
  log: Logger;
  tasks: Tasks;
  presence: Presence;
  /** The time now, as an ISO string. */
  nowIso(): string;
}
