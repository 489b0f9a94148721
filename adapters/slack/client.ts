import { webApi } from '@slack/bolt';

export type WebClient = InstanceType<typeof webApi.WebClient>;

/** Where the bot's token for a workspace comes from: one fixed token, or the installation store. */
export type TokenSource = (team: string) => Promise<string>;

/** Slack's base ends with a slash; SLACK_API_URL may not. */
export function apiBase(apiUrl?: string): string | undefined {
  if (!apiUrl) return undefined;
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

/**
 * A Web API client for a token. The WebClient waits out 429s itself (`Retry-After`, then the same
 * request again) because `rejectRateLimitedCalls` is false; other errors reach the caller.
 */
export function createWebClient(token: string, apiUrl?: string): WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: apiBase(apiUrl),
    rejectRateLimitedCalls: false,
    logLevel: webApi.LogLevel.ERROR,
    retryConfig: { retries: 5, factor: 1.5, minTimeout: 200, maxTimeout: 5_000 },
  });
}
