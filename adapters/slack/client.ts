import { webApi } from '@slack/bolt';
import { UnrecoverableError } from 'bullmq';
import { agentFetch } from './http-fetch.js';

export type WebClient = InstanceType<typeof webApi.WebClient>;

/** Where the bot's token for a workspace comes from: one fixed token, or the installation store. */
export type TokenSource = (team: string) => Promise<string>;

/** Slack's base ends with a slash; SLACK_API_URL may not. */
export function apiBase(apiUrl?: string): string | undefined {
  if (!apiUrl) return undefined;
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

/** A 5xx or a dropped connection: Slack may have done what was asked (posted) before failing. */
const UNCERTAIN = new Set<string>([webApi.ErrorCode.HTTPError, webApi.ErrorCode.RequestError]);

// p-retry (what the WebClient retries with) reads `onFailedAttempt` from this object; throwing there
// ends the retries. Declared apart because the WebClient's type lists only node-retry's options.
/** How the WebClient reports a 429 it has waited out (it retries by throwing this). */
const RATE_LIMITED = /^A rate limit was exceeded/;

const retryConfig: webApi.RetryOptions & {
  onFailedAttempt(err: { code?: string; original?: { message?: string } }): void;
} = {
  retries: 5,
  factor: 1.5,
  minTimeout: 200,
  maxTimeout: 5_000,
  onFailedAttempt(err) {
    // A 429 was waited out already and posted nothing: the same request again is what Slack asks for.
    if (RATE_LIMITED.test(err.original?.message ?? '')) return;
    // Sending chat.postMessage again here would post twice: the outbox retries the post instead,
    // telling the adapter the earlier try is uncertain, so it looks the message up first.
    if (err.code && UNCERTAIN.has(err.code)) throw err;
  },
};

/**
 * A Web API client for a token, over kept-alive connections (`agentFetch`). The WebClient waits out
 * 429s itself (`Retry-After`, then the same request again) because `rejectRateLimitedCalls` is false;
 * an uncertain failure (5xx, connection lost) and every other error reach the caller at once.
 */
export function createWebClient(token: string, apiUrl?: string): WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: apiBase(apiUrl),
    rejectRateLimitedCalls: false,
    logLevel: webApi.LogLevel.ERROR,
    retryConfig,
    fetch: agentFetch,
  });
}

/** Slack's answers once the app is removed from a workspace or its token revoked: no retry can succeed. */
const REVOKED = new Set(['token_revoked', 'account_inactive']);

/**
 * The error to throw for a failed call: one that says the workspace is gone becomes final, so the
 * outbox gives the post up at once instead of trying it again and again.
 */
export function finalIfRevoked(err: unknown): unknown {
  const { code, data } = err as { code?: string; data?: { error?: string } };
  const error = data?.error ?? '';
  if (code !== webApi.ErrorCode.PlatformError || !REVOKED.has(error)) return err;
  return new UnrecoverableError(`slack refused: ${error} (the app was removed from the workspace)`);
}
