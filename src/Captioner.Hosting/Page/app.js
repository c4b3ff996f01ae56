// The Captioner page: gallery, uploads, bulk jobs, training and models over the app's own HTTP API.
// In Azure the API needs a function key. The page itself needs none, and no key is ever in its address: open
// /#code=KEY (and &trainingCode=KEY2 where training runs in an app of its own). A fragment is never sent to a server;
// the script moves the keys to session storage (this tab only, gone when it closes), takes them out of the address at
// once, and sends them as the x-functions-key header. Images come through fetch as blob: URLs for the same reason.
'use strict';

const pageSize = 24;
const state = { offset: 0, query: '', order: 'newest', unsureOnly: false, total: 0 };
const keyNames = { code: 'captioner.functionKey', trainingCode: 'captioner.trainingKey' };

// Training runs in an app of its own in Azure (its address comes with the page); locally this host serves it and the
// address is empty.
const trainingApi = document.querySelector('meta[name="captioner-training-api"]')?.content || '';

// Keys given in the address (the fragment; the query of an old link, whose key has reached the server already) go to
// session storage, and the address is replaced by the same one without them.
function takeKeysFromAddress() {
  const url = new URL(location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  let found = false;
  for (const [parameter, storageName] of Object.entries(keyNames)) {
    for (const params of [fragment, url.searchParams]) {
      const key = params.get(parameter);
      if (key === null) continue;
      if (key) sessionStorage.setItem(storageName, key);
      params.delete(parameter);
      found = true;
    }
  }
  if (!found) return;
  url.hash = fragment.toString();
  history.replaceState(null, '', url.pathname + url.search + (url.hash.length > 1 ? url.hash : ''));
}
takeKeysFromAddress();

const functionKey = () => sessionStorage.getItem(keyNames.code);
const trainingKey = () => sessionStorage.getItem(keyNames.trainingCode);

// A training path: on the training app when it is elsewhere, with that app's key; on this host otherwise.
function trainingPath(path) {
  if (!trainingApi) return path;
  return new URL(path, trainingApi.endsWith('/') ? trainingApi : trainingApi + '/').toString();
}

const $ = (id) => document.getElementById(id);

function encodeName(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

// Every API request: the key of the app it goes to as a header (none where no key was given, as locally).
async function api(path, options = {}) {
  const key = /^https?:/.test(path) ? trainingKey() : functionKey();
  const headers = new Headers(options.headers || {});
  if (key) headers.set('x-functions-key', key);
  const response = await fetch(path, { ...options, headers, referrerPolicy: 'no-referrer' });
  if (response.status === 401 || response.status === 403) {
    $('key-form').hidden = false;
    throw new Error('The API needs a function key.');
  }
  return response;
}

async function json(path, options) {
  const response = await api(path, options);
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.detail || `${response.status} ${response.statusText}`);
  return { body, response };
}

// Optional parts are passed as null: they are left out.
function fill(node, ...children) {
  node.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
}

function notify(message) {
  const notice = $('notice');
  notice.textContent = message;
  notice.hidden = !message;
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// ---- sections ----
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => show(button.dataset.section));
}

function show(section) {
  for (const button of document.querySelectorAll('nav button')) {
    if (button.dataset.section === section) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
    $(button.dataset.section).hidden = button.dataset.section !== section;
  }
  if (section === 'gallery') loadGallery();
openLinkedDetail();
  if (section === 'models') loadModels();
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(keyNames.code, $('key').value);
  if ($('training-key').value) sessionStorage.setItem(keyNames.trainingCode, $('training-key').value);
  location.reload();
});
$('training-key-field').hidden = !trainingApi;

// ---- images: fetched with the key, shown as blob: URLs, revoked when what shows them is replaced ----
class ObjectUrls {
  constructor() { this.urls = new Set(); this.closed = false; }

  // Loads the image at path into img; an image that arrives after revokeAll() is revoked at once.
  load(img, path) {
    api(path)
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(`${response.status}`))))
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        if (this.closed) { URL.revokeObjectURL(url); return; }
        this.urls.add(url);
        img.src = url;
      })
      .catch(() => img.classList.add('missing'));
  }

  revokeAll() {
    this.closed = true;
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls.clear();
  }
}

let galleryImages = new ObjectUrls();
const uploadImages = new ObjectUrls();
let detailImages = new ObjectUrls();

// ---- gallery ----
function timings(result) {
  const stages = Object.entries(result.timings || {});
  if (stages.length === 0) return null;
  return element('dl', { class: 'timings' }, ...stages.flatMap(([stage, ms]) =>
    [element('dt', { text: stage.replace(/Ms$/, '') }), element('dd', { text: `${ms.toFixed(1)} ms` })]));
}

// The caption shown: a held-back caption's best guess is still shown, marked by its badge.
function captionText(result) {
  return result.caption ?? result.bestGuess ?? '';
}

// "Unsure" (unfamiliar photo or low confidence) and the confidence, or why there is none.
function confidenceLine(result) {
  if (result.status === 'failed') return null;
  if (result.confidenceUnavailable && result.familiarity == null) return element('p', { class: 'meta', text: 'Confidence unavailable for this model' });
  const parts = [];
  if (result.confidence != null) parts.push(`confidence ${Math.round(result.confidence * 100)}%`);
  if (result.familiarity != null) parts.push(`familiarity ${result.familiarity.toFixed(2)}`);
  return element('p', { class: 'meta confidence' },
    result.unsure ? element('span', { class: 'badge unsure', title: result.unsureBecause, text: result.heldBack ? 'unsure · held back' : 'unsure' }) : null,
    parts.join(' · '));
}

function resultCard(result, images) {
  const failed = result.status === 'failed';
  const thumbnail = element('img', { alt: failed ? `${result.image} (not captioned)` : captionText(result) || result.image });
  images.load(thumbnail, `api/thumbnails/${encodeName(result.image)}?container=${encodeURIComponent(result.container)}`);
  return element('li', { class: failed ? 'card failed' : result.unsure ? 'card unsure' : 'card', 'data-image': result.image },
    element('button', { type: 'button', class: 'open', 'aria-label': `Details of ${result.image}`, onclick: () => openDetail(result) }, thumbnail),
    element('p', { class: 'caption', text: failed ? `Failed: ${result.reason || 'error'}` : captionText(result) }),
    confidenceLine(result),
    failed && result.error ? element('p', { class: 'error', text: result.error }) : null,
    element('p', { class: 'meta', text: `${result.image} · ${result.modelVersion || 'no model'} · ${new Date(result.time).toLocaleString()}` }),
    timings(result));
}

async function loadGallery() {
  const params = new URLSearchParams({ offset: state.offset, limit: pageSize });
  if (state.query) params.set('q', state.query);
  if (state.order === 'least-sure') params.set('order', 'least-sure');
  if (state.unsureOnly) params.set('unsure', 'true');
  try {
    const { body } = await json(`api/results?${params}`);
    state.total = body.total;
    galleryImages.revokeAll();
    galleryImages = new ObjectUrls();
    $('results').replaceChildren(...body.items.map((item) => resultCard(item, galleryImages)));
    const shown = body.items.length ? `${body.offset + 1}–${body.offset + body.items.length} of ${body.total}` : 'none';
    const scope = body.searched ? ` (searched the newest ${body.searched} results)` : '';
    $('gallery-summary').textContent = `Results ${shown}${scope}${body.limited ? '; older results are not listed' : ''}.`;
    $('page-label').textContent = `Page ${Math.floor(state.offset / pageSize) + 1} of ${Math.max(1, Math.ceil(body.total / pageSize))}`;
    $('newer').disabled = state.offset === 0;
    $('older').disabled = state.offset + pageSize >= body.total;
    notify('');
  } catch (error) {
    notify(error.message);
  }
}

$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  state.query = $('query').value.trim();
  state.order = $('order').value;
  state.unsureOnly = $('unsure-only').checked;
  state.offset = 0;
  loadGallery();
openLinkedDetail();
});
$('newer').addEventListener('click', () => { state.offset = Math.max(0, state.offset - pageSize); loadGallery(); });
$('older').addEventListener('click', () => { state.offset += pageSize; loadGallery(); });

// ---- detail, with the attention of each word drawn over the image ----
function openDetail(result) {
  const dialog = $('detail');
  $('detail-title').textContent = result.image;
  const image = $('detail-image');
  image.alt = result.caption || result.image;
  detailImages.revokeAll();
  detailImages = new ObjectUrls();
  image.removeAttribute('src');
  detailImages.load(image, `api/images/${encodeName(result.image)}?container=${encodeURIComponent(result.container)}`);
  const canvas = $('attention');
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);

  const words = $('attention-words');
  words.replaceChildren();
  if (result.attention && result.caption) {
    const captionWords = result.caption.split(/\s+/);
    result.attention.forEach((weights, i) => {
      // An adaptive decoder gives part of a step to its sentinel (the words so far): its region weights sum below one.
      const photoShare = weights.reduce((sum, w) => sum + w, 0);
      words.append(element('button', {
        type: 'button', text: captionWords[i] ?? `word ${i + 1}`,
        ...(photoShare < 0.995 ? { title: `${Math.round(photoShare * 100)}% from the photo, ${Math.round((1 - photoShare) * 100)}% from the words so far` } : {}),
        onclick: (event) => {
          for (const b of words.children) b.removeAttribute('aria-pressed');
          event.currentTarget.setAttribute('aria-pressed', 'true');
          drawAttention(canvas, image, weights);
        },
      }));
    });
  }

  // The first word's attention is shown once the image has its size; the others on a click.
  image.onload = () => words.firstElementChild?.click();
  history.replaceState(null, '', `#image=${encodeURIComponent(result.image)}`);

  const body = $('detail-body');
  fill(body,
    element('p', { class: 'caption', text: result.status === 'failed' ? `Failed: ${result.reason || 'error'}` : captionText(result) }),
    result.unsure ? element('p', { class: 'unsure-why', text: unsureExplanation(result) }) : null,
    confidenceLine(result),
    result.error ? element('p', { class: 'error', text: result.error }) : null,
    element('p', { class: 'meta', text: `Model ${result.modelVersion || '–'} · encoder ${result.encoder || '–'}${result.logprob != null ? ` · log-probability ${result.logprob.toFixed(3)}` : ''}` }),
    result.nbest?.length ? nbestTable(result.nbest) : null,
    timings(result),
    result.status !== 'failed' && result.etag ? correctionForm(result) : null,
    captionAgainForm(result));
  if (!dialog.open) dialog.showModal();
}

// "Your caption": a person's correction of this photo's caption (or "this caption is right"), kept for teaching the model.
function correctionForm(result) {
  const text = element('input', { type: 'text', id: 'correction', maxlength: '200', placeholder: 'a snowboarder jumps over a ridge' });
  const status = element('p', { class: 'meta', id: 'correction-status', role: 'status' });
  const where = `api/corrections/${encodeName(result.image)}?container=${encodeURIComponent(result.container)}`;
  api(where).then(async (response) => {
    if (!response.ok) return;
    const saved = await response.json();
    status.textContent = saved.confirmed ? 'You said this caption is right.' : `Your caption: ${saved.caption}`;
    if (!saved.confirmed) text.value = saved.caption;
  }).catch(() => {});
  const save = async (body) => {
    status.textContent = 'Saving…';
    try {
      const { body: saved } = await json(where, {
        method: 'PUT', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...body, etag: result.etag }),
      });
      status.textContent = saved.confirmed ? 'Saved: this caption is right.' : `Saved: ${saved.caption}`;
    } catch (error) {
      status.textContent = error.message;
    }
  };
  return element('form', {
    class: 'inline correction',
    onsubmit: (event) => { event.preventDefault(); save({ caption: text.value }); },
  },
  element('label', { for: 'correction', text: 'Your caption' }), text,
  element('button', { type: 'submit', id: 'save-correction', text: 'Save correction' }),
  element('button', { type: 'button', id: 'confirm-caption', text: 'This caption is right', onclick: () => save({ confirmed: true }) }),
  status);
}

// Why a caption is marked unsure, in words a user can act on.
function unsureExplanation(result) {
  const reasons = [];
  if (result.unfamiliar) reasons.push('this photo is unlike the photos the model learned from, so its caption is likely wrong');
  if (result.confidence != null && (result.unsureBecause || '').includes('low confidence')) reasons.push(`only ${Math.round(result.confidence * 100)}% of captions this sure were acceptable on the model's dev photos`);
  const held = result.heldBack ? ' It was held back: the caption above is the best guess.' : '';
  return `Unsure: ${reasons.join('; ') || result.unsureBecause}.${held}`;
}

// "Caption again, starting with ...": a forced one-image bulk job (beam 3) whose caption begins with the given words.
function captionAgainForm(result) {
  const words = element('input', { type: 'text', id: 'begin-with', maxlength: '200', placeholder: 'a dog' });
  const status = element('p', { class: 'meta', role: 'status' });
  return element('form', {
    class: 'inline',
    onsubmit: async (event) => {
      event.preventDefault();
      status.textContent = 'Captioning again…';
      try {
        const decoding = { mode: 'beam', beam: 3, beginWith: words.value.trim() || null };
        const { body } = await json('api/bulk', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ container: result.container, name: result.image, force: true, decoding }),
        });
        for (let polls = 0; ; polls++) {
          const { body: job } = await json(`api/bulk/${encodeURIComponent(body.id)}`);
          if (job.completed) break;
          if (polls > 120) throw new Error('Still captioning after two minutes: reopen the image later.');
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        const { body: fresh } = await json(`api/results/${encodeName(result.image)}?container=${encodeURIComponent(result.container)}`);
        openDetail(fresh);
      } catch (error) {
        status.textContent = error.message;
      }
    },
  },
  element('label', { for: 'begin-with', text: 'Caption again, starting with' }), words,
  element('button', { type: 'submit', text: 'Caption again' }), status);
}

$('detail').addEventListener('close', () => {
  detailImages.revokeAll();
  $('detail-image').removeAttribute('src');
  history.replaceState(null, '', location.pathname + location.search);
});

// A detail view has its own address (#image=NAME), to share or reload.
async function openLinkedDetail() {
  const name = new URLSearchParams(location.hash.slice(1)).get('image');
  if (!name) return;
  try {
    const { body } = await json(`api/results/${encodeName(name)}`);
    openDetail(body);
  } catch (error) {
    notify(error.message);
  }
}

function nbestTable(nbest) {
  return element('table', { class: 'nbest' },
    element('caption', { text: 'Best captions of the beam' }),
    element('thead', {}, element('tr', {}, element('th', { scope: 'col', text: 'Caption' }), element('th', { scope: 'col', text: 'Log-probability' }), element('th', { scope: 'col', text: 'Score' }))),
    element('tbody', {}, ...nbest.map((n) => element('tr', {},
      element('td', { text: n.caption }), element('td', { text: n.logprob.toFixed(3) }), element('td', { text: n.score.toFixed(3) })))));
}

// 49 weights, a 7x7 grid in row-major order: each cell tinted by its weight relative to the word's largest.
function drawAttention(canvas, image, weights) {
  canvas.width = image.clientWidth;
  canvas.height = image.clientHeight;
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  const side = Math.round(Math.sqrt(weights.length));
  const largest = Math.max(...weights) || 1;
  const cellWidth = canvas.width / side;
  const cellHeight = canvas.height / side;
  weights.forEach((weight, i) => {
    context.fillStyle = `rgba(255, 80, 0, ${(0.75 * weight / largest).toFixed(3)})`;
    context.fillRect((i % side) * cellWidth, Math.floor(i / side) * cellHeight, cellWidth, cellHeight);
  });
}

// ---- upload: each file goes to images/, then its result is polled until it is for this content ----
const drop = $('drop');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  uploadAll(event.dataTransfer.files);
});
drop.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') $('files').click(); });
$('files').addEventListener('change', (event) => uploadAll(event.target.files));

function uploadAll(files) {
  for (const file of files) upload(file);
}

async function upload(file) {
  const name = `uploads/${Date.now()}-${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const status = element('p', { class: 'caption', text: 'Uploading…' });
  const item = element('li', { class: 'card', 'data-image': name }, element('p', { class: 'meta', text: file.name }), status);
  $('uploads').prepend(item);
  try {
    const { body } = await json(`api/images/${encodeName(name)}`, { method: 'PUT', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' } });
    status.textContent = 'Waiting for the caption…';
    for (let attempt = 0; attempt < 300; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const response = await api(`api/results/${encodeName(name)}`);
      if (response.status === 404) continue;
      const result = await response.json();
      if (result.etag !== body.etag) continue;
      item.replaceWith(resultCard(result, uploadImages));
      return;
    }
    status.textContent = 'No caption after 5 minutes.';
  } catch (error) {
    status.textContent = `Not uploaded: ${error.message}`;
    item.classList.add('failed');
  }
}

// ---- bulk jobs ----
let bulkTimer = null;

$('bulk-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const request = {
    container: $('bulk-container').value.trim(),
    prefix: $('bulk-prefix').value,
    force: $('bulk-force').checked,
    decoding: $('bulk-mode').value === 'beam' ? { mode: 'beam', beam: Number($('bulk-beam').value) } : { mode: 'greedy' },
  };
  try {
    const { body } = await json('api/bulk', { method: 'POST', body: JSON.stringify(request), headers: { 'Content-Type': 'application/json' } });
    $('bulk-id').value = body.id;
    followBulk(body.id);
  } catch (error) {
    $('bulk-status').textContent = `Not started: ${error.message}`;
  }
});

$('bulk-follow').addEventListener('submit', (event) => { event.preventDefault(); followBulk($('bulk-id').value.trim()); });

function followBulk(id) {
  clearTimeout(bulkTimer);
  const poll = async () => {
    try {
      const { body } = await json(`api/bulk/${encodeURIComponent(id)}`);
      const finished = body.done + body.skipped + body.failed;
      fill($('bulk-status'),
        element('p', { text: `Job ${body.id}: ${body.container}/${body.prefix}` }),
        element('progress', { max: Math.max(1, body.total), value: finished, 'aria-label': 'Bulk job progress' }),
        element('p', { class: 'counts', text: `${body.total} listed${body.listingComplete ? '' : ' so far'} · ${body.done} captioned (${body.unsure ?? 0} unsure) · ${body.skipped} skipped · ${body.failed} failed` }),
        body.error ? element('p', { class: 'error', text: body.error }) : null,
        element('p', { text: body.completed ? 'Finished.' : 'Running…' }));
      if (!body.completed) bulkTimer = setTimeout(poll, 1000);
    } catch (error) {
      $('bulk-status').textContent = error.message;
    }
  };
  poll();
}

// ---- training jobs: status, a loss chart (SVG), ETA, cancel ----
let trainingTimer = null;
let lossPoints = new Map();

$('training-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const { body } = await json(trainingPath('api/training'), { method: 'POST', body: $('training-body').value, headers: { 'Content-Type': 'application/json' } });
    $('training-id').value = body.id;
    followTraining(body.id);
  } catch (error) {
    $('training-status').textContent = `Not started: ${error.message}`;
  }
});

$('training-follow').addEventListener('submit', (event) => { event.preventDefault(); followTraining($('training-id').value.trim()); });

$('training-cancel').addEventListener('click', async () => {
  const id = $('training-id').value.trim();
  if (!confirm(`Cancel training job ${id}?`)) return;
  try {
    await json(trainingPath(`api/training/${encodeURIComponent(id)}/terminate`), { method: 'POST' });
  } catch (error) {
    notify(error.message);
  }
});

function followTraining(id) {
  clearTimeout(trainingTimer);
  lossPoints = new Map();
  const poll = async () => {
    try {
      const { body: job } = await json(trainingPath(`api/training/${encodeURIComponent(id)}`));
      const status = job.status || {};
      for (const epoch of job.output?.history || []) lossPoints.set(epoch.epoch, { train: epoch.trainLoss, dev: epoch.devLoss });
      if (status.epoch && status.trainLoss != null) lossPoints.set(status.epoch, { train: status.trainLoss, dev: status.devLoss });
      const running = ['Running', 'Pending', 'Suspended'].includes(job.runtimeStatus);
      $('training-cancel').disabled = !running;
      fill($('training-status'),
        element('p', { class: 'phase', text: `${job.runtimeStatus} · phase ${status.phase || '–'}${status.maxEpochs ? ` · epoch ${status.epoch} of ${status.maxEpochs}` : ''}` }),
        status.detail ? element('p', { text: status.detail }) : null,
        element('p', { text: [
          status.trainLoss != null ? `training loss ${status.trainLoss.toFixed(3)}` : null,
          status.devLoss != null ? `dev loss ${status.devLoss.toFixed(3)}` : null,
          status.devCider != null ? `dev CIDEr-D ${status.devCider.toFixed(3)}` : null,
          status.etaSeconds != null && running ? `about ${Math.ceil(status.etaSeconds / 60)} min left` : null,
        ].filter(Boolean).join(' · ') }),
        job.output ? element('p', { text: `Version ${job.output.version}: ${job.output.promotion}` }) : null,
        Object.keys(job.output?.metrics || {}).length > 0
          ? element('p', { class: 'metrics', text: Object.entries(job.output.metrics).map(([name, value]) => `${name} ${typeof value === 'number' ? value.toFixed(4) : value}`).join(' · ') })
          : null,
        job.error ? element('p', { class: 'error', text: job.error }) : null);
      drawLosses();
      if (running) trainingTimer = setTimeout(poll, 2000);
    } catch (error) {
      $('training-status').textContent = error.message;
    }
  };
  poll();
}

function drawLosses() {
  const epochs = [...lossPoints.keys()].sort((a, b) => a - b);
  $('loss-figure').hidden = epochs.length === 0;
  const svg = $('loss-chart');
  svg.replaceChildren();
  if (epochs.length === 0) return;
  const values = epochs.flatMap((e) => [lossPoints.get(e).train, lossPoints.get(e).dev]).filter((v) => v != null);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const [left, right, top, bottom] = [50, 590, 10, 230];
  const x = (epoch) => epochs.length === 1 ? (left + right) / 2 : left + (right - left) * (epoch - epochs[0]) / (epochs[epochs.length - 1] - epochs[0]);
  const y = (value) => high === low ? (top + bottom) / 2 : bottom - (bottom - top) * (value - low) / (high - low);
  const ns = 'http://www.w3.org/2000/svg';
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    svg.append(node);
  };
  add('line', { x1: left, y1: bottom, x2: right, y2: bottom, class: 'axis' });
  add('line', { x1: left, y1: top, x2: left, y2: bottom, class: 'axis' });
  add('text', { x: left - 6, y: top + 10, 'text-anchor': 'end' }, high.toFixed(2));
  add('text', { x: left - 6, y: bottom, 'text-anchor': 'end' }, low.toFixed(2));
  add('text', { x: left, y: bottom + 20 }, `epoch ${epochs[0]}`);
  add('text', { x: right, y: bottom + 20, 'text-anchor': 'end' }, `epoch ${epochs[epochs.length - 1]}`);
  for (const series of ['train', 'dev']) {
    const points = epochs.filter((e) => lossPoints.get(e)[series] != null).map((e) => `${x(e).toFixed(1)},${y(lossPoints.get(e)[series]).toFixed(1)}`);
    if (points.length) add('polyline', { points: points.join(' '), class: `loss ${series}`, 'data-series': series });
  }
}

// ---- models: versions with dev metrics; promote or roll back with a confirmation ----
async function loadModels() {
  try {
    const { body } = await json('api/models');
    const rows = body.versions
      .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))
      .map((model) => {
        const current = model.version === body.current;
        const metrics = Object.entries(model.metrics || {}).map(([name, value]) => `${name} ${Number(value).toFixed(3)}`).join(', ');
        return element('tr', { class: current ? 'current' : '' },
          element('th', { scope: 'row', text: current ? `${model.version} (current)` : model.version }),
          element('td', { text: model.createdAt ? new Date(model.createdAt).toLocaleString() : '–' }),
          element('td', { text: model.decoder?.kind || '–' }),
          element('td', { text: metrics || '–' }),
          element('td', {}, current ? null : element('button', { type: 'button', text: 'Make current', onclick: () => promote(model.version, body.current) })));
      });
    $('model-rows').replaceChildren(...rows);
  } catch (error) {
    notify(error.message);
  }
}

async function promote(version, current) {
  if (!confirm(`Serve model ${version} instead of ${current || 'none'}? Hosts switch at their next model poll.`)) return;
  try {
    await json('api/models/current', { method: 'PUT', body: JSON.stringify({ version }), headers: { 'Content-Type': 'application/json' } });
    loadModels();
  } catch (error) {
    notify(error.message);
  }
}

loadGallery();
openLinkedDetail();
