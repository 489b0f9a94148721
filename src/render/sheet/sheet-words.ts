import type { CampaignStatus, Lang } from '../../facilitation/types.js';
import { plural } from '../view-helpers.js';

/** The sheet's own words, in the campaign's language. */
export interface SheetWords {
  answers(count: number): string;
  more(count: number): string;
  morePeople(count: number): string;
  gap: string;
  /** Stands where an author's name would, before the block's agreed shared statement. */
  agreed: string;
  contributors(count: number): string;
  noContributors: string;
  /** Stands for the names in an anonymous campaign. */
  anonymous: string;
  progress: string;
  status: Record<CampaignStatus, string>;
  madeWith: string;
  /** The picture's text alternative. */
  alt(name: string): string;
}

export const SHEET_WORDS: Record<Lang, SheetWords> = {
  fr: {
    answers: (count) => plural(count, 'fr', 'réponse', 'réponses'),
    more: (count) => `+ ${plural(count, 'fr', 'autre réponse', 'autres réponses')}`,
    morePeople: (count) => `+ ${plural(count, 'fr', 'autre personne', 'autres personnes')}`,
    gap: 'À compléter',
    agreed: '✓ Adopté',
    contributors: (count) => `Contributeurs et contributrices (${count})`,
    noContributors: 'Personne n’a encore répondu.',
    anonymous: 'Campagne anonyme : les réponses sont compilées sans nom.',
    progress: 'Progression',
    status: {
      scheduled: 'prête à démarrer',
      running: 'en cours',
      paused: 'en pause',
      completed: 'terminée',
      cancelled: 'arrêtée',
    },
    madeWith: 'Feuille compilée par Canevas à partir des réponses de la communauté',
    alt: (name) =>
      `Canevas de gouvernance de «\u00A0${name}\u00A0»\u00A0: la feuille de synthèse A3, à partir des réponses`,
  },
  en: {
    answers: (count) => plural(count, 'en', 'answer', 'answers'),
    more: (count) => `+ ${plural(count, 'en', 'more answer', 'more answers')}`,
    morePeople: (count) => `+ ${plural(count, 'en', 'more person', 'more people')}`,
    gap: 'Not answered yet',
    agreed: '✓ Agreed',
    contributors: (count) => `Contributors (${count})`,
    noContributors: 'Nobody has answered yet.',
    anonymous: 'Anonymous campaign: answers are compiled without names.',
    progress: 'Progress',
    status: {
      scheduled: 'ready to start',
      running: 'running',
      paused: 'paused',
      completed: 'completed',
      cancelled: 'stopped',
    },
    madeWith: 'Sheet compiled by Canevas from the community’s answers',
    alt: (name) => `Governance canvas of “${name}”: the A3 synthesis sheet, made from the answers`,
  },
};
