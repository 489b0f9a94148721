import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultTemplate } from '../../src/canvas/template-loader.js';
import type { CanvasTemplate } from '../../src/canvas/template-schema.js';
import { composeStatus } from '../../src/render/compose.js';
import { createRenderer, type Renderer } from '../../src/render/renderer.js';
import { SAMPLE_NEXT_RUN, sampleContext } from '../fixtures/sample-campaign.js';

let template: CanvasTemplate;
let renderer: Renderer;

beforeAll(async () => {
  template = await loadDefaultTemplate();
  renderer = createRenderer();
});

describe('status', () => {
  it('tells admins about posts that could not be delivered, in their language', () => {
    const failures = { count: 2, lastError: 'not_in_channel <!channel>' };
    const en = composeStatus(sampleContext('en', template, renderer), SAMPLE_NEXT_RUN, failures);
    expect(en).toContain('2 posts could not be delivered');
    expect(en).toContain('not\\_in\\_channel');
    expect(en).not.toContain('<!channel>');
    const fr = composeStatus(sampleContext('fr', template, renderer), SAMPLE_NEXT_RUN, failures);
    expect(fr).toContain('2 messages n’ont pas pu être envoyés');
  });

  it('counts one failed post in the singular', () => {
    const failures = { count: 1, lastError: 'timeout' };
    expect(composeStatus(sampleContext('en', template, renderer), SAMPLE_NEXT_RUN, failures)).toContain(
      '1 post could not be delivered',
    );
    expect(composeStatus(sampleContext('fr', template, renderer), SAMPLE_NEXT_RUN, failures)).toContain(
      '1 message n’a pas pu être envoyé',
    );
  });

  it('says nothing of failures when there are none', () => {
    const text = composeStatus(sampleContext('en', template, renderer), SAMPLE_NEXT_RUN, {
      count: 0,
      lastError: '',
    });
    expect(text).not.toContain('could not be delivered');
  });
});
