import { isReadOnlyOperation } from "@cleanup-runner/plugin-kit";
import { seededRandom } from "./seeded-random.js";

/**
 * How often each fault strikes, per call, from 0 to 1. For tests and the
 * bench only: nothing injects faults unless a session is given an injector.
 */
export interface FaultRates {
  /** ThrottlingException (HTTP 400) or TooManyRequestsException (429). */
  readonly throttle?: number;
  /** InternalFailure / ServiceUnavailable (HTTP 500 / 503). */
  readonly serverError?: number;
  /** A connection reset (ECONNRESET) or a socket timeout (TimeoutError). */
  readonly reset?: number;
  /** On mutating calls only: a conflict that a later attempt gets past (eventual consistency, HTTP 409). */
  readonly conflict?: number;
  /** Calls answered late. */
  readonly slow?: number;
  /** How late a slow call is, ms (default 2,000). */
  readonly slowMs?: number;
  /** Services (SDK client names, e.g. `S3`) whose every call is denied. */
  readonly deniedServices?: readonly string[];
}

/** What the injector did, by fault. */
export type FaultCounts = Record<
  "throttle" | "serverError" | "reset" | "conflict" | "slow" | "denied" | "passed" | "retried",
  number
>;

/** The errors this module made, so only they are retried by the model of the SDK. */
const injected = new WeakSet<object>();

function sdkError(name: string, status: number | undefined, message: string, code?: string): Error {
  const error = Object.assign(new Error(message), {
    name,
    ...(code ? { code } : {}),
    $fault: status !== undefined && status < 500 ? "client" : "server",
    $metadata: status === undefined ? {} : { httpStatusCode: status },
  });
  injected.add(error);
  return error;
}

/**
 * Injects AWS's failure modes into a session's calls, at given rates, the way
 * AWS presents them (error names, HTTP statuses, socket codes), so the
 * engine's classification and retries are tested against the real shapes.
 * Give `inject` to a session as `beforeCall`.
 */
export class FaultInjector {
  readonly counts: FaultCounts = {
    throttle: 0,
    serverError: 0,
    reset: 0,
    conflict: 0,
    slow: 0,
    denied: 0,
    passed: 0,
    retried: 0,
  };
  readonly #next: () => number;

  constructor(
    private readonly rates: FaultRates,
    seed = 1,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly sdkRetries: SdkRetryModel = { maxAttempts: 5, baseDelayMs: 100 },
  ) {
    this.#next = seededRandom(seed);
  }

  /**
   * Runs one SDK call with faults. A real throttle, 5xx or reset arrives
   * beneath the SDK, which retries it (up to `maxAttempts`, exponential
   * backoff with full jitter) before the caller sees it; injected faults get
   * the same treatment, so a call fails to the engine only as often as it
   * would against AWS. Denials and conflicts are not retried, as the SDK does not.
   */
  async around<T>(service: string, operation: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.inject(service, operation);
        return await send();
      } catch (error) {
        const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode ?? 0;
        const transient =
          injected.has(error as object) &&
          (status === 429 ||
            status >= 500 ||
            e.name === "ThrottlingException" ||
            e.name === "TimeoutError" ||
            e.code === "ECONNRESET");
        if (!transient || attempt >= this.sdkRetries.maxAttempts) throw error;
        this.counts.retried++;
        await this.sleep(Math.random() * Math.min(20_000, this.sdkRetries.baseDelayMs * 2 ** attempt));
      }
    }
  }

  /** Called before each call is sent: throws the injected fault, delays, or lets it pass. */
  readonly inject = async (service: string, operation: string): Promise<void> => {
    const r = this.rates;
    if (r.deniedServices?.includes(service)) {
      this.counts.denied++;
      throw sdkError(
        "AccessDeniedException",
        403,
        `User: arn:aws:iam::123456789012:user/cleanup is not authorized to perform: ${service.toLowerCase()}:${operation} because no identity-based policy allows the ${service.toLowerCase()}:${operation} action`,
      );
    }
    const roll = this.#next();
    let edge = 0;
    if (roll < (edge += r.throttle ?? 0)) {
      this.counts.throttle++;
      throw this.#next() < 0.5
        ? sdkError("ThrottlingException", 400, "Rate exceeded")
        : sdkError("TooManyRequestsException", 429, "Too Many Requests");
    }
    if (roll < (edge += r.serverError ?? 0)) {
      this.counts.serverError++;
      throw this.#next() < 0.5
        ? sdkError("InternalFailure", 500, "We encountered an internal error. Please try again.")
        : sdkError("ServiceUnavailable", 503, "Service is unavailable");
    }
    if (roll < (edge += r.reset ?? 0)) {
      this.counts.reset++;
      throw this.#next() < 0.5
        ? sdkError("Error", undefined, "socket hang up", "ECONNRESET")
        : sdkError("TimeoutError", undefined, "Connection timed out after 30000 ms");
    }
    if (!isReadOnlyOperation(operation) && roll < (edge += r.conflict ?? 0)) {
      this.counts.conflict++;
      throw sdkError("ConflictException", 409, "The resource is being modified by another operation; try again");
    }
    if (roll < edge + (r.slow ?? 0)) {
      this.counts.slow++;
      await this.sleep(r.slowMs ?? 2_000);
    }
    this.counts.passed++;
  };
}

/** How the SDK's standard retry strategy answers the faults it retries. */
export interface SdkRetryModel {
  /** Attempts per call, the first included (the runner sets 5). */
  readonly maxAttempts: number;
  /** Base of the exponential backoff, ms (the SDK's is 100). */
  readonly baseDelayMs: number;
}

/**
 * Reads rates from `throttle=0.2,serverError=0.05,reset=0.02,denied=S3` (the
 * bench's `--faults` flag).
 */
export function parseFaultRates(text: string): FaultRates {
  const rates: Record<string, unknown> = {};
  for (const part of text.split(",").filter(Boolean)) {
    const [key, value] = part.split("=");
    if (key === "denied") rates.deniedServices = value?.split("+") ?? [];
    else if (["throttle", "serverError", "reset", "conflict", "slow", "slowMs"].includes(key ?? "")) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--faults ${part}: expected a number`);
      rates[key!] = n;
    } else
      throw new Error(`--faults ${part}: unknown fault (throttle, serverError, reset, conflict, slow, slowMs, denied)`);
  }
  return rates;
}
