import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { SUBCOMMANDS } from '../facilitation/parse-command.js';
import type { EphemeralReply, Inbound } from '../inbound.js';
import type { Queues } from '../jobs/queues.js';
import type { ScheduleStore } from '../store/schedule-store.js';

export interface Metrics {
  registry: Registry;
  commands: Counter<'platform' | 'command' | 'outcome'>;
  answers: Counter<'platform' | 'kind' | 'outcome'>;
}

/** One registry per process; queue depths and scheduled runs are read from Redis when /metrics is scraped. */
export function createMetrics(queues?: Queues, schedule?: Pick<ScheduleStore, 'counts'>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'canevas_process_' });
  const commands = new Counter({
    name: 'canevas_commands_total',
    help: '/canevas commands received, by outcome',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers: [registry],
  });
  const answers = new Counter({
    name: 'canevas_answers_total',
    help: 'Answers received (added, edited, removed), by outcome',
    labelNames: ['platform', 'kind', 'outcome'] as const,
    registers: [registry],
  });
  if (queues) {
    new Gauge({
      name: 'canevas_queue_jobs',
      help: 'Jobs in each queue, by state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        for (const queue of queues.all) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
  }
  if (schedule) {
    new Gauge({
      name: 'canevas_scheduled_runs',
      help: 'Scheduled runs (ticks, digests, nudges) waiting, and being made now',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const { scheduled, inProgress } = await schedule.counts();
        this.set({ state: 'scheduled' }, scheduled);
        this.set({ state: 'in_progress' }, inProgress);
      },
    });
  }
  return { registry, commands, answers };
}

/** Wraps the inbound surface so every command and answer is counted by outcome. */
export function countInbound(inbound: Inbound, metrics: Metrics): Inbound {
  const outcome = (reply: EphemeralReply | null) =>
    reply === null ? 'ignored' : reply.ok ? 'ok' : 'refused';
  return {
    async command(input) {
      const reply = await inbound.command(input);
      const word =
        input.text
          .trim()
          .replace(/^\/canevas\b/i, '')
          .trim()
          .split(/\s+/)[0]
          ?.toLowerCase() || 'help';
      // Only known words become label values, so a stranger cannot grow the label set.
      const command = (SUBCOMMANDS as readonly string[]).includes(word) ? word : 'unknown';
      metrics.commands.inc({ platform: input.channel.platform, command, outcome: outcome(reply) });
      return reply;
    },
    async answer(input) {
      const reply = await inbound.answer(input);
      metrics.answers.inc({ platform: input.channel.platform, kind: 'added', outcome: outcome(reply) });
      return reply;
    },
    async editAnswer(input) {
      const reply = await inbound.editAnswer(input);
      metrics.answers.inc({ platform: input.channel.platform, kind: 'edited', outcome: outcome(reply) });
      return reply;
    },
    openThreads: (platform) => inbound.openThreads(platform),
    async removeAnswer(input) {
      await inbound.removeAnswer(input);
      metrics.answers.inc({ platform: input.channel.platform, kind: 'removed', outcome: 'ok' });
    },
    react: (input) => inbound.react(input),
    press: (input) => inbound.press(input),
    submitForm: (input) => inbound.submitForm(input),
    workspaceCampaigns: (ref) => inbound.workspaceCampaigns(ref),
    workspaceRemoved: (ref) => inbound.workspaceRemoved(ref),
  };
}
