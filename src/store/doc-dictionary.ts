/**
 * The preset dictionary campaign documents are deflated with (doc-codec.ts): JSON a campaign is made
 * of (field names, states, the default template's rounds and blocks), so a document packs to a few
 * hundred bytes. FROZEN: a document packed with it can only be read with the very same bytes. Never
 * edit this file; a better dictionary is a new one under a new prefix, this one kept for reading.
 */
const ROUNDS: readonly (readonly [string, readonly string[]])[] = [
  ['share', ['def.resource', 'def.purpose', 'def.values']],
  ['who_we_are', ['def.stakeholders', 'def.community', 'def.legal']],
  ['where_we_stand', ['def.maturity', 'def.literacy', 'def.identity']],
  ['contributing', ['fct.circles', 'fct.contributions', 'fct.contrib_rules']],
  ['deciding', ['fct.decision', 'fct.roles', 'fct.conflicts', 'fct.transparency']],
  ['sustaining', ['fct.means', 'fct.structure', 'fct.rule_change']],
  ['direction', ['prj.horizons', 'prj.strengths', 'prj.improve', 'prj.risks']],
  ['action_plan', ['prj.act_gov', 'prj.act_comm', 'prj.act_econ', 'prj.act_legal_tech']],
  ['first_step', ['prj.indicators', 'prj.next_step']],
];

const HEAD =
  '{"id":"","channel":{"platform":"slack","workspace":"","channel":""},"lang":"fr","tz":"Europe/Paris",' +
  '"cadence":"twice-weekly","digestCron":"0 9 * * 1","templateId":"","status":"running",' +
  '"createdBy":{"id":"","name":""},"createdAt":"2026-","format":"workshop","questions":[';
const QUESTIONS = ROUNDS.flatMap(([, blocks]) => blocks)
  .map((id) => `{"blockId":"${id}","status":"pending"}`)
  .join(',');
const ROUND_LIST = ROUNDS.map(
  ([id, blocks], i) =>
    `{"id":"${id}","blockIds":[${blocks.map((b) => `"${b}"`).join(',')}],"status":"${
      i === 0 ? 'closed","openedAt":"2026-","closesAt":"2026-","postRef":"' : 'pending'
    }"}`,
).join(',');
const TAIL =
  '],"key":"","startedAt":"2026-","progressPostRef":"","status":"open","openedAt":"","closedAt":""}';

export const DOC_DICTIONARY_V1: Buffer = Buffer.from(`${HEAD}${QUESTIONS}],"rounds":[${ROUND_LIST}${TAIL}`);
