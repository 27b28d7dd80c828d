import type { LookupFunction } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { CollectorOptions } from '@fw0/metrics-core';

/** Options of one HTTP measurement (`measureHttpRequest`) or HTTP probe target. */
export interface HttpProbeOptions {
  /** Request method (default `GET`). */
  readonly method?: 'GET' | 'HEAD';
  /** Extra request headers: names are HTTP tokens, values strings without CR, LF or NUL. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Redirects to follow, at most: an integer from 0 to 20 (default 0: a 3xx response is the
   * result). Only to http: and https: URLs.
   */
  readonly followRedirects?: number;
  /**
   * Largest response body accepted, in bytes: an integer >= 0 (default 10 MiB); past it the
   * probe fails `too_large`.
   */
  readonly maxBodyBytes?: number;
  /** Status codes that count as success: a non-empty array of integers from 100 to 599 (default: 200 to 299). */
  readonly validStatusCodes?: readonly number[];
  /** The body (decoded as UTF-8) must match this, or the probe fails with reason `regex`. */
  readonly bodyMatches?: RegExp;
  /** Accept any server certificate, self-signed included (default false). Per probe, never global. */
  readonly insecure?: boolean;
  /**
   * Certificates (PEM text or bytes, or an array of them) to trust for this probe instead of
   * Node's default CAs. One TLS context is made per distinct `ca` value (the same string, or the
   * same Buffer or array object) and reused by every connection: pass the same value to every
   * probe of a server.
   */
  readonly ca?: ConnectionOptions['ca'];
  /** Reuse connections between measurements (default true); false opens a new one each time. */
  readonly keepAlive?: boolean;
  /**
   * Value of the `target` label, a non-empty string of valid Unicode (default: the URL without
   * credentials and fragment).
   */
  readonly target?: string;
  /** An AbortSignal that ends the measurement early: it resolves to null with failure reason `aborted`. */
  readonly signal?: AbortSignal;
}

/** Options of one TCP measurement (`measureTcpLatency`). */
export interface TcpProbeOptions {
  /** Value of the `target` label, a non-empty string of valid Unicode (default `host:port`). */
  readonly target?: string;
  /** An AbortSignal that ends the measurement early: it resolves to null with failure reason `aborted`. */
  readonly signal?: AbortSignal;
}

/**
 * The options object of `measureHttpRequest(url, { timeoutMs, ...options })`: the HTTP options
 * with the timeout, named with its unit.
 */
export interface HttpRequestOptions extends HttpProbeOptions {
  /** Longest the measurement may take, in **milliseconds** (default 10,000). */
  readonly timeoutMs?: number;
}

/**
 * The options object of `measureTcpLatency(host, port, { timeoutMs, ...options })`: the TCP
 * options with the timeout, named with its unit.
 */
export interface TcpLatencyOptions extends TcpProbeOptions {
  /** Longest the measurement may take, in **milliseconds** (default 5,000). */
  readonly timeoutMs?: number;
}

/** What every scheduled probe target has. */
interface ProbeSchedule {
  /**
   * Time between the starts of two probes of this target, in milliseconds: an integer from 1 to
   * 86,400,000 (one day; default 15,000).
   */
  readonly intervalMs?: number;
  /**
   * Longest a probe may take, in milliseconds: an integer from 1 to 86,400,000 (default: 10,000
   * for HTTP, 5,000 for TCP, but no more than `intervalMs`). A longer timeout than the interval
   * is allowed: the probe then delays the next one rather than overlapping it.
   */
  readonly timeoutMs?: number;
}

/** A URL to probe on a schedule. */
export interface HttpProbeTarget extends ProbeSchedule, Omit<HttpProbeOptions, 'signal'> {
  readonly kind: 'http';
  readonly url: string | URL;
}

/** A TCP port to probe on a schedule. */
export interface TcpProbeTarget extends ProbeSchedule, Omit<TcpProbeOptions, 'signal'> {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
}

/** A target of `startProbes`. */
export type ProbeTarget = HttpProbeTarget | TcpProbeTarget;

/** Options of a {@link NetworkMetricsCollector}. */
export interface NetworkCollectorOptions extends CollectorOptions {
  /**
   * Collector name, unique in its registry: a non-empty string of valid Unicode (default
   * `network`; it is the `collector` label of self-metrics).
   */
  readonly name?: string;
  /** Scheduled probes running at the same time, at most: an integer from 1 to 10,000 (default 8). */
  readonly maxConcurrentProbes?: number;
  /**
   * Distinct `target` label values kept per metric: an integer from 1 to 100,000 (default 500);
   * probes of further targets are recorded in the registry's overflow series. Collectors that
   * share a registry share its probe metrics, so they must have the same `maxTargets` (another
   * value throws the registry's MetricConflictError).
   */
  readonly maxTargets?: number;
  /**
   * Longest a connection attempt of an HTTP measurement may take, in milliseconds: 1 to
   * 86,400,000 (default 10,000).
   */
  readonly connectTimeoutMs?: number;
  /** How long an idle HTTP connection is kept for reuse, in milliseconds: 1 to 86,400,000 (default 4,000). */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Resolves host names for every measurement and probe of this collector, in place of
   * `dns.lookup`: the `lookup` option of `net.connect`, with the same signature (it is called
   * with `{ all: true }` when Node tries several addresses). Use it to resolve through servers
   * of your own (a `dns.Resolver` with `setServers`), a service-discovery table, or a stub in
   * tests. Never called for IP addresses. Its time is the `resolve` phase; an error with code
   * `ENOTFOUND` (or another DNS code) counts as failure reason `dns`. It must call back, with
   * an error if need be; the probe's timeout ends the measurement either way.
   */
  readonly lookup?: LookupFunction;
}

/** Per-target counts behind the success ratio. */
export interface TargetSuccessRate {
  readonly kind: 'http' | 'tcp';
  readonly target: string;
  readonly attempts: number;
  readonly successes: number;
  /** Failures by reason (only reasons seen). */
  readonly failures: Readonly<Record<string, number>>;
  /** `successes / attempts`, 0 to 1 (NaN before the first attempt). */
  readonly successRatio: number;
}

/**
 * The `context` of the sample `measureHttpRequest` returns. Durations in seconds, sizes in bytes.
 * (A type alias, so that it fits a sample's `Record<string, unknown>` context.)
 */
export type HttpProbeContext = {
  readonly url: string;
  readonly statusCode: number;
  /** Phase durations, in seconds; they add up to the sample's value. */
  readonly phases: {
    readonly resolve: number;
    readonly connect: number;
    readonly tls: number;
    readonly processing: number;
    readonly transfer: number;
  };
  /** Body bytes received. */
  readonly bodyBytes: number;
  /** The Content-Length header, in bytes; -1 when absent. */
  readonly contentLength: number;
  /** True when the final request went over a connection opened earlier. */
  readonly connectionReused: boolean;
  readonly redirects: number;
  /** True when the final request used TLS. */
  readonly tls: boolean;
};

/** The `context` of the sample `measureTcpLatency` returns. Durations in seconds. */
export type TcpProbeContext = {
  readonly host: string;
  readonly port: number;
  /** The address connected to. */
  readonly address: string | undefined;
  readonly phases: { readonly resolve: number; readonly connect: number };
};
