import type { ApplicationMetricsCollector } from '@fw0/metrics-app';
import type { CustomMetricsCollector } from '@fw0/metrics-custom';
import { type Agent, request } from 'undici';

const COUNTRIES = ['fr', 'de', 'us', 'jp'];

/** What the shop needs: the collectors it reports to and the HTTP client it calls prices with. */
export interface ShopDependencies {
  readonly app: ApplicationMetricsCollector;
  readonly custom: CustomMetricsCollector;
  readonly agent: Agent;
  /** Origin of the target server (`http://127.0.0.1:<port>`). */
  readonly origin: string;
}

/** The synthetic service: decorated methods, `using` scopes, business metrics, HTTP calls. */
export interface Shop {
  /** One order, start to finish; resolves when it is done (failures are recorded, not thrown). */
  checkout(order: number): Promise<void>;
}

/**
 * Builds the shop class around the given collectors (decorators are evaluated when the class is
 * defined, so the class is made per collector).
 */
export function createShop({ app, custom, agent, origin }: ShopDependencies): Shop {
  class DemoShop implements Shop {
    /** Sums a cart: synchronous work, timed by the decorator (default name DemoShop.priceCart). */
    @app.performanceTimer()
    priceCart(items: number, seed: number): number {
      let total = 0;
      for (let i = 0; i < 2000 + (seed % 5) * 1000; i++) total += Math.sqrt(i + seed) % 7;
      return Math.round((items * 9.5 + (total % 20)) * 100) / 100;
    }

    /** Fetches exchange rates over HTTP through the observed undici Agent. */
    @app.performanceTimer('shop.fetch_prices', { upstream: 'prices' })
    async fetchPrices(): Promise<number> {
      const { statusCode, body } = await request(`${origin}/api/prices`, { dispatcher: agent });
      const text = await body.text();
      if (statusCode !== 200) throw new Error(`prices answered ${statusCode}`);
      return (JSON.parse(text) as { usd: number }).usd;
    }

    async checkout(order: number): Promise<void> {
      const country = COUNTRIES[order % COUNTRIES.length]!;
      // A scoped timer: ends when the block is left, whatever way.
      await using scope = app.performanceTracker('shop.checkout', { country });
      try {
        const items = 1 + (order % 5);
        const amount = this.priceCart(items, order);
        scope.set('items', items);
        await this.fetchPrices();
        if (order % 5 === 0) {
          const catalog = await request(`${origin}/api/catalog`, { dispatcher: agent });
          await catalog.body.dump();
        }
        custom.incrementCounter('shop_orders', 1, { country });
        custom.recordBusinessMetric('shop_revenue', amount, 'eur', { country }, { order, items });
      } catch (error) {
        scope.fail(error);
        custom.incrementCounter('shop_failed_orders', 1, { country });
      }
    }
  }
  return new DemoShop();
}
