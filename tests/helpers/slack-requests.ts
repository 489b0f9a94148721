import { expect } from 'vitest';
import { FAKE_TEAM, signSlackRequest, slashCommandPayload } from '../fakes/slack-api.js';

export interface SlackRequestsOptions {
  /** Where the app serves `/slack/events` (read at each request: a test may restart it). */
  base: () => string;
  secret: string;
  /** The channel commands and events come from unless a call names another. */
  channel: string;
  /** The workspace they come from unless a call names another (FAKE_TEAM by default). */
  team?: string;
  /** Where `/canevas` replies go (the fake Slack API's response URL). */
  responseUrl: () => string;
}

/** Where one request comes from, when it is not the defaults': another workspace, channel or trigger. */
export interface SlackOrigin {
  team?: string;
  channel?: string;
  /** The slash command's trigger id (a modal it opens is found by it). */
  trigger?: string;
}

/**
 * The requests Slack signs and sends to `POST /slack/events`: slash commands, events and interaction
 * payloads, each answered with its status and body.
 */
export function slackRequests(options: SlackRequestsOptions) {
  let counter = 0;
  const team = (at: SlackOrigin) => at.team ?? options.team ?? FAKE_TEAM;
  const deliver = async (body: string, type: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${options.base()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': type, ...signSlackRequest(options.secret, body), ...headers },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  const form = 'application/x-www-form-urlencoded';
  /** `/canevas <text>` from `user`, answered with its status and body as they are. */
  const slash = (user: string, text: string, at: SlackOrigin = {}) =>
    deliver(
      new URLSearchParams({
        token: 'x',
        ...slashCommandPayload({
          team: team(at),
          channel: at.channel ?? options.channel,
          user,
          text,
          responseUrl: options.responseUrl(),
        }),
        ...(at.trigger ? { trigger_id: at.trigger } : {}),
      }).toString(),
      form,
    );
  /** An Events API envelope around `event` as it is, with its own event id unless given. */
  const envelope = (event: Record<string, unknown>, id = `EvReq${++counter}`, at: SlackOrigin = {}) =>
    JSON.stringify({
      token: 'x',
      team_id: team(at),
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: id,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
  return {
    deliver,
    slash,
    /** `/canevas <text>` from `user`; expects the ephemeral answer Slack shows, and returns its text. */
    async command(user: string, text: string, at: SlackOrigin = {}): Promise<string> {
      const res = await slash(user, text, at);
      expect(res.status).toBe(200);
      const reply = JSON.parse(res.text) as { response_type: string; text: string };
      expect(reply.response_type).toBe('ephemeral');
      return reply.text;
    },
    envelope,
    /** An Events API envelope around `event` (in the channel), with its own event id unless given. */
    eventBody: (event: Record<string, unknown>, id?: string, at: SlackOrigin = {}): string =>
      envelope({ channel: at.channel ?? options.channel, team: team(at), ...event }, id, at),
    /** `event` (as it is) delivered in its envelope; answered with its status and body. */
    event: (event: Record<string, unknown>, at: SlackOrigin = {}) =>
      deliver(envelope(event, undefined, at), 'application/json'),
    /** A block action or view submission, form-encoded as Slack sends them. */
    interaction: (payload: unknown) =>
      deliver(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form),
  };
}
