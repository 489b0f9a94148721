import type { Campaign, CampaignEvent, Lang, Person } from './types.js';

/** Who stands where a name is not shown: an anonymous campaign's members, a forgotten member. */
export const MEMBER_WORD: Record<Lang, string> = { fr: 'un·e membre', en: 'a member' };

/** The name to show for a person: a name not kept (anonymous, forgotten) reads « un·e membre ». */
export function shownName(person: Person, lang: Lang): string {
  return person.name === '' ? MEMBER_WORD[lang] : person.name;
}

/**
 * A member's name where they gave something (an answer, a stance, an action): never shown in an
 * anonymous campaign, even for what was stored before names stopped being kept.
 */
export function memberName(campaign: Pick<Campaign, 'anonymous' | 'lang'>, person: Person): string {
  return campaign.anonymous ? MEMBER_WORD[campaign.lang] : shownName(person, campaign.lang);
}

/** Someone with no name kept: the id stays so they may still edit, delete or take back what they gave. */
export const nameless = (person: Person): Person => ({ id: person.id, name: '' });

/**
 * What an anonymous campaign keeps of a member's event: no name at all, so no output can leak one.
 * Admins' own acts (statements, commands) keep theirs: facilitators answer for the texts they write.
 */
export function withoutNames(event: CampaignEvent): CampaignEvent {
  switch (event.type) {
    case 'answer-added':
      return { ...event, answer: { ...event.answer, author: nameless(event.answer.author) } };
    case 'answer-edited':
      return event.author ? { ...event, author: nameless(event.author) } : event;
    case 'stance':
    case 'ostrom-rating':
      return { ...event, person: nameless(event.person) };
    default:
      return event;
  }
}

/**
 * A digest of a message id (cyrb53, two 32-bit halves): enough to recognise a forgotten answer's
 * message if it is delivered again, while the campaign keeps no pointer to the message itself. Not a
 * secret (message ids are guessable): tidiness, so that nothing stored leads back to what was removed.
 */
export function refDigest(ref: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < ref.length; i++) {
    const ch = ref.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(h2 >>> 0).toString(36)}.${(h1 >>> 0).toString(36)}`;
}
