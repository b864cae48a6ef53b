// Wires the pulse into a running process: the capture-side feed (installed so
// capture counts every post it takes) and the crisis gauge on /metrics.
// Returns the stop function for the service's shutdown stack.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { sendPulseBatch, type CrisisReader } from '../client/crises';
import type { PolicyPack } from '../policy/types';
import { setCrisisGaugeSource } from '../runtime/metrics';
import { brandKey } from './brand';
import { installPulseFeed, PulseFeed } from './feed';

export interface PulseWiring {
  client: Client;
  packs: { current(): PolicyPack };
  crises: CrisisReader;
  taskQueue: string;
  flushMs: number;
  logger: Logger;
}

export function startPulseFeed(w: PulseWiring): () => Promise<void> {
  let warned = false;
  const feed = new PulseFeed(w.packs, (brand, batch) => sendPulseBatch(w.client, w.taskQueue, brand, batch), {
    flushMs: w.flushMs,
    onError: (err) => {
      // Once per outage: the counts are kept for the next flush.
      if (!warned) w.logger.warn({ err }, "the pulse's counts could not be sent; retrying at the next flush");
      warned = true;
    },
  });
  feed.start();
  installPulseFeed(feed);
  setCrisisGaugeSource(async (gauge) => {
    const brand = brandKey(w.packs.current());
    try {
      const c = await w.crises.current(brand);
      gauge.reset();
      gauge.set({ brand, status: 'open' }, c?.status === 'open' ? 1 : 0);
      gauge.set({ brand, status: 'acknowledged' }, c?.status === 'acknowledged' ? 1 : 0);
    } catch {
      // Temporal did not answer: the scrape shows the last known state.
    }
  });
  return async () => {
    setCrisisGaugeSource(null);
    installPulseFeed(null);
    await feed.close();
  };
}
