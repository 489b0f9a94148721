import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Queues } from '../jobs/queues.js';

export interface Metrics {
  registry: Registry;
  commands: Counter<'platform' | 'command' | 'outcome'>;
  answers: Counter<'platform' | 'kind' | 'outcome'>;
}

/** One registry per process; queue depths are read from Redis when /metrics is scraped. */
export function createMetrics(queues?: Queues): Metrics {
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
  return { registry, commands, answers };
}
