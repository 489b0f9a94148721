// The playground page: one channel, three people, live updates. No framework and no innerHTML:
// every piece of text reaches the DOM through text nodes, so nothing anyone types can become markup.

const API = '/playground/api';
const USERS = [
  { id: 'ada', name: 'Ada', admin: true },
  { id: 'ben', name: 'Ben', admin: false },
  { id: 'chloe', name: 'Chloé', admin: false },
];

const state = {
  user: initialUser(),
  users: USERS,
  /** id -> { root, body, file, thread, replies, replyEls, form, label, signature } */
  postEls: new Map(),
  /** Replies shown only to the person who acted: { id, user, text, ok } */
  ephemerals: [],
  ephemeralSeq: 0,
  /** Id of the reply being edited, whose element must not be rebuilt under the person's cursor. */
  editing: null,
  /** The message the URL's fragment names (a permalink), once it has been scrolled to. */
  shownTarget: null,
  /** The campaign's time zone, as the API gives it: post times are shown in it, not the browser's. */
  tz: null,
  /** The read of the channel under way, if any. */
  refreshing: null,
  refreshAgain: false,
};

const $ = (id) => document.getElementById(id);

function initialUser() {
  const fromUrl = new URLSearchParams(location.search).get('user');
  const stored = safeStorage('get');
  return [fromUrl, stored].find((u) => USERS.some((x) => x.id === u)) ?? 'ada';
}

function safeStorage(op, value) {
  try {
    if (op === 'get') return localStorage.getItem('canevas-playground-user');
    localStorage.setItem('canevas-playground-user', value);
  } catch {
    // Private windows may refuse storage; the switcher still works for this visit.
  }
  return null;
}

function userById(id) {
  return state.users.find((u) => u.id === id) ?? { id, name: id, admin: false };
}

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, String(value));
  }
  node.append(...children);
  return node;
}

// ---------------------------------------------------------------------------------------------------
// The bot's Markdown subset: **bold**, _italic_, `code`, "> " quotes, [label](http…) links, line breaks
// and backslash escapes (shown as the character itself, in code too: the one scheme of
// src/render/markdown-format.ts). Anything else stays literal text. `mentions`
// are the `@Name`s the post names as mentions ({ text, me }): shown highlighted, as a chat app does.

const PUNCT = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;

export function renderMarkdown(text, mentions = []) {
  const fragment = document.createDocumentFragment();
  let quote = null;
  let first = true;
  for (const line of String(text).split('\n')) {
    const quoted = /^>(?: |$)(.*)$/.exec(line);
    if (quoted) {
      if (quote) quote.append(el('br'));
      else {
        quote = el('blockquote');
        fragment.append(quote);
      }
      quote.append(...renderInline(quoted[1], mentions));
    } else {
      if (!quote && !first) fragment.append(el('br'));
      quote = null;
      fragment.append(...renderInline(line, mentions));
    }
    first = false;
  }
  return fragment;
}

function findClosing(s, token, from) {
  for (let j = from; j <= s.length - token.length; j++) {
    if (s[j] === '\\' && PUNCT.test(s[j + 1] ?? '')) {
      j++;
      continue;
    }
    if (s.startsWith(token, j)) return j;
    // A code span binds first: `**` or `_` inside one closes nothing.
    if (s[j] === '`') {
      const end = findClosing(s, '`', j + 1);
      if (end > j + 1) j = end;
    }
  }
  return -1;
}

function unescapeText(s) {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function safeUrl(raw) {
  try {
    const url = new URL(unescapeText(raw));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function renderInline(s, mentions) {
  const out = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push(...withMentions(buffer, mentions));
    buffer = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && PUNCT.test(s[i + 1] ?? '')) {
      buffer += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = findClosing(s, '`', i + 1);
      if (end > i + 1) {
        flush();
        out.push(el('code', { text: unescapeText(s.slice(i + 1, end)) }));
        i = end + 1;
        continue;
      }
    }
    if (c === '*' && s[i + 1] === '*') {
      const end = findClosing(s, '**', i + 2);
      if (end > i + 2) {
        flush();
        out.push(el('strong', {}, renderInline(s.slice(i + 2, end), mentions)));
        i = end + 2;
        continue;
      }
    }
    if (c === '_' && !WORD.test(s[i - 1] ?? '')) {
      const end = findClosing(s, '_', i + 1);
      if (end > i + 1 && !WORD.test(s[end + 1] ?? '')) {
        flush();
        out.push(el('em', {}, renderInline(s.slice(i + 1, end), mentions)));
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const close = findClosing(s, ']', i + 1);
      if (close > i + 1 && s[close + 1] === '(') {
        const paren = findClosing(s, ')', close + 2);
        const href = paren > close ? safeUrl(s.slice(close + 2, paren)) : null;
        if (href) {
          flush();
          const label = renderInline(s.slice(i + 1, close), mentions);
          out.push(el('a', { href, rel: 'noopener noreferrer', target: '_blank' }, label));
          i = paren + 1;
          continue;
        }
      }
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

/** Plain text with each mention in a span of its own; a longer name wins over its prefix. */
function withMentions(text, mentions) {
  const out = [];
  let from = 0;
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
    const hit = mentions.find((m) => text.startsWith(m.text, i) && !WORD.test(text[i + m.text.length] ?? ''));
    if (!hit || i < from) continue;
    if (i > from) out.push(document.createTextNode(text.slice(from, i)));
    out.push(el('span', { class: hit.me ? 'mention mention--me' : 'mention', text: hit.text }));
    from = i + hit.text.length;
  }
  if (from < text.length) out.push(document.createTextNode(text.slice(from)));
  return out;
}

/** The people a post mentions, as its text writes them, longest first; the viewer's own marked. */
function mentionsOf(post) {
  const ids = Array.isArray(post.mentions) ? post.mentions : [];
  return ids
    .map((id) => ({ text: `@${userById(id).name}`, me: id === state.user }))
    .sort((a, b) => b.text.length - a.text.length);
}

// ---------------------------------------------------------------------------------------------------
// Talking to the server.

async function api(method, path, body) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  let data = {};
  try {
    data = await res.json();
  } catch {
    data = { ok: false, message: `The server answered ${res.status}.` };
  }
  return { status: res.status, data };
}

/**
 * Reads the channel and draws it. Calls made while a read is under way join it: the read starts again
 * once more, and every caller's promise resolves when what it asked for is on screen.
 */
function refresh() {
  if (state.refreshing) {
    state.refreshAgain = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    try {
      do {
        state.refreshAgain = false;
        const { status, data } = await api('GET', '/channel');
        if (status === 200) renderChannel(data);
        else setConnection(data.message ?? 'Could not load the channel.', true);
      } while (state.refreshAgain);
    } catch {
      setConnection('The playground server does not answer. Is `npm start` still running?', true);
    } finally {
      state.refreshing = null;
    }
  })();
  return state.refreshing;
}

function setConnection(text, offline) {
  const node = $('connection');
  node.textContent = text;
  node.classList.toggle('offline', offline);
}

function listen() {
  const source = new EventSource(`${API}/events`);
  source.addEventListener('open', () => {
    setConnection('Live: new messages appear as they arrive.', false);
    document.body.dataset.live = 'true';
    // Whatever happened while disconnected is caught up with one read.
    refresh();
  });
  source.addEventListener('message', () => refresh());
  source.addEventListener('error', () => {
    document.body.dataset.live = 'false';
    setConnection('Reconnecting…', true);
  });
}

// ---------------------------------------------------------------------------------------------------
// The channel, rendered by key so typing in an answer box survives live updates.

function renderChannel(data) {
  if (Array.isArray(data.users)) state.users = data.users;
  state.tz = typeof data.tz === 'string' ? data.tz : null;
  const list = $('posts');
  const seen = new Set();
  data.posts.forEach((post, index) => {
    seen.add(post.id);
    let entry = state.postEls.get(post.id);
    if (!entry) {
      entry = createPost(post);
      state.postEls.set(post.id, entry);
    }
    updatePost(entry, post);
    if (list.children[index] !== entry.root) list.insertBefore(entry.root, list.children[index] ?? null);
  });
  for (const [id, entry] of state.postEls) {
    if (!seen.has(id)) {
      entry.root.remove();
      state.postEls.delete(id);
    }
  }
  $('empty').hidden = data.posts.length > 0;
  document.body.dataset.loaded = 'true';
  showTarget();
}

// ---------------------------------------------------------------------------------------------------
// Permalinks: `/#<message id>` scrolls to that post or reply and marks it, as a chat app does.

function targetId() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return '';
  }
}

function showTarget() {
  const id = targetId();
  if (!id || state.shownTarget === id) return;
  const node = document.getElementById(id);
  // Only a message: the skip link's fragment names the command box, which is not one.
  if (!node?.matches('.post, .reply')) return;
  state.shownTarget = id;
  for (const old of document.querySelectorAll('.is-target')) old.classList.remove('is-target');
  node.classList.add('is-target');
  node.setAttribute('tabindex', '-1');
  node.scrollIntoView({ block: 'center' });
  node.focus({ preventScroll: true });
}

/**
 * A time in the campaign's zone, as its schedule and deadlines are: the browser's own zone would show
 * another hour to someone travelling, or to a whole team abroad. `full` is the date and zone, for a tooltip.
 */
function formatTime(iso, full = false) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const style = full ? { dateStyle: 'full', timeStyle: 'short' } : { hour: '2-digit', minute: '2-digit' };
  try {
    const shown = date.toLocaleString([], { ...style, timeZone: state.tz ?? undefined });
    return full && state.tz ? `${shown} (${state.tz})` : shown;
  } catch {
    // A zone this browser does not know: its own clock is better than no time at all.
    return date.toLocaleString([], style);
  }
}

function metaLine(message) {
  const author = message.author ?? { name: '?' };
  const children = [el('span', { class: 'author', text: author.name })];
  if (author.bot) children.push(el('span', { class: 'badge', text: 'bot' }));
  else if (userById(author.id).admin) children.push(el('span', { class: 'badge', text: 'admin' }));
  children.push(
    el('time', {
      datetime: message.createdAt,
      title: formatTime(message.createdAt, true),
      text: formatTime(message.createdAt),
    }),
  );
  if (message.updatedAt) children.push(el('span', { class: 'edited', text: '(edited)' }));
  return el('div', { class: 'meta' }, children);
}

function createPost(post) {
  const root = el('li', {
    id: post.id,
    class: `post post--${post.kind}`,
    'data-post-id': post.id,
    'data-kind': post.kind,
  });
  const entry = { root, signature: '', replyEls: new Map(), thread: null };
  entry.article = el('article', { 'aria-labelledby': `title-${post.id}` });
  entry.title = el('h3', { class: 'post-title', id: `title-${post.id}` });
  entry.meta = el('div');
  entry.body = el('div', { class: 'body' });
  entry.file = el('div', { class: 'file', hidden: true });
  entry.buttons = el('div', { class: 'post-buttons', hidden: true });
  entry.reactions = el('div', { class: 'reactions', 'data-reactions-for': post.id });
  entry.reactionSignature = '';
  entry.article.append(entry.title, entry.meta, entry.body, entry.file, entry.buttons, entry.reactions);
  root.append(entry.article);
  return entry;
}

function postTitle(post) {
  const q = post.question;
  if (post.kind === 'question' && q)
    return `Question ${q.position}/${q.total} · ${unescapeText(q.blockTitle)}`;
  const names = {
    intro: 'Welcome',
    progress: 'Progress',
    summary: 'Canvas',
    digest: 'Weekly digest',
    consent: 'Shared versions',
  };
  return names[post.kind] ?? `${post.author?.name ?? 'Message'}`;
}

function updatePost(entry, post) {
  const signature = JSON.stringify([post.text, post.updatedAt, post.file, post.kind, post.buttons, state.tz]);
  if (signature !== entry.signature) {
    entry.signature = signature;
    entry.title.textContent = postTitle(post);
    entry.meta.replaceChildren(metaLine(post));
    const mentions = mentionsOf(post);
    entry.body.replaceChildren(
      post.author?.bot ? renderMarkdown(post.text, mentions) : document.createTextNode(post.text),
    );
    // A post that calls you stands out in the channel, as in a chat app.
    entry.root.classList.toggle(
      'post--mentions-me',
      mentions.some((m) => m.me),
    );
    // Only the download route: a stored URL must never become a link anywhere else.
    if (post.file?.url?.startsWith('/playground/files/')) {
      const size = post.file.size ? ` (${formatSize(post.file.size)})` : '';
      const download = el('p', { class: 'download' }, [
        el('a', { href: post.file.url, download: post.file.name, text: `Download ${post.file.name}` }),
        document.createTextNode(size),
      ]);
      entry.file.replaceChildren(...(isPicture(post.file) ? [pictureOf(post.file)] : []), download);
      entry.file.hidden = false;
    } else entry.file.hidden = true;
    renderButtons(entry.buttons, post.buttons);
  }
  const reactions = JSON.stringify([post.reactions, state.user]);
  if (reactions !== entry.reactionSignature) {
    entry.reactionSignature = reactions;
    entry.reactions.replaceChildren(...reactionChips(post.id, post.reactions));
  }
  const wantsThread = post.kind === 'question' || post.replies.length > 0;
  if (wantsThread && !entry.thread) createThread(entry, post);
  if (entry.thread) updateThread(entry, post);
}

// Shown inline: the canvas sheet with a summary or digest, and the svg/png exports. An SVG in an
// <img> runs no script, so showing one is as safe as showing a PNG.
const PICTURE_TYPES = ['image/png', 'image/svg+xml', 'image/jpeg', 'image/gif', 'image/webp'];
// Pictures come with their own alt text; this is for one that somehow has none.
const PICTURE_ALT = 'Picture';

function isPicture(file) {
  return PICTURE_TYPES.includes(
    String(file.contentType ?? '')
      .split(';')[0]
      .trim(),
  );
}

function pictureOf(file) {
  // A button, so the full-size view opens from the keyboard too.
  const open = el('button', {
    type: 'button',
    class: 'picture-open',
    'aria-label': `Show ${file.name} full size`,
    onclick: () => showFullSize(file),
  });
  open.append(el('img', { src: file.url, alt: file.alt || PICTURE_ALT, loading: 'lazy', decoding: 'async' }));
  return el('figure', { class: 'picture' }, [open]);
}

/** One dialog for the page, made on first use: the picture at its own size, scrollable. */
function showFullSize(file) {
  let dialog = $('picture-dialog');
  if (!dialog) {
    dialog = el('dialog', { id: 'picture-dialog', class: 'picture-dialog', 'aria-label': 'Picture' });
    const close = el('button', { type: 'button', class: 'picture-close', text: 'Close' });
    close.addEventListener('click', () => dialog.close());
    // A click on the backdrop (the dialog itself, outside its content) closes it, as people expect.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.append(close, el('div', { class: 'picture-full' }, [el('img', { alt: PICTURE_ALT })]));
    document.body.append(dialog);
  }
  const img = dialog.querySelector('.picture-full img');
  img.src = file.url;
  img.alt = file.alt || `${PICTURE_ALT} (${file.name})`;
  dialog.showModal();
}

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 102.4) / 10} kB`;
}

function createThread(entry, post) {
  const headingId = `thread-${post.id}`;
  entry.thread = el('section', { class: 'thread', 'aria-labelledby': headingId });
  entry.threadHeading = el('h4', { id: headingId });
  entry.replies = el('ol', { class: 'replies' });
  entry.thread.append(entry.threadHeading, entry.replies);
  if (post.kind === 'question') {
    const inputId = `answer-${post.id}`;
    entry.answerLabel = el('label', { for: inputId });
    entry.answerInput = el('textarea', { id: inputId, name: 'text', rows: 2, required: true });
    entry.answerInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) entry.form.requestSubmit();
    });
    // "Send", not "Answer": the post's own Answer button opens the form.
    entry.answerButton = el('button', { type: 'submit', text: 'Send' });
    entry.form = el('form', { class: 'answer-form', 'data-thread': post.id }, [
      entry.answerLabel,
      entry.answerInput,
      el('div', { class: 'actions' }, [entry.answerButton]),
    ]);
    entry.form.addEventListener('submit', (event) => {
      event.preventDefault();
      sendAnswer(entry, post.id);
    });
    entry.thread.append(entry.form);
  }
  entry.article.append(entry.thread);
}

function updateThread(entry, post) {
  const count = post.replies.length;
  entry.threadHeading.textContent =
    count === 0 ? 'No answers yet' : `${count} ${count === 1 ? 'reply' : 'replies'}`;
  if (entry.answerLabel) entry.answerLabel.textContent = `Answer as ${userById(state.user).name}`;
  const seen = new Set();
  post.replies.forEach((reply, index) => {
    seen.add(reply.id);
    const signature = JSON.stringify([reply.text, reply.updatedAt, reply.reactions, state.user, state.tz]);
    let item = entry.replyEls.get(reply.id);
    if (!item) {
      item = { root: el('li', { id: reply.id, class: 'reply', 'data-message-id': reply.id }), signature: '' };
      entry.replyEls.set(reply.id, item);
    }
    if (item.signature !== signature && state.editing !== reply.id) {
      item.signature = signature;
      fillReply(item.root, reply, post.id);
    }
    const list = entry.replies;
    if (list.children[index] !== item.root) list.insertBefore(item.root, list.children[index] ?? null);
  });
  for (const [id, item] of entry.replyEls) {
    if (!seen.has(id)) {
      item.root.remove();
      entry.replyEls.delete(id);
      if (state.editing === id) state.editing = null;
    }
  }
}

function fillReply(root, reply, threadId) {
  const text = el('div', { class: 'text' });
  // A member's words are shown exactly as typed; only the bot speaks Markdown.
  if (reply.author?.bot) text.append(renderMarkdown(reply.text));
  else text.textContent = reply.text;
  const reactions = el(
    'div',
    { class: 'reactions', 'data-reactions-for': reply.id },
    reactionChips(reply.id, reply.reactions),
  );
  const children = [metaLine(reply), text, reactions];
  if (!reply.author?.bot && reply.author?.id === state.user) {
    children.push(
      el('div', { class: 'actions' }, [
        el('button', {
          type: 'button',
          class: 'quiet',
          text: 'Edit',
          'aria-label': 'Edit your answer',
          onclick: () => startEditing(root, reply, threadId),
        }),
        el('button', {
          type: 'button',
          class: 'danger',
          text: 'Delete',
          'aria-label': 'Delete your answer',
          onclick: (event) => confirmRemoval(reply, event.currentTarget, threadId),
        }),
      ]),
    );
  }
  root.replaceChildren(...children);
}

function startEditing(root, reply, threadId) {
  state.editing = reply.id;
  const inputId = `edit-${reply.id}`;
  const input = el('textarea', { id: inputId, name: 'text', rows: 3, required: true });
  input.value = reply.text;
  const stop = () => {
    state.editing = null;
    fillReply(root, reply, threadId);
  };
  const form = el('form', { class: 'edit-form' }, [
    el('label', { for: inputId, text: 'Edit your answer' }),
    input,
    el('div', { class: 'actions' }, [
      el('button', { type: 'button', class: 'quiet', text: 'Cancel', onclick: stop }),
      el('button', { type: 'submit', text: 'Save' }),
    ]),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { data } = await api('PATCH', `/messages/${encodeURIComponent(reply.id)}`, {
      user: state.user,
      text: input.value,
    });
    if (data.ok) {
      state.editing = null;
      if (data.reply) showToast(data.reply);
      await refresh();
    } else addEphemeral(data.reply ?? data.message ?? 'The edit was refused.', false);
  });
  root.replaceChildren(metaLine(reply), form);
  input.focus();
}

/**
 * Deleting takes the answer out of the campaign, so the page asks first, in a dialog where the safe
 * choice (Cancel) has the focus: a slip of the finger costs nothing.
 */
function confirmRemoval(reply, opener, threadId) {
  const cancel = el('button', { type: 'button', class: 'quiet', text: 'Cancel' });
  const remove = el('button', { type: 'button', class: 'danger', text: 'Delete' });
  const dialog = el(
    'dialog',
    {
      class: 'form-dialog confirm-dialog',
      role: 'alertdialog',
      'aria-labelledby': 'confirm-title',
      'aria-describedby': 'confirm-text',
    },
    [
      el('h2', { id: 'confirm-title', text: 'Delete this answer?' }),
      el('div', { id: 'confirm-text' }, [
        el('blockquote', { class: 'confirm-quote', text: reply.text }),
        el('p', { text: 'It is taken out of the campaign too.' }),
      ]),
      el('div', { class: 'actions' }, [cancel, remove]),
    ],
  );
  cancel.addEventListener('click', () => dialog.close());
  remove.addEventListener('click', () => dialog.close('delete'));
  // Escape closes it too, as Cancel: nothing is deleted unless Delete was pressed.
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (dialog.returnValue === 'delete') removeReply(reply.id, threadId);
    else opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  cancel.focus();
}

async function removeReply(id, threadId) {
  const { data } = await api(
    'DELETE',
    `/messages/${encodeURIComponent(id)}?user=${encodeURIComponent(state.user)}`,
  );
  if (!data.ok) addEphemeral(data.message ?? 'The message could not be deleted.', false);
  await refresh();
  // The answer and its buttons are gone: the focus goes on to the thread's answer box.
  ($(`answer-${threadId}`) ?? $('command-input')).focus();
}

async function sendAnswer(entry, threadId) {
  const text = entry.answerInput.value;
  entry.answerButton.disabled = true;
  try {
    const { data } = await api('POST', '/messages', { user: state.user, thread: threadId, text });
    if (data.ok) {
      entry.answerInput.value = '';
      if (data.reply) showToast(data.reply);
      await refresh();
    } else addEphemeral(data.reply ?? data.message ?? 'The answer was refused.', false);
  } finally {
    entry.answerButton.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reactions under every message: a chip per emoji with how many used it, pressed when you did. 👍 and
// 👎 are always there to add; any chip toggles your own reaction.

const QUICK_REACTIONS = ['👍', '👎'];

function reactionChips(messageId, reactions) {
  const used = Object.entries(reactions ?? {}).filter(([, who]) => Array.isArray(who) && who.length > 0);
  const present = new Set(used.map(([emoji]) => emoji));
  const quick = QUICK_REACTIONS.filter((emoji) => !present.has(emoji)).map((emoji) => [emoji, []]);
  return [...used, ...quick].map(([emoji, who]) => reactionChip(messageId, emoji, who));
}

function reactionChip(messageId, emoji, who) {
  const mine = who.includes(state.user);
  const names = who.map((id) => userById(id).name).join(', ');
  const label = who.length === 0 ? `React with ${emoji}` : `${emoji} ${who.length}: ${names}`;
  const children = [el('span', { class: 'reaction-emoji', text: emoji })];
  if (who.length > 0) children.push(el('span', { class: 'reaction-count', text: String(who.length) }));
  return el(
    'button',
    {
      type: 'button',
      class: who.length > 0 ? 'reaction' : 'reaction reaction--add',
      'aria-pressed': String(mine),
      'aria-label': label,
      title: label,
      'data-emoji': emoji,
      onclick: () => toggleReaction(messageId, emoji, !mine),
    },
    children,
  );
}

async function toggleReaction(messageId, emoji, on) {
  const path = `/messages/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`;
  try {
    const { data } = await api(on ? 'PUT' : 'DELETE', path, { user: state.user });
    if (!data.ok) addEphemeral(data.message ?? 'The reaction was refused.', false);
    await refresh();
  } catch {
    addEphemeral('The playground server does not answer.', false);
  }
  // The chips were drawn again: the focus goes back to the one pressed, wherever it is now.
  const bar = document.querySelector(`[data-reactions-for="${CSS.escape(messageId)}"]`);
  bar?.querySelector(`[data-emoji="${CSS.escape(emoji)}"]`)?.focus();
}

// ---------------------------------------------------------------------------------------------------
// Buttons on posts, and the forms they open: the playground's Slack and Discord modals.

/**
 * Buttons of one `group` share a row (a statement's stances, the 📝 of a round); those without one
 * (the playground's own Answer and Remind me) share theirs. The core's buttons are drawn quiet
 * unless they ask to stand out, as Slack and Discord draw a button without a style.
 */
function renderButtons(container, buttons) {
  const list = Array.isArray(buttons) ? buttons : [];
  const rows = new Map();
  for (const button of list) {
    const key = typeof button.group === 'string' ? `group:${button.group}` : '';
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(button);
  }
  container.replaceChildren(
    ...[...rows.values()].map((row) => el('div', { class: 'button-row' }, row.map(postButton))),
  );
  container.hidden = list.length === 0;
}

function postButton(button) {
  const style =
    button.style === 'primary'
      ? ''
      : button.style === 'danger'
        ? ' danger'
        : String(button.id).startsWith('core.')
          ? ' quiet'
          : '';
  return el('button', {
    type: 'button',
    class: `post-button${style}`,
    'data-button-id': button.id,
    text: button.label,
    onclick: (event) => pressButton(button.id, event.currentTarget),
  });
}

async function pressButton(id, opener) {
  opener.disabled = true;
  try {
    const { data } = await api('POST', `/buttons/${encodeURIComponent(id)}`, { user: state.user });
    if (data.ok && data.form) openForm(data.form, id);
    else if (data.ok) showToast(data.reply ?? 'Done.');
    else addEphemeral(data.message ?? 'That button did nothing.', false);
  } catch {
    addEphemeral('The playground server does not answer.', false);
  } finally {
    opener.disabled = false;
  }
}

/** One dialog for the page, made on first use and refilled for each form. */
function formDialog() {
  let dialog = $('form-dialog');
  if (dialog) return dialog;
  dialog = el('dialog', { id: 'form-dialog', class: 'form-dialog', 'aria-labelledby': 'form-dialog-title' });
  // Escape closes a modal dialog on its own; closing, by any way, gives focus back to the button.
  dialog.addEventListener('close', () => {
    const id = dialog.dataset.opener;
    const opener = id && document.querySelector(`[data-button-id="${CSS.escape(id)}"]`);
    (opener || $('command-input')).focus();
  });
  document.body.append(dialog);
  return dialog;
}

function openForm(form, openerId) {
  const dialog = formDialog();
  // Without a button (a command's form), the focus goes back to the command box.
  dialog.dataset.opener = openerId ?? '';
  dialog.dataset.formId = form.id;
  const fields = (Array.isArray(form.fields) ? form.fields : []).map((field, index) =>
    formField(field, `form-field-${index}`),
  );
  const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', text: form.submit || 'Send' });
  const cancel = el('button', { type: 'button', class: 'quiet', text: 'Cancel' });
  cancel.addEventListener('click', () => dialog.close());
  const hasRequired = fields.some((f) => f.field.required);
  // The server checks every value: its words, not the browser's, are the ones shown.
  const body = el('form', { class: 'dialog-form', novalidate: true }, [
    el('h2', { id: 'form-dialog-title', text: form.title || 'Form' }),
    ...(hasRequired
      ? [el('p', { class: 'form-note' }, [requiredMark(), document.createTextNode(' required')])]
      : []),
    ...fields.map((f) => f.root),
    formError,
    el('div', { class: 'actions' }, [cancel, submit]),
  ]);
  body.addEventListener('submit', (event) => {
    event.preventDefault();
    sendForm(dialog, form.id, fields, formError, submit);
  });
  body.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) body.requestSubmit();
  });
  dialog.replaceChildren(body);
  dialog.showModal();
  (fields[0]?.input ?? submit).focus();
}

function requiredMark() {
  return el('span', { class: 'required-mark', 'aria-hidden': 'true', text: '*' });
}

function formField(field, domId) {
  const errorId = `${domId}-error`;
  const input = fieldInput(field, domId);
  if (field.required) input.required = true;
  const label = el('label', { for: domId }, [document.createTextNode(field.label)]);
  if (field.required) label.append(document.createTextNode(' '), requiredMark());
  const error = el('p', { class: 'field-error', id: errorId, hidden: true });
  const root = el('div', { class: 'field', 'data-field-id': field.id }, [label, input, error]);
  return { field, input, error, root };
}

function fieldInput(field, domId) {
  const common = { id: domId, name: field.id };
  if (field.kind === 'long-text' || field.kind === 'text') {
    // The browser stops typing at the limit; the bot still checks, and says so at the field.
    if (Number.isInteger(field.maxLength) && field.maxLength > 0) common.maxlength = field.maxLength;
  }
  if (field.kind === 'long-text') {
    const area = el('textarea', { ...common, rows: 6 });
    area.value = field.value ?? '';
    return area;
  }
  if (field.kind === 'select') {
    const options = (field.options ?? []).map((o) =>
      typeof o === 'string'
        ? el('option', { value: o, text: o })
        : el('option', { value: o.value, text: o.label }),
    );
    const select = el('select', common, [el('option', { value: '', text: '—' }), ...options]);
    select.value = field.value ?? '';
    return select;
  }
  const input = el('input', {
    ...common,
    type: field.kind === 'date' ? 'date' : 'text',
    autocomplete: 'off',
  });
  input.value = field.value ?? '';
  return input;
}

function showFieldError(f, message) {
  // The core's words, in the bot's Markdown like every reply it makes.
  f.error.replaceChildren(message ? renderMarkdown(message) : '');
  f.error.hidden = !message;
  if (message) {
    f.input.setAttribute('aria-invalid', 'true');
    f.input.setAttribute('aria-describedby', f.error.id);
  } else {
    f.input.removeAttribute('aria-invalid');
    f.input.removeAttribute('aria-describedby');
  }
}

async function sendForm(dialog, formId, fields, formError, submit) {
  const values = Object.fromEntries(fields.map((f) => [f.field.id, f.input.value]));
  for (const f of fields) showFieldError(f, '');
  formError.hidden = true;
  submit.disabled = true;
  try {
    const { data } = await api('POST', `/forms/${encodeURIComponent(formId)}`, { user: state.user, values });
    if (data.ok) {
      dialog.close();
      if (data.reply) showToast(data.reply);
      await refresh();
      return;
    }
    const errors = data.errors ?? {};
    for (const f of fields) showFieldError(f, errors[f.field.id]);
    const invalid = fields.find((f) => errors[f.field.id]);
    if (invalid) invalid.input.focus();
    else {
      formError.replaceChildren(renderMarkdown(data.message ?? 'The form was refused.'));
      formError.hidden = false;
    }
  } catch {
    formError.textContent = 'The playground server does not answer.';
    formError.hidden = false;
  } finally {
    submit.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Ephemeral replies: shown to the one who acted, in this page only, until dismissed. Replies to a
// command (help, status) and refusals stay above the command box, the newest few; the confirmation
// of an action (an answer saved, a button pressed, a form sent) is a toast that fades on its own.

/** Replies kept above the command box for one person: older ones go, so they never cover the thread. */
const EPHEMERAL_LIMIT = 3;

function addEphemeral(text, ok) {
  state.ephemerals.push({ id: ++state.ephemeralSeq, user: state.user, text, ok });
  const mine = state.ephemerals.filter((e) => e.user === state.user);
  const dropped = new Set(mine.slice(0, -EPHEMERAL_LIMIT).map((e) => e.id));
  state.ephemerals = state.ephemerals.filter((e) => !dropped.has(e.id));
  renderEphemerals();
}

/** How long a toast shows, how long it takes to fade, and how many stack at once (the oldest go first). */
const TOAST_MS = 5000;
const TOAST_FADE_MS = 300;
const TOAST_LIMIT = 3;

/**
 * A confirmation in the corner, stacked under the ones before, fading after TOAST_MS. While the
 * pointer or the focus is on the stack nothing fades, so everyone gets the time to read (WCAG 2.2.1).
 */
function showToast(text) {
  const region = $('toasts');
  const item = el('div', { class: 'toast', 'data-toast-id': ++state.ephemeralSeq }, [
    el('div', { class: 'body' }, [renderMarkdown(text)]),
    el('button', {
      type: 'button',
      class: 'quiet toast-close',
      text: '×',
      'aria-label': 'Dismiss',
      onclick: () => {
        removeToast(item);
        $('command-input').focus();
      },
    }),
  ]);
  region.append(item);
  const shown = [...region.querySelectorAll('.toast:not(.toast--leaving)')];
  for (const old of shown.slice(0, -TOAST_LIMIT)) removeToast(old);
  if (!region.matches(':hover, :focus-within')) scheduleFade(item);
}

function scheduleFade(item) {
  clearTimeout(item.fadeTimer);
  item.fadeTimer = setTimeout(() => fadeToast(item), TOAST_MS);
}

function fadeToast(item) {
  item.classList.add('toast--leaving');
  item.fadeTimer = setTimeout(() => item.remove(), TOAST_FADE_MS);
}

function removeToast(item) {
  clearTimeout(item.fadeTimer);
  item.remove();
}

function holdToasts(held) {
  for (const item of $('toasts').querySelectorAll('.toast')) {
    if (held) {
      clearTimeout(item.fadeTimer);
      item.classList.remove('toast--leaving');
    } else scheduleFade(item);
  }
}

function watchToasts() {
  const region = $('toasts');
  region.addEventListener('mouseenter', () => holdToasts(true));
  region.addEventListener('focusin', () => holdToasts(true));
  region.addEventListener('mouseleave', () => {
    if (!region.matches(':focus-within')) holdToasts(false);
  });
  region.addEventListener('focusout', (event) => {
    if (!region.contains(event.relatedTarget) && !region.matches(':hover')) holdToasts(false);
  });
}

function renderEphemerals() {
  const items = state.ephemerals
    .filter((e) => e.user === state.user)
    .map((e) =>
      el('div', { class: `ephemeral-item${e.ok ? '' : ' refused'}`, 'data-ephemeral-id': e.id }, [
        el('p', { class: 'tag', text: 'Only visible to you' }),
        el('div', { class: 'body' }, [renderMarkdown(e.text)]),
        el('div', { class: 'actions' }, [
          el('button', {
            type: 'button',
            class: 'quiet',
            text: 'Dismiss',
            'aria-label': 'Dismiss this reply',
            onclick: () => {
              state.ephemerals = state.ephemerals.filter((x) => x.id !== e.id);
              renderEphemerals();
              $('command-input').focus();
            },
          }),
        ]),
      ]),
    );
  $('ephemeral').replaceChildren(...items);
}

async function sendCommand(event) {
  event.preventDefault();
  const input = $('command-input');
  const text = input.value.trim();
  if (!text) return;
  const button = event.target.querySelector('button');
  button.disabled = true;
  try {
    const { status, data } = await api('POST', '/command', { user: state.user, text });
    // A command may open a form (`/canevas statement`): the form is the answer.
    if (data.ok && data.form) openForm(data.form, null);
    else addEphemeral(data.reply ?? data.message ?? 'No reply.', Boolean(data.ok));
    if (status === 200) input.value = '';
    // A command may change what the channel shows without a post (`schedule tz:` moves its clock).
    if (data.ok) refresh();
  } catch {
    addEphemeral('The playground server does not answer.', false);
  } finally {
    button.disabled = false;
  }
}

function switchUser(id) {
  state.user = id;
  safeStorage('set', id);
  for (const entry of state.postEls.values()) entry.signature = '';
  for (const entry of state.postEls.values()) for (const item of entry.replyEls.values()) item.signature = '';
  state.editing = null;
  // Toasts confirmed what the one before did: they are not the new person's.
  for (const item of $('toasts').querySelectorAll('.toast')) removeToast(item);
  renderEphemerals();
  refresh();
}

function start() {
  window.addEventListener('hashchange', () => {
    state.shownTarget = null;
    showTarget();
  });
  const select = $('user-select');
  select.value = state.user;
  select.addEventListener('change', () => switchUser(select.value));
  $('command-form').addEventListener('submit', sendCommand);
  watchToasts();
  refresh();
  listen();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
