import { type App, SocketModeReceiver, type SocketModeReceiverOptions } from '@slack/bolt';
import type { Logger } from '../../src/index.js';

/** What the Socket Mode client hands each listener of `slack_event`. */
interface SocketEventArgs {
  body: { type?: string };
  ack(response?: Record<string, unknown>): Promise<void>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Bolt's Socket Mode receiver, except that an Events API envelope is acknowledged only once its
 * listener is done (the event is then in its campaign's inbox): Bolt acks events before listeners
 * run, and an envelope a crash or a Redis outage interrupted would be lost. Unacknowledged, Slack
 * sends it again; the core counts a redelivered answer once. Commands and interactions keep Bolt's
 * own handling (their reply travels in the ack).
 */
export class DurableSocketModeReceiver extends SocketModeReceiver {
  private boltApp?: App;

  constructor(
    options: SocketModeReceiverOptions,
    private readonly log: Logger,
  ) {
    super(options);
    const boltListeners = this.client.listeners('slack_event') as ((
      args: SocketEventArgs,
    ) => Promise<void>)[];
    this.client.removeAllListeners('slack_event');
    this.client.on('slack_event', async (args: SocketEventArgs) => {
      if (args.body?.type !== 'event_callback') {
        for (const listener of boltListeners) await listener(args);
        return;
      }
      await this.processThenAck(args);
    });
  }

  override init(app: App): void {
    super.init(app);
    this.boltApp = app;
  }

  private async processThenAck(args: SocketEventArgs): Promise<void> {
    try {
      await this.boltApp?.processEvent({
        body: args.body as Record<string, unknown>,
        // Bolt acks events itself before the listener: that ack is a no-op here, the real one follows.
        ack: async () => undefined,
        retryNum: args.retry_num,
        retryReason: args.retry_reason,
      });
      await args.ack();
    } catch (err) {
      this.log.error(
        { err: (err as Error).message },
        'slack event failed; left unacknowledged for redelivery',
      );
    }
  }
}
