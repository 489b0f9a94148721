/**
 * The anchor of the ack latency: a bare @slack/bolt app with Bolt's own HTTP receiver, acking
 * `/canevas` at once with an ephemeral text, and doing nothing else. Run as a child process with
 * PORT, SLACK_SIGNING_SECRET and SLACK_API_URL (the bench's fake Web API, which Bolt asks auth.test);
 * prints one JSON line `{"port": …}` once listening.
 */
import { App, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT);
const app = new App({
  token: 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});

app.command('/canevas', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'Received.' });
});

// Loopback only, as the bench's other servers.
await app.start({ port, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
