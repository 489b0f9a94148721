import type { ExportFormat, Person } from '../facilitation/types.js';
import type { OutboundFile } from '../platform.js';
import type { NoticeKey } from '../render/message-keys.js';

/** Queue names: no `:` (BullMQ uses it in its own keys). */
export const QUEUE = {
  /** Cadence ticks, weekly digests and reminders, as events for a campaign. */
  schedule: 'canevas-schedule',
  /** Compiling the canvas, digests and exports (the heavy work). */
  compile: 'canevas-compile',
  /** Every message to a platform, in order, once. */
  outbox: 'canevas-outbox',
} as const;

export type ScheduleJob =
  | { name: 'tick'; data: { campaignId: string } }
  | { name: 'digest'; data: { campaignId: string } }
  | { name: 'reminder'; data: { campaignId: string; blockId: string } };

export type CompileJob =
  | { name: 'compile'; data: { campaignId: string; final: boolean; dedupeKey: string } }
  | { name: 'digest'; data: { campaignId: string; since: string; dedupeKey: string } }
  | {
      name: 'export';
      data: { campaignId: string; format: ExportFormat; requestedBy: Person; dedupeKey: string };
    };

/**
 * One message of an outbox job; posted in order, each at most once (by dedupeKey). A summary or
 * digest carries the canvas sheet as a PNG when it could be rendered: optional, so a failed
 * rendering still lets the text go out.
 */
export type OutboxItem = { dedupeKey: string } & (
  | { kind: 'intro' }
  | { kind: 'question'; blockId: string }
  | { kind: 'reminder'; blockId: string }
  | { kind: 'progress' }
  | { kind: 'notice'; key: NoticeKey; vars?: Record<string, string | number> }
  | { kind: 'summary'; final: boolean; file?: OutboundFile }
  | { kind: 'digest'; since: string; file?: OutboundFile }
  | { kind: 'export'; file: OutboundFile; format: ExportFormat; requestedBy: Person }
  | { kind: 'echo'; answerId: string }
);

export interface OutboxJobData {
  campaignId: string;
  items: OutboxItem[];
}
