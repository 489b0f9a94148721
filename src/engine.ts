import { randomBytes } from 'node:crypto';
import { type CanvasFigures, figuresOfCanvas, figuresOfCounts } from './canvas/canvas-figures.js';
import { compileCanvas } from './canvas/compile.js';
import type { TemplateCache } from './canvas/template-cache.js';
import { blockOrder, roundsOf, TemplateError } from './canvas/template-loader.js';
import type { CanvasTemplate } from './canvas/template-schema.js';
import { ChannelLangs } from './channel-langs.js';
import type { Config } from './config.js';
import { isActionBlock, parseAction } from './facilitation/actions.js';
import { holdsAnythingOf } from './facilitation/forget.js';
import { activeAnswers, createCampaign } from './facilitation/machine.js';
import { type ParsedCommand, parseCommand } from './facilitation/parse-command.js';
import { DEFAULT_FORMAT } from './facilitation/rounds.js';
import { supportEmoji } from './facilitation/support.js';
import type {
  Actor,
  Campaign,
  CampaignEvent,
  ChannelRef,
  Lang,
  PlatformName,
  UserErrorId,
} from './facilitation/types.js';
import type {
  AnswerInput,
  CommandInput,
  EditInput,
  EphemeralReply,
  Inbound,
  OpenThread,
  PressInput,
  PressReply,
  ReactionInput,
  RemoveInput,
  SubmitInput,
  SubmitReply,
} from './inbound.js';
import { type AppliedResult, applyInbox, entryJson, type InboxDeps } from './inbox.js';
import { buttonId, campaignTag, readButtonId } from './interactions/button-ids.js';
import { check, press as pressButton, submit as submitValues } from './interactions/interactions.js';
import { nextPostAt } from './jobs/campaign-schedule.js';
import type { CampaignEvents } from './jobs/worker-deps.js';
import type { Logger } from './logger.js';
import type { TextFormat } from './platform.js';
import type { RedisClient } from './redis-connections.js';
import { composeHelp, composeReply } from './render/compose.js';
import { errorKey, type ReplyKey } from './render/message-keys.js';
import type { Renderer } from './render/renderer.js';
import { withWords } from './render/reply-words.js';
import { StatusTexts } from './render/status-texts.js';
import { DEFAULT_CADENCE, DEFAULT_DIGEST_CRON } from './schedule/cadence.js';
import type { CampaignLists } from './store/campaign-lists.js';
import { type CampaignStore, LockTimeoutError } from './store/types.js';
import {
  endWorkspace,
  listWorkspaceCampaigns,
  type WorkspaceCampaign,
  type WorkspaceDeps,
  type WorkspaceRef,
} from './workspaces.js';

export interface EngineDeps {
  /** The fast-failing connection the store uses: locks are taken on it too. */
  redis: RedisClient;
  store: CampaignStore;
  lists: CampaignLists;
  /** The effect sink the jobs layer implements: relays a campaign's saved effects to its queues. */
  relay(campaignId: string): Promise<void>;
  /** Whether relaying effects would add a job (jobs/relay.ts): effects that would not are not saved. */
  relayAddsJobs?: InboxDeps['relayAddsJobs'];
  templates: TemplateCache;
  renderer: Renderer;
  config: Pick<Config, 'lang' | 'tz' | 'publicUrl' | 'template'>;
  logger: Logger;
  /** The text format of each platform this process serves (for replies). */
  formatOf(platform: PlatformName): TextFormat;
  /** Loads a template file, or the configured/default one when no path is given. */
  loadTemplate(path?: string): Promise<CanvasTemplate>;
  clock?: () => Date;
  /** How long callers wait for their own result (defaults: commands 8 s, answers 1.5 s). */
  waitMs?: { command: number; answer: number };
}

type Vars = Record<string, string | number>;
type Counted = NonNullable<Awaited<ReturnType<CampaignStore['loadCounted']>>>;

/**
 * How long a caller waits for its own result before saying it is queued: a command's author wants
 * to see what it did; an answer's platform wants a reply within 3 s, and the answer is saved already.
 */
const DEFAULT_WAIT_MS = { command: 8_000, answer: 1_500 };

/**
 * The core's one way in. Every event is written to its campaign's inbox before anything else
 * (durable once `submit` returns), then applied in arrival order by whichever process holds the
 * campaign's lock (see inbox.ts); the caller waits a bounded time for its own result.
 */
export class Engine implements Inbound, CampaignEvents {
  private readonly now: () => Date;
  private readonly waits: { command: number; answer: number };
  private readonly helpTexts = new Map<string, string>();
  private readonly langs = new ChannelLangs();
  private readonly statusTexts = new StatusTexts();

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.clock ?? (() => new Date());
    this.waits = deps.waitMs ?? DEFAULT_WAIT_MS;
  }

  async command(input: CommandInput): Promise<EphemeralReply> {
    const parsed = parseCommand(input.text);
    const channel = channelKey(input.channel);
    const known = 'name' in parsed && parsed.name === 'help' ? this.langs.get(channel) : undefined;
    if (known) return { ok: true, text: this.help(known, input.channel.platform) };
    const campaignId = await this.deps.store.activeId(input.channel);
    // Without its answers: a command needs the campaign's state, and `status` its counts.
    let read: Counted | null = null;
    try {
      read = campaignId ? await this.deps.store.loadCounted(campaignId) : null;
    } catch (err) {
      return this.unreadable(input, campaignId as string, 'error' in parsed ? undefined : parsed, err);
    }
    if (read && isEnded(read.campaign)) {
      // Ended, but a crash came between its last save and its detaching from the channel: finish that.
      await this.deps.store.clearActive(input.channel, read.campaign.id);
      read = null;
    }
    const lang = read?.campaign.lang ?? this.deps.config.lang;
    this.langs.set(channel, lang);
    if ('error' in parsed) return this.refuse(input.channel, lang, parsed.error, parsed.vars);
    try {
      return await this.runCommand(input, parsed, read);
    } catch (err) {
      if (err instanceof LockTimeoutError) return this.refuse(input.channel, lang, 'busy');
      throw err;
    } finally {
      // A stopped campaign leaves its channel to the default language: read again next time.
      if (parsed.name === 'stop') this.langs.forget(channel);
    }
  }

  /**
   * A campaign that cannot be read back must not take its channel with it: `stop` detaches it (its
   * data stays in Redis for an operator), anything else says what is wrong.
   */
  private async unreadable(
    input: CommandInput,
    campaignId: string,
    command: ParsedCommand | undefined,
    err: unknown,
  ): Promise<EphemeralReply> {
    const lang = this.deps.config.lang;
    this.deps.logger.error({ err, campaign: campaignId }, 'campaign cannot be read');
    if (command?.name === 'stop' && input.actor.isAdmin) {
      await this.deps.store.clearActive(input.channel, campaignId);
      this.langs.forget(channelKey(input.channel));
      return this.reply(input.channel, lang, { ok: true, lang, reply: { key: 'reply-stopped' } });
    }
    if (command?.name === 'help') return this.runCommand(input, command, null);
    const problem = (err instanceof Error ? err.message : String(err)).slice(0, 120);
    return this.refuse(input.channel, lang, 'campaign-unreadable', { problem });
  }
  private async runCommand(
    input: CommandInput,
    command: ParsedCommand,
    read: Counted | null,
  ): Promise<EphemeralReply> {
    const active = read?.campaign ?? null;
    const lang = active?.lang ?? this.deps.config.lang;
    switch (command.name) {
      case 'help':
        return { ok: true, text: this.help(lang, input.channel.platform) };
      case 'status':
        return this.status(input.channel, read);
      case 'start':
        return this.start(input, command);
      case 'summary':
      case 'export':
      case 'digest': {
        // After a stop, the last campaign's canvas can still be compiled and exported.
        const target = active ?? (await this.latestCounted(input.channel))?.campaign;
        if (!target) return this.refuse(input.channel, lang, 'no-campaign');
        const event: CampaignEvent =
          command.name === 'export'
            ? { type: 'export', actor: input.actor, format: command.format }
            : { type: command.name, actor: input.actor };
        return this.applyCommand(input, target, event);
      }
      case 'schedule': {
        if (!active) return this.refuse(input.channel, lang, 'no-campaign');
        const { name: _name, ...options } = command;
        return this.applyCommand(input, active, { type: 'schedule', actor: input.actor, ...options });
      }
      case 'statement': {
        const target = active ?? (await this.latestCounted(input.channel))?.campaign;
        if (!target) return this.refuse(input.channel, lang, 'no-campaign');
        const verb = target.statements?.[command.blockId] ? 'revise' : 'write';
        const id = buttonId({ verb, tag: campaignTag(target.id), blockId: command.blockId });
        return this.press({ channel: input.channel, actor: input.actor, buttonId: id });
      }
      case 'remind-me':
        // A Remind-me button pressed on an ended campaign's round post says so, rather than "no campaign".
        if (!active)
          return this.refuse(
            input.channel,
            lang,
            (await this.latestCounted(input.channel)) ? 'campaign-ended' : 'no-campaign',
          );
        return this.applyCommand(input, active, {
          type: 'remind-me',
          person: { id: input.actor.id, name: input.actor.name },
          on: command.on,
        });
      case 'forget-me':
        // After a stop, the channel's last campaign still speaks its language.
        return this.forgetMe(
          input,
          command.confirm,
          active ? lang : ((await this.latest(input.channel).catch(() => null))?.lang ?? lang),
        );
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
    const created = await store.withLock(channelLock, async () => {
      const activeId = await store.activeId(input.channel);
      if (activeId) {
        const active = await store.load(activeId, []).catch(() => null);
        if (!active || !isEnded(active.campaign)) return null;
        await store.clearActive(input.channel, activeId);
      }
      const now = this.now();
      const templateId = await store.putTemplate(template);
      this.deps.templates.remember(templateId, template);
      return store.create(
        createCampaign({
          id: newCampaignId(input.channel, now),
          channel: input.channel,
          lang,
          tz: command.tz ?? this.deps.config.tz,
          cadence: command.cadence ?? DEFAULT_CADENCE,
          digestCron: DEFAULT_DIGEST_CRON,
          templateId,
          blockIds: blockOrder(template),
          format: command.format ?? DEFAULT_FORMAT,
          rounds: roundsOf(template).map((r) => ({ id: r.id, blockIds: r.blocks })),
          actionBlockIds: blockOrder(template).filter((id) => isActionBlock(template, id)),
          createdBy: { id: input.actor.id, name: input.actor.name },
          name: command.campaignName,
          quietDays: command.quietDays,
          holidays: command.holidays === 'none' ? undefined : command.holidays,
          reminderHours: command.reminderHours,
          consentHours: command.consentHours,
          quorum: command.quorum,
          anonymous: command.anonymous,
          key: randomBytes(18).toString('base64url'),
          now,
        }),
      );
    });
    if (!created) return this.refuse(input.channel, lang, 'already-running');
    this.langs.set(channelKey(input.channel), lang);
    return this.applyCommand(input, created, { type: 'start', actor: input.actor });
  }

  /**
   * `forget-me`: says what would go and how to confirm; `forget-me confirm` takes the member's answers
   * and name out of every campaign of the channel, ended ones included, each through its own inbox
   * (durable, in order with everything else that campaign receives).
   */
  private async forgetMe(input: CommandInput, confirm: boolean, lang: Lang): Promise<EphemeralReply> {
    const personId = input.actor.id;
    const ids = await this.deps.store.channelIds(input.channel);
    const vars: Vars = { answers: 0, campaigns: 0 };
    if (!confirm) {
      for (const id of ids) {
        const campaign = await this.deps.store.get(id).catch(() => null);
        if (!campaign || !holdsAnythingOf(campaign, personId)) continue;
        vars.campaigns = Number(vars.campaigns) + 1;
        vars.answers =
          Number(vars.answers) + activeAnswers(campaign).filter((a) => a.author.id === personId).length;
      }
      return this.reply(input.channel, lang, {
        ok: true,
        lang,
        reply: { key: 'reply-forget-confirm', vars },
      });
    }
    let queued = 0;
    for (const id of ids) {
      const result = await this.run(id, { type: 'forget-member', personId }, this.waits.command);
      if (result === 'queued') queued += 1;
      else if (result.ok && result.reply?.key === 'reply-forgotten') {
        vars.answers = Number(vars.answers) + Number(result.reply.vars?.answers ?? 0);
        vars.campaigns = Number(vars.campaigns) + Number(result.reply.vars?.changed ?? 0);
      }
    }
    return this.reply(input.channel, lang, {
      ok: true,
      lang,
      reply: { key: 'reply-forgotten', vars: { ...vars, queued } },
    });
  }

  private async status(channel: ChannelRef, active: Counted | null): Promise<EphemeralReply> {
    const read = active ?? (await this.latestCounted(channel));
    if (!read) return this.refuse(channel, this.deps.config.lang, 'no-campaign');
    const template = await this.deps.templates.of(read.campaign);
    const now = this.now();
    const { campaign, figures } = await this.figures(read, template, now);
    const failed = read.failedPosts;
    const text = this.statusTexts.text(
      channel.platform,
      {
        campaign,
        template,
        figures,
        format: this.format(channel),
        renderer: this.deps.renderer,
        publicUrl: this.deps.config.publicUrl,
        now,
      },
      nextPostAt(campaign, now),
      { count: failed.count, lastError: failed.last?.error ?? '' },
    );
    return { ok: true, text };
  }

  /**
   * The campaign's figures from the counts kept with it. A campaign stored before counts were kept is
   * compiled once, whole, and its counts are kept from then on.
   */
  private async figures(
    { campaign, counts }: Counted,
    template: CanvasTemplate,
    now: Date,
  ): Promise<{ campaign: Campaign; figures: CanvasFigures }> {
    const kept = counts && figuresOfCounts(campaign, template, counts);
    if (kept) return { campaign, figures: kept };
    const whole = (await this.deps.store.get(campaign.id)) ?? campaign;
    if (!counts) await this.deps.store.keepCounts(whole);
    return { campaign: whole, figures: figuresOfCanvas(compileCanvas(whole, template, now)) };
  }

  /** The usage, rendered once per language and platform: it never changes while the process runs. */
  private help(lang: Lang, platform: PlatformName): string {
    const key = `${lang}|${platform}`;
    let text = this.helpTexts.get(key);
    if (text === undefined) {
      text = composeHelp(lang, this.deps.formatOf(platform), this.deps.renderer);
      this.helpTexts.set(key, text);
    }
    return text;
  }

  private async applyCommand(
    input: CommandInput,
    campaign: Campaign,
    event: CampaignEvent,
  ): Promise<EphemeralReply> {
    const result = await this.run(campaign.id, event, this.waits.command);
    return this.reply(input.channel, campaign.lang, result);
  }

  /** The durable way in for workers (scheduled runs, recorded posts): written, then applied if possible. */
  async submit(campaignId: string, event: CampaignEvent): Promise<void> {
    await this.run(campaignId, event, 0);
  }

  async settle(campaignId: string): Promise<void> {
    await applyInbox(this.inboxDeps(), campaignId);
  }

  /**
   * Writes the event to the campaign's inbox, then applies the inbox up to it (or sees it applied by
   * the process that holds the campaign), waiting at most `waitMs` for its result.
   */
  private async run(
    campaignId: string,
    event: CampaignEvent,
    waitMs: number,
    onAccepted?: () => Promise<void>,
  ): Promise<AppliedResult | 'queued'> {
    const entry = { id: newEntryId(), at: this.now().toISOString(), event };
    // Written and applied in one step, unless the platform is told before it is applied.
    let entries = [entryJson(entry)];
    if (onAccepted) {
      await this.deps.lists.submit(campaignId, ...entries);
      await onAccepted();
      entries = [];
    }
    const deadline = Date.now() + waitMs;
    let delay = 5;
    for (;;) {
      const mine = await applyInbox(this.inboxDeps(), campaignId, entry.id, entries);
      entries = [];
      if (mine) return mine;
      const stored = await this.deps.lists.result(campaignId, entry.id);
      if (stored) return JSON.parse(stored) as AppliedResult;
      if (Date.now() >= deadline) return 'queued';
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
  }

  private inboxDeps(): InboxDeps {
    const { redis, store, lists, logger, relay, relayAddsJobs } = this.deps;
    return { redis, store, lists, logger, relay, ...(relayAddsJobs ? { relayAddsJobs } : {}) };
  }

  async answer(input: AnswerInput): Promise<EphemeralReply | null> {
    const link = await this.deps.store.findThread(input.channel, input.threadRef);
    if (!link) return null;
    const result = await this.run(
      link.campaignId,
      {
        type: 'answer-added',
        answer: {
          id: input.messageRef,
          blockId: link.blockId,
          author: input.author,
          text: input.text,
          source: input.source,
        },
      },
      this.waits.answer,
      input.onAccepted,
    );
    return this.answerReply(input.channel, result);
  }

  async editAnswer(input: EditInput): Promise<EphemeralReply | null> {
    const link = await this.deps.store.findThread(input.channel, input.threadRef);
    if (!link) return null;
    const result = await this.run(
      link.campaignId,
      {
        type: 'answer-edited',
        answerId: input.messageRef,
        text: input.text,
        ...(input.author ? { author: input.author } : {}),
      },
      this.waits.answer,
    );
    return this.answerReply(input.channel, result);
  }

  async removeAnswer(input: RemoveInput): Promise<void> {
    const link = await this.deps.store.findThread(input.channel, input.threadRef);
    if (!link) return;
    await this.run(
      link.campaignId,
      { type: 'answer-removed', answerId: input.messageRef },
      this.waits.answer,
    );
  }

  async press(input: PressInput): Promise<PressReply> {
    const reply = await this.interact(input.channel, input.actor, input.buttonId, undefined);
    // A press has no field to be wrong: any field error is the reply's text.
    return 'errors' in reply ? { ok: false, text: reply.text } : reply;
  }

  async submitForm(input: SubmitInput): Promise<SubmitReply> {
    const reply = await this.interact(input.channel, input.actor, input.formId, input.values);
    // A submission never opens another form.
    return 'form' in reply && reply.form ? { ok: false, text: '', error: 'bad-argument' } : reply;
  }

  /**
   * A press (no `values`) or a submission on a core button: checked against the channel's campaign
   * (or its last one, once ended), then a form to open, or an event applied like a command's.
   */
  private async interact(
    channel: ChannelRef,
    actor: Actor,
    id: string,
    values: Record<string, string> | undefined,
  ): Promise<PressReply | SubmitReply> {
    const lang = this.deps.config.lang;
    const action = readButtonId(id);
    const campaign = action ? ((await this.active(channel)) ?? (await this.latest(channel))) : null;
    if (!action || !campaign)
      return this.refuse(channel, lang, action ? 'no-campaign' : 'bad-argument', { argument: id });
    const template = await this.deps.templates.of(campaign);
    const outcome =
      check(campaign, action) ??
      (values
        ? submitValues(campaign, template, action, actor, values)
        : pressButton(campaign, template, action, actor));
    if ('form' in outcome) return { ok: true, text: outcome.form.title, form: outcome.form };
    if ('fieldErrors' in outcome) {
      const text = Object.values(outcome.fieldErrors).join(' ');
      return { ok: false, text, errors: outcome.fieldErrors };
    }
    if ('refuse' in outcome) return this.refuse(channel, campaign.lang, outcome.refuse, outcome.vars);
    const event = outcome.event;
    const ran = await this.run(campaign.id, event, this.waits.command);
    // An action entered with its form is an answer, whose thanks name the action.
    const result: AppliedResult | 'queued' =
      event.type === 'answer-added' && ran !== 'queued' && ran.ok
        ? {
            ...ran,
            reply: {
              key: 'reply-action-added',
              vars: { blockId: event.answer.blockId, ...parseAction(event.answer.text) },
            },
          }
        : ran;
    const reply = this.reply(channel, campaign.lang, withWords(result, campaign, template));
    // A refusal about the text itself is shown at its field, so the form stays open.
    const field = result !== 'queued' && !result.ok ? FIELD_OF_ERROR[result.error] : undefined;
    return field && !reply.ok ? { ...reply, errors: { [field]: reply.text } } : reply;
  }

  private async active(channel: ChannelRef): Promise<Campaign | null> {
    const id = await this.deps.store.activeId(channel);
    return id ? this.deps.store.get(id) : null;
  }

  async react(input: ReactionInput): Promise<void> {
    const emoji = supportEmoji(input.emoji);
    if (!emoji) return;
    // Answers are found by their message id in the channel's campaign, or its last one once ended.
    const campaignId =
      (await this.deps.store.activeId(input.channel)) ?? (await this.deps.store.latestId(input.channel));
    if (!campaignId) return;
    // A form's answer shows in its thread as the bot's echo: a reaction there is for the answer.
    const doc = await this.deps.store.load(campaignId, []).catch(() => null);
    const answerId = doc?.campaign.echoes?.[input.messageRef] ?? input.messageRef;
    const event: CampaignEvent = {
      type: 'reaction',
      answerId,
      person: { id: input.person.id, name: input.person.name },
      emoji,
      added: input.added,
    };
    await this.run(campaignId, event, 0);
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

  workspaceCampaigns(ref: WorkspaceRef): Promise<WorkspaceCampaign[]> {
    return listWorkspaceCampaigns(this.workspaceDeps(), ref);
  }

  workspaceRemoved(ref: WorkspaceRef): Promise<{ ended: number; dropped: number }> {
    // Each campaign's end is durable once submitted; the platform is answered within its few seconds.
    return endWorkspace(this.workspaceDeps(), ref, (id) =>
      this.run(id, { type: 'unreachable' }, this.waits.answer),
    );
  }

  private workspaceDeps(): WorkspaceDeps {
    const { store, lists, templates, config, logger } = this.deps;
    return { store, lists, templates, publicUrl: config.publicUrl, logger, now: this.now };
  }

  templateOf(campaign: Campaign): Promise<CanvasTemplate> {
    return this.deps.templates.of(campaign);
  }

  /** An answer applied (or still queued: it is saved) gets the thanks; a refused one, why. */
  private answerReply(channel: ChannelRef, result: AppliedResult | 'queued'): EphemeralReply {
    const lang = (result !== 'queued' && result.lang) || this.deps.config.lang;
    if (result === 'queued' || (result.ok && !result.reply))
      return this.reply(channel, lang, { ok: true, lang, reply: { key: 'reply-answer-recorded' } });
    return this.reply(channel, lang, result);
  }

  private reply(channel: ChannelRef, lang: Lang, result: AppliedResult | 'queued'): EphemeralReply {
    if (result === 'queued')
      return this.reply(channel, lang, { ok: true, lang, reply: { key: 'reply-queued' } });
    if (!result.ok) return this.refuse(channel, result.lang ?? lang, result.error, result.vars);
    const key: ReplyKey | undefined = result.reply?.key;
    const text = key
      ? composeReply(
          result.lang ?? lang,
          key,
          result.reply?.vars ?? {},
          this.format(channel),
          this.deps.renderer,
        )
      : '';
    return { ok: true, text };
  }

  private refuse(channel: ChannelRef, lang: Lang, error: UserErrorId, vars?: Vars): EphemeralReply {
    return {
      ok: false,
      error,
      text: composeReply(lang, errorKey(error), vars ?? {}, this.format(channel), this.deps.renderer),
    };
  }

  private async latest(channel: ChannelRef): Promise<Campaign | null> {
    const id = await this.deps.store.latestId(channel);
    return id ? this.deps.store.get(id) : null;
  }

  /** The channel's newest campaign, without its answers (see `loadCounted`). */
  private async latestCounted(channel: ChannelRef): Promise<Counted | null> {
    const id = await this.deps.store.latestId(channel);
    return id ? this.deps.store.loadCounted(id) : null;
  }

  private format(channel: ChannelRef): TextFormat {
    return this.deps.formatOf(channel.platform);
  }
}

/** Refusals about what was typed in a form, shown at the field it came from. */
const FIELD_OF_ERROR: Partial<Record<UserErrorId, string>> = {
  'empty-statement': 'text',
  'statement-too-long': 'text',
  'reason-required': 'reason',
  'empty-answer': 'what',
  'answer-too-long': 'what',
};

const isEnded = (c: Campaign) => c.status === 'completed' || c.status === 'cancelled';

function channelKey(channel: ChannelRef): string {
  return `${channel.platform}-${channel.workspace}-${channel.channel}`.replace(/[^\w.-]/g, '_');
}

/** Readable, unique, and free of `:` so it can sit inside BullMQ job ids. */
function newCampaignId(channel: ChannelRef, now: Date): string {
  const slug = channelKey(channel).slice(0, 48);
  return `${slug}-${now.getTime().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** An inbox entry's id: whoever waits on the entry finds its result under it. */
const newEntryId = () => randomBytes(9).toString('base64url');
