import {
  ApplicationIntegrationType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { MAX_NAME_LENGTH } from '../../src/index.js';
import { CADENCE_PRESETS } from '../../src/schedule/cadence.js';
import type { Choice } from './block-choices.js';

const EXPORT_CHOICES = ['md', 'json', 'csv', 'svg', 'png'] as const;
const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
const MAX_CHOICES = 25;
/** The option of `remind-me` that says on or off. */
const REMIND_STATE = 'state';
/** The option of `forget-me` that confirms it: without it, the member is only told what would go. */
const FORGET_CONFIRM = 'confirm';
/** The subcommand whose reply is a form: it opens as a modal, before anything is deferred. */
export const STATEMENT_COMMAND = 'statement';
/** The quorum's bounds, as the core reads them (a handful of people, not a crowd). */
const MAX_QUORUM = 100;

const withCadence = (s: SlashCommandSubcommandBuilder, required: boolean) =>
  s.addStringOption((o) =>
    o
      .setName('cadence')
      .setDescription('daily, weekdays, twice-weekly, weekly, or a cron pattern such as "0 9 * * 1"')
      .setRequired(required)
      .setAutocomplete(true)
      .setMaxLength(100),
  );
const withTz = (s: SlashCommandSubcommandBuilder) =>
  s.addStringOption((o) =>
    o.setName('tz').setDescription('Time zone, e.g. Europe/Paris').setAutocomplete(true).setMaxLength(64),
  );
/** Days off, holidays and the reminder lead: the same options on `start` and `schedule`. */
const withCalendar = (s: SlashCommandSubcommandBuilder) =>
  s
    .addStringOption((o) =>
      o
        .setName('quiet')
        .setDescription('Days no round opens or closes, e.g. sat,sun (none to clear)')
        .setMaxLength(60),
    )
    .addStringOption((o) =>
      o
        .setName('holiday')
        .setDescription(
          'Holidays, e.g. 2026-12-24..2027-01-02 (several: separate with spaces; none to clear)',
        )
        .setMaxLength(300),
    )
    .addStringOption((o) =>
      o
        .setName('reminder')
        .setDescription('Reminder before each deadline, e.g. 24h, or off')
        .setMaxLength(10),
    );
/** How long a statement's consent round lasts, and how many must take part: on `start` and `schedule`. */
const withConsent = (s: SlashCommandSubcommandBuilder) =>
  s
    .addStringOption((o) =>
      o
        .setName('consent')
        .setDescription('How long a shared statement is open for consent, e.g. 3d or 36h')
        .setMaxLength(10),
    )
    .addIntegerOption((o) =>
      o
        .setName('quorum')
        .setDescription('How many members must take part for a statement to be agreed (2 by default)')
        .setMinValue(1)
        .setMaxValue(MAX_QUORUM),
    );
const plain = (name: string, description: string) => (s: SlashCommandSubcommandBuilder) =>
  s.setName(name).setDescription(description);

/**
 * `/canevas` with one subcommand per DESIGN.md subcommand, in the same words as on Slack; in servers
 * only (said with `contexts`, `dm_permission` being deprecated): a campaign lives in a server's channel.
 */
export function canevasCommand() {
  return new SlashCommandBuilder()
    .setName('canevas')
    .setDescription('Facilitate the digital-commons governance canvas in this channel')
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand(plain('help', 'How to use Canevas'))
    .addSubcommand((s) =>
      withConsent(
        withCalendar(
          withTz(
            withCadence(
              s
                .setName('start')
                .setDescription('Begin a campaign in this channel (admins)')
                .addStringOption((o) =>
                  o
                    .setName('lang')
                    .setDescription('Language of the campaign')
                    .addChoices({ name: 'français', value: 'fr' }, { name: 'English', value: 'en' }),
                ),
              false,
            ),
          )
            .addStringOption((o) =>
              o.setName('template').setDescription('Template name (templates/ folder)').setMaxLength(100),
            )
            .addStringOption((o) =>
              o
                .setName('name')
                .setDescription('Name of the campaign, shown on the canvas')
                .setMaxLength(MAX_NAME_LENGTH),
            )
            .addStringOption((o) =>
              o
                .setName('format')
                .setDescription(
                  'Rounds of related questions with deadlines (workshop), or one at a time (drip)',
                )
                .addChoices({ name: 'workshop', value: 'workshop' }, { name: 'drip', value: 'drip' }),
            )
            .addBooleanOption((o) =>
              o.setName('anonymous').setDescription('Compile answers without names (a member)'),
            ),
        ),
      ),
    )
    .addSubcommand(plain('status', 'Progress of the campaign'))
    .addSubcommand(plain('next', 'Open the next round now (admins)'))
    .addSubcommand(plain('skip', 'Close the open round unanswered and move on (admins)'))
    .addSubcommand(plain('pause', 'Hold the schedule (admins)'))
    .addSubcommand(plain('resume', 'Restart the schedule (admins)'))
    .addSubcommand((s) =>
      withConsent(
        withCalendar(
          withTz(
            withCadence(
              plain('schedule', 'Change the cadence, days off, reminder or consent (admins)')(s),
              false,
            ),
          ),
        ),
      ),
    )
    .addSubcommand(plain('summary', 'Compile and post the canvas now (admins)'))
    .addSubcommand(plain('digest', 'Post the digest now (admins)'))
    .addSubcommand((s) =>
      plain(
        'export',
        'Upload an export of the canvas (admins)',
      )(s).addStringOption((o) =>
        o
          .setName('format')
          .setDescription('File format')
          .setRequired(true)
          .addChoices(...EXPORT_CHOICES.map((f) => ({ name: f, value: f }))),
      ),
    )
    .addSubcommand(plain('stop', 'End the campaign and post the final canvas (admins)'))
    .addSubcommand((s) =>
      plain(
        'remind-me',
        'Be mentioned (or not) in the reminder before each deadline',
      )(s).addStringOption((o) =>
        o
          .setName(REMIND_STATE)
          .setDescription('on (the default) or off')
          .addChoices({ name: 'on', value: 'on' }, { name: 'off', value: 'off' }),
      ),
    )
    .addSubcommand((s) =>
      plain(
        STATEMENT_COMMAND,
        'Write or revise the shared version of a question, put to consent (admins)',
      )(s).addStringOption((o) =>
        o
          .setName('block')
          .setDescription('The question, e.g. def.values: type a few letters of its title')
          .setRequired(true)
          .setAutocomplete(true)
          .setMaxLength(100),
      ),
    )
    .addSubcommand((s) =>
      plain(
        'forget-me',
        "Take your answers and name out of this channel's campaigns",
      )(s).addBooleanOption((o) =>
        o.setName(FORGET_CONFIRM).setDescription('True to do it; without it, you are told what would go'),
      ),
    );
}

/** The Slack-style text the core parses: `start lang:"en" cadence:"0 9 * * 1"`. */
export function commandText(interaction: ChatInputCommandInteraction): string {
  const sub = interaction.options.getSubcommand(false) ?? 'help';
  const parts = [sub];
  const options = interaction.options.data[0]?.options ?? [];
  for (const o of options) {
    if (o.value === undefined || o.value === null) continue;
    const value = String(o.value).replace(/"/g, '');
    // `forget-me confirm` is one word, said only when true.
    if (sub === 'forget-me' && o.name === FORGET_CONFIRM) {
      if (value === 'true') parts.push('confirm');
      continue;
    }
    // `remind-me off` takes its one word bare, as typed on Slack; every other option is `name:"value"`.
    parts.push(sub === 'remind-me' && o.name === REMIND_STATE ? value : `${o.name}:"${value}"`);
  }
  return parts.join(' ');
}

/**
 * Suggestions for `cadence` (presets, and what was typed: a cron pattern), `tz`, and `block` (the
 * campaign's questions, from `blocks`).
 */
export async function autocomplete(
  interaction: AutocompleteInteraction,
  blocks?: (typed: string) => Promise<Choice[]>,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = focused.value.trim();
  const lower = typed.toLowerCase();
  if (focused.name === 'block') {
    await interaction.respond(blocks ? await blocks(typed) : []);
    return;
  }
  let values: string[];
  if (focused.name === 'cadence') {
    values = Object.keys(CADENCE_PRESETS).filter((p) => p.includes(lower));
    if (typed && !values.includes(typed)) values.unshift(typed);
  } else {
    values = TIME_ZONES.filter((z) => z.toLowerCase().includes(lower));
  }
  await interaction.respond(
    values.slice(0, MAX_CHOICES).map((v) => ({ name: v.slice(0, 100), value: v.slice(0, 100) })),
  );
}
