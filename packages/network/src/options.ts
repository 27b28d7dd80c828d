import type { ConnectionOptions } from 'node:tls';
import type { CollectorOptions } from '@fw0/metrics-core';

/** Options of one HTTP measurement (`measureHttpRequest`) or HTTP probe target. */
export interface HttpProbeOptions {
  /** Request method (default `GET`). */
  readonly method?: 'GET' | 'HEAD';
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Redirects to follow, at most (default 0: a 3xx response is the result). Only http: and https:. */
  readonly followRedirects?: number;
  /** Largest response body accepted, in bytes (default 10 MiB); past it the probe fails `too_large`. */
  readonly maxBodyBytes?: number;
  /** Status codes that count as success (default: 200 to 299). */
  readonly validStatusCodes?: readonly number[];
  /** The body (decoded as UTF-8) must match this, or the probe fails with reason `regex`. */
  readonly bodyMatches?: RegExp;
  /** Accept any server certificate, self-signed included (default false). Per probe, never global. */
  readonly insecure?: boolean;
  /** Certificates (PEM) to trust for this probe instead of Node's default CAs. */
  readonly ca?: ConnectionOptions['ca'];
  /** Reuse connections between measurements (default true); false opens a new one each time. */
  readonly keepAlive?: boolean;
  /** Value of the `target` label (default: the URL without credentials and fragment). */
  readonly target?: string;
  /** Ends the measurement early: it resolves to null with failure reason `aborted`. */
  readonly signal?: AbortSignal;
}

/** Options of one TCP measurement (`measureTcpLatency`). */
export interface TcpProbeOptions {
  /** Value of the `target` label (default `host:port`). */
  readonly target?: string;
  /** Ends the measurement early: it resolves to null with failure reason `aborted`. */
  readonly signal?: AbortSignal;
}

/** What every scheduled probe target has. */
interface ProbeSchedule {
  /** Time between the starts of two probes of this target, in milliseconds (default 15,000). */
  readonly intervalMs?: number;
  /**
   * Longest a probe may take, in milliseconds (default: 10,000 for HTTP, 5,000 for TCP, but no
   * more than `intervalMs`). A longer timeout than the interval is allowed: the probe then
   * delays the next one rather than overlapping it.
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
  /** Collector name, unique in its registry (default `network`). */
  readonly name?: string;
  /** Scheduled probes running at the same time, at most (default 8). */
  readonly maxConcurrentProbes?: number;
  /**
   * Distinct `target` label values kept per metric (default 500); probes of further targets are
   * recorded in the registry's overflow series.
   */
  readonly maxTargets?: number;
  /** Longest a connection attempt of an HTTP measurement may take, in milliseconds (default 10,000). */
  readonly connectTimeoutMs?: number;
  /** How long an idle HTTP connection is kept for reuse, in milliseconds (default 4,000). */
  readonly keepAliveTimeoutMs?: number;
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
