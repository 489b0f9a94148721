import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { MAX_NAME_LENGTH } from '../../src/index.js';
import { CADENCE_PRESETS } from '../../src/schedule/cadence.js';

const EXPORT_CHOICES = ['md', 'json', 'csv', 'svg', 'png'] as const;
const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
const MAX_CHOICES = 25;
/** The option of `remind-me` that says on or off. */
const REMIND_STATE = 'state';

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
const plain = (name: string, description: string) => (s: SlashCommandSubcommandBuilder) =>
  s.setName(name).setDescription(description);

/** `/canevas` with one subcommand per DESIGN.md subcommand, in the same words as on Slack. */
export function canevasCommand() {
  return new SlashCommandBuilder()
    .setName('canevas')
    .setDescription('Facilitate the digital-commons governance canvas in this channel')
    .setDMPermission(false)
    .addSubcommand(plain('help', 'How to use Canevas'))
    .addSubcommand((s) =>
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
          ),
      ),
    )
    .addSubcommand(plain('status', 'Progress of the campaign'))
    .addSubcommand(plain('next', 'Open the next round now (admins)'))
    .addSubcommand(plain('skip', 'Close the open round unanswered and move on (admins)'))
    .addSubcommand(plain('pause', 'Hold the schedule (admins)'))
    .addSubcommand(plain('resume', 'Restart the schedule (admins)'))
    .addSubcommand((s) =>
      withCalendar(
        withTz(withCadence(plain('schedule', 'Change the cadence, days off or reminder (admins)')(s), false)),
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
    // `remind-me off` takes its one word bare, as typed on Slack; every other option is `name:"value"`.
    parts.push(sub === 'remind-me' && o.name === REMIND_STATE ? value : `${o.name}:"${value}"`);
  }
  return parts.join(' ');
}

/** Suggestions for `cadence` (presets, and what was typed: a cron pattern) and `tz`. */
export async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = focused.value.trim();
  const lower = typed.toLowerCase();
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
