import { webApi } from '@slack/bolt';
import { ConfigError } from '../../src/index.js';

/** What an operator meets when Slack refuses the app at start: one line, the variable and the fix. */

/** Slack's answers to a token it does not take (wrong, revoked, of another kind). */
const REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

const FIX = {
  SLACK_BOT_TOKEN:
    'copy the Bot User OAuth Token (xoxb-…) from your app’s Install App page; after a reinstall it is a new one',
  SLACK_APP_TOKEN:
    'make an app-level token with the scope connections:write (Basic Information → App-Level Tokens) and copy the xapp-… token',
} as const;

interface SlackError {
  code?: string;
  data?: { error?: string };
  original?: { code?: string; message?: string; cause?: { code?: string } };
}

/**
 * The line for a Web API error met while checking a token at start, or undefined when it is none of
 * these. `variable` is the token's; `apiUrl` is SLACK_API_URL when set.
 */
export function explainSlackStartError(
  err: unknown,
  variable: keyof typeof FIX,
  apiUrl: string | undefined,
): ConfigError | undefined {
  const { code, data, original } = (err ?? {}) as SlackError;
  if (code === webApi.ErrorCode.PlatformError && data?.error && REFUSED.has(data.error))
    return new ConfigError(`${variable}: Slack refused it (${data.error}): ${FIX[variable]}`);
  if (code === webApi.ErrorCode.RequestError) {
    const why = original?.code ?? original?.cause?.code ?? original?.message ?? 'no answer';
    const fix = apiUrl
      ? 'check SLACK_API_URL, or leave it empty for Slack itself'
      : 'check that this machine reaches slack.com (DNS, firewall, proxy)';
    return new ConfigError(
      `SLACK_API_URL: cannot reach Slack at ${apiUrl ?? 'https://slack.com/api/'} (${why}): ${fix}`,
    );
  }
  return undefined;
}
