import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  blockOrder,
  findBlock,
  hashTemplate,
  loadTemplate,
  parseTemplate,
  roundsOf,
  TemplateError,
} from '../../src/canvas/template-loader.js';

const fixtures = 'tests/fixtures/templates';
const brokenDir = join(fixtures, 'broken');

async function refusal(file: string): Promise<TemplateError> {
  try {
    await loadTemplate(file);
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error(`${file} loaded, but it is broken`);
}

// Each broken fixture, the path of its first problem, and what the problem must say.
const broken: { file: string; path: string; problem: RegExp }[] = [
  { file: 'yaml-syntax.yaml', path: 'line 19, column 11', problem: /^YAML syntax error: .*mapping/i },
  { file: 'missing-field.yaml', path: 'fiches[0].blocks[1].question', problem: /^required$/ },
  { file: 'wrong-type.yaml', path: 'fiches[0].number', problem: /expected a number, got the text "one"/ },
  { file: 'empty-question.yaml', path: 'fiches[0].blocks[0].question.fr', problem: /must not be empty/ },
  {
    file: 'duplicate-block-id.yaml',
    path: 'fiches[0].blocks[1].id',
    problem: /duplicate block id "ess\.resource" \(already used at fiches\[0\]\.blocks\[0\]\.id\)/,
  },
  {
    file: 'synthesis-unknown-block.yaml',
    path: 'synthesis[1].blocks[1]',
    problem: /unknown block "ess\.horizons"/,
  },
  { file: 'missing-english.yaml', path: 'fiches[0].blocks[0].example.en', problem: /^required$/ },
  { file: 'bad-block-id.yaml', path: 'fiches[0].blocks[1].id', problem: /"fiche\.name".*"Next-Step"/ },
  { file: 'wrong-version.yaml', path: 'version', problem: /must be 1, got number 2/ },
  {
    file: 'duplicate-synthesis-area.yaml',
    path: 'synthesis[1].id',
    problem: /duplicate synthesis area id "identity"/,
  },
  { file: 'ostrom-unknown-block.yaml', path: 'ostrom[0].blocks[0]', problem: /unknown block "fct\.circles"/ },
  { file: 'empty.yaml', path: '(top level)', problem: /empty/ },
  {
    file: 'round-spans-fiches.yaml',
    path: 'rounds[0].blocks',
    problem: /a round stays within one fiche \(this one spans essentials, outlook\)/,
  },
  { file: 'round-missing-block.yaml', path: 'rounds', problem: /block "ess\.next_step" is in no round/ },
  {
    file: 'round-duplicate-block.yaml',
    path: 'rounds[1].blocks[0]',
    problem: /block "ess\.next_step" is already in rounds\[0\]/,
  },
];

describe('loadTemplate refuses broken templates, saying where and what', () => {
  it('has a case for every broken fixture', () => {
    expect(broken.map((b) => b.file).sort()).toEqual(readdirSync(brokenDir).sort());
  });

  for (const { file, path, problem } of broken) {
    it(`refuses ${file} at ${path}`, async () => {
      const full = join(brokenDir, file);
      const err = await refusal(full);
      expect(err.file).toBe(full);
      expect(err.path).toBe(path);
      expect(err.problem).toMatch(problem);
      expect(err.message.split('\n')[0]).toBe(`${full}: ${path}: ${err.problem}`);
      expect(err.issues[0]).toEqual({ path, problem: err.problem });
    });
  }

  it('lists every problem, not only the first', async () => {
    const err = await refusal(join(brokenDir, 'duplicate-block-id.yaml'));
    // Renaming ess.next_step also leaves the synthesis pointing at a block that no longer exists.
    expect(err.issues.map((i) => i.path)).toEqual(['fiches[0].blocks[1].id', 'synthesis[1].blocks[0]']);
    expect(err.message.split('\n')).toHaveLength(2);
  });

  it('refuses a missing file as a TemplateError', async () => {
    const err = await refusal(join(fixtures, 'no-such-template.yaml'));
    expect(err.file).toBe(join(fixtures, 'no-such-template.yaml'));
    expect(err.problem).toBe('file not found');
  });

  it('refuses a directory as a TemplateError', async () => {
    const err = await refusal(fixtures);
    expect(err.problem).toMatch(/directory/);
  });

  it('refuses YAML that is not a mapping', () => {
    expect(() => parseTemplate('- just\n- a list\n', 'list.yaml')).toThrow(
      /^list\.yaml: \(top level\): expected a mapping \(key: value\), got a list/,
    );
  });
});

describe('a small custom template', () => {
  it('loads with one fiche and two blocks', async () => {
    const template = await loadTemplate(join(fixtures, 'valid-small.yaml'));
    expect(template.fiches).toHaveLength(1);
    expect(blockOrder(template)).toEqual(['ess.resource', 'ess.next_step']);
    expect(template.ostrom).toEqual([]);
    expect(findBlock(template, 'ess.next_step')).toMatchObject({ index: 1, fiche: { id: 'essentials' } });
  });

  it('without rounds, asks one block at a time, each a round of its own', async () => {
    const template = await loadTemplate(join(fixtures, 'valid-small.yaml'));
    expect(roundsOf(template)).toEqual([
      { id: 'ess_resource', title: { fr: 'La ressource', en: 'The resource' }, blocks: ['ess.resource'] },
      { id: 'ess_next_step', title: { fr: 'Prochaine étape', en: 'Next step' }, blocks: ['ess.next_step'] },
    ]);
  });

  it('with rounds, asks the blocks round by round', async () => {
    const template = await loadTemplate(join(fixtures, 'valid-rounds.yaml'));
    expect(roundsOf(template).map((r) => r.id)).toEqual(['act_first', 'then_share']);
    expect(blockOrder(template)).toEqual(['ess.next_step', 'ess.resource']);
  });
});

describe('loading a template again', () => {
  it('gives each caller its own copy, and reads an edited file at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'canevas-template-'));
    const file = join(dir, 'mine.yaml');
    const source = await readFile(join(fixtures, 'valid-small.yaml'), 'utf8');
    await writeFile(file, source);
    const first = await loadTemplate(file);
    const fiche = first.fiches[0];
    if (fiche) fiche.blocks = [];
    expect(blockOrder(await loadTemplate(file))).toEqual(['ess.resource', 'ess.next_step']);

    await writeFile(file, source.replaceAll('ess.next_step', 'ess.then'));
    expect(blockOrder(await loadTemplate(file))).toEqual(['ess.resource', 'ess.then']);
    await writeFile(file, 'fiches: one');
    await expect(loadTemplate(file)).rejects.toBeInstanceOf(TemplateError);
    await rm(dir, { recursive: true });
  });
});

describe('hashTemplate', () => {
  it('depends on content, not on key order or formatting', async () => {
    const source = await readFile(join(fixtures, 'valid-small.yaml'), 'utf8');
    const a = parseTemplate(source, 'a.yaml');
    const reordered = source.replace(
      'name:\n  fr: Canevas express\n  en: Express canvas\n',
      'name: { en: Express canvas, fr: "Canevas express" }\n',
    );
    expect(reordered).not.toBe(source);
    expect(hashTemplate(parseTemplate(reordered, 'b.yaml'))).toBe(hashTemplate(a));

    const changed = parseTemplate(source.replace('Que partageons-nous ?', 'Que gardons-nous ?'), 'c.yaml');
    expect(hashTemplate(changed)).not.toBe(hashTemplate(a));
    expect(hashTemplate(a)).toMatch(/^[0-9a-f]{16}$/);
  });
});
