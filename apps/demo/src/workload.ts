import type { ApplicationMetricsCollector } from '@fw0/metrics-app';
import type { CustomMetricsCollector } from '@fw0/metrics-custom';
import type { NetworkMetricsCollector } from '@fw0/metrics-network';
import { Agent } from 'undici';
import { createShop } from './shop.js';

/** Most checkouts in flight at once; ticks beyond are skipped (and counted as a gauge). */
const MAX_IN_FLIGHT = 32;

/** The synthetic workload: orders at a steady rate against a local server. */
export class Workload {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private orders = 0;

  private constructor(
    private readonly agent: Agent,
    private readonly shop: ReturnType<typeof createShop>,
    private readonly custom: CustomMetricsCollector,
    private readonly stopObserving: () => void,
  ) {}

  /**
   * Creates the shop and its HTTP client (an undici Agent whose pool stats the network collector
   * exports as `name="shop-api"`) against the target server at `origin`.
   */
  static async create(
    collectors: {
      app: ApplicationMetricsCollector;
      custom: CustomMetricsCollector;
      network: NetworkMetricsCollector;
    },
    origin: string,
  ): Promise<Workload> {
    const agent = new Agent({ connections: 8, keepAliveTimeout: 4000 });
    const stopObserving = collectors.network.observeDispatcher(agent, 'shop-api');
    const shop = createShop({ app: collectors.app, custom: collectors.custom, agent, origin });
    return new Workload(agent, shop, collectors.custom, stopObserving);
  }

  /** Places `perSecond` orders a second until stopped. */
  start(perSecond: number): void {
    if (this.timer !== undefined) return;
    const intervalMs = Math.max(1, Math.round(1000 / perSecond));
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  /** Stops placing orders, waits for those in flight and closes the client. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled(this.inFlight);
    this.stopObserving();
    await this.agent.close();
  }

  private tick(): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.custom.incrementCounter('shop_skipped_ticks');
      return;
    }
    const order = this.shop.checkout(++this.orders).finally(() => {
      this.inFlight.delete(order);
      this.custom.setGauge('shop_checkouts_in_flight', this.inFlight.size);
    });
    this.inFlight.add(order);
    this.custom.setGauge('shop_checkouts_in_flight', this.inFlight.size);
  }
}
