import { describe, expect, it } from 'vitest';
import { conjunctionFormat, dateFormat, percentFormat } from '../../src/intl-cache.js';
import { formatDateTime, formatDay, formatDeadline, listOf } from '../../src/render/view-helpers.js';

const at = new Date('2026-03-29T00:30:00Z');

describe('cached Intl formatters', () => {
  it('builds one formatter per locale, zone and style, and keeps it', () => {
    const paris = dateFormat('fr-FR', 'Europe/Paris', 'day');
    expect(dateFormat('fr-FR', 'Europe/Paris', 'day')).toBe(paris);
    expect(dateFormat('fr-FR', 'America/Montreal', 'day')).not.toBe(paris);
    expect(dateFormat('en-GB', 'Europe/Paris', 'day')).not.toBe(paris);
    expect(dateFormat('fr-FR', 'Europe/Paris', 'dateTime')).not.toBe(paris);
    expect(conjunctionFormat('fr-FR')).toBe(conjunctionFormat('fr-FR'));
    expect(percentFormat('en')).toBe(percentFormat('en'));
  });

  it('formats in each zone it was asked for, not the first one cached', () => {
    // Half past midnight in London is still the evening before in Montreal.
    expect(formatDay(at, 'en', 'Europe/London')).toBe('29 March 2026');
    expect(formatDay(at, 'en', 'America/Montreal')).toBe('28 March 2026');
    expect(formatDateTime(at, 'fr', 'Europe/Paris')).toBe(
      new Intl.DateTimeFormat('fr-FR', {
        timeZone: 'Europe/Paris',
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(at),
    );
    expect(formatDeadline(at, 'fr', 'Europe/Paris')).toBe('dimanche 29 mars, 1\u00a0h\u00a030');
    expect(listOf(['Ada', 'Ben', 'Chloé'], 'fr')).toBe('Ada, Ben et Chloé');
  });

  it('refuses a zone Intl does not know, every time (nothing wrong is kept)', () => {
    expect(() => dateFormat('en-GB', 'Mars/Olympus', 'day')).toThrow(RangeError);
    expect(() => dateFormat('en-GB', 'Mars/Olympus', 'day')).toThrow(RangeError);
  });
});
