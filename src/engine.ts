import { randomBytes } from 'node:crypto';
import { compileCanvas } from './canvas/compile.js';
import { blockOrder, TemplateError } from './canvas/template-loader.js';
import type { CanvasTemplate } from './canvas/template-schema.js';
import type { Config } from './config.js';
import { createCampaign, transition } from './facilitation/machine.js';
import { type ParsedCommand, parseCommand } from './facilitation/parse-command.js';
import type {
  Campaign,
  CampaignEvent,
  ChannelRef,
  Lang,
  PlatformName,
  TransitionResult,
  UserErrorId,
} from './facilitation/types.js';
import type {
  AnswerInput,
  CommandInput,
  EditInput,
  EphemeralReply,
  Inbound,
  OpenThread,
  RemoveInput,
} from './inbound.js';
import { nextPostAt } from './jobs/campaign-schedule.js';
import { dispatchEffects, enqueuePosts } from './jobs/dispatch-effects.js';
import { failedPosts } from './jobs/failed-posts.js';
import type { Queues } from './jobs/queues.js';
import type { Logger } from './logger.js';
import type { TextFormat } from './platform.js';
import { composeHelp, composeReply, composeStatus } from './render/compose.js';
import { errorKey, type ReplyKey } from './render/message-keys.js';
import type { Renderer } from './render/renderer.js';
import { DEFAULT_CADENCE, DEFAULT_DIGEST_CRON } from './schedule/cadence.js';
import { type CampaignStore, LockTimeoutError } from './store/types.js';

export interface EngineDeps {
  store: CampaignStore;
  queues: Queues;
  renderer: Renderer;
  config: Pick<Config, 'lang' | 'tz' | 'publicUrl' | 'template'>;
  logger: Logger;
  /** The text format of each platform this process serves (for replies). */
  formatOf(platform: PlatformName): TextFormat;
  /** Loads a template file, or the configured/default one when no path is given. */
  loadTemplate(path?: string): Promise<CanvasTemplate>;
  clock?: () => Date;
}

type Vars = Record<string, string | number>;

/** How many times an answer waits for a busy campaign's lock (each wait up to the store's lockWaitMs). */
const ANSWER_ATTEMPTS = 3;

/**
 * Applies inbound events: one at a time per campaign (its lock), through the pure machine, saved with
 * a version check, then its effects queued. Everything else (posting, compiling) happens in workers.
 */
export class Engine implements Inbound {
  private readonly templates = new Map<string, CanvasTemplate>();
  private readonly now: () => Date;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.clock ?? (() => new Date());
  }

  async command(input: CommandInput): Promise<EphemeralReply> {
    const parsed = parseCommand(input.text);
    const campaignId = await this.deps.store.activeId(input.channel);
    const campaign = campaignId ? await this.deps.store.get(campaignId) : null;
    const lang = campaign?.lang ?? this.deps.config.lang;
    if ('error' in parsed) return this.refuse(input.channel, lang, parsed.error, parsed.vars);
    try {
      return await this.runCommand(input, parsed, campaign);
    } catch (err) {
      if (err instanceof LockTimeoutError) return this.refuse(input.channel, lang, 'busy');
      throw err;
    }
  }

  private async runCommand(
    input: CommandInput,
    command: ParsedCommand,
    active: Campaign | null,
  ): Promise<EphemeralReply> {
    const lang = active?.lang ?? this.deps.config.lang;
    switch (command.name) {
      case 'help':
        return { ok: true, text: composeHelp(lang, this.format(input.channel), this.deps.renderer) };
      case 'status':
        return this.status(input.channel, active);
      case 'start':
        return this.start(input, command);
      case 'summary':
      case 'export':
      case 'digest': {
        // After a stop, the last campaign's canvas can still be compiled and exported.
        const target = active ?? (await this.latest(input.channel));
        if (!target) return this.refuse(input.channel, lang, 'no-campaign');
        const event: CampaignEvent =
          command.name === 'export'
            ? { type: 'export', actor: input.actor, format: command.format }
            : { type: command.name, actor: input.actor };
        return this.applyCommand(input, target, event);
      }
      case 'schedule':
        if (!active) return this.refuse(input.channel, lang, 'no-campaign');
        return this.applyCommand(input, active, {
          type: 'schedule',
          actor: input.actor,
          cadence: command.cadence,
          tz: command.tz,
        });
      case 'next':
      case 'skip':
      case 'pause':
      case 'resume':
      case 'stop':
        if (!active)
          return this.refuse(input.channel, lang, input.actor.isAdmin ? 'no-campaign' : 'not-admin');
        return this.applyCommand(input, active, { type: command.name, actor: input.actor });
      default: {
        const unknown: never = command;
        throw new Error(`unhandled command ${JSON.stringify(unknown)}`);
      }
    }
  }

  private async start(
    input: CommandInput,
    command: Extract<ParsedCommand, { name: 'start' }>,
  ): Promise<EphemeralReply> {
    const lang = command.lang ?? this.deps.config.lang;
    if (!input.actor.isAdmin) return this.refuse(input.channel, lang, 'not-admin');
    let template: CanvasTemplate;
    try {
      template = await this.deps.loadTemplate(command.template);
    } catch (err) {
      if (err instanceof TemplateError) {
        return this.refuse(input.channel, lang, 'bad-template', {
          file: err.file,
          path: err.path,
          problem: err.problem,
        });
      }
      throw err;
    }
    const { store } = this.deps;
    const channelLock = `channel-${channelKey(input.channel)}`;
    return store.withLock(channelLock, async () => {
      if (await store.activeId(input.channel)) return this.refuse(input.channel, lang, 'already-running');
      const now = this.now();
      const templateId = await store.putTemplate(template);
      this.templates.set(templateId, template);
      const created = await store.create(
        createCampaign({
          id: newCampaignId(input.channel, now),
          channel: input.channel,
          lang,
          tz: command.tz ?? this.deps.config.tz,
          cadence: command.cadence ?? DEFAULT_CADENCE,
          digestCron: DEFAULT_DIGEST_CRON,
          templateId,
          blockIds: blockOrder(template),
          createdBy: { id: input.actor.id, name: input.actor.name },
          name: command.campaignName,
          key: randomBytes(18).toString('base64url'),
          now,
        }),
      );
      return this.applyCommand(input, created, { type: 'start', actor: input.actor });
    });
  }

  private async status(channel: ChannelRef, active: Campaign | null): Promise<EphemeralReply> {
    const campaign = active ?? (await this.latest(channel));
    if (!campaign) return this.refuse(channel, this.deps.config.lang, 'no-campaign');
    const template = await this.templateOf(campaign);
    const now = this.now();
    const text = composeStatus(
      {
        campaign,
        template,
        canvas: compileCanvas(campaign, template, now),
        format: this.format(channel),
        renderer: this.deps.renderer,
        publicUrl: this.deps.config.publicUrl,
        now,
      },
      nextPostAt(campaign, now),
      await failedPosts(this.deps.queues, campaign.id),
    );
    return { ok: true, text };
  }

  private async applyCommand(
    input: CommandInput,
    campaign: Campaign,
    event: CampaignEvent,
  ): Promise<EphemeralReply> {
    const result = await this.apply(campaign.id, event);
    return this.replyFor(input.channel, campaign.lang, result);
  }

  /** One event for one campaign: lock, load, transition, save, queue the effects. */
  async apply(campaignId: string, event: CampaignEvent): Promise<TransitionResult> {
    const { store, queues, logger } = this.deps;
    return store.withLock(campaignId, async () => {
      const campaign = await store.get(campaignId);
      if (!campaign) return { ok: false, error: 'no-campaign' };
      const now = this.now();
      const result = transition(campaign, event, now);
      if (!result.ok) return result;
      if (result.effects.length === 0 && result.campaign === campaign) return result;
      const saved = await store.save(result.campaign);
      if (saved.status === 'completed' || saved.status === 'cancelled') {
        await store.clearActive(saved.channel, saved.id);
      }
      await dispatchEffects(queues, saved, result.effects, now);
      logger.debug({ campaign: campaignId, event: event.type, version: saved.version }, 'event applied');
      return { ok: true, campaign: saved, effects: result.effects };
    });
  }

  /**
   * Answers arrive from platforms that were already told "received" (Slack acks before processing,
   * gateways do not redeliver): a busy campaign must not drop one, so the lock is tried again.
   */
  private async applyAnswerEvent(campaignId: string, event: CampaignEvent): Promise<TransitionResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.apply(campaignId, event);
      } catch (err) {
        if (!(err instanceof LockTimeoutError) || attempt >= ANSWER_ATTEMPTS) throw err;
        this.deps.logger.warn(
          { campaign: campaignId, event: event.type, attempt },
          'campaign busy, trying again',
        );
      }
    }
  }

  async answer(input: AnswerInput): Promise<EphemeralReply | null> {
    const link = await this.deps.store.findThread(input.channel, input.threadRef);
    if (!link) return null;
    const result = await this.applyAnswerEvent(link.campaignId, {
      type: 'answer-added',
      answer: {
        id: input.messageRef,
        blockId: link.blockId,
        author: input.author,
        text: input.text,
        source: input.source,
      },
    });
    // A form answer is not in the thread yet: the bot echoes it there, with attribution, once.
    if (result.ok && input.source === 'modal' && result.effects.length > 0) {
      const key = `${link.campaignId}-echo-${input.messageRef.replace(/[^\w.-]/g, '_')}`;
      await enqueuePosts(
        this.deps.queues,
        link.campaignId,
        [{ kind: 'echo', answerId: input.messageRef, dedupeKey: key }],
        key,
      );
    }
    return this.answerReply(input.channel, link.campaignId, result);
  }

  async editAnswer(input: EditInput): Promise<EphemeralReply | null> {
    const link = await this.deps.store.findThread(input.channel, input.threadRef);
    if (!link) return null;
    const result = await this.applyAnswerEvent(link.campaignId, {
      type: 'answer-edited',
      answerId: input.messageRef,
      text: input.text,
      ...(input.author ? { author: input.author } : {}),
    });
    return this.answerReply(input.channel, link.campaignId, result);
  }

  async removeAnswer(input: RemoveInput): Promise<void> {
    const link = await this.deps.store.findThread(input.channel, input.threadRef);
    if (!link) return;
    await this.applyAnswerEvent(link.campaignId, { type: 'answer-removed', answerId: input.messageRef });
  }

  /**
   * The question threads of a platform's running and paused campaigns, with the newest answer seen in
   * each: what a reconnecting gateway reads to catch up on answers sent while the bot was away.
   */
  async openThreads(platform: PlatformName): Promise<OpenThread[]> {
    const threads: OpenThread[] = [];
    for (const id of await this.deps.store.listIds()) {
      const campaign = await this.deps.store.get(id);
      if (!campaign || campaign.channel.platform !== platform) continue;
      if (campaign.status !== 'running' && campaign.status !== 'paused') continue;
      for (const q of campaign.questions) {
        if (!q.postRef) continue;
        const answers = Object.values(campaign.answers).filter((a) => a.blockId === q.blockId);
        const newest = answers.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
        const kept = answers.filter((a) => !a.removedAt && a.source === 'thread');
        threads.push({
          channel: campaign.channel,
          threadRef: q.postRef,
          campaignId: campaign.id,
          blockId: q.blockId,
          lastAnswerRef: newest?.id,
          answers: kept.map((a) => ({ ref: a.id, text: a.text })),
        });
      }
    }
    return threads;
  }

  async templateOf(campaign: Campaign): Promise<CanvasTemplate> {
    const cached = this.templates.get(campaign.templateId);
    if (cached) return cached;
    const template = await this.deps.store.getTemplate(campaign.templateId);
    if (!template) throw new Error(`template ${campaign.templateId} of campaign ${campaign.id} is missing`);
    this.templates.set(campaign.templateId, template);
    return template;
  }

  private async answerReply(
    channel: ChannelRef,
    campaignId: string,
    result: TransitionResult,
  ): Promise<EphemeralReply> {
    const campaign = result.ok ? result.campaign : await this.deps.store.get(campaignId);
    return this.replyFor(channel, campaign?.lang ?? this.deps.config.lang, result, 'reply-answer-recorded');
  }

  private replyFor(
    channel: ChannelRef,
    lang: Lang,
    result: TransitionResult,
    fallback?: ReplyKey,
  ): EphemeralReply {
    if (!result.ok) return this.refuse(channel, lang, result.error, result.vars);
    const reply = result.effects.find((e) => e.type === 'reply');
    const key = reply?.type === 'reply' ? reply.key : fallback;
    const vars = reply?.type === 'reply' ? reply.vars : undefined;
    const text = key ? composeReply(lang, key, vars ?? {}, this.format(channel), this.deps.renderer) : '';
    return { ok: true, text };
  }

  private refuse(channel: ChannelRef, lang: Lang, error: UserErrorId, vars?: Vars): EphemeralReply {
    return {
      ok: false,
      text: composeReply(lang, errorKey(error), vars ?? {}, this.format(channel), this.deps.renderer),
    };
  }

  private async latest(channel: ChannelRef): Promise<Campaign | null> {
    const id = await this.deps.store.latestId(channel);
    return id ? this.deps.store.get(id) : null;
  }

  private format(channel: ChannelRef): TextFormat {
    return this.deps.formatOf(channel.platform);
  }
}

function channelKey(channel: ChannelRef): string {
  return `${channel.platform}-${channel.workspace}-${channel.channel}`.replace(/[^\w.-]/g, '_');
}

/** Readable, unique, and free of `:` so it can sit inside BullMQ job ids. */
function newCampaignId(channel: ChannelRef, now: Date): string {
  const slug = channelKey(channel).slice(0, 48);
  return `${slug}-${now.getTime().toString(36)}${randomBytes(3).toString('hex')}`;
}
