import { expect } from 'vitest';
import { FAKE_TEAM, signSlackRequest, slashCommandPayload } from '../fakes/slack-api.js';

export interface SlackRequestsOptions {
  /** Where the app serves `/slack/events` (read at each request: a test may restart it). */
  base: () => string;
  secret: string;
  channel: string;
  /** Where `/canevas` replies go (the fake Slack API's response URL). */
  responseUrl: () => string;
}

/**
 * The requests Slack signs and sends to `POST /slack/events`: slash commands, events and interaction
 * payloads, each answered with its status and body.
 */
export function slackRequests(options: SlackRequestsOptions) {
  let counter = 0;
  const deliver = async (body: string, type: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${options.base()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': type, ...signSlackRequest(options.secret, body), ...headers },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  const form = 'application/x-www-form-urlencoded';
  return {
    deliver,
    /** `/canevas <text>` from `user`; expects the ephemeral answer Slack shows, and returns its text. */
    async command(user: string, text: string): Promise<string> {
      const body = new URLSearchParams({
        token: 'x',
        ...slashCommandPayload({
          team: FAKE_TEAM,
          channel: options.channel,
          user,
          text,
          responseUrl: options.responseUrl(),
        }),
      }).toString();
      const res = await deliver(body, form);
      expect(res.status).toBe(200);
      const reply = JSON.parse(res.text) as { response_type: string; text: string };
      expect(reply.response_type).toBe('ephemeral');
      return reply.text;
    },
    /** An Events API envelope around `event` (in the channel), with its own event id unless given. */
    eventBody(event: Record<string, unknown>, id = `EvReq${++counter}`): string {
      return JSON.stringify({
        token: 'x',
        team_id: FAKE_TEAM,
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: id,
        event_time: Math.floor(Date.now() / 1000),
        event: { channel: options.channel, team: FAKE_TEAM, ...event },
      });
    },
    /** A block action or view submission, form-encoded as Slack sends them. */
    interaction: (payload: unknown) =>
      deliver(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form),
  };
}
