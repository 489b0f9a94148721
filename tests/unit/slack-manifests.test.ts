import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES, REDIRECT_PATH } from '../../adapters/slack/oauth.js';

type Manifest = {
  features: { app_home?: Record<string, boolean>; slash_commands: { url?: string }[] };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
};

const read = (name: string) =>
  parse(readFileSync(join(import.meta.dirname, '..', '..', 'slack', name), 'utf8')) as Manifest;
const http = read('manifest.yaml');
const socket = read('manifest.socket.yaml');

/** The manifest without what differs between HTTP mode and Socket Mode: where Slack sends things. */
function withoutTransport(manifest: Manifest): unknown {
  const copy = structuredClone(manifest) as Manifest;
  for (const command of copy.features.slash_commands) delete command.url;
  delete copy.settings.event_subscriptions.request_url;
  delete copy.settings.interactivity.request_url;
  delete copy.oauth_config.redirect_urls;
  const { socket_mode_enabled: _mode, ...settings } = copy.settings;
  return { ...copy, settings };
}

/**
 * The keys Slack's app manifest schema knows at each level (as @slack/web-api's `Manifest` type lists
 * them): a misspelt key is silently ignored by Slack, and the setting with it.
 */
const KNOWN: Record<string, string[]> = {
  '': ['_metadata', 'display_information', 'features', 'oauth_config', 'settings', 'functions'],
  display_information: ['name', 'description', 'long_description', 'background_color'],
  features: [
    'agent_view',
    'app_home',
    'assistant_view',
    'bot_user',
    'shortcuts',
    'slash_commands',
    'unfurl_domains',
  ],
  'features.app_home': ['home_tab_enabled', 'messages_tab_enabled', 'messages_tab_read_only_enabled'],
  'features.bot_user': ['display_name', 'always_online'],
  oauth_config: ['redirect_urls', 'scopes', 'token_management_enabled'],
  'oauth_config.scopes': ['bot', 'user', 'bot_optional', 'user_optional'],
  settings: [
    'allowed_ip_address_ranges',
    'event_subscriptions',
    'incoming_webhooks',
    'interactivity',
    'org_deploy_enabled',
    'socket_mode_enabled',
    'token_rotation_enabled',
    'function_runtime',
  ],
  'settings.event_subscriptions': ['bot_events', 'user_events', 'request_url', 'metadata_subscriptions'],
  'settings.interactivity': ['is_enabled', 'request_url', 'message_menu_options_url'],
};

function unknownKeys(manifest: unknown): string[] {
  const found: string[] = [];
  for (const [path, known] of Object.entries(KNOWN)) {
    const node =
      path === ''
        ? manifest
        : path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)?.[k], manifest);
    if (node === undefined) continue;
    for (const key of Object.keys(node as object))
      if (!known.includes(key)) found.push(path ? `${path}.${key}` : key);
  }
  return found;
}

describe('the Slack app manifests', () => {
  it('keep the Socket Mode one in step with the HTTP one: the same app but for where Slack sends things', () => {
    expect(withoutTransport(socket)).toEqual(withoutTransport(http));
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
    const socketText = readFileSync(
      join(import.meta.dirname, '..', '..', 'slack', 'manifest.socket.yaml'),
      'utf8',
    );
    expect(socketText).not.toMatch(/^\s*(url|request_url):/m);
    expect(socketText).not.toContain('YOUR-HOST');
    for (const url of [
      ...http.features.slash_commands.map((c) => c.url),
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
    ])
      expect(url).toBe('https://YOUR-HOST/slack/events');
    // OAuth's redirect comes with the HTTP manifest: nothing to add by hand for several workspaces.
    expect(http.oauth_config.redirect_urls).toEqual([`https://YOUR-HOST${REDIRECT_PATH}`]);
  });

  it('use only keys Slack knows', () => {
    expect(unknownKeys(http)).toEqual([]);
    expect(unknownKeys(socket)).toEqual([]);
  });

  it('post only where invited (no chat:write.public), and ask what that check and the Home tab need', () => {
    const scopes = http.oauth_config.scopes.bot;
    expect(scopes).not.toContain('chat:write.public');
    expect(scopes).toEqual(expect.arrayContaining(['channels:read', 'groups:read']));
    expect([...BOT_SCOPES].sort()).toEqual([...scopes].sort());
  });

  it('subscribe to the uninstall, the revocation and the Home tab, which is on', () => {
    expect(http.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'app_uninstalled', 'tokens_revoked']),
    );
    expect(http.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });
});
