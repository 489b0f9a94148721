import { describe, expect, it } from 'vitest';
import { packDoc, unpackDoc } from '../../src/store/doc-codec.js';
import { newCampaign, newWorkshop } from '../fixtures/campaigns.js';

describe('the stored campaign document', () => {
  it('packs a campaign to a fraction of its JSON and reads it back as it was', () => {
    for (const campaign of [
      newCampaign(),
      newWorkshop([{ id: 'share', blockIds: ['def.resource', 'def.purpose', 'def.values'] }], {
        name: 'Vélocarte ✓',
      }),
    ]) {
      const json = JSON.stringify(campaign);
      const packed = packDoc(json);
      expect(packed.length).toBeLessThan(json.length / 2);
      expect(unpackDoc(packed)).toBe(json);
    }
  });

  it('still reads what it packed before: the dictionary is frozen', () => {
    const packed = 'z1:g7o5HZTz8rA390htpoEtJa2NFgtvP4YdXpmTnwzyp8KjOZOVagE=';
    expect(JSON.parse(unpackDoc(packed))).toEqual({
      id: 'golden',
      status: 'running',
      questions: [
        { blockId: 'def.resource', status: 'open' },
        { blockId: 'def.purpose', status: 'pending' },
      ],
      name: 'Vélocarte ✓',
    });
  });

  it('reads a document older versions wrote as JSON, and refuses one that is neither', () => {
    expect(unpackDoc('{"id":"c1"}')).toBe('{"id":"c1"}');
    expect(() => unpackDoc('z1:not deflated')).toThrow();
  });
});
