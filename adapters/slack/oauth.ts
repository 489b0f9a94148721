import type { Installation, InstallationStore } from '@slack/bolt';
import { defaultCallbackSuccess, InstallProvider } from '@slack/oauth';
import type { Logger, RequestHandler } from '../../src/index.js';
import { boltLogger } from './bolt-logger.js';
import { apiBase } from './client.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * The bot scopes an install asks for (the same as slack/manifest.yaml). No `chat:write.public`: the
 * bot posts only where it was invited, where it also receives the answers; channels:read and
 * groups:read tell whether it was (conversations.info) and which channels a member is in (Home tab).
 */
export const BOT_SCOPES = [
  'chat:write',
  'commands',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'users:read',
  'files:write',
  'reactions:read',
];

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  apiUrl?: string;
  /** Where Slack sends people back: PUBLIC_URL + /slack/oauth_redirect. */
  redirectUri: string;
  installationStore: InstallationStore;
  logger: Logger;
  /** Runs once an install is stored and the browser answered (the welcome message to the installer). */
  onInstalled?(installation: Installation): Promise<void>;
}

/** `GET /slack/install` (the "Add to Slack" page) and `GET /slack/oauth_redirect`, via Bolt's InstallProvider. */
export function createOAuthRoutes(options: OAuthOptions): RequestHandler {
  const installUrlOptions = { scopes: BOT_SCOPES, redirectUri: options.redirectUri };
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateSecret: options.stateSecret,
    installationStore: options.installationStore,
    installUrlOptions,
    clientOptions: { slackApiUrl: apiBase(options.apiUrl) },
    logger: boltLogger(options.logger),
  });
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') return false;
    if (path === INSTALL_PATH) {
      await installer.handleInstallPath(req, res, {}, installUrlOptions);
      return true;
    }
    if (path === REDIRECT_PATH) {
      await installer.handleCallback(req, res, {
        successAsync: async (installation, installOptions, request, response) => {
          // Slack's own page (back to the app in Slack), then the welcome.
          defaultCallbackSuccess(installation as Installation, installOptions, request, response);
          await options.onInstalled?.(installation as Installation);
        },
        failure: (err, _opts, _req, response) => {
          options.logger.warn({ err: err.message }, 'slack install failed');
          response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('The installation did not complete. Try again from /slack/install.');
        },
      });
      return true;
    }
    return false;
  };
}
