import { LANGS, type Lang } from '../facilitation/types.js';

/** The words of the Answer button and its form (Slack modal, Discord modal). */
export interface AnswerFormWords {
  button: string;
  field: string;
  send: string;
  cancel: string;
  expired: string;
}

const WORDS: Record<Lang, AnswerFormWords> = {
  fr: {
    button: 'Répondre',
    field: 'Votre réponse',
    send: 'Envoyer',
    cancel: 'Annuler',
    expired: 'Ce formulaire a expiré : rouvrez-le depuis la question.',
  },
  en: {
    button: 'Answer',
    field: 'Your answer',
    send: 'Send',
    cancel: 'Cancel',
    expired: 'This form has expired: open it again from the question.',
  },
};

/** For a button whose language is unknown (posted before buttons carried it): both languages. */
const BOTH: AnswerFormWords = {
  button: `${WORDS.en.button} · ${WORDS.fr.button}`,
  field: `${WORDS.en.field} · ${WORDS.fr.field}`,
  send: `${WORDS.en.send} · ${WORDS.fr.send}`,
  cancel: `${WORDS.en.cancel} · ${WORDS.fr.cancel}`,
  expired: `${WORDS.en.expired} · ${WORDS.fr.expired}`,
};

/**
 * The form's words in a campaign's language. Adapters carry the language on the button itself
 * (Slack's value, Discord's custom id), so opening the form needs no lookup.
 */
export function answerFormWords(lang: string | undefined): AnswerFormWords {
  return (LANGS as readonly string[]).includes(lang ?? '') ? WORDS[lang as Lang] : BOTH;
}

/** The words of the Remind-me button on a round post. */
export interface RemindWords {
  button: string;
}

const REMIND: Record<Lang, RemindWords> = {
  fr: { button: 'Me le rappeler' },
  en: { button: 'Remind me' },
};

/** The Remind-me button's words in a campaign's language; both languages when it is unknown. */
export function remindWords(lang: string | undefined): RemindWords {
  if ((LANGS as readonly string[]).includes(lang ?? '')) return REMIND[lang as Lang];
  return { button: `${REMIND.en.button} · ${REMIND.fr.button}` };
}

/** What a Remind-me button does: the command a member could type instead. */
export const REMIND_ME_COMMAND = 'remind-me on';
